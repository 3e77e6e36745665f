"""The selective leadership track: selection rounds that prepare veterans for civil-service
and municipal posts, the candidacies in them, the selection council and its votes.

A candidacy moves through dated, audited stages (see `Candidacy.Stage` and services.NEXT).
The system checks eligibility and test pass marks only to propose an outcome: a selection
officer confirms or overrules it, so no candidate is turned away by the system alone.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from waypoint.employment.models import Employer, Vacancy
from waypoint.people.models import Veteran

MANAGE = "leadership.manage_selection"
COUNCIL = "leadership.sit_on_council"
VIEW_CANDIDACY = "leadership.view_candidacy"
VIEW_TRACK = "leadership.view_track"


class Track(models.Model):
    """One selection round of the leadership track."""

    class Status(models.TextChoices):
        OPEN = "open", _("open for applications")
        SELECTION = "selection", _("selection under way")
        CLOSED = "closed", pgettext_lazy("selection round status", "closed")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Leave empty for a nationwide track."),
    )
    cohort_size = models.PositiveSmallIntegerField(
        _("cohort size"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    applications_open = models.DateField(_("applications open"))
    applications_close = models.DateField(_("applications close"))
    min_education = models.PositiveSmallIntegerField(
        _("least education (ISCED level)"),
        null=True,
        blank=True,
        default=6,
        validators=[MaxValueValidator(8)],
        help_text=_("6 is higher education (bachelor); empty for no requirement."),
    )
    min_management_years = models.PositiveSmallIntegerField(
        _("least management or command experience (years)"),
        default=0,
        validators=[MaxValueValidator(40)],
    )
    requires_clean_record = models.BooleanField(
        _("applicants declare no disqualifying record"),
        default=True,
        help_text=_(
            "An unexpunged criminal conviction or another bar to state and municipal service."
        ),
    )
    interview_max_score = models.PositiveSmallIntegerField(
        _("interview: highest score"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    interview_weight = models.PositiveSmallIntegerField(
        _("interview: weight"), default=40, validators=[MaxValueValidator(100)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-applications_open", "pk"]
        verbose_name = _("leadership track")
        verbose_name_plural = _("leadership tracks")
        permissions = [
            # Selection officers: run tracks of their region, review eligibility, enter test
            # scores and interviews, open council meetings, draw up the shortlist and cohort,
            # record placements.
            ("manage_selection", _("Can run selection on the leadership track")),
            # Council members: vote on candidates at the meetings they sit on.
            ("sit_on_council", _("Can sit on a leadership selection council")),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (
            self.applications_open
            and self.applications_close
            and self.applications_close < self.applications_open
        ):
            raise ValidationError(
                {"applications_close": _("applications cannot close before they open")}
            )


class TrackTest(models.Model):
    """A test every candidate of the track takes, with its scale, pass mark and weight."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="tests")
    name = models.CharField(_("test"), max_length=120)
    max_score = models.PositiveSmallIntegerField(
        _("highest score"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"))
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("selection test")
        verbose_name_plural = _("selection tests")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["track", "name"], name="leadership_test_name_once")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.max_score and self.pass_mark is not None and self.pass_mark > self.max_score:
            raise ValidationError(
                {"pass_mark": _("the pass mark cannot be above the highest score")}
            )


class Candidacy(models.Model):
    """A veteran in a track's selection, from the application to the post."""

    class Stage(models.TextChoices):
        APPLIED = "applied", _("applied")
        ELIGIBLE = "eligible", _("eligible: taking the tests")
        NOT_ELIGIBLE = "not_eligible", _("not eligible")
        TESTED = "tested", _("passed the tests: awaiting the interview")
        NOT_PASSED = "not_passed", _("did not pass the tests")
        INTERVIEWED = "interviewed", _("interviewed: awaiting the council")
        APPROVED = "approved", _("approved by the council")
        REJECTED = "rejected", _("not approved by the council")
        SHORTLISTED = "shortlisted", _("on the ranked shortlist")
        COHORT = "cohort", _("in the cohort")
        RESERVE = "reserve", _("on the reserve list")
        PLACED = "placed", _("placed in a post")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Route(models.TextChoices):
        SELF = "self", _("applied themself")
        NOMINATED = "nominated", _("nominated by their coordinator")

    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="candidacies")
    veteran = models.ForeignKey(
        Veteran, on_delete=models.CASCADE, related_name="leadership_candidacies"
    )
    route = models.CharField(_("route"), max_length=10, choices=Route.choices)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, db_index=True)
    has_disqualifying_record = models.BooleanField(
        _("declared a disqualifying record"),
        help_text=_("An unexpunged criminal conviction or another bar to public service."),
    )
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    attested_at = models.DateTimeField(_("declared at"))
    # The system's proposal: {"eligible": bool, "checked_at": ISO time,
    # "checks": [{"rule": code, "passed": bool, …figures}]}; a person decides.
    eligibility = models.JSONField(_("eligibility check"), default=dict)
    eligibility_note = models.TextField(_("eligibility decision: note"), blank=True)
    eligibility_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    tests_note = models.TextField(_("tests decision: note"), blank=True)
    tests_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    interview_score = models.PositiveSmallIntegerField(_("interview score"), null=True)
    interview_held_on = models.DateField(_("interview date"), null=True)
    interview_panel = models.CharField(_("interview panel"), max_length=300, blank=True)
    interview_notes = models.TextField(_("interview notes"), blank=True)
    council_meeting = models.ForeignKey(
        "CouncilMeeting",
        on_delete=models.PROTECT,
        null=True,
        related_name="decisions",
        verbose_name=_("council meeting"),
    )
    # {"for": n, "against": n, "abstain": n, "members": n} at the decision
    vote_tally = models.JSONField(_("votes at the decision"), default=dict)
    composite = models.DecimalField(_("composite score"), max_digits=5, decimal_places=2, null=True)
    rank = models.PositiveIntegerField(_("rank on the shortlist"), null=True)
    placement_vacancy = models.ForeignKey(
        Vacancy,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("vacancy"),
    )
    placement_employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("employer"),
    )
    placement_post = models.CharField(_("post"), max_length=300, blank=True)
    placement_start = models.DateField(_("starts in the post"), null=True)
    withdrawal_reason = models.CharField(_("reason for withdrawing"), max_length=300, blank=True)
    # [[stage, ISO time, user id], …]: every stage, dated
    history = models.JSONField(_("history"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")
        constraints = [
            models.UniqueConstraint(fields=["track", "veteran"], name="candidacy_once_per_track")
        ]
        indexes = [models.Index(fields=["track", "stage"], name="candidacy_track_stage")]

    def __str__(self) -> str:
        return f"{self.veteran} · {self.track}"

    @property
    def audited_veteran_id(self) -> int:
        return self.veteran_id


class Score(models.Model):
    """A candidate's score in one of the track's tests, entered by a selection officer."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="scores")
    test = models.ForeignKey(TrackTest, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"))

    class Meta:
        ordering = ["test__position", "test_id"]
        verbose_name = _("test score")
        verbose_name_plural = _("test scores")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["candidacy", "test"], name="score_once_per_test")
        ]

    def __str__(self) -> str:
        return f"{self.test}: {self.score}"

    @property
    def audited_veteran_id(self) -> int:
        return self.candidacy.veteran_id


class CouncilMeeting(models.Model):
    """A sitting of the selection council: who sat, the votes, the minutes."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("council meeting status", "open")
        CLOSED = "closed", _("closed: minutes signed")

    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("date"))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("members")
    )
    minutes = models.TextField(_("minutes"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")

    def __str__(self) -> str:
        return f"{self.track} · {self.held_on:%Y-%m-%d}"


class CouncilVote(models.Model):
    """One member's vote on one candidate at one meeting."""

    class Choice(models.TextChoices):
        FOR = "for", _("for")
        AGAINST = "against", _("against")
        ABSTAIN = "abstain", _("abstain")

    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.CASCADE, related_name="votes")
    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    vote = models.CharField(_("vote"), max_length=8, choices=Choice.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["meeting", "candidacy", "member_id"]
        verbose_name = _("council vote")
        verbose_name_plural = _("council votes")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "candidacy", "member"], name="council_vote_once"
            )
        ]

    def __str__(self) -> str:
        return self.get_vote_display()

    @property
    def audited_veteran_id(self) -> int:
        return self.candidacy.veteran_id
