"""Reads for the leadership track, for pages and API alike. Every read starts at a gate of
access.py; reading a candidacy is itself audited."""

from dataclasses import dataclass
from fractions import Fraction

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from waypoint.accounts.models import User
from waypoint.audit.services import record
from waypoint.employment.models import Employer, Vacancy
from waypoint.leadership import access, scoring
from waypoint.leadership.models import (
    MANAGE,
    Candidacy,
    CouncilMeeting,
    CouncilVote,
    Track,
    TrackTest,
)
from waypoint.people.access import own_record_of, veterans_visible_to
from waypoint.people.models import Veteran

S = Candidacy.Stage
# Approved by the council and on: everyone the composite score ranks.
RANKABLE = (S.APPROVED, S.SHORTLISTED, S.COHORT, S.RESERVE, S.PLACED)


def tracks(user) -> QuerySet[Track]:
    """The tracks the person may see, with their tests."""
    return access.tracks_visible_to(user).select_related("region").prefetch_related("tests")


def track_for(user, pk: int) -> Track:
    """A track to read, or 404."""
    found = tracks(user).filter(pk=pk).first()
    if found is None:
        raise Http404("no such track")
    return found


def track_to_act_on(pk: int) -> Track:
    """The track an action names, or 404; the service then decides who may act on it (a
    track is the programme's public offer, its number no secret)."""
    found = Track.objects.select_related("region").filter(pk=pk).first()
    if found is None:
        raise Http404("no such track")
    return found


def track_run_by(user, pk: int) -> Track:
    """A track the selection officer runs: 404 when there is none, 403 when not theirs."""
    found = track_to_act_on(pk)
    if not access.may_run_track(user, found):
        raise PermissionDenied(MANAGE)
    return found


def test_of(track: Track, pk: int) -> TrackTest:
    """One of the track's tests, or 404."""
    found = track.tests.filter(pk=pk).first()
    if found is None:
        raise Http404("no such test")
    return found


def accepts_applications(track: Track) -> bool:
    return (
        track.status == Track.Status.OPEN
        and track.applications_open <= timezone.localdate() <= track.applications_close
    )


def candidacies_for(user, *, track: Track | None = None, stage: str = "") -> QuerySet[Candidacy]:
    found = access.candidacies_visible_to(user).select_related("veteran", "track")
    if track is not None:
        found = found.filter(track=track)
    if stage:
        found = found.filter(stage=stage)
    return found


def visible_candidacy(user, pk: int) -> Candidacy | None:
    """A candidacy the person may see, or None (an action's target, not audited)."""
    return (
        access.candidacies_visible_to(user)
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


def candidacy_for(user, pk: int, *, audit: bool = True) -> Candidacy:
    """One candidacy, or 404 when it is missing or not the person's to see.

    Reading a candidacy is itself audited; an action on it is audited by its service.
    """
    found = visible_candidacy(user, pk)
    if found is None:
        raise Http404("no such candidacy")
    if audit:
        record(actor=user, action="leadership.candidacy.view", subject=found)
    return found


def own_candidacies(user) -> QuerySet[Candidacy]:
    """The signed-in veteran's own candidacies, and nobody else's."""
    if own_record_of(user) is None:
        return Candidacy.objects.none()
    return (
        access.candidacies_visible_to(user)
        .filter(veteran__account=user)
        .select_related("veteran", "track__region", "council_meeting", "placement_employer")
        .prefetch_related("scores__test", "track__tests")
        .order_by("-created_at")
    )


def veteran_in_scope(user, pk: int) -> Veteran | None:
    """A veteran to nominate: one the person may see."""
    return veterans_visible_to(user).filter(pk=pk).first()


def standing_of(user, candidacy: Candidacy) -> "Standing | None":
    """The candidacy's place among those the council approved, for selection staff."""
    if candidacy.stage not in RANKABLE or not access.sees_as_staff(user, candidacy):
        return None
    return next(
        (found for found in standings(candidacy.track) if found.candidacy.pk == candidacy.pk),
        None,
    )


def stage_counts(track: Track) -> list[tuple[str, str | Promise, int]]:
    """How many candidacies are at each stage: numbers only, no names."""
    counts = dict(
        track.candidacies.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n")
    )
    return [(value, label, counts.get(value, 0)) for value, label in S.choices]


def interview_open(candidacy: Candidacy) -> bool:
    """The interview is recorded once the tests are passed, and corrected until the
    council starts voting (services.record_interview holds the rule and its messages)."""
    return candidacy.stage == S.TESTED or (
        candidacy.stage == S.INTERVIEWED and not candidacy.votes.exists()
    )


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
    found = access.meetings_visible_to(user).select_related("track")
    return found.filter(track=track) if track is not None else found


def meeting_for(user, pk: int) -> CouncilMeeting:
    """A council meeting the person may see, or 404."""
    found = meetings_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404("no such meeting")
    return found


def before_council(user, meeting: CouncilMeeting) -> list[Candidacy]:
    """The candidates this meeting votes on, or decided: interviewed ones of its track, as
    far as the reader may see them."""
    return list(
        access.candidacies_visible_to(user)
        .filter(track_id=meeting.track_id)
        .filter(Q(stage=S.INTERVIEWED) | Q(council_meeting=meeting))
        .select_related("veteran")
        .order_by("veteran__last_name", "veteran__first_name", "pk")
    )


def meeting_votes(
    user, meeting: CouncilMeeting, candidates: list[Candidacy]
) -> QuerySet[CouncilVote]:
    """The named votes of the meeting on the candidates before it the reader may see."""
    return access.votes_visible_to(user).filter(meeting=meeting, candidacy__in=candidates)


def tally(meeting: CouncilMeeting, candidacy: Candidacy) -> dict[str, int]:
    """The votes on a candidate at a meeting, counted, with the number of its members."""
    votes = list(meeting.votes.filter(candidacy=candidacy).values_list("vote", flat=True))
    counts = {choice: votes.count(choice) for choice in CouncilVote.Choice.values}
    return {**counts, "members": meeting.members.count()}


def meeting_member(meeting: CouncilMeeting, pk: int) -> User | None:
    return meeting.members.filter(pk=pk).first()


def council_members() -> QuerySet[User]:
    """Everyone who may sit on a selection council, by name."""
    return (
        access.people_who_may_sit_on_council()
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )


def public_vacancies() -> QuerySet[Vacancy]:
    """Vacancies a leadership candidate may be placed in: civil or municipal service."""
    return (
        Vacancy.objects.filter(Q(is_civil_service=True) | Q(is_municipal=True))
        .select_related("employer")
        .order_by("title", "pk")
    )


def vacancy(pk: int) -> Vacancy | None:
    """A vacancy named for a placement; the service refuses one outside public service."""
    return Vacancy.objects.select_related("employer").filter(pk=pk).first()


def employer(pk: int) -> Employer | None:
    """An employer named for a placement; the service refuses one outside public service."""
    return Employer.objects.filter(pk=pk).first()


def public_employers() -> QuerySet[Employer]:
    """Employers of the state and municipal sectors."""
    return Employer.objects.filter(
        sector__in=(Employer.Sector.STATE, Employer.Sector.MUNICIPAL)
    ).order_by("legal_name", "pk")
