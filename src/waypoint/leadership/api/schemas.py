"""The shapes /api/v1/leadership reads and answers. A candidacy answers what
access.candidacy_for projects for the reader: the candidate's fields are null for staff-only
facts."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field

from waypoint.kit.api import Id, Schema
from waypoint.kit.numbers import MAX_SMALLINT
from waypoint.leadership import eligibility


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

    @staticmethod
    def resolve_explanation(check: dict) -> str:
        return eligibility.explain(check)


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


class EligibilityIn(Schema):
    decision: Literal["eligible", "not_eligible"]
    note: str = ""


class TestScoreIn(Schema):
    score: int = Field(ge=0, le=MAX_SMALLINT)


class TestsDecisionIn(Schema):
    decision: Literal["passed", "not_passed"]
    note: str = ""


class InterviewIn(Schema):
    score: int = Field(ge=0, le=MAX_SMALLINT)
    held_on: date
    panel: str = Field(max_length=300)
    notes: str = ""


class PostPlacementIn(Schema):
    vacancy_id: Id | None = None
    employer_id: Id | None = None
    post_title: str = Field("", max_length=300)
    start_date: date


class WithdrawIn(Schema):
    reason: str = Field("", max_length=300)


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


class MinutesIn(Schema):
    minutes: str


class VoteIn(Schema):
    candidacy_id: Id
    member_id: Id | None = Field(None, description="the member voting; yourself if left out")
    vote: Literal["for", "against", "abstain"]


class DecisionIn(Schema):
    candidacy_id: Id


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


class CohortFormedOut(Schema):
    cohort: int
    reserve: int
