"""/api/v1/cases and /api/v1/tasks: cases, their stages and tasks with deadlines."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Status
from ninja.pagination import paginate

from waypoint.accounts.access import requires, signed_in
from waypoint.accounts.models import Organisation, User
from waypoint.cases import access, selectors, services
from waypoint.cases.models import Stage, TaskType, Track
from waypoint.kit.api import Id, Schema
from waypoint.people.access import veterans_visible_to

router = Router(tags=["cases"])


class CaseOut(Schema):
    id: int
    veteran_id: int
    coordinator_id: int | None
    organisation_id: int
    region: str
    track: str | None
    stage: str
    summary: str
    opened_at: datetime
    stage_since: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_region(case) -> str:
        return case.region_id

    @staticmethod
    def resolve_track(case) -> str | None:
        return case.track.code if case.track_id else None

    @staticmethod
    def resolve_stage(case) -> str:
        return case.stage.code


class CaseIn(Schema):
    veteran_id: Id
    summary: str = ""


class CaseMoveIn(Schema):
    stage: str | None = None
    track: str | None = None


class TaskIn(Schema):
    type: str
    title: str
    assignee_id: Id | None = None
    queue_id: Id | None = None
    description: str = ""
    priority: int | None = Field(None, ge=1, le=4, description="1 (low) to 4 (urgent)")


class TaskOut(Schema):
    id: int
    case_id: int | None
    type: str
    title: str
    assignee_id: int | None
    queue_id: int | None
    priority: int
    status: str
    due_at: datetime
    overdue_since: datetime | None
    escalated_at: datetime | None
    done_at: datetime | None

    @staticmethod
    def resolve_type(task) -> str:
        return task.type.code


class TaskStatusIn(Schema):
    status: str


@router.get("/cases", response=list[CaseOut], summary="Cases you may see (open by default)")
@requires(access.VIEW)
@paginate
def case_list(request, mine: bool = False, stage: str = "", closed: bool = False):
    return selectors.cases_for(request.user, mine=mine, stage=stage, closed=closed)


@router.post("/cases", response={201: CaseOut}, summary="Open a case for a veteran")
@requires(access.MANAGE)
def case_create(request, payload: CaseIn):
    veteran = veterans_visible_to(request.user).filter(pk=payload.veteran_id).first()
    if veteran is None:
        raise ValidationError({"veteran_id": ["no veteran with this number in your scope"]})
    return Status(
        201, services.open_case(actor=request.user, veteran=veteran, summary=payload.summary)
    )


def _case(request, case_id: int, *, audit: bool = False):
    case = selectors.case_for(request.user, case_id, audit=audit)
    if case is None:
        raise Http404("no such case")
    return case


@router.get("/cases/{case_id}", response=CaseOut, summary="One case")
@requires(access.VIEW)
def case_detail(request, case_id: Id):
    return _case(request, case_id, audit=True)


@router.post("/cases/{case_id}/move", response=CaseOut, summary="Change the stage or track")
@requires(access.MANAGE)
def case_move(request, case_id: Id, payload: CaseMoveIn):
    case = _case(request, case_id)
    stage = track = None
    if payload.stage:
        stage = Stage.objects.filter(code=payload.stage).first()
        if stage is None:
            raise ValidationError({"stage": ["no such stage"]})
    if payload.track:
        track = Track.objects.filter(code=payload.track).first()
        if track is None:
            raise ValidationError({"track": ["no such track"]})
    return services.move(actor=request.user, case=case, stage=stage, track=track)


@router.get("/cases/{case_id}/tasks", response=list[TaskOut], summary="A case's tasks")
@requires(access.VIEW)
def case_tasks(request, case_id: Id):
    return list(_case(request, case_id).tasks.select_related("type"))


@router.post("/cases/{case_id}/tasks", response={201: TaskOut}, summary="Add a task")
@requires(access.MANAGE)
def task_create(request, case_id: Id, payload: TaskIn):
    case = _case(request, case_id)
    task_type = TaskType.objects.filter(code=payload.type, is_active=True).first()
    if task_type is None:
        raise ValidationError({"type": ["no such task type"]})
    assignee = queue = None
    if payload.assignee_id is not None:
        assignee = User.objects.filter(pk=payload.assignee_id, is_active=True).first()
        if assignee is None:
            raise ValidationError({"assignee_id": ["no such active user"]})
    if payload.queue_id is not None:
        queue = Organisation.objects.filter(pk=payload.queue_id, is_active=True).first()
        if queue is None:
            raise ValidationError({"queue_id": ["no such organisation"]})
    task = services.add_task(
        actor=request.user,
        case=case,
        task_type=task_type,
        title=payload.title,
        assignee=assignee,
        queue=queue,
        description=payload.description,
        priority=payload.priority,
    )
    return Status(201, task)


@router.get("/tasks", response=list[TaskOut], summary="Your open tasks, or your queue's")
@signed_in
@paginate
def task_list(request, queue: bool = False):
    return selectors.tasks_for(request.user, queue=queue)


@router.post("/tasks/{task_id}/status", response=TaskOut, summary="Take, finish or cancel")
@signed_in
def task_status(request, task_id: Id, payload: TaskStatusIn):
    task = get_object_or_404(access.tasks_visible_to(request.user), pk=task_id)
    return services.finish_task(actor=request.user, task=task, status=payload.status)
