"""/api/v1/appeals: log a hotline appeal, the queue, take, answer and close, and the caller's
public status check.

The same gates as the pages: an appeal is read through access.appeals_visible_to (missing and
forbidden both 404) and every read is audited; the status check answers the same shape for a
wrong reference or a wrong phone.
"""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Query, Router, Status

from waypoint.accounts.access import public, requires, signed_in
from waypoint.accounts.services import client_address
from waypoint.appeals import access, selectors, services
from waypoint.appeals.models import CLOSE, LOG, VIEW, WORK, Appeal
from waypoint.kit.api import MAX_PAGE, Id, Message, Schema
from waypoint.kit.numbers import MAX_BIGINT
from waypoint.people.access import veterans_visible_to
from waypoint.regions.models import Region

router = Router(tags=["appeals"])

TopicCode = Literal[
    "employment",
    "training",
    "payments",
    "medical",
    "psychological",
    "legal",
    "documents",
    "other",
]


class AppealIn(Schema):
    caller_kind: Literal["veteran", "family", "other"]
    caller_name: str = Field("", max_length=200)
    caller_phone: str = Field("", max_length=30, description="empty: the veteran's phone")
    veteran_id: Id | None = Field(None, description="none when the veteran is not known")
    region: str | None = Field(None, description="a region code; only without a veteran")
    topic: TopicCode
    description: str = Field(min_length=1, max_length=5000)
    urgency: Literal["ordinary", "urgent"] = "ordinary"
    contact_channel: Literal["phone", "email", "sms"]
    contact_value: str = Field("", max_length=254, description="empty: the caller's phone")


class AppealLogged(Schema):
    id: int
    reference: str
    status: str
    topic: str
    urgency: str
    organisation_id: int
    organisation: str
    due_at: datetime

    @staticmethod
    def resolve_organisation(appeal) -> str:
        return str(appeal.organisation)


class AppealItem(Schema):
    id: int
    reference: str
    topic: str
    urgency: str
    status: str
    region: str = Field(validation_alias="region_id")
    organisation_id: int
    organisation: str
    veteran_id: int | None
    veteran_name: str | None
    logged_at: datetime
    due_at: datetime
    taken_by_id: int | None
    answered_at: datetime | None
    answered_in_time: bool | None
    closed_at: datetime | None

    @staticmethod
    def resolve_organisation(appeal) -> str:
        return str(appeal.organisation)

    @staticmethod
    def resolve_veteran_name(appeal) -> str | None:
        return appeal.veteran.full_name if appeal.veteran_id else None


class AppealDetail(AppealItem):
    caller_kind: str
    caller_name: str
    caller_phone: str
    description: str
    contact_channel: str
    contact_value: str
    route: str
    task_id: int | None
    logged_by_id: int
    taken_at: datetime | None
    answered_by_id: int | None
    outcome_kind: str
    outcome: str
    closed_by_id: int | None


class AppealPage(Schema):
    count: int
    items: list[AppealItem]


class AnswerIn(Schema):
    outcome_kind: Literal["resolved", "explained", "referred", "rejected"]
    outcome: str = Field(min_length=1, max_length=5000)


class StatusCheckIn(Schema):
    reference: str = Field(max_length=20, description="for example A-2026-000123")
    phone: str = Field(max_length=30, description="the caller's phone given with the appeal")


class StatusCheckOut(Schema):
    found: bool
    status: str | None = Field(None, description="registered, in_progress, answered, closed")
    due_date: date | None


def _visible(request, appeal_id: int) -> Appeal:
    return selectors.appeal_for(request.user, appeal_id, audit=False)


@router.post(
    "", response={201: AppealLogged}, summary="An operator logs a hotline appeal (routed at once)"
)
@requires(LOG)
def appeal_create(request, payload: AppealIn):
    values = payload.dict()
    veteran = None
    if values.pop("veteran_id") is not None:
        veteran = veterans_visible_to(request.user).filter(pk=payload.veteran_id).first()
        if veteran is None:
            raise ValidationError({"veteran_id": ["no veteran with this number in your scope"]})
    code = values.pop("region")
    region = None
    if code:
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise ValidationError({"region": ["no federal subject has this code"]})
    appeal = services.log_appeal(actor=request.user, veteran=veteran, region=region, **values)
    return Status(201, appeal)


@router.get("", response=AppealPage, summary="Appeals you may see (your queue first)")
@signed_in
def appeal_list(
    request,
    shown: Literal["queue", "mine", "all"] = "all",
    status: Literal["registered", "in_progress", "answered", "closed"] | None = None,
    limit: int = Query(100, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=MAX_BIGINT),
):
    if not access.may_list(request.user):
        raise PermissionDenied(f"{WORK} or {VIEW}")
    items = selectors.appeals_shown(
        request.user, shown=shown, status=status or "", limit=limit, offset=offset
    )
    count = selectors.appeals_for(request.user, shown=shown, status=status or "").count()
    return {"count": count, "items": items}


@router.get(
    "/status",
    auth=None,
    response={200: StatusCheckOut, 429: Message},
    summary="The caller's status check: reference and phone in, status and date due out",
)
@public
def status_get(request, reference: str = Query(max_length=20), phone: str = Query(max_length=30)):
    return _status(request, reference, phone)


@router.post(
    "/status",
    auth=None,
    response={200: StatusCheckOut, 429: Message},
    summary="The same check with the reference and phone in the body",
)
@public
def status_post(request, payload: StatusCheckIn):
    return _status(request, payload.reference, payload.phone)


def _status(request, reference: str, phone: str):
    try:
        answer = services.check_status(
            reference=reference, phone=phone, client_address=client_address(request)
        )
    except services.TooManyChecks:
        return Status(429, {"detail": "too many checks from this address; try again later"})
    return {"found": answer.found, "status": answer.status, "due_date": answer.due_date}


@router.get("/{appeal_id}", response=AppealDetail, summary="One appeal (reading it is audited)")
@signed_in
def appeal_detail(request, appeal_id: Id):
    return selectors.appeal_for(request.user, appeal_id)


@router.post("/{appeal_id}/take", response=AppealDetail, summary="Take an appeal from the queue")
@requires(WORK)
def appeal_take(request, appeal_id: Id):
    return services.take(actor=request.user, appeal=_visible(request, appeal_id))


@router.post(
    "/{appeal_id}/answer", response=AppealDetail, summary="Answer an appeal (finishes its task)"
)
@requires(WORK)
def appeal_answer(request, appeal_id: Id, payload: AnswerIn):
    return services.answer(
        actor=request.user, appeal=_visible(request, appeal_id), **payload.dict()
    )


@router.post("/{appeal_id}/close", response=AppealDetail, summary="Close an answered appeal")
@requires(CLOSE)
def appeal_close(request, appeal_id: Id):
    return services.close(actor=request.user, appeal=_visible(request, appeal_id))
