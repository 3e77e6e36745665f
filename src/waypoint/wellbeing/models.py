"""Psychological well-being: the only place where screening answers and scores live.

Need-to-know is the design: only clinicians of the person's care team (and the person) read
answers, scores and tiers (`wellbeing.access` decides); coordinators get derived facts from
`wellbeing.facts`; a commander gets only what a clinician deliberately discloses in a
CommandNotice. Answers and free-text notes are sealed at rest (kit.sealing). A response is
never changed after it is submitted: a correction is a new version with a reason.
"""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from waypoint.kit.sealing import seal, unseal
from waypoint.wellbeing import tiers

# Permissions (see accounts.roles). Care relations, not administrative powers: a superuser
# flag implies none of the first three (accounts.models.RELATION_PERMISSIONS).
PROVIDE_CARE = "wellbeing.provide_care"
KEEP_RECORDS = "wellbeing.keep_clinical_records"
RECEIVE_NOTICES = "wellbeing.receive_command_notices"
CONFIGURE = "wellbeing.configure_wellbeing"


class Tier(models.TextChoices):
    """Risk tiers, most urgent first; RANK orders the clinician's queue."""

    URGENT = "urgent", _("urgent")
    HIGH = "high", _("high")
    MODERATE = "moderate", _("moderate")
    LOW = "low", _("low")
    NONE = "none", _("no risk found")


TIER_RANK = {Tier(code): rank for code, rank in tiers.RANK.items()}


class CareTeam(models.Model):
    """A clinic's well-being team: who is on duty for urgent alerts, and who gets them when
    nobody acknowledges in time."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("clinic"),
        on_delete=models.PROTECT,
        related_name="care_team",
        limit_choices_to={"kind": "clinic"},
    )
    on_duty = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clinician on duty"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead clinician (escalations)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    escalate_after_minutes = models.PositiveIntegerField(
        _("escalate an unacknowledged alert after (minutes)"), default=30
    )

    class Meta:
        verbose_name = _("care team")
        verbose_name_plural = _("care teams")
        permissions = [
            ("provide_care", _("Clinician of a care team: screenings, reviews, programmes")),
            ("keep_clinical_records", _("Clinical record keeper: reads every record")),
            ("receive_command_notices", _("Commander: receives duty-limitation notices")),
            ("configure_wellbeing", _("Configure care teams and risk rules")),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    def clean(self) -> None:
        if self.organisation_id and self.organisation.kind != "clinic":
            raise ValidationError({"organisation": _("a care team is a clinic")})


def consented() -> Exists:
    """Screening consent stands: the people registry's consent for the purpose, not withdrawn.
    Withdrawing it (from any page) stops new screenings and hides the record at once."""
    from waypoint.people.models import Consent

    return Exists(
        Consent.objects.filter(
            veteran_id=OuterRef("veteran_id"),
            purpose=Consent.Purpose.WELLBEING,
            withdrawn_at=None,
        )
    )


class Record(models.Model):
    """A veteran's well-being record: the care team and the return date that anchors the
    screening schedule. Consent is the registry's (people.Consent, purpose wellbeing)."""

    veteran = models.OneToOneField(
        "people.Veteran", on_delete=models.PROTECT, related_name="wellbeing_record"
    )
    care_team = models.ForeignKey(
        CareTeam, verbose_name=_("care team"), on_delete=models.PROTECT, related_name="records"
    )
    returned_on = models.DateField(_("returned from deployment on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("well-being record")
        verbose_name_plural = _("well-being records")
        default_permissions = ()

    def __str__(self) -> str:
        return str(_("well-being record"))

    @property
    def audited_veteran_id(self) -> int:
        return self.veteran_id


class Screening(models.Model):
    """One screening occasion: due on a date, answered in two stages (short screeners, then
    the full instrument of each positive screener), then tiered and reviewed."""

    class Occasion(models.TextChoices):
        POST_DEPLOYMENT = "post_deployment", _("on return from deployment")
        REASSESSMENT = "reassessment", _("reassessment 90–180 days after return")
        ANNUAL = "annual", _("yearly")
        AD_HOC = "ad_hoc", _("ad hoc")
        FOLLOW_UP = "follow_up", _("follow-up of a support programme")

    class Status(models.TextChoices):
        DUE = "due", pgettext_lazy("screening status", "due")
        IN_PROGRESS = "in_progress", pgettext_lazy("screening status", "in progress")
        COMPLETED = "completed", pgettext_lazy("screening status", "completed")
        CANCELLED = "cancelled", pgettext_lazy("screening status", "cancelled")

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="screenings")
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DUE
    )
    due_on = models.DateField(_("due on"))
    window_closes_on = models.DateField(_("window closes on"))
    # Instruments still to answer, in order: the screeners, then full instruments as they come.
    pending = models.JSONField(default=list)
    tier = models.CharField(_("risk tier"), max_length=10, choices=Tier.choices, blank=True)
    fired_rules = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        default_permissions = ()
        indexes = [
            models.Index(fields=["status", "due_on"], name="screening_due"),
            models.Index(fields=["status", "tier", "completed_at"], name="screening_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.get_occasion_display()} {self.due_on}"

    @property
    def audited_veteran_id(self) -> int:
        return self.record.veteran_id

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.DUE, self.Status.IN_PROGRESS)


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("a submitted response never changes; submit a correction"))

    def delete(self):
        raise ValidationError(_("a submitted response is never deleted"))


class Response(models.Model):
    """Answers to one instrument, sealed; the scores derived from them, in the clear for the
    queue. Versions: a correction supersedes an earlier response and carries a reason."""

    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="responses")
    instrument = models.CharField(_("instrument"), max_length=40)
    instrument_version = models.CharField(max_length=20)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    answers_sealed = models.TextField()
    correction_reason_sealed = models.TextField(blank=True)
    sex = models.CharField(max_length=1, blank=True)
    total = models.IntegerField(_("total"), null=True)
    subscales = models.JSONField(default=dict)
    band = models.CharField(_("band"), max_length=30, blank=True)
    positive = models.BooleanField(_("positive"), default=False)
    flags = models.JSONField(default=list)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.instrument} v{self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("a submitted response never changes; submit a correction"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("a submitted response is never deleted"))

    @property
    def audited_veteran_id(self) -> int:
        return self.screening.record.veteran_id

    @property
    def answers(self) -> list[int | None]:
        return json.loads(unseal(self.answers_sealed))

    @property
    def correction_reason(self) -> str:
        return unseal(self.correction_reason_sealed)


class RiskRule(models.Model):
    """A transparent rule: when a response meets the condition, the screening reaches the tier.
    Administrators with the configure permission edit them; every rule that fires is shown."""

    class Condition(models.TextChoices):  # as wellbeing.tiers reads them
        FLAG = "flag", _("raises the flag")
        POSITIVE = "positive", _("is positive")
        TOTAL_AT_LEAST = "total_at_least", _("total at least")

    name = models.CharField(_("name"), max_length=120)
    instrument = models.CharField(
        _("instrument"), max_length=40, blank=True, help_text=_("empty: any instrument")
    )
    condition = models.CharField(_("condition"), max_length=20, choices=Condition.choices)
    value = models.CharField(
        _("value"), max_length=40, blank=True, help_text=_("the flag's name or the total")
    )
    tier = models.CharField(
        _("tier"), max_length=10, choices=[c for c in Tier.choices if c[0] != Tier.NONE]
    )
    raises_alert = models.BooleanField(_("raises an urgent alert"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("risk rule")
        verbose_name_plural = _("risk rules")
        default_permissions = ()

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.condition == self.Condition.TOTAL_AT_LEAST:
            try:
                int(self.value)
            except ValueError:
                raise ValidationError({"value": _("a whole number is required")}) from None
        if self.condition == self.Condition.FLAG and not self.value:
            raise ValidationError({"value": _("name the flag, for example safety")})


class Alert(models.Model):
    """An urgent alert (a safety flag) to the care team's clinician on duty; escalates to the
    lead when nobody acknowledges it in time. Never shown to command."""

    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="alerts")
    reason = models.CharField(_("reason"), max_length=200)
    raised_at = models.DateTimeField(_("raised at"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clinician on duty"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    escalate_at = models.DateTimeField(_("escalates at"))
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["raised_at", "pk"]
        verbose_name = _("urgent alert")
        verbose_name_plural = _("urgent alerts")
        default_permissions = ()
        indexes = [models.Index(fields=["acknowledged_at", "escalate_at"], name="alert_open")]

    def __str__(self) -> str:
        return str(_("urgent alert"))

    @property
    def audited_veteran_id(self) -> int:
        return self.screening.record.veteran_id


class Review(models.Model):
    """A clinician's review of a screening: notes and plan, sealed."""

    class Outcome(models.TextChoices):
        NO_ACTION = "no_action", _("no action needed")
        WATCHFUL_WAITING = "watchful_waiting", _("watchful waiting: screen again")
        SUPPORT = "support", _("offer a support programme")
        SPECIALISED = "specialised", _("refer to specialised care")

    screening = models.OneToOneField(Screening, on_delete=models.PROTECT, related_name="review")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    notes_sealed = models.TextField(blank=True)
    plan_sealed = models.TextField(blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        default_permissions = ()

    def __str__(self) -> str:
        return self.get_outcome_display()

    @property
    def notes(self) -> str:
        return unseal(self.notes_sealed)

    @property
    def plan(self) -> str:
        return unseal(self.plan_sealed)


class Enrolment(models.Model):
    """Enrolment in a support programme, decided by a clinician with the person; follow-up
    screenings are scheduled when it starts."""

    class Programme(models.TextChoices):
        COUNSELLING = "counselling", _("counselling")
        TRAINING = "training", _("stress-management and resilience training")
        LIGHTER_DUTY = "lighter_duty", _("recommended temporary lighter duty")
        SPECIALISED_CARE = "specialised_care", _("referral to specialised care")

    # Days after the start when a follow-up screening falls due, per programme.
    FOLLOW_UPS = {
        Programme.COUNSELLING: (30, 90),
        Programme.TRAINING: (60,),
        Programme.LIGHTER_DUTY: (30, 60),
        Programme.SPECIALISED_CARE: (30, 90),
    }

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="enrolments")
    screening = models.ForeignKey(
        Screening, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments"
    )
    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    notes_sealed = models.TextField(blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("support programme enrolment")
        verbose_name_plural = _("support programme enrolments")
        default_permissions = ()

    def __str__(self) -> str:
        return self.get_programme_display()

    @property
    def audited_veteran_id(self) -> int:
        return self.record.veteran_id

    @property
    def notes(self) -> str:
        return unseal(self.notes_sealed)


class CommandNotice(models.Model):
    """A deliberate disclosure to command under one of the enumerated notification standards
    (after DoD Instruction 6490.08). The commander reads only the duty limitations, how long
    they are expected to last and how to support; never answers, scores, tiers or the
    standard. The person sees every notice about them."""

    class Standard(models.TextChoices):
        HARM_TO_SELF = "harm_to_self", _("harm to self")
        HARM_TO_OTHERS = "harm_to_others", _("harm to others")
        HARM_TO_MISSION = "harm_to_mission", _("harm to mission")
        SPECIAL_PERSONNEL = "special_personnel", _("special personnel (critical duties)")
        INPATIENT_CARE = "inpatient_care", _("inpatient care")
        ACUTE_MEDICAL = "acute_medical", _("acute medical condition interfering with duty")
        SUBSTANCE_TREATMENT = "substance_treatment", _("substance misuse treatment programme")
        COMMAND_DIRECTED = "command_directed", _("command-directed evaluation")
        OTHER_SPECIAL = "other_special", _("other special circumstances")

    class Limitation(models.TextChoices):
        NO_WEAPONS = "no_weapons", _("no access to weapons or ammunition")
        NO_NIGHT_DUTY = "no_night_duty", _("no night or extended shifts")
        NO_DRIVING = "no_driving", _("no driving of vehicles or operating machinery")
        NO_DEPLOYMENT = "no_deployment", _("not to be deployed")
        REDUCED_HOURS = "reduced_hours", _("reduced working hours")
        NO_LONE_DUTY = "no_lone_duty", _("not to work alone")
        TIME_FOR_APPOINTMENTS = "appointments", _("time off for appointments")

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="command_notices")
    command = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("command (unit)"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "defence_unit"},
    )
    standard = models.CharField(_("notification standard"), max_length=24, choices=Standard.choices)
    limitations = models.JSONField(_("duty limitations"))
    limitations_until = models.DateField(_("expected to last until"))
    support_sealed = models.TextField()
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("command notice")
        verbose_name_plural = _("command notices")
        default_permissions = ()

    def __str__(self) -> str:
        return str(_("command notice"))

    @property
    def audited_veteran_id(self) -> int:
        return self.record.veteran_id

    @property
    def support(self) -> str:
        return unseal(self.support_sealed)

    def limitation_labels(self) -> list[str]:
        labels = dict(self.Limitation.choices)
        return [str(labels.get(code, code)) for code in self.limitations]


def sealed(text: str) -> str:
    return seal(text.strip())
