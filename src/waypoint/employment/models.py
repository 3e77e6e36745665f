"""Employers and their vacancies."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import Organisation
from waypoint.kit.russian_ids import validate_inn, validate_ogrn
from waypoint.taxonomy.models import Occupation


class Employer(models.Model):
    class Sector(models.TextChoices):
        PRIVATE = "private", _("private")
        STATE = "state", _("state")
        MUNICIPAL = "municipal", _("municipal")

    legal_name = models.CharField(_("legal name"), max_length=300)
    inn = models.CharField(_("INN"), max_length=12, unique=True, validators=[validate_inn])
    ogrn = models.CharField(_("OGRN"), max_length=15, blank=True, validators=[validate_ogrn])
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    sector = models.CharField(
        _("sector"), max_length=10, choices=Sector.choices, default=Sector.PRIVATE
    )
    is_partner = models.BooleanField(_("partner of the programme"), default=False)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employer",
        verbose_name=_("organisation of its staff in Waypoint"),
    )

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return self.legal_name


class Vacancy(models.Model):
    class Schedule(models.TextChoices):
        FULL_DAY = "full_day", _("full day")
        SHIFT = "shift", _("shifts")
        FLEXIBLE = "flexible", _("flexible")
        REMOTE = "remote", _("remote")
        ROTATION = "rotation", _("rotation (vakhta)")

    class Employment(models.TextChoices):
        FULL = "full", _("full time")
        PART = "part", _("part time")
        TEMPORARY = "temporary", _("temporary")
        SEASONAL = "seasonal", _("seasonal")
        INTERNSHIP = "internship", _("internship")

    source = models.CharField(_("source"), max_length=20, default="manual")
    source_id = models.CharField(_("id at the source"), max_length=80)
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="vacancies")
    title = models.CharField(_("title"), max_length=300)
    occupation = models.ForeignKey(
        Occupation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("occupation"),
    )
    profession_code = models.CharField(
        _("profession code at the source"), max_length=20, blank=True
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    salary_min = models.PositiveIntegerField(_("salary from"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("salary up to"), null=True, blank=True)
    schedule = models.CharField(_("schedule"), max_length=10, choices=Schedule.choices, blank=True)
    employment_type = models.CharField(
        _("employment"), max_length=10, choices=Employment.choices, blank=True
    )
    openings = models.PositiveIntegerField(
        _("openings"), default=1, validators=[MinValueValidator(1)]
    )
    veteran_quota = models.PositiveIntegerField(_("openings reserved for veterans"), default=0)
    education = models.CharField(_("education required"), max_length=100, blank=True)
    experience_years = models.PositiveSmallIntegerField(
        _("experience required (years)"), null=True, blank=True
    )
    accessible_for = models.JSONField(
        _("suitable with these work limitations"), default=list, blank=True
    )
    is_civil_service = models.BooleanField(_("civil service"), default=False)
    is_municipal = models.BooleanField(_("municipal service"), default=False)
    published_on = models.DateField(_("published"), null=True, blank=True)
    closes_on = models.DateField(_("closes"), null=True, blank=True)

    class Meta:
        ordering = ["-published_on", "pk"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="vacancy_source_id"),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_max__gte=F("salary_min")),
                name="vacancy_salary_range",
            ),
            models.CheckConstraint(
                condition=Q(veteran_quota__lte=F("openings")), name="vacancy_quota_within_openings"
            ),
        ]
        indexes = [models.Index(fields=["region", "occupation"], name="vacancy_region_occupation")]

    def __str__(self) -> str:
        return self.title
