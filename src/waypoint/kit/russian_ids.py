"""Russian company and taxpayer numbers, checked by their check digits.

ИНН: 10 digits for an organisation, 12 for a person or sole trader. ОГРН: 13 digits for an
organisation, ОГРНИП 15 for a sole trader.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def is_valid_inn(value: str) -> bool:
    if not value.isdigit():
        return False
    if len(value) == 10:
        return _check(value, _INN10) == int(value[9])
    if len(value) == 12:
        return _check(value, _INN11) == int(value[10]) and _check(value, _INN12) == int(value[11])
    return False


def is_valid_ogrn(value: str) -> bool:
    if not value.isdigit():
        return False
    if len(value) == 13:
        return int(value[:12]) % 11 % 10 == int(value[12])
    if len(value) == 15:
        return int(value[:14]) % 13 % 10 == int(value[14])
    return False


def validate_inn(value: str) -> None:
    if not is_valid_inn(value):
        raise ValidationError(
            _("%(value)s is not a valid INN (10 or 12 digits with correct check digits)"),
            code="inn",
            params={"value": value},
        )


def validate_ogrn(value: str) -> None:
    if not is_valid_ogrn(value):
        raise ValidationError(
            _("%(value)s is not a valid OGRN (13 or 15 digits with a correct check digit)"),
            code="ogrn",
            params={"value": value},
        )


def make_inn(digits9: str) -> str:
    """An organisation's INN with its check digit, from nine digits (demo data, tests)."""
    return digits9 + str(_check(digits9, _INN10))


def make_ogrn(digits12: str) -> str:
    """An organisation's OGRN with its check digit, from twelve digits."""
    return digits12 + str(int(digits12) % 11 % 10)
