"""/api/v1/leadership: tracks, candidacies through selection, the council and the shortlist.

The same gates as the pages: a candidacy is read through Candidacy.objects.visible_to
(missing and forbidden both 404), and the candidate never gets the council's named votes,
the interview panel's notes or the standing.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Status
from ninja.pagination import paginate

from waypoint.accounts.access import requires, signed_in
from waypoint.audit.services import record
from waypoint.employment.models import Employer, Vacancy
from waypoint.kit.api import Id, Schema
from waypoint.kit.numbers import MAX_SMALLINT
from waypoint.leadership import cohort, council, eligibility, selectors, services
from waypoint.leadership.models import (
    MANAGE,
    VIEW_CANDIDACY,
    Candidacy,
    CouncilMeeting,
    Track,
)
from waypoint.people.access import veterans_visible_to
from waypoint.regions.models import Region

router = Router(tags=["leadership"])
VIEW = "leadership.view_track"
S = Candidacy.Stage


class TestIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    max_score: int = Field(ge=1, le=1000)
    pass_mark: int = Field(ge=0, le=1000)
    weight: int = Field(ge=0, le=100)


class TestOut(Schema):
    id: int
    name: str
    max_score: int
    pass_mark: int
    weight: int


class TrackIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    region: str | None = Field(None, description="a region code; none for a nationwide track")
    cohort_size: int = Field(ge=1, le=1000)
    applications_open: date
    applications_close: date
    min_education: int | None = Field(6, ge=0, le=8)
    min_management_years: int = Field(0, ge=0, le=40)
    requires_clean_record: bool = True
    interview_max_score: int = Field(10, ge=1, le=1000)
    interview_weight: int = Field(40, ge=0, le=100)
    tests: list[TestIn] | None = Field(None, description="left out: the tests stay as they are")


class TrackOut(Schema):
    id: int
    title: str
    description: str
    region: str | None = Field(validation_alias="region_id")
    cohort_size: int
    applications_open: date
    applications_close: date
    min_education: int | None
    min_management_years: int
    requires_clean_record: bool
    interview_max_score: int
    interview_weight: int
    status: str
    tests: list[TestOut]

    @staticmethod
    def resolve_tests(track) -> list:
        return list(track.tests.all())


class TrackStatusIn(Schema):
    status: str


class CandidacyIn(Schema):
    veteran_id: Id
    has_disqualifying_record: bool


class CheckOut(Schema):
    rule: str
    passed: bool
    explanation: str


class TestScoreOut(Schema):
    test_id: int
    test: str
    score: int
    max_score: int
    pass_mark: int


class PostPlacementOut(Schema):
    vacancy_id: int | None
    employer_id: int
    employer: str
    post: str
    start_date: date


class CandidacyOut(Schema):
    id: int
    track_id: int
    veteran_id: int
    veteran_name: str
    route: str
    stage: str
    has_disqualifying_record: bool
    eligible_proposed: bool
    eligibility_checks: list[CheckOut]
    eligibility_note: str
    scores: list[TestScoreOut]
    tests_note: str
    interview_held_on: date | None
    council_decision: str | None
    council_met_on: date | None
    placement: PostPlacementOut | None
    withdrawal_reason: str
    history: list[list]
    created_at: datetime
    updated_at: datetime
    # Staff only: null for the candidate.
    interview_score: int | None = None
    interview_panel: str | None = None
    interview_notes: str | None = None
    vote_tally: dict | None = None
    composite: Decimal | None = None
    rank: int | None = None


def _candidacy_out(user, candidacy: Candidacy) -> dict:
    staff = user.has_perm(VIEW_CANDIDACY) or services.is_officer_for(user, candidacy)
    checks = candidacy.eligibility.get("checks", [])
    meeting = candidacy.council_meeting
    out = {
        "id": candidacy.pk,
        "track_id": candidacy.track_id,
        "veteran_id": candidacy.veteran_id,
        "veteran_name": candidacy.veteran.full_name,
        "route": candidacy.route,
        "stage": candidacy.stage,
        "has_disqualifying_record": candidacy.has_disqualifying_record,
        "eligible_proposed": bool(candidacy.eligibility.get("eligible")),
        "eligibility_checks": [
            {
                "rule": item["rule"],
                "passed": item["passed"],
                "explanation": eligibility.explain(item),
            }
            for item in checks
        ],
        "eligibility_note": candidacy.eligibility_note,
        "scores": [
            {
                "test_id": score.test_id,
                "test": score.test.name,
                "score": score.score,
                "max_score": score.test.max_score,
                "pass_mark": score.test.pass_mark,
            }
            for score in candidacy.scores.select_related("test")
        ],
        "tests_note": candidacy.tests_note,
        "interview_held_on": candidacy.interview_held_on,
        "council_decision": (S.REJECTED if candidacy.stage == S.REJECTED else S.APPROVED).value
        if meeting
        else None,
        "council_met_on": meeting.held_on if meeting else None,
        "placement": {
            "vacancy_id": candidacy.placement_vacancy_id,
            "employer_id": candidacy.placement_employer_id,
            "employer": str(candidacy.placement_employer),
            "post": candidacy.placement_post,
            "start_date": candidacy.placement_start,
        }
        if candidacy.placement_employer_id
        else None,
        "withdrawal_reason": candidacy.withdrawal_reason,
        # The candidate sees when each stage happened, not who moved it.
        "history": [entry if staff else entry[:2] for entry in candidacy.history],
        "created_at": candidacy.created_at,
        "updated_at": candidacy.updated_at,
    }
    if staff:
        out |= {
            "interview_score": candidacy.interview_score,
            "interview_panel": candidacy.interview_panel,
            "interview_notes": candidacy.interview_notes,
            "vote_tally": candidacy.vote_tally or None,
            "composite": candidacy.composite,
            "rank": candidacy.rank,
        }
    return out


class _Converted:
    """A queryset that @paginate slices and counts, each row of the page converted."""

    def __init__(self, queryset, convert):
        self.queryset, self.convert = queryset, convert

    def __getitem__(self, part: slice) -> list:
        return [self.convert(row) for row in self.queryset[part]]

    def __len__(self) -> int:
        return self.queryset.count()


def _candidacy(request, candidacy_id: int) -> Candidacy:
    candidacy = selectors.candidacy_for(request.user, candidacy_id)
    if candidacy is None:
        raise Http404("no such candidacy")
    return candidacy


def _track_values(payload: TrackIn) -> tuple[dict, list[dict] | None]:
    values = payload.dict()
    tests = values.pop("tests")
    code = values.pop("region")
    region = None
    if code:
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise ValidationError({"region": ["no federal subject has this code"]})
    values["region"] = region
    return values, tests


@router.get("/tracks", response=list[TrackOut], summary="Leadership tracks (selection rounds)")
@requires(VIEW)
@paginate
def track_list(request):
    return selectors.tracks()


@router.get("/tracks/{track_id}", response=TrackOut, summary="One track with its tests")
@requires(VIEW)
def track_detail(request, track_id: Id):
    return get_object_or_404(selectors.tracks(), pk=track_id)


@router.post("/tracks", response={201: TrackOut}, summary="A selection officer opens a track")
@requires(MANAGE)
def track_create(request, payload: TrackIn):
    values, tests = _track_values(payload)
    return Status(201, services.save_track(actor=request.user, values=values, tests=tests))


@router.put("/tracks/{track_id}", response=TrackOut, summary="Edit a track you run")
@requires(MANAGE)
def track_update(request, track_id: Id, payload: TrackIn):
    track = get_object_or_404(Track, pk=track_id)
    values, tests = _track_values(payload)
    return services.save_track(actor=request.user, values=values, tests=tests, track=track)


@router.post(
    "/tracks/{track_id}/status",
    response=TrackOut,
    summary="Move a track on: open → selection → closed",
)
@requires(MANAGE)
def track_status(request, track_id: Id, payload: TrackStatusIn):
    track = get_object_or_404(Track, pk=track_id)
    return services.set_track_status(actor=request.user, track=track, to=payload.status)


@router.post(
    "/tracks/{track_id}/candidacies",
    response={201: CandidacyOut},
    summary="The veteran applies, or their coordinator nominates them",
)
@signed_in
def candidacy_create(request, track_id: Id, payload: CandidacyIn):
    track = get_object_or_404(Track, pk=track_id)
    veteran = veterans_visible_to(request.user).filter(pk=payload.veteran_id).first()
    if veteran is None:
        raise ValidationError({"veteran_id": ["no veteran with this number in your scope"]})
    candidacy = services.apply(
        actor=request.user,
        track=track,
        veteran=veteran,
        has_disqualifying_record=payload.has_disqualifying_record,
    )
    return Status(201, _candidacy_out(request.user, candidacy))


@router.get("/candidacies", response=list[CandidacyOut], summary="Candidacies you may see")
@signed_in
@paginate
def candidacy_list(request, track: Id | None = None, stage: str = ""):
    found = selectors.candidacies_for(request.user, stage=stage).select_related(
        "council_meeting", "placement_employer"
    )
    if track is not None:
        found = found.filter(track_id=track)
    return _Converted(found, lambda candidacy: _candidacy_out(request.user, candidacy))


@router.get("/candidacies/{candidacy_id}", response=CandidacyOut, summary="One candidacy")
@signed_in
def candidacy_detail(request, candidacy_id: Id):
    candidacy = _candidacy(request, candidacy_id)
    record(actor=request.user, action="leadership.candidacy.view", subject=candidacy)
    return _candidacy_out(request.user, candidacy)


class EligibilityIn(Schema):
    decision: Literal["eligible", "not_eligible"]
    note: str = ""


@router.post(
    "/candidacies/{candidacy_id}/eligibility",
    response=CandidacyOut,
    summary="A selection officer decides on eligibility (the system only proposes)",
)
@requires(MANAGE)
def eligibility_decision(request, candidacy_id: Id, payload: EligibilityIn):
    candidacy = services.decide_eligibility(
        actor=request.user,
        candidacy=_candidacy(request, candidacy_id),
        eligible=payload.decision == "eligible",
        note=payload.note,
    )
    return _candidacy_out(request.user, candidacy)


class TestScoreIn(Schema):
    score: int = Field(ge=0, le=MAX_SMALLINT)


@router.put(
    "/candidacies/{candidacy_id}/scores/{test_id}",
    response=TestScoreOut,
    summary="Enter or correct a test score (0 to the test's highest score)",
)
@requires(MANAGE)
def score_record(request, candidacy_id: Id, test_id: Id, payload: TestScoreIn):
    candidacy = _candidacy(request, candidacy_id)
    test = get_object_or_404(candidacy.track.tests, pk=test_id)
    score = services.record_score(
        actor=request.user, candidacy=candidacy, test=test, score=payload.score
    )
    return {
        "test_id": test.pk,
        "test": test.name,
        "score": score.score,
        "max_score": test.max_score,
        "pass_mark": test.pass_mark,
    }


class TestsDecisionIn(Schema):
    decision: Literal["passed", "not_passed"]
    note: str = ""


@router.post(
    "/candidacies/{candidacy_id}/tests",
    response=CandidacyOut,
    summary="A selection officer decides on the tests (the pass marks only propose)",
)
@requires(MANAGE)
def tests_decision(request, candidacy_id: Id, payload: TestsDecisionIn):
    candidacy = services.decide_tests(
        actor=request.user,
        candidacy=_candidacy(request, candidacy_id),
        passed=payload.decision == "passed",
        note=payload.note,
    )
    return _candidacy_out(request.user, candidacy)


class InterviewIn(Schema):
    score: int = Field(ge=0, le=MAX_SMALLINT)
    held_on: date
    panel: str = Field(max_length=300)
    notes: str = ""


@router.post(
    "/candidacies/{candidacy_id}/interview",
    response=CandidacyOut,
    summary="Record the interview: score, date, panel, notes",
)
@requires(MANAGE)
def interview(request, candidacy_id: Id, payload: InterviewIn):
    candidacy = services.record_interview(
        actor=request.user, candidacy=_candidacy(request, candidacy_id), **payload.dict()
    )
    return _candidacy_out(request.user, candidacy)


class PostPlacementIn(Schema):
    vacancy_id: Id | None = None
    employer_id: Id | None = None
    post_title: str = Field("", max_length=300)
    start_date: date


@router.post(
    "/candidacies/{candidacy_id}/placement",
    response=CandidacyOut,
    summary="Place a cohort member in a civil-service or municipal post",
)
@requires(MANAGE)
def placement(request, candidacy_id: Id, payload: PostPlacementIn):
    candidacy = _candidacy(request, candidacy_id)
    vacancy = employer = None
    if payload.vacancy_id is not None:
        vacancy = Vacancy.objects.select_related("employer").filter(pk=payload.vacancy_id).first()
        if vacancy is None:
            raise ValidationError({"vacancy_id": ["no such vacancy"]})
    if payload.employer_id is not None:
        employer = Employer.objects.filter(pk=payload.employer_id).first()
        if employer is None:
            raise ValidationError({"employer_id": ["no such employer"]})
    candidacy = cohort.place(
        actor=request.user,
        candidacy=candidacy,
        vacancy=vacancy,
        employer=employer,
        post_title=payload.post_title,
        start_date=payload.start_date,
    )
    return _candidacy_out(request.user, candidacy)


class WithdrawIn(Schema):
    reason: str = Field("", max_length=300)


@router.post(
    "/candidacies/{candidacy_id}/withdraw",
    response=CandidacyOut,
    summary="Withdraw a candidacy (the veteran, or a selection officer for them)",
)
@signed_in
def withdraw(request, candidacy_id: Id, payload: WithdrawIn):
    candidacy = services.withdraw(
        actor=request.user, candidacy=_candidacy(request, candidacy_id), reason=payload.reason
    )
    return _candidacy_out(request.user, candidacy)


class MeetingIn(Schema):
    held_on: date
    member_ids: list[Id]


class MemberOut(Schema):
    id: int
    name: str


class VoteOut(Schema):
    candidacy_id: int
    member_id: int
    vote: str


class MeetingOut(Schema):
    id: int
    track_id: int
    held_on: date
    status: str
    minutes: str
    members: list[MemberOut]
    votes: list[VoteOut]


def _meeting_out(user, meeting: CouncilMeeting) -> dict:
    visible = selectors.before_council(user, meeting)
    return {
        "id": meeting.pk,
        "track_id": meeting.track_id,
        "held_on": meeting.held_on,
        "status": meeting.status,
        "minutes": meeting.minutes,
        "members": [{"id": member.pk, "name": str(member)} for member in meeting.members.all()],
        "votes": [
            {"candidacy_id": vote.candidacy_id, "member_id": vote.member_id, "vote": vote.vote}
            for vote in meeting.votes.filter(candidacy__in=visible)
        ],
    }


def _meeting(request, meeting_id: int) -> CouncilMeeting:
    meeting = selectors.meetings_for(request.user).filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404("no such meeting")
    return meeting


@router.post(
    "/tracks/{track_id}/meetings",
    response={201: MeetingOut},
    summary="Open a council meeting of the track",
)
@requires(MANAGE)
def meeting_create(request, track_id: Id, payload: MeetingIn):
    track = get_object_or_404(Track, pk=track_id)
    members = list(selectors.council_members().filter(pk__in=payload.member_ids))
    unknown = sorted(set(payload.member_ids) - {member.pk for member in members})
    if unknown:
        raise ValidationError(
            {"member_ids": [f"cannot sit on the council: {', '.join(map(str, unknown))}"]}
        )
    meeting = council.open_meeting(
        actor=request.user, track=track, held_on=payload.held_on, members=members
    )
    return Status(201, _meeting_out(request.user, meeting))


@router.get("/meetings/{meeting_id}", response=MeetingOut, summary="A council meeting")
@signed_in
def meeting_detail(request, meeting_id: Id):
    return _meeting_out(request.user, _meeting(request, meeting_id))


class MinutesIn(Schema):
    minutes: str


@router.put("/meetings/{meeting_id}/minutes", response=MeetingOut, summary="Write the minutes")
@signed_in
def meeting_minutes(request, meeting_id: Id, payload: MinutesIn):
    meeting = council.save_minutes(
        actor=request.user, meeting=_meeting(request, meeting_id), minutes=payload.minutes
    )
    return _meeting_out(request.user, meeting)


class VoteIn(Schema):
    candidacy_id: Id
    member_id: Id | None = Field(None, description="the member voting; yourself if left out")
    vote: Literal["for", "against", "abstain"]


@router.post(
    "/meetings/{meeting_id}/votes",
    response=VoteOut,
    summary="A member's vote on a candidate (members vote; the secretary may record)",
)
@signed_in
def vote(request, meeting_id: Id, payload: VoteIn):
    meeting = _meeting(request, meeting_id)
    candidacy = selectors.candidacy_for(request.user, payload.candidacy_id)
    if candidacy is None:
        raise ValidationError({"candidacy_id": ["no candidacy with this number in your scope"]})
    member_id = payload.member_id or request.user.pk
    member = meeting.members.filter(pk=member_id).first()
    if member is None:
        raise ValidationError({"member_id": ["not a member of this meeting"]})
    row = council.record_vote(
        actor=request.user, meeting=meeting, candidacy=candidacy, member=member, vote=payload.vote
    )
    return {"candidacy_id": row.candidacy_id, "member_id": row.member_id, "vote": row.vote}


class DecisionIn(Schema):
    candidacy_id: Id


@router.post(
    "/meetings/{meeting_id}/decisions",
    response=CandidacyOut,
    summary="Record the council's decision on a candidate, by majority of its members",
)
@signed_in
def decision(request, meeting_id: Id, payload: DecisionIn):
    meeting = _meeting(request, meeting_id)
    candidacy = selectors.candidacy_for(request.user, payload.candidacy_id)
    if candidacy is None:
        raise ValidationError({"candidacy_id": ["no candidacy with this number in your scope"]})
    decided = council.decide(actor=request.user, meeting=meeting, candidacy=candidacy)
    return _candidacy_out(request.user, decided)


@router.post(
    "/meetings/{meeting_id}/close",
    response=MeetingOut,
    summary="Close the meeting and sign its minutes",
)
@signed_in
def meeting_close(request, meeting_id: Id):
    meeting = council.close_meeting(actor=request.user, meeting=_meeting(request, meeting_id))
    return _meeting_out(request.user, meeting)


class TermOut(Schema):
    label: str
    score: int
    max_score: int
    weight: int
    scaled: Decimal
    contribution: Decimal


class StandingOut(Schema):
    rank: int
    candidacy_id: int
    veteran_name: str
    stage: str
    composite: Decimal
    terms: list[TermOut]


def _standings_out(ranking) -> list[dict]:
    return [
        {
            "rank": standing.rank,
            "candidacy_id": standing.candidacy.pk,
            "veteran_name": standing.candidacy.veteran.full_name,
            "stage": standing.candidacy.stage,
            "composite": standing.composite.shown,
            "terms": [
                {
                    "label": term.part.label,
                    "score": term.part.score,
                    "max_score": term.part.max_score,
                    "weight": term.part.weight,
                    "scaled": term.scaled,
                    "contribution": term.contribution,
                }
                for term in standing.composite.terms
            ],
        }
        for standing in ranking
    ]


def _run_track(request, track_id: int) -> Track:
    track = get_object_or_404(Track, pk=track_id)
    if not services.runs_track(request.user, track):
        raise PermissionDenied(MANAGE)
    return track


@router.get(
    "/tracks/{track_id}/shortlist",
    response=list[StandingOut],
    summary="Everyone the council approved, ranked by composite score, with its terms",
)
@requires(MANAGE)
def shortlist(request, track_id: Id):
    return _standings_out(selectors.standings(_run_track(request, track_id)))


@router.post(
    "/tracks/{track_id}/shortlist",
    response=list[StandingOut],
    summary="Draw up the ranked shortlist",
)
@requires(MANAGE)
def shortlist_publish(request, track_id: Id):
    track = _run_track(request, track_id)
    return _standings_out(cohort.publish_shortlist(actor=request.user, track=track))


class CohortFormedOut(Schema):
    cohort: int
    reserve: int


@router.post(
    "/tracks/{track_id}/cohort",
    response=CohortFormedOut,
    summary="Fill the cohort from the top of the shortlist; the rest go on the reserve list",
)
@requires(MANAGE)
def cohort_form(request, track_id: Id):
    track = _run_track(request, track_id)
    return cohort.form_cohort(actor=request.user, track=track)
