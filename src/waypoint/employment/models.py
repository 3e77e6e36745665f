"""Employers and their vacancies."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import Organisation
from waypoint.kit.russian_ids import validate_inn, validate_ogrn
from waypoint.people.models import Veteran
from waypoint.taxonomy.models import Occupation, Skill


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


# Where vacancies come from, in words; another importer's source shows as its code.
SOURCE_NAMES = {
    "manual": _("published by the employer"),
    "trudvsem": _("the national job portal “Work in Russia”"),
    "demo": _("demo data"),
}


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
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="+", verbose_name=_("required skills")
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
    # Tells the matching index in each process that it is stale.
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["-published_on", "pk"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        permissions = [
            ("manage_own_vacancies", _("Can publish vacancies and decide on candidates"))
        ]
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

    @property
    def source_name(self) -> str:
        return str(SOURCE_NAMES.get(self.source, ""))


class Application(models.Model):
    """A veteran's candidacy for a vacancy: they applied, or their coordinator proposed them."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed by the coordinator")
        APPLIED = "applied", _("applied")
        INTERVIEW = "interview", _("invited to an interview")
        OFFERED = "offered", _("offered the job")
        HIRED = "hired", _("hired")
        REJECTED = "rejected", _("not selected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    veteran = models.ForeignKey(Veteran, on_delete=models.CASCADE, related_name="applications")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, db_index=True)
    # [[status, ISO time, user id, note], …]: every step, dated
    history = models.JSONField(_("history"), default=list)
    note = models.CharField(_("note on the last step"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        permissions = [("manage_applications", _("Can propose veterans for vacancies"))]
        constraints = [
            models.UniqueConstraint(fields=["veteran", "vacancy"], name="application_once")
        ]

    def __str__(self) -> str:
        return f"{self.vacancy} · {self.get_status_display()}"

    @property
    def audited_veteran_id(self) -> int:
        return self.veteran_id


class Placement(models.Model):
    """A veteran at work: the hiring that closed an application, followed up for a year."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="placement"
    )
    veteran = models.ForeignKey(Veteran, on_delete=models.CASCADE, related_name="placements")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="placements")
    start_date = models.DateField(_("starts work"))
    salary = models.PositiveIntegerField(
        _("monthly salary, RUB"), validators=[MinValueValidator(1)]
    )
    ended_on = models.DateField(_("left the job on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self) -> str:
        return f"{self.employer} · {self.start_date:%Y-%m-%d}"

    @property
    def audited_veteran_id(self) -> int:
        return self.veteran_id


class FollowUp(models.Model):
    """Is the veteran still at work 3, 6 and 12 months after starting, and where?"""

    MONTHS = (3, 6, 12)

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(
        _("months after the start"), choices=[(m, str(m)) for m in MONTHS]
    )
    due_on = models.DateField(_("due"), db_index=True)
    done_on = models.DateField(_("done"), null=True, blank=True)
    still_employed = models.BooleanField(_("still employed"), null=True, blank=True)
    same_employer = models.BooleanField(_("with the same employer"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["placement", "months"], name="follow_up_once"),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(still_employed__isnull=False),
                name="follow_up_done_has_answer",
            ),
        ]

    @property
    def audited_veteran_id(self) -> int:
        return self.placement.veteran_id
