"""Training providers, their programmes and cohorts, and veterans' enrolments."""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from waypoint.accounts.models import Organisation
from waypoint.people.models import Veteran
from waypoint.taxonomy.models import Occupation, Skill


class Provider(models.Model):
    """What the programme needs to know about a training organisation."""

    class Kind(models.TextChoices):
        VOCATIONAL_SCHOOL = "vocational_school", _("vocational school (college)")
        UNIVERSITY = "university", _("university")
        TRAINING_CENTRE = "training_centre", _("training centre")
        EMPLOYER = "employer", _("employer's training centre")

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="provider",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    licence_number = models.CharField(
        _("education licence number"),
        max_length=40,
        validators=[
            RegexValidator(
                r"^[0-9A-Za-zА-Яа-я№][0-9A-Za-zА-Яа-я№ ./-]{2,39}$",
                _("letters, digits, spaces and . / - only"),
            )
        ],
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("training provider")
        verbose_name_plural = _("training providers")

    def __str__(self) -> str:
        return self.organisation.name


class Programme(models.Model):
    class Format(models.TextChoices):
        ON_SITE = "on_site", _("on site")
        ONLINE = "online", _("online")
        MIXED = "mixed", _("mixed")

    class Payer(models.TextChoices):
        FREE = "free", _("free of charge")
        FUND = "fund", _("the veterans' support fund")
        STATE = "state", _("the state (employment service)")
        EMPLOYER = "employer", _("the employer")
        VETERAN = "veteran", _("the veteran")

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="programmes")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="+", verbose_name=_("skills taught")
    )
    occupations = models.ManyToManyField(
        Occupation, blank=True, related_name="+", verbose_name=_("leads to occupations")
    )
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration (weeks)"), validators=[MinValueValidator(1)]
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    location = models.CharField(_("location"), max_length=200, blank=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    cost = models.PositiveIntegerField(_("cost, roubles"), default=0)
    payer = models.CharField(_("who pays"), max_length=10, choices=Payer.choices)
    language = models.CharField(
        _("language"),
        max_length=2,
        default="ru",
        choices=[("ru", _("Russian")), ("en", _("English"))],
    )
    min_education = models.PositiveSmallIntegerField(
        _("least education (ISCED level)"), null=True, blank=True
    )
    unsuitable_for = models.JSONField(
        _("unsuitable with these work limitations"), default=list, blank=True
    )
    is_active = models.BooleanField(_("open for enrolment"), default=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        permissions = [("manage_own_programmes", _("Can manage the own organisation's programmes"))]

    def __str__(self) -> str:
        return self.title


class Cohort(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    start_date = models.DateField(_("starts"))
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.programme} · {self.start_date:%Y-%m-%d}"


class Enrolment(models.Model):
    class Status(models.TextChoices):
        RECOMMENDED = "recommended", _("recommended")
        APPLIED = "applied", _("applied")
        OFFERED = "offered", _("offered a seat")
        ACCEPTED = "accepted", _("accepted the seat")
        ENROLLED = "enrolled", _("enrolled")
        COMPLETED = "completed", pgettext_lazy("training enrolment status", "completed")
        DROPPED_OUT = "dropped_out", _("dropped out")
        WITHDRAWN = "withdrawn", _("withdrawn")

    veteran = models.ForeignKey(Veteran, on_delete=models.CASCADE, related_name="enrolments")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, db_index=True)
    # [[status, ISO time, user id], …]: every step, dated
    history = models.JSONField(_("history"), default=list)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        permissions = [("manage_enrolments", _("Can enrol veterans and move their enrolments on"))]
        constraints = [models.UniqueConstraint(fields=["veteran", "cohort"], name="enrolment_once")]

    @property
    def audited_veteran_id(self) -> int:
        return self.veteran_id


# Statuses that hold a seat of the cohort.
HOLDS_SEAT = (Enrolment.Status.ACCEPTED, Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED)


class AllocationRound(models.Model):
    """One allocation of seats: the cohorts in play and, once run, the proposal."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PROPOSED = "proposed", _("proposed")
        CONFIRMED = "confirmed", _("confirmed")

    name = models.SlugField(_("name"), max_length=60, unique=True)
    cohorts = models.ManyToManyField(Cohort, related_name="allocation_rounds")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="draft")
    mode = models.CharField(_("mode"), max_length=10, blank=True)
    # {"assigned": {enrolment id: cohort id}, "unassigned": {veteran id: reason}, "summary": …}
    proposal = models.JSONField(_("proposal"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("allocation round")
        verbose_name_plural = _("allocation rounds")
        permissions = [("allocate_seats", _("Can run and confirm seat allocation rounds"))]

    def __str__(self) -> str:
        return self.name
