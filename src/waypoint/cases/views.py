"""Case pages: my caseload, a case with its tasks, task lists, the supervisor's view."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waypoint.accounts.access import requires, signed_in
from waypoint.cases import access, selectors, services
from waypoint.cases.forms import MoveForm, TaskForm
from waypoint.kit.forms import flash_errors
from waypoint.people.selectors import veteran_for


@requires(access.VIEW)
def caseload(request: HttpRequest) -> HttpResponse:
    """My caseload by stage, my overdue tasks and my organisation's queue."""
    mine = selectors.cases_for(request.user, mine=True)
    stage = request.GET.get("stage", "")
    tasks = list(selectors.tasks_for(request.user)[:200])
    now = timezone.now()
    return render(
        request,
        "cases/caseload.html",
        {
            "by_stage": selectors.caseload_by_stage(mine),
            "cases": (mine.filter(stage__code=stage) if stage else mine)[:300],
            "stage": stage,
            "overdue": [t for t in tasks if t.due_at < now],
            "upcoming": [t for t in tasks if t.due_at >= now][:50],
            "queue": list(selectors.tasks_for(request.user, queue=True)[:100]),
            "now": now,
        },
    )


@requires(access.SUPERVISE)
def supervision(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cases/supervision.html",
        {
            "rows": selectors.supervision(request.user),
            "stages": selectors.median_days_per_stage(request.user),
        },
    )


@requires(access.MANAGE)
@require_POST
def case_open(request: HttpRequest, veteran: int) -> HttpResponse:
    record_ = veteran_for(request.user, veteran, audit=False)
    try:
        case = services.open_case(
            actor=request.user, veteran=record_, summary=request.POST.get("summary", "")
        )
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect(reverse("people:veteran_detail", args=[veteran]))
    messages.success(request, _("Case opened."))
    return redirect(reverse("cases:case", args=[case.pk]))


def _case(request: HttpRequest, pk: int, *, audit: bool = False):
    case = selectors.case_for(request.user, pk, audit=audit)
    if case is None:
        raise Http404("no such case")
    return case


@requires(access.VIEW)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, audit=True)
    manages = access.may_manage(request.user, case)
    tasks = list(
        case.tasks.select_related("type", "assignee", "queue").order_by("status", "due_at")
    )
    return render(
        request,
        "cases/case.html",
        {
            "case": case,
            "manages": manages,
            "tasks": tasks,
            "now": timezone.now(),
            "move_form": MoveForm(initial={"stage": case.stage_id, "track": case.track_id}),
            "task_form": TaskForm(initial={"assignee": case.coordinator_id}),
        },
    )


@requires(access.MANAGE)
@require_POST
def case_move(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.move(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Case updated."))
    else:
        flash_errors(request, ValidationError(form.errors))
    return redirect(reverse("cases:case", args=[pk]))


@requires(access.MANAGE)
@require_POST
def task_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = TaskForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_task(
                actor=request.user,
                case=case,
                task_type=data["type"],
                title=data["title"],
                assignee=data["assignee"],
                queue=data["queue"],
                description=data["description"],
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Task added."))
    else:
        flash_errors(request, ValidationError(form.errors))
    return redirect(reverse("cases:case", args=[pk]))


@signed_in
@require_POST
def task_status(request: HttpRequest, pk: int, status: str) -> HttpResponse:
    task = access.tasks_visible_to(request.user).select_related("case").filter(pk=pk).first()
    if task is None:
        raise Http404("no such task")
    try:
        services.finish_task(actor=request.user, task=task, status=status)
    except ValidationError as exc:
        flash_errors(request, exc)
    except PermissionDenied:
        raise
    else:
        messages.success(request, _("Task updated."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return redirect(back)
    return redirect(reverse("cases:caseload"))
