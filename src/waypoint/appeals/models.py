"""Hotline appeals: a call to the programme's hotline, logged by an operator, routed by topic
and region to an organisation's queue as a cases task with its statutory deadline, worked
there (taken, answered) and closed by the veteran's coordinator.

Appeals about psychological help belong to the well-being team (organisations of kind
clinic): the read gate hides them from everyone else, administrators included.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from waypoint.accounts.models import Organisation
from waypoint.people.models import Veteran

LOG = "appeals.log_appeal"
WORK = "appeals.work_appeals"
VIEW = "appeals.view_appeal"
CLOSE = "appeals.close_appeal"
REPORTS = "appeals.view_appeal_reports"
ROUTING = "appeals.change_routingrule"


class Topic(models.TextChoices):
    EMPLOYMENT = "employment", _("employment")
    TRAINING = "training", _("training")
    PAYMENTS = "payments", _("payments and benefits")
    MEDICAL = "medical", _("medical care and rehabilitation")
    PSYCHOLOGICAL = "psychological", _("psychological help")
    LEGAL = "legal", _("legal help")
    DOCUMENTS = "documents", _("documents and status")
    OTHER = "other", _("other")


# Topics only the well-being team may read; their rules must route to a clinic.
CONFIDENTIAL_TOPICS = (Topic.PSYCHOLOGICAL,)
WELLBEING_KIND = Organisation.Kind.CLINIC


class RoutingRule(models.Model):
    """Appeals on a topic from a region go to this organisation's queue. A rule without a
    region is the topic's fallback for regions that have no rule of their own."""

    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Leave empty for the topic's fallback in every other region."),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="appeal_rules",
        verbose_name=_("queue of"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["topic", "region_id"]
        verbose_name = _("appeal routing rule")
        verbose_name_plural = _("appeal routing rules")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "region"],
                condition=Q(region__isnull=False),
                name="appeal_rule_topic_region",
            ),
            models.UniqueConstraint(
                fields=["topic"], condition=Q(region__isnull=True), name="appeal_rule_fallback"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_topic_display()} · {self.region or _('any region')} → {self.organisation}"
        )

    def clean(self) -> None:
        if (
            self.topic in CONFIDENTIAL_TOPICS
            and self.organisation_id
            and self.organisation.kind != WELLBEING_KIND
        ):
            raise ValidationError(
                {"organisation": [_("psychological help goes to the well-being team (a clinic)")]}
            )


class Appeal(models.Model):
    class Caller(models.TextChoices):
        VETERAN = "veteran", _("the veteran")
        FAMILY = "family", _("a family member")
        OTHER = "other", _("someone else")

    class Urgency(models.TextChoices):
        ORDINARY = "ordinary", _("ordinary")
        URGENT = "urgent", _("urgent")

    class Channel(models.TextChoices):
        PHONE = "phone", _("phone call")
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        IN_PROGRESS = "in_progress", _("in progress")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", pgettext_lazy("appeal status", "closed")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("resolved")
        EXPLAINED = "explained", _("explained")
        REFERRED = "referred", _("referred elsewhere")
        REJECTED = "rejected", _("rejected")

    class Route(models.TextChoices):
        RULE = "rule", _("the region's rule for the topic")
        TOPIC_FALLBACK = "topic_fallback", _("the topic's rule for any region")
        WELLBEING_TEAM = "wellbeing_team", _("the well-being team of the region")
        FUND_BRANCH = "fund_branch", _("the fund branch of the region")
        OPERATOR = "operator", _("the operator's organisation")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number in the year"))
    caller_kind = models.CharField(_("caller"), max_length=8, choices=Caller.choices)
    caller_name = models.CharField(_("caller's name"), max_length=200, blank=True)
    caller_phone = models.CharField(_("caller's phone"), max_length=16)
    veteran = models.ForeignKey(
        Veteran,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("veteran"),
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    description = models.TextField(_("description"), max_length=5000)
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.ORDINARY
    )
    contact_channel = models.CharField(
        _("preferred contact"), max_length=5, choices=Channel.choices
    )
    contact_value = models.CharField(_("phone or e-mail to contact"), max_length=254)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("queue of")
    )
    route = models.CharField(_("routed by"), max_length=16, choices=Route.choices)
    task = models.OneToOneField(
        "cases.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    due_at = models.DateTimeField(_("answer due"))
    logged_at = models.DateTimeField(_("registered"), auto_now_add=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    taken_at = models.DateTimeField(_("taken"), null=True, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    outcome_kind = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, blank=True
    )
    outcome = models.TextField(_("answer"), max_length=5000, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        ordering = ["-logged_at", "-pk"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        permissions = [
            ("log_appeal", _("Can log hotline appeals (call-centre operators)")),
            ("work_appeals", _("Can take and answer appeals in the own organisation's queue")),
            ("close_appeal", _("Can close an answered appeal the person may see")),
            ("view_appeal_reports", _("Can see appeal figures by topic, region and outcome")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="appeal_year_number"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="appeal_queue_status"),
            models.Index(fields=["logged_by", "logged_at"], name="appeal_logged_by"),
            models.Index(fields=["topic", "region"], name="appeal_topic_region"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def audited_veteran_id(self) -> int | None:
        return self.veteran_id

    @property
    def is_confidential(self) -> bool:
        return self.topic in CONFIDENTIAL_TOPICS

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.REGISTERED, self.Status.IN_PROGRESS)

    @property
    def answered_in_time(self) -> bool | None:
        if self.answered_at is None:
            return None
        return self.answered_at <= self.due_at


class StatusCheckFailure(models.Model):
    """A public status check that matched no appeal, kept to throttle guessing from one
    address (as accounts.LoginFailure does for sign-in); old rows are pruned on every
    failure."""

    client_address = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        default_permissions = ()
        indexes = [models.Index(fields=["client_address", "at"], name="appeal_check_address_at")]
