"""Programme outcomes: placement rate, time to placement, retention, pay against the region,
training completion and cohorts by month of programme entry (deadline compliance is in
timeliness.py). SQL aggregates where the figure is one; suppression when the tables are
built. Every figure is defined in docs/analytics.md.

A veteran's clock starts on `entered_on`, the day they entered the programme (not the day
the record was typed in). A job that started before that day is "employed at entry": it is
not a placement and never counts towards days to placement or retention."""

import calendar
from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from waypoint.analytics import suppression as hide
from waypoint.analytics.filters import Filters
from waypoint.analytics.market import SEEKING, demand_cells, open_vacancies, with_pay
from waypoint.analytics.sql import DaysBetween, quantiles
from waypoint.analytics.tables import Column, Table, region_names
from waypoint.cases.models import Case
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
    """The period's entrants: veterans whose programme entry date falls in it."""
    rows = Veteran.objects.filter(entered_on__gte=f.start, entered_on__lte=f.end)
    if f.region:
        rows = rows.filter(region_id=f.region)
    return rows


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def placements_after_entry():
    """Placements that count as the programme's: the job started on or after the veteran's
    entry date and has started by today (a hire recorded ahead of its start is not yet one)."""
    return Placement.objects.filter(
        start_date__gte=F("veteran__entered_on"), start_date__lte=timezone.localdate()
    )


def _placed_q(prefix: str = "placements__") -> Q:
    return Q(
        **{
            f"{prefix}start_date__gte": F("entered_on"),
            f"{prefix}start_date__lte": timezone.localdate(),
        }
    )


def _localised(field: str) -> str:
    return f"{field}_ru" if (get_language() or "en").startswith("ru") else f"{field}_en"


def _keyed(rows, by: str):
    """Veterans with the dimension's key and label columns."""
    if by == "track":
        latest = Case.objects.filter(veteran=OuterRef("pk")).order_by("-opened_at", "-pk")
        return rows.annotate(
            key=Subquery(latest.values("track__code")[:1]),
            label=Subquery(latest.values(_localised("track__name"))[:1]),
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
    """Veterans who entered in the period, keyed by the dimension, with the start of their
    first placement (the first job that began on or after entry)."""
    return _keyed(registered(f), by).annotate(
        first_start=Min("placements__start_date", filter=_placed_q())
    )


def placement_outcomes(f: Filters, by: str = "region", with_pay_ratio: bool = True) -> Table:
    veterans = _with_first_job(f, by)
    counts = {
        row["key"]: row
        for row in veterans.values("key", "label")
        .annotate(
            registered=Count("pk", distinct=True),
            placed=Count("pk", distinct=True, filter=_placed_q()),
            at_entry=Count(
                "pk", distinct=True, filter=Q(placements__start_date__lt=F("entered_on"))
            ),
        )
        .order_by()  # the model's ordering would join the grouping (PostgreSQL refuses)
    }
    waits = quantiles(
        veterans.filter(first_start__isnull=False)
        .annotate(days=DaysBetween("first_start", "entered_on"))
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
                "at_entry": row["at_entry"],
                "at_entry_rate": hide.rate(row["at_entry"], row["registered"]),
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
            Column("registered", pgettext("people counted", "Entered")),
            Column("placed", _("Placed")),
            Column("rate", _("Placement rate, %"), "rate"),
            Column("at_entry", _("Employed at entry")),
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
            "Veterans who entered the programme in the period. Placed: with a job that "
            "started on or after the entry date (and by today); employed at entry: with a job "
            "that started before it, which is not a placement. Days to placement: from entry "
            "to the first placement's start. Retention at 3, 6 and 12 months: of the "
            "placements that have reached that month and whose outcome is known (a follow-up "
            "or a leaving date), the share still employed. Pay: median pay at placement "
            "against the median pay of the region's vacancies. Cells about fewer than five "
            "people show <5."
        ),
    )


def behind_placement(f: Filters, by: str, key: str | None):
    """The veterans counted in one row of placement-by-`by` (key None: the row "not set"),
    with the start of their first job."""
    rows = _with_first_job(f, by)
    return rows.filter(key__isnull=True) if key is None else rows.filter(key=key)


def follow_ups_done(veterans: list[int]) -> dict[tuple[int, int], bool]:
    """(veteran, months) → still employed, for each veteran's placements as retention counts
    them (unknown outcomes left out)."""
    found: dict[tuple[int, int], bool] = {}
    for placement in _retention_placements(
        placements_after_entry().filter(veteran__in=veterans).annotate(key=Value(""))
    ).values():
        for months, kept in placement["outcome"].items():
            if kept is not None:
                found[(placement["veteran"], months)] = kept
    return found


def retained_at(start: date, ended_on: date | None, answer: bool | None, months: int):
    """Was the person still in the job `months` after `start`? True, False, or None when it
    is not known or the month has not come yet. A leaving date decides; without one, the
    follow-up's answer does."""
    mark = add_months(start, months)
    if mark > timezone.localdate():
        return None  # not old enough: neither kept nor lost
    if ended_on is not None:
        return ended_on >= mark
    return answer


def _retention_placements(placements) -> dict[int, dict]:
    """Each placement's outcome at 3, 6 and 12 months (see retained_at)."""
    answers: dict[tuple[int, int], bool] = {
        (placement, months): kept
        for placement, months, kept in FollowUp.objects.filter(
            placement__in=placements.values("pk"), done_on__isnull=False
        ).values_list("placement_id", "months", "still_employed")
    }
    found = {}
    for row in placements.values("pk", "veteran_id", "key", "start_date", "ended_on").order_by():
        found[row["pk"]] = {
            "veteran": row["veteran_id"],
            "key": row["key"],
            "outcome": {
                months: retained_at(
                    row["start_date"], row["ended_on"], answers.get((row["pk"], months)), months
                )
                for months in FollowUp.MONTHS
            },
        }
    return found


def _retention(veterans, by: str) -> dict[tuple, tuple[int, int]]:
    """(key, months) → (placements still held at that month, placements whose outcome at
    that month is known)."""
    placements = (
        placements_after_entry()
        .filter(veteran__in=veterans.values("pk"))
        .annotate(key=_key_through("veteran", by))
    )
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for placement in _retention_placements(placements).values():
        for months, kept in placement["outcome"].items():
            if kept is not None:
                cell = counts[(placement["key"], months)]
                cell[0] += int(kept)
                cell[1] += 1
    return {key: (kept, known) for key, (kept, known) in counts.items()}


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
    placements = (
        placements_after_entry()
        .filter(veteran__in=veterans.values("pk"), salary__isnull=False)
        .annotate(
            key=_key_through("veteran", by),
            region=F("veteran__region_id"),
        )
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


def cohorts(f: Filters) -> Table:
    """Veterans who entered each month, and what became of them since."""
    today = timezone.localdate()
    after_entry = Placement.objects.filter(
        veteran=OuterRef("pk"), start_date__gte=OuterRef("entered_on"), start_date__lte=today
    )
    rows = (
        registered(f)
        .annotate(
            month=TruncMonth("entered_on"),
            oriented=Exists(OrientationRun.objects.filter(veteran=OuterRef("pk"))),
            trained=Exists(Enrolment.objects.filter(veteran=OuterRef("pk"), status="completed")),
            at_entry=Exists(
                Placement.objects.filter(
                    veteran=OuterRef("pk"), start_date__lt=OuterRef("entered_on")
                )
            ),
            placed=Exists(after_entry),
        )
        .values("month")
        .annotate(
            registered=Count("pk"),
            with_orientation=Count("pk", filter=Q(oriented=True)),
            completed=Count("pk", filter=Q(trained=True)),
            at_entry=Count("pk", filter=Q(at_entry=True)),
            placed=Count("pk", filter=Q(placed=True)),
        )
        .order_by("month")
    )
    kept_3 = _people_retained(registered(f), 3)
    return Table(
        "cohorts",
        _("Cohorts by month of programme entry"),
        [
            Column("month", _("Entered in"), "text"),
            Column("registered", pgettext("people counted", "Entered")),
            Column("with_orientation", _("With an orientation")),
            Column("completed", _("Completed training")),
            Column("at_entry", _("Employed at entry")),
            Column("placed", _("Placed")),
            Column("retained_3", _("Employed at 3 months")),
        ],
        [
            {
                **row,
                "code": _month_code(row["month"]),
                "month": _month_code(row["month"]),
                "retained_3": kept_3.get(_month_code(row["month"]), 0),
            }
            for row in rows
        ],
        _(
            "Each row follows the veterans who entered the programme in that month up to "
            "today. Employed at 3 months: placed veterans known to be in that job three months "
            "after it started."
        ),
    )


def _month_code(month) -> str:
    return month.strftime("%Y-%m")


def _people_retained(veterans, months: int) -> dict[str, int]:
    """Entry month → veterans with a placement known to be held at `months` months."""
    placements = placements_after_entry().filter(veteran__in=veterans.values("pk"))
    entry = dict(veterans.values_list("pk", "entered_on"))
    people: dict[str, set[int]] = defaultdict(set)
    for placement in _retention_placements(placements.annotate(key=Value(""))).values():
        if placement["outcome"][months]:
            people[entry[placement["veteran"]].strftime("%Y-%m")].add(placement["veteran"])
    return {month: len(found) for month, found in people.items()}


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
    joined = _per_month(registered(f), "entered_on", people=Count("pk"))
    starts = placements_after_entry().filter(start_date__gte=f.start, start_date__lte=f.end)
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
            Column("registered", _("Veterans entering the programme")),
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
            "chosen); veterans by the month they entered the programme and the month a "
            "placement (a job that began on or after entry) started."
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
        (
            "registered",
            _("Veterans entering the programme"),
            hide.count(total.get("registered", 0)),
        ),
        ("placed", _("Placed"), hide.count(total.get("placed", 0))),
        ("rate", _("Placement rate, %"), total.get("rate")),
        ("at_entry", _("Employed at entry, %"), total.get("at_entry_rate")),
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
            "entrants, placed, employed at entry and retained as in the placement table."
        ),
    )
