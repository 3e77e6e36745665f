"""/api/v1/leadership: tracks, candidacies through selection, the council and the shortlist.

A thin adapter over the same selectors and services as the pages: each operation reads its
input, calls the service the page calls, and answers what access.py projects for the reader
(a candidacy read through access.candidacies_visible_to: missing and forbidden both 404).
"""

from django.core.exceptions import ValidationError
from ninja import Router, Status
from ninja.pagination import paginate

from waypoint.accounts.access import requires, signed_in
from waypoint.kit.api import Id
from waypoint.leadership import access, selectors, services
from waypoint.leadership.api.schemas import (
    CandidacyIn,
    CandidacyOut,
    CohortFormedOut,
    DecisionIn,
    EligibilityIn,
    InterviewIn,
    MeetingIn,
    MeetingOut,
    MinutesIn,
    PostPlacementIn,
    StandingOut,
    TestScoreIn,
    TestScoreOut,
    TestsDecisionIn,
    TrackIn,
    TrackOut,
    TrackStatusIn,
    VoteIn,
    VoteOut,
    WithdrawIn,
)
from waypoint.leadership.models import MANAGE, VIEW_TRACK, Candidacy, CouncilMeeting
from waypoint.leadership.services import cohort, council
from waypoint.regions.models import Region

router = Router(tags=["leadership"])


class _Converted:
    """A queryset that @paginate slices and counts, each row of the page converted."""

    def __init__(self, queryset, convert):
        self.queryset, self.convert = queryset, convert

    def __getitem__(self, part: slice) -> list:
        return [self.convert(row) for row in self.queryset[part]]

    def __len__(self) -> int:
        return self.queryset.count()


def _candidacy(request, candidacy_id: int) -> Candidacy:
    return selectors.candidacy_for(request.user, candidacy_id, audit=False)


def _named_candidacy(request, candidacy_id: int) -> Candidacy:
    """A candidacy named in the body: one the person may not see is a bad value (422)."""
    found = selectors.visible_candidacy(request.user, candidacy_id)
    if found is None:
        raise ValidationError({"candidacy_id": ["no candidacy with this number in your scope"]})
    return found


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
@requires(VIEW_TRACK)
@paginate
def track_list(request):
    return selectors.tracks(request.user)


@router.get("/tracks/{track_id}", response=TrackOut, summary="One track with its tests")
@requires(VIEW_TRACK)
def track_detail(request, track_id: Id):
    return selectors.track_for(request.user, track_id)


@router.post("/tracks", response={201: TrackOut}, summary="A selection officer opens a track")
@requires(MANAGE)
def track_create(request, payload: TrackIn):
    values, tests = _track_values(payload)
    return Status(201, services.save_track(actor=request.user, values=values, tests=tests))


@router.put("/tracks/{track_id}", response=TrackOut, summary="Edit a track you run")
@requires(MANAGE)
def track_update(request, track_id: Id, payload: TrackIn):
    track = selectors.track_to_act_on(track_id)
    values, tests = _track_values(payload)
    return services.save_track(actor=request.user, values=values, tests=tests, track=track)


@router.post(
    "/tracks/{track_id}/status",
    response=TrackOut,
    summary="Move a track on: open → selection → closed",
)
@requires(MANAGE)
def track_status(request, track_id: Id, payload: TrackStatusIn):
    track = selectors.track_to_act_on(track_id)
    return services.set_track_status(actor=request.user, track=track, to=payload.status)


@router.post(
    "/tracks/{track_id}/candidacies",
    response={201: CandidacyOut},
    summary="The veteran applies, or their coordinator nominates them",
)
@signed_in
def candidacy_create(request, track_id: Id, payload: CandidacyIn):
    track = selectors.track_to_act_on(track_id)
    veteran = selectors.veteran_in_scope(request.user, payload.veteran_id)
    if veteran is None:
        raise ValidationError({"veteran_id": ["no veteran with this number in your scope"]})
    candidacy = services.apply(
        actor=request.user,
        track=track,
        veteran=veteran,
        has_disqualifying_record=payload.has_disqualifying_record,
    )
    return Status(201, access.candidacy_for(request.user, candidacy))


@router.get("/candidacies", response=list[CandidacyOut], summary="Candidacies you may see")
@signed_in
@paginate
def candidacy_list(request, track: Id | None = None, stage: str = ""):
    found = selectors.candidacies_for(request.user, stage=stage).select_related(
        "council_meeting", "placement_employer"
    )
    if track is not None:
        found = found.filter(track_id=track)
    return _Converted(found, lambda candidacy: access.candidacy_for(request.user, candidacy))


@router.get("/candidacies/{candidacy_id}", response=CandidacyOut, summary="One candidacy")
@signed_in
def candidacy_detail(request, candidacy_id: Id):
    return access.candidacy_for(request.user, selectors.candidacy_for(request.user, candidacy_id))


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
    return access.candidacy_for(request.user, candidacy)


@router.post(
    "/candidacies/{candidacy_id}/recheck",
    response=CandidacyOut,
    summary="Check the eligibility rules again, after the veteran's record was completed",
)
@requires(MANAGE)
def eligibility_recheck(request, candidacy_id: Id):
    candidacy = services.recheck_eligibility(
        actor=request.user, candidacy=_candidacy(request, candidacy_id)
    )
    return access.candidacy_for(request.user, candidacy)


@router.put(
    "/candidacies/{candidacy_id}/scores/{test_id}",
    response=TestScoreOut,
    summary="Enter or correct a test score (0 to the test's highest score)",
)
@requires(MANAGE)
def score_record(request, candidacy_id: Id, test_id: Id, payload: TestScoreIn):
    candidacy = _candidacy(request, candidacy_id)
    test = selectors.test_of(candidacy.track, test_id)
    (score,) = services.record_scores(
        actor=request.user, candidacy=candidacy, scores={test: payload.score}
    )
    return {
        "test_id": test.pk,
        "test": test.name,
        "score": score.score,
        "max_score": test.max_score,
        "pass_mark": test.pass_mark,
    }


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
    return access.candidacy_for(request.user, candidacy)


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
    return access.candidacy_for(request.user, candidacy)


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
        vacancy = selectors.vacancy(payload.vacancy_id)
        if vacancy is None:
            raise ValidationError({"vacancy_id": ["no such vacancy"]})
    if payload.employer_id is not None:
        employer = selectors.employer(payload.employer_id)
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
    return access.candidacy_for(request.user, candidacy)


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
    return access.candidacy_for(request.user, candidacy)


def _meeting_out(user, meeting: CouncilMeeting) -> dict:
    votes = selectors.meeting_votes(user, meeting, selectors.before_council(user, meeting))
    return {
        "id": meeting.pk,
        "track_id": meeting.track_id,
        "held_on": meeting.held_on,
        "status": meeting.status,
        "minutes": meeting.minutes,
        "members": [{"id": member.pk, "name": str(member)} for member in meeting.members.all()],
        "votes": [
            {"candidacy_id": vote.candidacy_id, "member_id": vote.member_id, "vote": vote.vote}
            for vote in votes
        ],
    }


@router.post(
    "/tracks/{track_id}/meetings",
    response={201: MeetingOut},
    summary="Open a council meeting of the track",
)
@requires(MANAGE)
def meeting_create(request, track_id: Id, payload: MeetingIn):
    track = selectors.track_to_act_on(track_id)
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
    return _meeting_out(request.user, selectors.meeting_for(request.user, meeting_id))


@router.put("/meetings/{meeting_id}/minutes", response=MeetingOut, summary="Write the minutes")
@signed_in
def meeting_minutes(request, meeting_id: Id, payload: MinutesIn):
    meeting = council.save_minutes(
        actor=request.user,
        meeting=selectors.meeting_for(request.user, meeting_id),
        minutes=payload.minutes,
    )
    return _meeting_out(request.user, meeting)


@router.post(
    "/meetings/{meeting_id}/votes",
    response=VoteOut,
    summary="A member's vote on a candidate (members vote; the secretary may record)",
)
@signed_in
def vote(request, meeting_id: Id, payload: VoteIn):
    meeting = selectors.meeting_for(request.user, meeting_id)
    candidacy = _named_candidacy(request, payload.candidacy_id)
    member = selectors.meeting_member(meeting, payload.member_id or request.user.pk)
    if member is None:
        raise ValidationError({"member_id": ["not a member of this meeting"]})
    row = council.record_vote(
        actor=request.user, meeting=meeting, candidacy=candidacy, member=member, vote=payload.vote
    )
    return {"candidacy_id": row.candidacy_id, "member_id": row.member_id, "vote": row.vote}


@router.post(
    "/meetings/{meeting_id}/decisions",
    response=CandidacyOut,
    summary="Record the council's decision on a candidate, by majority of its members",
)
@signed_in
def decision(request, meeting_id: Id, payload: DecisionIn):
    meeting = selectors.meeting_for(request.user, meeting_id)
    candidacy = _named_candidacy(request, payload.candidacy_id)
    decided = council.decide(actor=request.user, meeting=meeting, candidacy=candidacy)
    return access.candidacy_for(request.user, decided)


@router.post(
    "/meetings/{meeting_id}/close",
    response=MeetingOut,
    summary="Close the meeting and sign its minutes",
)
@signed_in
def meeting_close(request, meeting_id: Id):
    meeting = council.close_meeting(
        actor=request.user, meeting=selectors.meeting_for(request.user, meeting_id)
    )
    return _meeting_out(request.user, meeting)


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


@router.get(
    "/tracks/{track_id}/shortlist",
    response=list[StandingOut],
    summary="Everyone the council approved, ranked by composite score, with its terms",
)
@requires(MANAGE)
def shortlist(request, track_id: Id):
    return _standings_out(selectors.standings(selectors.track_run_by(request.user, track_id)))


@router.post(
    "/tracks/{track_id}/shortlist",
    response=list[StandingOut],
    summary="Draw up the ranked shortlist",
)
@requires(MANAGE)
def shortlist_publish(request, track_id: Id):
    track = selectors.track_run_by(request.user, track_id)
    return _standings_out(cohort.publish_shortlist(actor=request.user, track=track))


@router.post(
    "/tracks/{track_id}/cohort",
    response=CohortFormedOut,
    summary="Fill the cohort from the top of the shortlist; the rest go on the reserve list",
)
@requires(MANAGE)
def cohort_form(request, track_id: Id):
    track = selectors.track_run_by(request.user, track_id)
    return cohort.form_cohort(actor=request.user, track=track)
