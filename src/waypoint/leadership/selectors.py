"""Reads for the leadership track. Candidacies are read through Candidacy.objects.visible_to."""

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import User
from waypoint.employment.models import Employer, Vacancy
from waypoint.leadership import scoring
from waypoint.leadership.models import (
    COUNCIL,
    Candidacy,
    CouncilMeeting,
    Track,
    TrackTest,
)

S = Candidacy.Stage
# Approved by the council and on: everyone the composite score ranks.
RANKABLE = (S.APPROVED, S.SHORTLISTED, S.COHORT, S.RESERVE, S.PLACED)


def tracks() -> QuerySet[Track]:
    """Tracks are the programme's public offer: everyone who may see them sees them all."""
    return Track.objects.select_related("region").prefetch_related("tests")


def accepts_applications(track: Track) -> bool:
    return (
        track.status == Track.Status.OPEN
        and track.applications_open <= timezone.localdate() <= track.applications_close
    )


def candidacies_for(user, *, track: Track | None = None, stage: str = "") -> QuerySet[Candidacy]:
    found = Candidacy.objects.visible_to(user).select_related("veteran", "track")
    if track is not None:
        found = found.filter(track=track)
    if stage:
        found = found.filter(stage=stage)
    return found


def candidacy_for(user, pk: int) -> Candidacy | None:
    return (
        Candidacy.objects.visible_to(user)
        .select_related(
            "veteran",
            "track__region",
            "council_meeting",
            "placement_vacancy",
            "placement_employer",
            "created_by",
        )
        .filter(pk=pk)
        .first()
    )


def own_candidacies(user) -> QuerySet[Candidacy]:
    """The signed-in veteran's own candidacies, and nobody else's."""
    if not user.is_authenticated or not user.has_perm("people.self_service"):
        return Candidacy.objects.none()
    return (
        Candidacy.objects.filter(veteran__account=user)
        .select_related("track__region", "council_meeting", "placement_employer")
        .prefetch_related("scores__test", "track__tests")
        .order_by("-created_at")
    )


def stage_counts(track: Track) -> list[tuple[str, str, int]]:
    """How many candidacies are at each stage: numbers only, no names."""
    counts = dict(
        track.candidacies.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n")
    )
    return [(value, label, counts.get(value, 0)) for value, label in S.choices]


@dataclass(frozen=True)
class TestsProposal:
    passed: bool
    missing: list[TrackTest]
    below: list[tuple[TrackTest, int]]


def tests_proposal(candidacy: Candidacy) -> TestsProposal:
    """Passed when every test is scored at or above its pass mark; a person decides."""
    scores = {score.test_id: score.score for score in candidacy.scores.all()}
    tests = list(candidacy.track.tests.all())
    missing = [test for test in tests if test.pk not in scores]
    below = [
        (test, scores[test.pk])
        for test in tests
        if test.pk in scores and scores[test.pk] < test.pass_mark
    ]
    return TestsProposal(passed=not missing and not below, missing=missing, below=below)


@dataclass(frozen=True)
class Standing:
    candidacy: Candidacy
    composite: scoring.Composite
    rank: int


def composite_of(candidacy: Candidacy, tests: list[TrackTest]) -> scoring.Composite:
    track = candidacy.track
    scores = {score.test_id: score.score for score in candidacy.scores.all()}
    parts = [
        scoring.Part(test.name, scores.get(test.pk, 0), test.max_score, test.weight)
        for test in tests
    ]
    parts.append(
        scoring.Part(
            str(_("Interview")),
            candidacy.interview_score or 0,
            track.interview_max_score,
            track.interview_weight,
        )
    )
    return scoring.composite(parts)


def standings(track: Track, *, for_update: bool = False) -> list[Standing]:
    """Everyone approved by the council and on, best first, with each composite's terms."""
    found = track.candidacies.filter(stage__in=RANKABLE).select_related("veteran", "track")
    if for_update:
        found = found.select_for_update()
    candidacies = {candidacy.pk: candidacy for candidacy in found.prefetch_related("scores")}
    tests = list(track.tests.all())
    composites = {pk: composite_of(candidacy, tests) for pk, candidacy in candidacies.items()}
    order = scoring.ranked(
        [
            scoring.Entry(
                key=pk,
                composite=composites[pk].value,
                interview=Fraction(
                    100 * (candidacy.interview_score or 0), track.interview_max_score
                ),
                applied_at=candidacy.created_at,
            )
            for pk, candidacy in candidacies.items()
        ]
    )
    return [
        Standing(candidacies[entry.key], composites[entry.key], rank)
        for rank, entry in enumerate(order, start=1)
    ]


def meetings_for(user, track: Track | None = None) -> QuerySet[CouncilMeeting]:
    found = CouncilMeeting.objects.visible_to(user).select_related("track")
    return found.filter(track=track) if track is not None else found


def before_council(user, meeting: CouncilMeeting) -> list[Candidacy]:
    """The candidates this meeting votes on, or decided: interviewed ones of its track, as
    far as the reader may see them."""
    return list(
        Candidacy.objects.visible_to(user)
        .filter(track_id=meeting.track_id)
        .filter(Q(stage=S.INTERVIEWED) | Q(council_meeting=meeting))
        .select_related("veteran")
        .order_by("veteran__last_name", "veteran__first_name", "pk")
    )


def council_members() -> QuerySet[User]:
    """Everyone who may sit on a selection council."""
    app, codename = COUNCIL.split(".")
    direct = Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app)
    by_role = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app,
    )
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | direct | by_role)
        .select_related("organisation")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def public_vacancies() -> QuerySet[Vacancy]:
    """Vacancies a leadership candidate may be placed in: civil or municipal service."""
    return (
        Vacancy.objects.filter(Q(is_civil_service=True) | Q(is_municipal=True))
        .select_related("employer")
        .order_by("title", "pk")
    )


def public_employers() -> QuerySet[Employer]:
    """Employers of the state and municipal sectors."""
    return Employer.objects.filter(
        sector__in=(Employer.Sector.STATE, Employer.Sector.MUNICIPAL)
    ).order_by("legal_name", "pk")
