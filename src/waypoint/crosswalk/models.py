"""The military specialty crosswalk: what Russian service members did, by the names they use,
and the civilian occupations (ISCO-08 unit groups) and skills it leads to.

Independent of the taxonomy: ISCO-08 unit groups and English skill labels are resolved in
whichever taxonomy is active (see ranking.py), as O*NET's military crosswalk does for SOC.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

ISCO_UNIT = re.compile(r"^[1-9][0-9]{3}$")


def validate_isco_groups(value: str) -> None:
    codes = split(value)
    if not codes:
        raise ValidationError(_("at least one ISCO-08 unit group is required"))
    wrong = [code for code in codes if not ISCO_UNIT.match(code)]
    if wrong:
        raise ValidationError(
            _("not a civilian ISCO-08 unit group (4 digits, not 0xxx): %(codes)s")
            % {"codes": ", ".join(wrong)}
        )


class Specialty(models.Model):
    class Source(models.TextChoices):
        BUNDLED = "bundled", _("bundled with Waypoint")
        ADMIN = "admin", _("changed by an administrator")
        IMPORT = "import", _("imported from CSV")

    key = models.SlugField(_("key"), max_length=60, unique=True)
    vus = models.CharField(
        _("VUS family (military registration specialty)"), max_length=60, blank=True
    )
    names_ru = models.TextField(_("names in Russian"), help_text=_("separated by semicolons"))
    names_en = models.TextField(
        _("names in English"), blank=True, help_text=_("separated by semicolons")
    )
    isco_groups = models.CharField(
        _("civilian ISCO-08 unit groups"),
        max_length=200,
        help_text=_("4-digit codes separated by semicolons, the closest first"),
        validators=[validate_isco_groups],
    )
    skills = models.TextField(
        _("skills (English labels)"), blank=True, help_text=_("separated by semicolons")
    )
    is_active = models.BooleanField(_("active"), default=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ADMIN
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("military specialty")
        verbose_name_plural = _("military specialties")

    def __str__(self) -> str:
        return self.first_name

    @property
    def first_name(self) -> str:
        return split(self.names_ru)[0] if self.names_ru.strip() else self.key

    @property
    def names(self) -> list[str]:
        return split(self.names_ru) + split(self.names_en)

    @property
    def isco_list(self) -> list[str]:
        return split(self.isco_groups)

    @property
    def skill_list(self) -> list[str]:
        return split(self.skills)


def split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]
