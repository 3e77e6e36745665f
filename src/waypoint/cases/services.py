"""Writes for cases: open a case, move it along, its tasks with their deadlines, and caseload
reassignment. Every write is audited in its transaction."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import Organisation, User
from waypoint.audit.services import record
from waypoint.cases.access import (
    MANAGE,
    SUPERVISE,
    may_hand_over_caseloads,
    may_manage,
    may_open_case,
    may_take_caseload,
    may_work_on,
)
from waypoint.cases.models import Case, Holiday, Stage, Task, TaskType, Track
from waypoint.kit.workdays import Calendar, end_of_day
from waypoint.people.models import Veteran

OPEN_STATUSES = (Task.Status.OPEN, Task.Status.IN_PROGRESS)


def production_calendar() -> Calendar:
    rows = list(Holiday.objects.values_list("date", "kind"))
    return Calendar(
        days_off=frozenset(day for day, kind in rows if kind == Holiday.Kind.DAY_OFF),
        working=frozenset(day for day, kind in rows if kind == Holiday.Kind.WORKING),
    )


def due_at(
    task_type: TaskType, time_zone: str, start: datetime | None = None, calendar=None
) -> datetime:
    """When a task of this type, given at `start`, falls due where it is kept: the end of
    the term's last day in that time zone."""
    start = start or timezone.now()
    calendar = calendar or production_calendar()
    local_start = timezone.localtime(start, timezone=ZoneInfo(time_zone)).date()
    day = calendar.due_date(local_start, task_type.days, task_type.working_days)
    return end_of_day(day, time_zone)


def open_case(
    *, actor: User, veteran: Veteran, coordinator: User | None = None, summary: str = ""
) -> Case:
    if not may_open_case(actor, veteran):
        raise PermissionDenied(MANAGE)
    if Case.objects.filter(veteran=veteran, closed_at=None).exists():
        raise ValidationError({"veteran": [_("the veteran already has an open case")]})
    coordinator = coordinator or veteran.coordinator or actor
    organisation = veteran.branch or coordinator.organisation
    if organisation is None:
        raise ValidationError({"organisation": [_("the coordinator belongs to no organisation")]})
    first = Stage.objects.filter(is_active=True, is_closed=False).order_by("position").first()
    if first is None:
        raise ValidationError({"stage": [_("no stage is configured")]})
    with transaction.atomic():
        case = Case.objects.create(
            veteran=veteran,
            coordinator=coordinator,
            organisation=organisation,
            region_id=veteran.region_id,
            stage=first,
            stage_since=timezone.now(),
            summary=summary[:300],
            created_by=actor,
        )
        record(
            actor=actor,
            action="cases.case.open",
            subject=case,
            changes={"stage": [None, first.code], "coordinator": [None, coordinator.pk]},
        )
    return case


def move(
    *, actor: User, case: Case, stage: Stage | None = None, track: Track | None = None
) -> Case:
    """A new stage (a closing stage closes the case) and/or the track chosen at assessment."""
    if not may_manage(actor, case):
        raise PermissionDenied(MANAGE)
    if case.closed_at is not None:
        raise ValidationError({"stage": [_("the case is closed")]})
    changes: dict[str, list[str | None]] = {}
    if stage is not None and stage.pk != case.stage_id:
        if not stage.is_active:
            raise ValidationError({"stage": [_("this stage is no longer in use")]})
        if stage.is_closed and case.tasks.filter(status__in=OPEN_STATUSES).exists():
            raise ValidationError(
                {"stage": [_("finish or cancel the case's open tasks before closing it")]}
            )
        changes["stage"] = [case.stage.code, stage.code]
    if track is not None and track.pk != case.track_id:
        if not track.is_active:
            raise ValidationError({"track": [_("this track is no longer in use")]})
        changes["track"] = [case.track.code if case.track else None, track.code]
    if not changes:
        return case
    with transaction.atomic():
        if "stage" in changes and stage is not None:  # a change only when a stage is given
            case.stage = stage
            case.stage_since = timezone.now()
            if stage.is_closed:
                case.closed_at = timezone.now()
        if "track" in changes:
            case.track = track
        case.save()
        record(actor=actor, action="cases.case.move", subject=case, changes=changes)
    return case


def add_task(
    *,
    actor: User,
    task_type: TaskType,
    title: str,
    case: Case | None = None,
    assignee: User | None = None,
    queue: Organisation | None = None,
    description: str = "",
    priority: int | None = None,
    concerns: Model | None = None,
) -> Task:
    """A task for a person or an organisation's queue, due by its type's deadline rule in the
    time zone of whoever keeps it."""
    if case is not None and not may_manage(actor, case):
        raise PermissionDenied(MANAGE)
    if assignee is None and queue is None:
        raise ValidationError({"assignee": [_("give a person or an organisation's queue")]})
    if not title.strip():
        raise ValidationError({"title": [_("a title is required")]})
    keeper = assignee.organisation if assignee is not None else queue
    time_zone = keeper.region.time_zone if keeper is not None else "Europe/Moscow"
    with transaction.atomic():
        task = Task.objects.create(
            case=case,
            type=task_type,
            title=title.strip()[:200],
            description=description,
            assignee=assignee,
            queue=queue,
            priority=priority or task_type.priority,
            due_at=due_at(task_type, time_zone),
            concerns_type=ContentType.objects.get_for_model(concerns) if concerns else None,
            concerns_id=concerns.pk if concerns else None,
            created_by=actor,
        )
        record(
            actor=actor,
            action="cases.task.create",
            subject=task,
            changes={"due_at": [None, task.due_at.isoformat()], "type": [None, task_type.code]},
        )
    return task


def finish_task(*, actor: User, task: Task, status: str = Task.Status.DONE) -> Task:
    if status not in (Task.Status.DONE, Task.Status.CANCELLED, Task.Status.IN_PROGRESS):
        raise ValidationError({"status": [_("done, cancelled or in progress is expected")]})
    if not may_work_on(actor, task):
        raise PermissionDenied("cases.task")
    with transaction.atomic():
        current = Task.objects.select_for_update().get(pk=task.pk)
        if not current.is_open:
            raise ValidationError({"status": [_("the task is already finished")]})
        before = current.status
        current.status = status
        if status != Task.Status.IN_PROGRESS:
            current.done_at = timezone.now()
        if status == Task.Status.IN_PROGRESS and current.assignee_id is None:
            current.assignee = actor  # taken from the queue
        current.save()
        record(
            actor=actor,
            action="cases.task.status",
            subject=current,
            changes={"status": [before, status]},
        )
    return current


def reassign_caseload(*, actor: User, source: User, target: User) -> int:
    """Every open case and open task of a coordinator who leaves, to another; one audited
    event per case."""
    if not may_hand_over_caseloads(actor):
        raise PermissionDenied(SUPERVISE)
    if source.pk == target.pk:
        raise ValidationError({"target": [_("choose another coordinator")]})
    if not may_take_caseload(target):
        raise ValidationError({"target": [_("the new coordinator cannot manage cases")]})
    with transaction.atomic():
        cases = list(Case.objects.select_for_update().filter(coordinator=source, closed_at=None))
        for case in cases:
            case.coordinator = target
            case.save(update_fields=["coordinator"])
            record(
                actor=actor,
                action="cases.case.reassign",
                subject=case,
                changes={"coordinator": [source.pk, target.pk]},
            )
        Veteran.objects.filter(coordinator=source, cases__in=cases).update(coordinator=target)
        Task.objects.filter(assignee=source, status__in=OPEN_STATUSES).update(assignee=target)
    return len(cases)
