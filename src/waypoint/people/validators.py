"""Field rules shared by forms, the API and imports: each message names the rule."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypoint.kit.phone import normalize_phone

NAME = re.compile(r"^[^\W\d_]+(?:[ '\-’][^\W\d_]+)*$")
SPECIALTY_CODE = re.compile(r"^\d{3,6}[А-ЯЁA-Z]?$")
DRIVING_CATEGORIES = (
    "A",
    "A1",
    "B",
    "B1",
    "BE",
    "C",
    "C1",
    "CE",
    "C1E",
    "D",
    "D1",
    "DE",
    "D1E",
    "M",
    "TM",
    "TB",
)
_CYRILLIC_LOOKALIKES = str.maketrans("АВСЕМТ", "ABCEMT")


def validate_name(value: str) -> None:
    if not NAME.match(value):
        raise ValidationError(
            _("a name may hold only letters, with single spaces, hyphens or apostrophes between"),
            code="name",
        )


def validate_e164(value: str) -> None:
    try:
        if normalize_phone(value) != value:
            raise ValueError("not normalised")
    except ValueError:
        raise ValidationError(
            _("enter a phone number such as +7 916 123-45-67"), code="phone"
        ) from None


def validate_specialty_code(value: str) -> None:
    if not SPECIALTY_CODE.match(value):
        raise ValidationError(
            _(
                "a specialty code is 3 to 6 digits with an optional letter, "
                "for example 100182 or 837037А"
            ),
            code="specialty_code",
        )


def normalize_licences(raw: str) -> str:
    """ "b, c ,CE" → "B,C,CE"; raises ValidationError for an unknown category."""
    categories = []
    for part in re.split(r"[,;\s]+", raw.strip()):
        if not part:
            continue
        category = part.upper().translate(_CYRILLIC_LOOKALIKES)
        if category not in DRIVING_CATEGORIES:
            raise ValidationError(
                _("unknown driving-licence category %(category)s (known: %(known)s)"),
                code="driving_licences",
                params={"category": part, "known": ", ".join(DRIVING_CATEGORIES)},
            )
        if category not in categories:
            categories.append(category)
    return ",".join(categories)


def validate_birth_date(value: date) -> None:
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("the birth date cannot be in the future"), code="future")
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if age < 16:
        raise ValidationError(_("a veteran is at least 16 years old"), code="too_young")
    if age > 110:
        raise ValidationError(
            _("a birth date more than 110 years ago is not plausible"), code="too_old"
        )


ENTRY_AGE = 16  # the programme takes people of working age, as the birth date rule does


def entry_date_problem(entered_on: date, birth_date: date | None) -> str | None:
    """What is wrong with a programme entry date, or None. An entry date is the start of every
    "days to placement": one in the future or before the person could work would make those
    figures impossible."""
    if entered_on > timezone.localdate():
        return str(_("the programme entry date cannot be in the future"))
    try:
        if birth_date is not None:
            validate_birth_date(birth_date)
    except ValidationError:
        return None  # the birth date's own rule speaks; one message per mistake
    if birth_date is None:
        return None
    if entered_on < birth_date:
        return str(_("the programme entry date cannot be before the birth date"))
    sixteenth = _years_after(birth_date, ENTRY_AGE)
    if entered_on < sixteenth:
        return str(_("a person enters the programme at 16 or older: the entry date is too early"))
    return None


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def validate_year(value: int) -> None:
    if not 1940 <= value <= timezone.localdate().year + 6:
        raise ValidationError(
            _("a year must lie between 1940 and %(last)s"),
            code="year",
            params={"last": timezone.localdate().year + 6},
        )
