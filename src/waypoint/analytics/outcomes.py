"""Programme outcomes: placement rate, time to placement, retention, pay against the region,
training completion, deadline compliance, and cohorts by month of registration. SQL
aggregates only; suppression when the tables are built."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import TruncDate, TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypoint.analytics import suppression as hide
from waypoint.analytics.filters import Filters
from waypoint.analytics.market import SEEKING, demand_cells, open_vacancies, with_pay
from waypoint.analytics.sql import DaysBetween, quantiles
from waypoint.analytics.tables import Column, Table, region_names
from waypoint.appeals.models import Appeal
from waypoint.cases.models import Case, Task
from waypoint.employment.models import FollowUp, Placement
from waypoint.orientation.models import OrientationRun
from waypoint.people.models import Veteran
from waypoint.training.models import Enrolment, Programme

DIMENSIONS = {
    "region": gettext_lazy("Region"),
    "track": gettext_lazy("Track"),
    "coordinator": gettext_lazy("Coordinator"),
    "programme": gettext_lazy("Programme"),
    "provider": gettext_lazy("Provider"),
    "total": gettext_lazy("All veterans"),
}


def registered(f: Filters):
    rows = Veteran.objects.annotate(day=TruncDate("created_at")).filter(
        day__gte=f.start, day__lte=f.end
    )
    if f.region:
        rows = rows.filter(region_id=f.region)
    return rows


def _keyed(rows, by: str):
    """Veterans with the dimension's key and label columns."""
    if by == "track":
        latest = Case.objects.filter(veteran=OuterRef("pk")).order_by("-opened_at", "-pk")
        return rows.annotate(
            key=Subquery(latest.values("track__code")[:1]),
            label=Subquery(latest.values("track__name_en")[:1]),
        )
    if by == "coordinator":
        return rows.annotate(key=F("coordinator_id"), label=F("coordinator__last_name"))
    if by == "total":
        return rows.annotate(key=Value("all"), label=Value(""))
    return rows.annotate(key=F("region_id"), label=F("region_id"))


def _key_through(veteran: str, by: str):
    """The dimension's key for rows that reach their veteran through `veteran` (a join,
    where _keyed's correlated subquery per row was the costliest part of the outcomes)."""
    if by == "track":
        latest = Case.objects.filter(veteran=OuterRef(veteran)).order_by("-opened_at", "-pk")
        return Subquery(latest.values("track__code")[:1])
    if by == "coordinator":
        return F(f"{veteran}__coordinator_id")
    if by == "total":
        return Value("all")
    return F(f"{veteran}__region_id")


def _with_first_job(f: Filters, by: str):
    """Veterans registered in the period, keyed by the dimension, with their first job's start."""
    return _keyed(registered(f), by).annotate(first_start=Min("placements__start_date"))


def placement_outcomes(f: Filters, by: str = "region", with_pay_ratio: bool = True) -> Table:
    veterans = _with_first_job(f, by)
    counts = {
        row["key"]: row
        for row in veterans.values("key", "label")
        .annotate(
            registered=Count("pk", distinct=True),
            placed=Count("pk", distinct=True, filter=Q(placements__isnull=False)),
        )
        .order_by()  # the model's ordering would join the grouping (PostgreSQL refuses)
    }
    waits = quantiles(
        veterans.filter(first_start__isnull=False)
        .annotate(days=DaysBetween("first_start", TruncDate("created_at")))
        .values("key", "days"),
        "days",
        ["key"],
    )
    retention = _retention(veterans, by)
    pay = _pay_against_region(f, veterans, by) if with_pay_ratio else {}
    names = region_names() if by == "region" else {}
    rows = []
    for key, row in sorted(counts.items(), key=lambda item: -item[1]["registered"]):
        wait = waits.get((key,), {})
        placed = row["placed"]
        rows.append(
            {
                "code": key,
                "name": names.get(key) or row["label"] or _("not set"),
                "registered": row["registered"],
                "placed": placed,
                "rate": hide.rate(placed, row["registered"]),
                "wait_q1": hide.over(placed, wait.get(0.25)),
                "wait_median": hide.over(placed, wait.get(0.5)),
                "wait_q3": hide.over(placed, wait.get(0.75)),
                **{
                    f"retained_{months}": hide.rate(*retention.get((key, months), (0, 0)))
                    for months in (3, 6, 12)
                },
                "pay_ratio": pay.get(key),
            }
        )
    return Table(
        f"placement-by-{by}",
        _("Placement and retention by %(dimension)s") % {"dimension": DIMENSIONS[by]},
        [
            Column("name", str(DIMENSIONS[by]), "text"),
            Column("registered", _("Registered")),
            Column("placed", _("Placed")),
            Column("rate", _("Placement rate, %"), "rate"),
            Column("wait_q1", _("Days to placement, lower quartile"), "days"),
            Column("wait_median", _("Days to placement, median"), "days"),
            Column("wait_q3", _("Days to placement, upper quartile"), "days"),
            Column("retained_3", _("Still employed at 3 months, %"), "rate"),
            Column("retained_6", _("At 6 months, %"), "rate"),
            Column("retained_12", _("At 12 months, %"), "rate"),
            Column("pay_ratio", _("Pay at placement ÷ regional median, %"), "rate"),
        ],
        rows,
        _(
            "Veterans registered in the period; placed: with a recorded hire. Days to "
            "placement: from registration to the first job's start. Retention: of follow-ups "
            "done at 3, 6 and 12 months, the share still employed. Pay: median pay at "
            "placement against the median pay of the region's vacancies. Cells about fewer "
            "than five people show <5."
        ),
    )


def behind_placement(f: Filters, by: str, key: str | None):
    """The veterans counted in one row of placement-by-`by` (key None: the row "not set"),
    with the start of their first job."""
    rows = _with_first_job(f, by)
    return rows.filter(key__isnull=True) if key is None else rows.filter(key=key)


def follow_ups_done(veterans: list[int]) -> dict[tuple[int, int], bool]:
    """(veteran, months) → still employed, for the follow-ups done."""
    return {
        (veteran, months): kept
        for veteran, months, kept in FollowUp.objects.filter(
            placement__veteran__in=veterans, done_on__isnull=False
        ).values_list("placement__veteran_id", "months", "still_employed")
    }


def _retention(veterans, by: str) -> dict[tuple, tuple[int, int]]:
    done = FollowUp.objects.filter(
        done_on__isnull=False, placement__veteran__in=veterans.values("pk")
    ).annotate(key=_key_through("placement__veteran", by))
    return {
        (row["key"], row["months"]): (row["kept"], row["done"])
        for row in done.values("key", "months")
        .annotate(done=Count("pk"), kept=Count("pk", filter=Q(still_employed=True)))
        .order_by()
    }


def _pay_against_region(f: Filters, veterans, by: str) -> dict:
    """Median pay at placement as a share of the median pay of the region's vacancies."""
    region_pay = quantiles(
        with_pay(open_vacancies(Filters(since=f.since, until=f.until))).values(
            "region_id", "salary"
        ),
        "salary",
        ["region_id"],
        [0.5],
    )
    placements = Placement.objects.filter(
        veteran__in=veterans.values("pk"), salary__isnull=False
    ).annotate(
        key=_key_through("veteran", by),
        region=F("veteran__region_id"),
    )
    people = dict(
        placements.values("key")
        .annotate(n=Count("veteran", distinct=True))
        .order_by()  # the model's ordering would join the grouping (PostgreSQL refuses)
        .values_list("key", "n")
    )
    paid = quantiles(
        placements.values("key", "region", "salary"), "salary", ["key", "region"], [0.5]
    )
    ratios: dict = defaultdict(list)
    for (key, region), point in paid.items():
        base = region_pay.get((region,), {}).get(0.5)
        if base:
            ratios[key].append(100 * point[0.5] / base)
    return {
        key: hide.over(people.get(key, 0), round(sum(values) / len(values), 1))
        for key, values in ratios.items()
    }


def training_outcomes(f: Filters, by: str = "programme") -> Table:
    enrolments = Enrolment.objects.filter(
        cohort__start_date__gte=f.start, cohort__start_date__lte=f.end
    )
    if f.region:
        enrolments = enrolments.filter(veteran__region_id=f.region)
    key = "cohort__programme" if by == "programme" else "cohort__programme__provider"
    label = (
        "cohort__programme__title"
        if by == "programme"
        else ("cohort__programme__provider__organisation__name")
    )
    placed_after = Placement.objects.filter(
        veteran=OuterRef("veteran"), start_date__gte=OuterRef("cohort__start_date")
    )
    # Related: the job's occupation is one the programme leads to, or shares its ISCO-08
    # unit group with one of them (a welder's course and a job as a pipe welder).
    led_to = Programme.occupations.through.objects.filter(
        programme=OuterRef(OuterRef("cohort__programme"))
    )
    placed_related = placed_after.filter(
        Q(application__vacancy__occupation__in=led_to.values("occupation"))
        | Q(
            application__vacancy__occupation__isco_group__in=led_to.exclude(
                occupation__isco_group=""
            ).values("occupation__isco_group")
        )
    )
    rows = (
        enrolments.annotate(
            key=F(key),
            label=F(label),
            placed=Exists(placed_after),
            placed_related=Exists(placed_related),
        )
        .values("key", "label")
        .annotate(
            enrolled=Count("veteran", distinct=True),
            completed=Count("veteran", distinct=True, filter=Q(status="completed")),
            ended=Count(
                "veteran", distinct=True, filter=Q(status__in=["completed", "dropped_out"])
            ),
            completers_placed=Count(
                "veteran", distinct=True, filter=Q(status="completed", placed=True)
            ),
            completers_related=Count(
                "veteran", distinct=True, filter=Q(status="completed", placed_related=True)
            ),
        )
        .order_by("-enrolled")
    )
    return Table(
        f"training-by-{by}",
        _("Training by %(dimension)s") % {"dimension": DIMENSIONS[by]},
        [
            Column("name", str(DIMENSIONS[by]), "text"),
            Column("enrolled", _("Enrolled")),
            Column("completed", _("Completed")),
            Column("completion", _("Completion rate, %"), "rate"),
            Column("placed_share", _("Completers placed, %"), "rate"),
            Column("related_share", _("Completers placed in a related occupation, %"), "rate"),
        ],
        [
            {
                "code": row["key"],
                "name": row["label"],
                "enrolled": row["enrolled"],
                "completed": row["completed"],
                "completion": hide.rate(row["completed"], row["ended"]),
                "placed_share": hide.rate(row["completers_placed"], row["completed"]),
                "related_share": hide.rate(row["completers_related"], row["completed"]),
            }
            for row in rows
        ],
        _(
            "Enrolments in cohorts that started in the period. Completion rate: completed ÷ "
            "(completed + dropped out). Completers placed: with a job that started after the "
            "cohort began; in a related occupation: one the programme leads to, or in the "
            "same ISCO-08 unit group as one of them."
        ),
    )


def compliance(f: Filters) -> Table:
    """Tasks due in the period done in time, and appeals answered in time, by region."""
    tasks = Task.objects.filter(
        due_at__date__gte=f.start, due_at__date__lte=f.end, case__isnull=False
    ).exclude(status=Task.Status.CANCELLED)
    appeals = Appeal.objects.filter(due_at__date__gte=f.start, due_at__date__lte=f.end)
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
        _("Tasks and appeals whose deadline fell in the period; in time: done by the deadline."),
    )


def cohorts(f: Filters) -> Table:
    """Veterans registered each month, and what became of them since."""
    rows = (
        registered(f)
        .annotate(
            month=TruncMonth("created_at"),
            oriented=Exists(OrientationRun.objects.filter(veteran=OuterRef("pk"))),
            trained=Exists(Enrolment.objects.filter(veteran=OuterRef("pk"), status="completed")),
            placed=Exists(Placement.objects.filter(veteran=OuterRef("pk"))),
            kept=Exists(
                FollowUp.objects.filter(
                    placement__veteran=OuterRef("pk"), months=3, still_employed=True
                )
            ),
        )
        .values("month")
        .annotate(
            registered=Count("pk"),
            with_orientation=Count("pk", filter=Q(oriented=True)),
            completed=Count("pk", filter=Q(trained=True)),
            placed=Count("pk", filter=Q(placed=True)),
            retained_3=Count("pk", filter=Q(kept=True)),
        )
        .order_by("month")
    )
    return Table(
        "cohorts",
        _("Cohorts by month of registration"),
        [
            Column("month", _("Registered in"), "text"),
            Column("registered", _("Registered")),
            Column("with_orientation", _("With an orientation")),
            Column("completed", _("Completed training")),
            Column("placed", _("Placed")),
            Column("retained_3", _("Employed at 3 months")),
        ],
        [
            {**row, "code": row["month"].strftime("%Y-%m"), "month": row["month"].strftime("%Y-%m")}
            for row in rows
        ],
        _("Each row follows the veterans registered in that month up to today."),
    )


def _months(f: Filters) -> list[str]:
    months, day = [], f.start.replace(day=1)
    while day <= f.end:
        months.append(day.strftime("%Y-%m"))
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _per_month(rows, month_of: str, **figures) -> dict[str, dict]:
    return {
        row["month"].strftime("%Y-%m"): row
        for row in rows.annotate(month=TruncMonth(month_of)).values("month").annotate(**figures)
    }


def trend(f: Filters) -> Table:
    """Month by month through the period: vacancies and openings published, veterans
    registered, veterans starting a job."""
    published = _per_month(
        open_vacancies(f).filter(published_on__gte=f.start),
        "published_on",
        vacancies=Count("pk"),
        openings=Sum("openings"),
    )
    joined = _per_month(registered(f), "created_at", people=Count("pk"))
    starts = Placement.objects.filter(start_date__gte=f.start, start_date__lte=f.end)
    if f.region:
        starts = starts.filter(veteran__region_id=f.region)
    placed = _per_month(starts, "start_date", people=Count("veteran", distinct=True))
    empty = {"vacancies": 0, "openings": 0, "people": 0}
    return Table(
        "trend-by-month",
        _("Month by month"),
        [
            Column("month", _("Month"), "text"),
            Column("vacancies", _("Vacancies published"), "count"),
            Column("openings", _("Openings published"), "count"),
            Column("registered", _("Veterans registered")),
            Column("placed", _("Veterans starting a job")),
        ],
        [
            {
                "code": month,
                "month": month,
                "vacancies": published.get(month, empty)["vacancies"],
                "openings": published.get(month, empty)["openings"],
                "registered": joined.get(month, empty)["people"],
                "placed": placed.get(month, empty)["people"],
            }
            for month in _months(f)
        ],
        _(
            "Vacancies by the month they were published (within the region, group and sector "
            "chosen); veterans by the month they registered and the month a job started."
        ),
    )


def headline(f: Filters, cells: list[dict] | None = None) -> Table:
    """The few figures every dashboard opens with, for the period and the region chosen."""
    cells = demand_cells(f) if cells is None else cells
    seeking = Veteran.objects.filter(status__in=SEEKING)
    if f.region:
        seeking = seeking.filter(region_id=f.region)
    (total,) = placement_outcomes(f, "total", with_pay_ratio=False).rows or [{}]
    figures = [
        ("openings", _("Openings in open vacancies"), sum(c["openings"] for c in cells)),
        ("vacancies", _("Open vacancies"), sum(c["vacancies"] for c in cells)),
        ("seeking", _("Veterans seeking work"), hide.count(seeking.count())),
        ("registered", _("Veterans registered"), hide.count(total.get("registered", 0))),
        ("placed", _("Placed"), hide.count(total.get("placed", 0))),
        ("rate", _("Placement rate, %"), total.get("rate")),
        ("wait", _("Days to placement, median"), total.get("wait_median")),
        ("retained", _("Still employed at 6 months, %"), total.get("retained_6")),
    ]
    return Table(
        "key-figures",
        _("Key figures"),
        [Column("figure", _("Figure"), "text"), Column("value", _("Value"), "number")],
        [{"code": code, "figure": label, "value": value} for code, label, value in figures],
        _(
            "Vacancies open at some time in the period; veterans seeking work today; "
            "registered, placed and retained as in the placement table."
        ),
    )
