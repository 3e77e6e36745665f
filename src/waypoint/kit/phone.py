"""Phone numbers are stored in E.164 (+79161234567) so duplicates compare equal.

People write Russian numbers in many ways: +7 916 123-45-67, 8 (916) 123-45-67, 8-916-1234567,
916 123 45 67, (495) 123-45-67, 7 916 1234567; and foreign ones as +49 30 1234567,
00 49 30 1234567 or, from a Russian line, 810 49 30 1234567. All of these are understood; a
number that is none of them is refused, never guessed at or cut short.
"""

import re

from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s\-().\u00a0\u2010-\u2015]")
# Long enough for "+7 (916) 123-45-67 доб. 1"-like typing, short enough to bound the work.
MAX_TYPED_LENGTH = 40


def normalize_phone(raw: str) -> str:
    """Return the E.164 form of a Russian or international number, or raise ValueError."""
    if len(raw) > MAX_TYPED_LENGTH:
        raise ValueError(
            _("a phone number is at most %(limit)s characters") % {"limit": MAX_TYPED_LENGTH}
        )
    digits = _SEPARATORS.sub("", raw.strip())
    if digits.startswith("+"):
        body = digits[1:]
    elif digits.startswith("00"):
        body = digits[2:]  # the international prefix of most of the world
    elif digits.startswith("810") and len(digits) > 11:
        body = digits[3:]  # the Russian international prefix
    elif len(digits) == 11 and digits[0] in "78":
        body = "7" + digits[1:]  # 8 (916) 123-45-67, the domestic habit
    elif len(digits) == 10 and not digits.startswith("89"):
        # A Russian number without its trunk prefix: (495) 123-45-67. No Russian code begins
        # with 89, so "8 (916) 123-45-6" is a mobile number one digit short, not +7 891….
        body = "7" + digits
    else:
        if digits.isdigit():
            raise ValueError(
                _(
                    "a Russian number has 10 digits after +7 or 8; start a foreign number "
                    "with + and its country code"
                )
            )
        body = digits
    if not body.isdigit():
        raise ValueError(_("a phone number may hold only digits, spaces, dashes and brackets"))
    if body.startswith("7") and len(body) != 11:
        raise ValueError(_("a Russian number has 11 digits: +7 and ten more"))
    if not 8 <= len(body) <= 15:
        raise ValueError(_("an international number has 8 to 15 digits after +"))
    return "+" + body
