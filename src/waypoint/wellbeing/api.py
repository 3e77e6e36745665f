"""/api/v1/wellbeing: scoring, instruments (also as FHIR), a person's screenings, answers and
corrections, the clinician's queue, alerts, reviews, programmes, command notices, and the
derived facts other staff may read. Same gates and audit as the pages."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Body, Field, Router, Status

from waypoint.accounts.access import requires, signed_in
from waypoint.accounts.models import Organisation
from waypoint.kit.api import Id, Schema
from waypoint.kit.numbers import MAX_SMALLINT
from waypoint.people.access import veterans_visible_to
from waypoint.wellbeing import (
    access,
    exchange,
    facts,
    fhir,
    instruments,
    labels,
    selectors,
    services,
)
from waypoint.wellbeing.access import PROVIDE_CARE, RECEIVE_NOTICES
from waypoint.wellbeing.models import CommandNotice, Enrolment, Screening

router = Router(tags=["well-being"])
# Each instrument checks an answer against its item's options; this keeps it a small number.
Answer = Annotated[int, Field(ge=0, le=MAX_SMALLINT)]


class ScoringIn(Schema):
    instrument: str = Field(
        description="phq9, phq8, phq2, gad7, gad2, pcl5, pcptsd5, auditc, k6, k10"
    )
    answers: list[Answer | None] = Field(description="item order; null for a missing answer")
    sex: Literal["m", "f"] | None = None


class ScoringOut(Schema):
    instrument: str
    total: int | None
    subscales: dict[str, int | None]
    band: str | None
    positive: bool
    flags: list[str]
    missing: list[str]
    reasons: list[str]


class InstrumentOut(Schema):
    id: str
    name: str
    version: str
    title: str
    measures: str
    items: int
    citation: str
    licence: str
    full_instrument: str | None
    source: str


class ResponseOut(Schema):
    id: int
    instrument: str
    version: int
    supersedes_id: int | None
    total: int | None
    subscales: dict[str, int | None]
    band: str
    positive: bool
    flags: list[str]
    answers: list[int | None]
    submitted_at: datetime


class ScreeningOut(Schema):
    """The person reads their own screenings without the triage: tier and fired_rules null."""

    id: int
    occasion: str
    status: str
    due_on: date
    window_closes_on: date
    pending: list[str]
    tier: str | None
    fired_rules: list[dict[str, Any]] | None
    completed_at: datetime | None
    reviewed: bool
    responses: list[ResponseOut]


class RecordOut(Schema):
    veteran_id: int
    care_team: str
    returned_on: date | None
    screenings: list[ScreeningOut]


class AnswersIn(Schema):
    instrument: str
    answers: list[Answer | None]


class CorrectionIn(Schema):
    answers: list[Answer | None]
    reason: str = Field(min_length=1, max_length=1000)


class QueueItem(Schema):
    screening_id: int
    veteran_id: int
    tier: str
    occasion: str
    waiting_since: datetime | None


class ReviewIn(Schema):
    outcome: Literal["no_action", "watchful_waiting", "support", "specialised"]
    plan: str = Field("", max_length=5000)
    notes: str = Field("", max_length=5000)


class EnrolIn(Schema):
    programme: Literal["counselling", "training", "lighter_duty", "specialised_care"]
    starts_on: date
    ends_on: date | None = None
    notes: str = Field("", max_length=5000)
    screening_id: Id | None = None


class ProgrammeEnrolmentOut(Schema):
    id: int
    programme: str
    starts_on: date
    ends_on: date | None
    follow_ups: list[date]


class NoticeIn(Schema):
    command_id: Id
    standard: Literal[tuple(CommandNotice.Standard.values)]  # type: ignore[valid-type]
    limitations: list[Literal[tuple(CommandNotice.Limitation.values)]]  # type: ignore[valid-type]
    until: date
    support: str = Field(min_length=1, max_length=2000)


class CommandNoticeOut(Schema):
    """What a commander reads: no standard, no clinical content."""

    id: int
    veteran_id: int
    veteran_name: str
    limitations: list[str]
    until: date
    support: str
    issued_at: datetime


@router.post("/score", response=ScoringOut, summary="Score answers exactly (stores nothing)")
@signed_in
def score_answers(request, payload: ScoringIn):
    _instrument, result = services.score_answers(payload.instrument, payload.answers, payload.sex)
    return {**result.as_dict(), "reasons": [labels.reason(reason) for reason in result.reasons]}


def _instrument_out(instrument: instruments.Instrument) -> dict:
    return {
        "id": instrument.id,
        "name": instrument.name,
        "version": instrument.version,
        "title": instrument.title["en"],
        "measures": instrument.measures,
        "items": len(instrument.items),
        "citation": instrument.citation,
        "licence": instrument.licence,
        "full_instrument": instrument.full_instrument,
        "source": "built-in" if instrument.source == "built-in" else "organisation",
    }


@router.get("/instruments", response=list[InstrumentOut], summary="Instruments loaded")
@signed_in
def instrument_list(request):
    return [_instrument_out(i) for i in instruments.all_instruments().values()]


@router.get(
    "/instruments/{instrument_id}/fhir",
    response=dict[str, Any],
    summary="An instrument as a FHIR Questionnaire",
)
@signed_in
def instrument_fhir(request, instrument_id: str) -> dict:
    try:
        instrument = instruments.get(instrument_id)
    except instruments.InstrumentError as exc:
        from django.http import Http404

        raise Http404 from exc
    return fhir.questionnaire(instrument)


@router.get("/veterans/{veteran_id}", response=RecordOut, summary="A person's record")
@signed_in
def record_detail(request, veteran_id: Id):
    record = selectors.record_for(request.user, veteran_id)
    return {
        "veteran_id": record.veteran_id,
        "care_team": str(record.care_team),
        "returned_on": record.returned_on,
        "screenings": [
            access.screening_as_seen_by(request.user, screening)
            for screening in record.screenings.order_by("due_on", "pk")
        ],
    }


@router.get(
    "/veterans/{veteran_id}/facts",
    response=list[str],
    summary="Derived facts for staff who see the veteran (never scores)",
)
@signed_in
def veteran_facts(request, veteran_id: Id):
    veteran = get_object_or_404(veterans_visible_to(request.user), pk=veteran_id)
    return facts.for_staff(veteran.pk)


@router.post(
    "/screenings/{screening_id}/responses",
    response={201: ScreeningOut},
    summary="Answer the screening's next instrument",
)
@signed_in
def submit(request, screening_id: Id, payload: AnswersIn):
    screening = selectors.screening_for(request.user, screening_id)
    services.submit_response(
        actor=request.user,
        screening=screening,
        instrument_id=payload.instrument,
        answers=payload.answers,
    )
    screening.refresh_from_db()
    return Status(201, access.screening_as_seen_by(request.user, screening))


@router.post(
    "/screenings/{screening_id}/fhir-responses",
    response={201: ScreeningOut},
    summary="Answer from a FHIR R4 QuestionnaireResponse",
)
@signed_in
def submit_fhir(request, screening_id: Id, payload: dict[str, Any] = Body(...)):  # noqa: B008
    screening = selectors.screening_for(request.user, screening_id)
    exchange.import_response(actor=request.user, screening=screening, data=payload)
    screening.refresh_from_db()
    return Status(201, access.screening_as_seen_by(request.user, screening))


@router.post(
    "/responses/{response_id}/corrections",
    response={201: ResponseOut},
    summary="Correct a response (a new version with a reason)",
)
@requires(PROVIDE_CARE)
def correct(request, response_id: Id, payload: CorrectionIn):
    response = selectors.response_for(request.user, response_id)
    corrected = services.correct_response(
        actor=request.user, response=response, answers=payload.answers, reason=payload.reason
    )
    return Status(201, access.response_as_seen_by_care(corrected))


@router.get(
    "/responses/{response_id}/fhir",
    response=dict[str, Any],
    summary="A response as a FHIR QuestionnaireResponse",
)
@signed_in
def response_fhir(request, response_id: Id) -> dict:
    return exchange.response_resource(selectors.response_for(request.user, response_id))


@router.get("/queue", response=list[QueueItem], summary="The clinician's review queue")
@requires(PROVIDE_CARE)
def queue(request):
    return [
        {
            "screening_id": s.pk,
            "veteran_id": s.record.veteran_id,
            "tier": s.tier,
            "occasion": s.occasion,
            "waiting_since": s.waiting_since,
        }
        for s in selectors.queue(request.user)
    ]


@router.post("/alerts/{alert_id}/acknowledge", response={204: None}, summary="Acknowledge")
@requires(PROVIDE_CARE)
def acknowledge(request, alert_id: Id):
    services.acknowledge_alert(
        actor=request.user, alert=selectors.alert_for(request.user, alert_id)
    )
    return Status(204, None)


@router.post("/screenings/{screening_id}/review", response={201: None}, summary="Review")
@requires(PROVIDE_CARE)
def review(request, screening_id: Id, payload: ReviewIn):
    screening = selectors.screening_for(request.user, screening_id)
    services.review(actor=request.user, screening=screening, **payload.dict())
    return Status(201, None)


@router.post(
    "/veterans/{veteran_id}/enrolments",
    response={201: ProgrammeEnrolmentOut},
    summary="Enrol in a support programme (follow-ups scheduled)",
)
@requires(PROVIDE_CARE)
def enrol(request, veteran_id: Id, payload: EnrolIn):
    record = selectors.record_for(request.user, veteran_id)
    data = payload.dict()
    screening_id = data.pop("screening_id")
    screening = record.screenings.filter(pk=screening_id).first() if screening_id else None
    if screening_id and screening is None:
        raise ValidationError({"screening_id": ["not a screening of this person"]})
    enrolment: Enrolment = services.enrol(
        actor=request.user, record=record, screening=screening, **data
    )
    follow_ups = list(
        record.screenings.filter(
            occasion=Screening.Occasion.FOLLOW_UP, created_at__gte=enrolment.created_at
        ).values_list("due_on", flat=True)
    )
    return Status(
        201,
        {
            "id": enrolment.pk,
            "programme": enrolment.programme,
            "starts_on": enrolment.starts_on,
            "ends_on": enrolment.ends_on,
            "follow_ups": follow_ups,
        },
    )


@router.post(
    "/veterans/{veteran_id}/command-notices",
    response={201: CommandNoticeOut},
    summary="Notify the command (a clinician's deliberate act)",
)
@requires(PROVIDE_CARE)
def notify(request, veteran_id: Id, payload: NoticeIn):
    record = selectors.record_for(request.user, veteran_id)
    command = Organisation.objects.filter(pk=payload.command_id).first()
    if command is None:
        raise ValidationError({"command_id": ["no such organisation"]})
    notice = services.notify_command(
        actor=request.user,
        record=record,
        command=command,
        standard=payload.standard,
        limitations=list(payload.limitations),
        until=payload.until,
        support=payload.support,
    )
    return Status(201, access.notice_as_seen_by_command(notice))


@router.get("/command-notices", response=list[CommandNoticeOut], summary="A commander's notices")
@requires(RECEIVE_NOTICES)
def command_notices(request):
    if not access.may_read_command_notices(request.user):
        raise PermissionDenied
    notices = selectors.notices_for_command(request.user)
    return [access.notice_as_seen_by_command(notice) for notice in notices]
