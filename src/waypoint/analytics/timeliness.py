"""Are the fund's deadlines kept? Case tasks and hotline appeals done by their deadline, by
region (defined in docs/analytics.md)."""

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.analytics import suppression as hide
from waypoint.analytics.filters import Filters
from waypoint.analytics.tables import Column, Table, region_names
from waypoint.appeals.models import Appeal
from waypoint.cases.models import Task


def compliance(f: Filters) -> Table:
    """Case tasks and appeals whose deadline fell in the period and has passed (or that were
    finished already), by region: the share done by the deadline. A task still open before
    its deadline cannot be late yet: counting it as missed gave 0 % for every month still
    running, and for any region whose work is mostly due ahead."""
    now = timezone.now()
    tasks = (
        Task.objects.filter(due_at__date__gte=f.start, due_at__date__lte=f.end, case__isnull=False)
        .exclude(status=Task.Status.CANCELLED)
        .filter(Q(due_at__lte=now) | Q(done_at__isnull=False))
    )
    appeals = Appeal.objects.filter(due_at__date__gte=f.start, due_at__date__lte=f.end).filter(
        Q(due_at__lte=now) | Q(answered_at__isnull=False)
    )
    if f.region:
        tasks = tasks.filter(case__region_id=f.region)
        appeals = appeals.filter(region_id=f.region)
    task_rows = {
        row["case__region_id"]: row
        for row in tasks.values("case__region_id").annotate(
            due=Count("pk"),
            in_time=Count("pk", filter=Q(done_at__isnull=False, done_at__lte=F("due_at"))),
        )
    }
    appeal_rows = {
        row["region_id"]: row
        for row in appeals.values("region_id").annotate(
            due=Count("pk"),
            in_time=Count("pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("due_at"))),
        )
    }
    names = region_names()
    rows = []
    for region in sorted(set(task_rows) | set(appeal_rows), key=lambda code: names.get(code, "")):
        t = task_rows.get(region, {"due": 0, "in_time": 0})
        a = appeal_rows.get(region, {"due": 0, "in_time": 0})
        rows.append(
            {
                "code": region,
                "name": names.get(region, region),
                "tasks_due": t["due"],
                "tasks_rate": hide.rate(t["in_time"], t["due"]),
                "appeals_due": a["due"],
                "appeals_rate": hide.rate(a["in_time"], a["due"]),
            }
        )
    return Table(
        "deadline-compliance",
        _("Deadline compliance by region"),
        [
            Column("name", _("Region"), "text"),
            Column("tasks_due", _("Case tasks due"), "number"),
            Column("tasks_rate", _("Done in time, %"), "rate"),
            Column("appeals_due", _("Appeals due"), "number"),
            Column("appeals_rate", _("Answered in time, %"), "rate"),
        ],
        rows,
        _(
            "Case tasks and appeals whose deadline fell in the period and has passed, or that "
            "were finished before it; cancelled tasks left out. In time: done (answered) no "
            "later than the deadline."
        ),
    )
