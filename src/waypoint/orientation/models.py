"""Recommendations as they were made (with the taxonomy and parameters behind them), and what
coordinators and veterans said about them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waypoint.people.models import Veteran
from waypoint.taxonomy.models import Occupation, Taxonomy


class OrientationRun(models.Model):
    """One ranking of occupations for one veteran."""

    veteran = models.ForeignKey(Veteran, on_delete=models.CASCADE, related_name="orientation_runs")
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="+")
    taxonomy_version = models.CharField(_("taxonomy version"), max_length=130)
    parameters = models.JSONField(_("parameters"), default=dict)
    profile = models.JSONField(_("profile used"), default=dict)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked for by"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("orientation run")
        verbose_name_plural = _("orientation runs")
        default_permissions = ("view",)
        permissions = [
            ("run_orientation", _("Can run vocational orientation")),
            ("give_orientation_feedback", _("Can accept or reject recommended occupations")),
        ]
        indexes = [models.Index(fields=["veteran", "-created_at"], name="orientation_run_latest")]

    @property
    def audited_veteran_id(self) -> int:
        return self.veteran_id


class Recommendation(models.Model):
    run = models.ForeignKey(OrientationRun, on_delete=models.CASCADE, related_name="items")
    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    terms = models.JSONField(_("score terms"), default=dict)
    # [{"uri", "label", "sources": [...]}], [{"uri", "label"}], [{"required", "held", "credit"}]
    matched = models.JSONField(_("skills matched"), default=list)
    missing = models.JSONField(_("essential skills missing"), default=list)
    transfers = models.JSONField(_("transferable skills"), default=list)
    # ["механик-водитель БМП", …]: the military specialties the crosswalk leads from
    specialties = models.JSONField(_("military specialties leading here"), default=list)

    class Meta:
        ordering = ["run", "rank"]
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["run", "rank"], name="recommendation_rank")]


class Feedback(models.Model):
    """A decision about one occupation for one veteran; the latest one counts."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        ADDED = "added", _("added by hand")

    veteran = models.ForeignKey(
        Veteran, on_delete=models.CASCADE, related_name="orientation_feedback"
    )
    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    given_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["veteran", "occupation"], name="feedback_once")
        ]

    @property
    def audited_veteran_id(self) -> int:
        return self.veteran_id


class CareerPlan(models.Model):
    """One version of a veteran's individual career plan (content: see plans.build_content)."""

    veteran = models.ForeignKey(Veteran, on_delete=models.CASCADE, related_name="career_plans")
    version = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"), default=dict)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["veteran", "version"], name="career_plan_version")
        ]

    @property
    def audited_veteran_id(self) -> int:
        return self.veteran_id
