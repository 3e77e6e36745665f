"""Reads for cases: caseloads, task lists and the dashboards' figures."""

from statistics import median

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from waypoint.audit.services import record
from waypoint.cases.access import cases_visible_to, referrals_visible_to, tasks_visible_to
from waypoint.cases.models import Case, Referral, Stage, Task
from waypoint.people.access import veterans_visible_to
from waypoint.people.models import Veteran

OPEN = (Task.Status.OPEN, Task.Status.IN_PROGRESS)


def cases_for(user, *, mine: bool = False, stage: str = "", closed: bool = False) -> QuerySet:
    found = cases_visible_to(user).select_related(
        "veteran", "coordinator", "stage", "track", "region"
    )
    if mine:
        found = found.filter(coordinator=user)
    if stage:
        found = found.filter(stage__code=stage)
    return found.filter(closed_at__isnull=not closed)


def case_for(user, pk: int, *, audit: bool = False) -> Case | None:
    """One case through the read gate; with `audit`, reading it is recorded (the case page
    and the API's detail, alike)."""
    case = (
        cases_visible_to(user)
        .select_related("veteran", "coordinator", "stage", "track", "region", "organisation")
        .filter(pk=pk)
        .first()
    )
    if case is not None and audit:
        record(actor=user, action="cases.case.view", subject=case)
    return case


def tasks_for(user, *, queue: bool = False) -> QuerySet:
    """Open tasks: assigned to the person, or waiting in their organisation's queue."""
    found = (
        tasks_visible_to(user)
        .filter(status__in=OPEN)
        .select_related("type", "case__veteran", "queue")
    )
    if queue:
        return found.filter(queue_id=user.organisation_id, assignee=None)
    return found.filter(assignee=user)


def without_a_case(user) -> QuerySet[Veteran]:
    """Veterans the person coordinates who have never had a case opened: new in the caseload,
    the first meeting still to come. Longest waiting first."""
    return (
        veterans_visible_to(user)
        .filter(coordinator=user)
        .exclude(status=Veteran.Status.CLOSED)
        .filter(~Exists(Case.objects.filter(veteran=OuterRef("pk"))))
        .order_by("created_at", "pk")
    )


def referrals_awaiting(user) -> QuerySet[Referral]:
    """Referrals from the cases the person coordinates that the receiver has not answered
    yet, the answer due soonest (or overdue longest) first."""
    return (
        referrals_visible_to(user)
        .filter(case__coordinator=user, status=Referral.Status.PENDING)
        .select_related("case__veteran", "receiver")
        .order_by("due_at", "pk")
    )


def caseload_by_stage(cases: QuerySet) -> list[tuple[Stage, int]]:
    counts = dict(cases.values_list("stage").annotate(n=Count("pk")))
    return [(stage, counts.get(stage.pk, 0)) for stage in Stage.objects.filter(is_closed=False)]


def supervision(user) -> list[dict]:
    """Per coordinator in the person's scope: open cases, overdue tasks, the oldest open task
    and the median days the open cases have spent at their current stage."""
    now = timezone.now()
    cases = cases_visible_to(user).filter(closed_at=None)
    rows = (
        cases.values("coordinator", "coordinator__first_name", "coordinator__last_name", "region")
        .annotate(
            open_cases=Count("pk", distinct=True),
            overdue=Count(
                "tasks",
                filter=Q(tasks__status__in=OPEN, tasks__due_at__lt=now),
                distinct=True,
            ),
            oldest_due=Min("tasks__due_at", filter=Q(tasks__status__in=OPEN)),
        )
        .order_by("region", "coordinator__last_name")
    )
    ages: dict[tuple, list[float]] = {}
    for coordinator, region, since in cases.values_list("coordinator", "region", "stage_since"):
        ages.setdefault((coordinator, region), []).append((now - since).total_seconds() / 86400)
    return [
        row
        | {
            "name": f"{row['coordinator__first_name']} {row['coordinator__last_name']}".strip()
            or "—",
            "median_days": round(median(ages.get((row["coordinator"], row["region"]), [0])), 1),
        }
        for row in rows
    ]


def median_days_per_stage(user) -> list[tuple[Stage, float | None, int]]:
    """How long open cases have been at each stage so far (median days, and how many)."""
    now = timezone.now()
    ages: dict[int, list[float]] = {}
    for stage, since in (
        cases_visible_to(user).filter(closed_at=None).values_list("stage", "stage_since")
    ):
        ages.setdefault(stage, []).append((now - since).total_seconds() / 86400)
    return [
        (
            stage,
            round(median(ages[stage.pk]), 1) if stage.pk in ages else None,
            len(ages.get(stage.pk, [])),
        )
        for stage in Stage.objects.filter(is_closed=False)
    ]
