"""Phone numbers are stored in E.164 (+79161234567) so duplicates compare equal."""

import re

from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s\-().]")


def normalize_phone(raw: str) -> str:
    """Return the E.164 form of a Russian or international number, or raise ValueError."""
    digits = _SEPARATORS.sub("", raw.strip())
    if digits.startswith("+"):
        body = digits[1:]
    elif len(digits) == 11 and digits[0] in "78":
        # Domestic Russian habit: 8 (916) 123-45-67.
        body = "7" + digits[1:]
    elif len(digits) == 10 and digits[0] == "9":
        body = "7" + digits
    else:
        body = digits
    if not body.isdigit():
        raise ValueError(_("a phone number may hold only digits, spaces, dashes and brackets"))
    if body.startswith("7") and len(body) != 11:
        raise ValueError(_("a Russian number has 11 digits: +7 and ten more"))
    if not 8 <= len(body) <= 15:
        raise ValueError(_("an international number has 8 to 15 digits after +"))
    return "+" + body
