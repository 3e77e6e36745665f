"""Demand and supply of skilled labour by region and ISCO-08 major group, the shortage index
and the most promising moves. Every figure is one SQL aggregate; suppression is applied when
the tables are built (analytics.suppression)."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import (
    Count,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Substr
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from waypoint.analytics import rollups
from waypoint.analytics import suppression as hide
from waypoint.analytics.filters import Filters
from waypoint.analytics.models import PreferredGroup
from waypoint.analytics.sql import DaysBetween, isco_major, quantiles
from waypoint.analytics.tables import (
    Column,
    Table,
    isco_group_names,
    major_group_names,
    region_names,
)
from waypoint.employment.models import Employer
from waypoint.labour import market as labour
from waypoint.orientation.models import OrientationRun, Recommendation
from waypoint.people.models import Veteran
from waypoint.taxonomy.okz import okz_name
from waypoint.training.models import Enrolment, Programme

OCCUPATIONS_SHOWN = 20
TOP = 3  # a veteran counts towards the occupations of their three best recommendations
NEAR = 2  # "one short training away": at most this many essential skills missing
SEEKING = (
    Veteran.Status.NEW,
    Veteran.Status.ACTIVE,
    Veteran.Status.IN_TRAINING,
    Veteran.Status.PAUSED,
)


def open_vacancies(f: Filters):
    """Vacancies open at some time in the period (labour.open_vacancies), within the
    filters."""
    rows = labour.open_vacancies(f.start, f.end)
    if f.region:
        rows = rows.filter(region_id=f.region)
    if f.sector:
        rows = rows.filter(employer__sector=f.sector)
    rows = rows.annotate(major=isco_major("occupation__isco_group"))
    if f.group:
        rows = rows.filter(major=f.group)
    return rows


def with_pay(rows):
    """Each vacancy's pay as `salary` (labour.pay: the middle of its range, or the bound it
    gives)."""
    return rows.annotate(salary=labour.pay())


def demand_cells(f: Filters) -> list[dict]:
    """Vacancies, openings and the veterans' quota per region × major group × employer sector:
    the one pass over the vacancies that every demand total and the shortage index are summed
    from."""
    return list(
        open_vacancies(f)
        .values("region_id", "major", "employer__sector")
        .annotate(vacancies=Count("pk"), openings=Sum("openings"), quota=Sum("veteran_quota"))
        .order_by()
    )


def _totals(cells: list[dict], key: str) -> list[dict]:
    totals: dict = defaultdict(lambda: {"vacancies": 0, "openings": 0, "quota": 0})
    for cell in cells:
        total = totals[cell[key]]
        for figure in total:
            total[figure] += cell[figure]
    rows = [{key: value, **figures} for value, figures in totals.items()]
    return sorted(rows, key=lambda row: -row["openings"])


def demand(f: Filters, cells: list[dict] | None = None) -> dict[str, Table]:
    vacancies = open_vacancies(f)
    cells = demand_cells(f) if cells is None else cells
    by_region, by_group = _totals(cells, "region_id"), _totals(cells, "major")
    by_sector = _totals(cells, "employer__sector")
    pay = quantiles(with_pay(vacancies).values("major", "salary"), "salary", ["major"])
    pay_region = quantiles(
        with_pay(vacancies).values("region_id", "salary"), "salary", ["region_id"], [0.5]
    )
    days = quantiles(
        vacancies.filter(published_on__isnull=False, closes_on__isnull=False)
        .annotate(days=DaysBetween("closes_on", "published_on"))
        .values("major", "days"),
        "days",
        ["major"],
        [0.5],
    )
    regions, groups = region_names(), major_group_names()
    region_table = Table(
        "demand-by-region",
        _("Demand by region"),
        [
            Column("region", _("Region"), "text"),
            Column("vacancies", _("Vacancies"), "count"),
            Column("openings", _("Openings"), "count"),
            Column("quota", _("Reserved for veterans"), "count"),
            Column("salary_median", _("Median pay, ₽"), "money"),
        ],
        [
            {
                "code": row["region_id"],
                "region": regions.get(row["region_id"], row["region_id"]),
                "vacancies": row["vacancies"],
                "openings": row["openings"],
                "quota": row["quota"],
                "salary_median": pay_region.get((row["region_id"],), {}).get(0.5),
            }
            for row in by_region
        ],
    )
    group_table = Table(
        "demand-by-occupation-group",
        _("Demand by occupation group (ISCO-08 major group)"),
        [
            Column("group", _("Occupation group"), "text"),
            Column("vacancies", _("Vacancies"), "count"),
            Column("openings", _("Openings"), "count"),
            Column("salary_q1", _("Pay, lower quartile, ₽"), "money"),
            Column("salary_median", _("Median pay, ₽"), "money"),
            Column("salary_q3", _("Pay, upper quartile, ₽"), "money"),
            Column("days_open", _("Median days open"), "days"),
        ],
        [
            {
                "code": row["major"] or "",
                "group": groups.get(row["major"] or "", _("not coded")),
                "vacancies": row["vacancies"],
                "openings": row["openings"],
                "salary_q1": pay.get((row["major"],), {}).get(0.25),
                "salary_median": pay.get((row["major"],), {}).get(0.5),
                "salary_q3": pay.get((row["major"],), {}).get(0.75),
                "days_open": days.get((row["major"],), {}).get(0.5),
            }
            for row in by_group
        ],
    )
    sectors = dict(Employer.Sector.choices)
    sector_table = Table(
        "demand-by-sector",
        _("Demand by employer sector"),
        [
            Column("sector", _("Sector"), "text"),
            Column("vacancies", _("Vacancies"), "count"),
            Column("openings", _("Openings"), "count"),
            Column("quota", _("Reserved for veterans"), "count"),
        ],
        [
            {
                "code": row["employer__sector"],
                "sector": str(sectors.get(row["employer__sector"], row["employer__sector"])),
                "vacancies": row["vacancies"],
                "openings": row["openings"],
                "quota": row["quota"],
            }
            for row in by_sector
        ],
    )
    return {
        "region": region_table,
        "group": group_table,
        "sector": sector_table,
        "occupation": _by_occupation(vacancies),
        "isco": _by_isco_group(vacancies, f),
    }


def _by_isco_group(vacancies, f: Filters) -> Table:
    """Openings one and two levels below the major group: ISCO-08 sub-major groups, and
    within a chosen major group its minor groups too. One aggregate by minor group; the
    sub-major totals are summed from it."""
    cells = (
        vacancies.exclude(occupation__isco_group="")
        .filter(occupation__isnull=False)
        .annotate(minor=Substr("occupation__isco_group", 1, 3))
        .values("minor")
        .annotate(vacancies=Count("pk"), openings=Sum("openings"))
        .order_by()
    )
    totals: dict = defaultdict(lambda: {"vacancies": 0, "openings": 0})
    for cell in cells:
        levels = [cell["minor"][:2]] + ([cell["minor"]] if f.group else [])
        for code in levels:
            totals[code]["vacancies"] += cell["vacancies"]
            totals[code]["openings"] += cell["openings"] or 0
    names = isco_group_names(2, 3)
    return Table(
        "demand-by-isco-group",
        _("Demand by ISCO-08 sub-major and minor group")
        if f.group
        else _("Demand by ISCO-08 sub-major group"),
        [
            Column("isco", _("ISCO-08 code"), "text"),
            Column("group", _("Occupation group"), "text"),
            Column("vacancies", _("Vacancies"), "count"),
            Column("openings", _("Openings"), "count"),
        ],
        [
            {
                "code": code,
                "isco": code,
                "group": names.get(code) or "—",
                "vacancies": totals[code]["vacancies"],
                "openings": totals[code]["openings"],
            }
            for code in sorted(totals)
        ],
        _(
            "Vacancies open in the period by the ISCO-08 group of their occupation, one level "
            "below the major group; choose a major group to see its minor groups under each."
        ),
    )


def _by_occupation(vacancies) -> Table:
    """The occupations with the most openings (the ISCO unit group beside each)."""
    rows = (
        vacancies.values(
            "occupation_id",
            "occupation__preferred_label",
            "occupation__label_ru",
            "occupation__isco_group",
        )
        .annotate(vacancies=Count("pk"), openings=Sum("openings"))
        .order_by("-openings", "occupation__preferred_label")[:OCCUPATIONS_SHOWN]
    )
    return Table(
        "demand-by-occupation",
        _("Occupations with the most openings"),
        [
            Column("occupation", _("Occupation"), "text"),
            Column("isco", pgettext("table column", "ISCO-08 unit group"), "text"),
            Column("vacancies", _("Vacancies"), "count"),
            Column("openings", _("Openings"), "count"),
        ],
        [
            {
                "code": row["occupation_id"],
                "occupation": _occupation_name(row) or _("not coded"),
                "isco": row["occupation__isco_group"] or "",
                "vacancies": row["vacancies"],
                "openings": row["openings"],
            }
            for row in rows
        ],
    )


def _occupation_name(row: dict) -> str:
    """The occupation in the interface's language; in Russian, without a Russian name of its
    own, the ОКЗ name of its unit group (the English label stays on the dashboard's links)."""
    if (get_language() or "en").startswith("ru"):
        return (
            row["occupation__label_ru"]
            or okz_name(row["occupation__isco_group"])
            or row["occupation__preferred_label"]
        )
    return row["occupation__preferred_label"]


def _latest_runs():
    latest = (
        OrientationRun.objects.filter(veteran=OuterRef("veteran"))
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    return OrientationRun.objects.filter(pk=Subquery(latest), veteran__status__in=SEEKING)


def recommended(f: Filters):
    """Recommendations among the three best of each seeking veteran's latest orientation, with
    the veteran's region and the occupation's major group (within the filters' group)."""
    rows = Recommendation.objects.filter(run__in=_latest_runs(), rank__lte=TOP).annotate(
        major=isco_major("occupation__isco_group"), region=F("run__veteran__region_id")
    )
    if f.group:
        rows = rows.filter(major=f.group)
    return rows


def behind_supply(f: Filters) -> dict:
    """The veterans counted in the supply cell of f.region × f.group, each once: seeking, in
    the region, with the group among their three best recommendations or their stated
    desired occupations. Returns the veterans and, per veteran, their best recommendation in
    the group (none when only their stated preference counts them)."""
    rollups.fresh_supply()
    recommendations = recommended(f).filter(region=f.region)
    stated = PreferredGroup.objects.filter(
        major=f.group, veteran__region_id=f.region, veteran__status__in=SEEKING
    )
    veterans = Veteran.objects.filter(
        Q(pk__in=recommendations.values("run__veteran_id")) | Q(pk__in=stated.values("veteran_id"))
    )
    return {"veterans": veterans, "recommendations": recommendations, "stated": stated}


def _training_soon(f: Filters):
    """Enrolled veterans whose cohort ends within f.months, by the programme's occupations.
    One condition per distinct programme length keeps the date arithmetic in plain SQL."""
    horizon = f.end + timedelta(days=round(30.4 * f.months))
    durations = Programme.objects.values_list("duration_weeks", flat=True).distinct()
    ends_soon = Q(pk__in=[])
    for weeks in durations:
        ends_soon |= Q(
            cohort__programme__duration_weeks=weeks,
            cohort__start_date__lte=horizon - timedelta(weeks=weeks),
            cohort__start_date__gt=f.end - timedelta(weeks=weeks),
        )
    rows = Enrolment.objects.filter(ends_soon, status=Enrolment.Status.ENROLLED).annotate(
        major=isco_major("cohort__programme__occupations__isco_group"),
        region=F("veteran__region_id"),
    )
    if f.group:
        rows = rows.filter(major=f.group)
    return rows


def _by_region_group(rows, key: str) -> dict[tuple[str, str], int]:
    return {
        (row["region"], row["major"] or ""): row["people"]
        for row in rows.values("region", "major").annotate(people=Count(key, distinct=True))
    }


def supply(f: Filters) -> dict[tuple[str, str], dict[str, int]]:
    """Per (region, major group): veterans recommended there, those of them willing to move,
    those one short training away (from the supply rollup), and those finishing training
    soon (live: it depends on the period and the horizon)."""
    cells = _cells(f)
    training = _training_soon(f)
    if f.region:
        cells = cells.filter(region=f.region)
        training = training.filter(veteran__region_id=f.region)
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: {"recommended": 0, "relocating": 0, "near": 0, "training": 0}
    )
    for cell in cells:
        counts[(cell.region, cell.major)].update(
            recommended=cell.recommended, relocating=cell.relocating, near=cell.near
        )
    for key, people in _by_region_group(training, key="veteran").items():
        counts[key]["training"] = people
    return counts


def _cells(f: Filters):
    cells = rollups.fresh_supply()
    return cells.filter(major=f.group) if f.group else cells


def movers_by_group(f: Filters) -> dict[str, int]:
    """Veterans willing to relocate, per major group, across every region (a veteran lives
    in one region, so the regions' counts add up)."""
    return dict(
        _cells(f).values("major").annotate(people=Sum("relocating")).values_list("major", "people")
    )


def shortage(f: Filters, cells: list[dict] | None = None) -> dict[str, Table]:
    """Openings against the veterans who could fill them, per region × occupation group."""
    cells = demand_cells(f) if cells is None else cells
    openings: dict[tuple[str, str], int] = defaultdict(int)
    for cell in cells:
        openings[(cell["region_id"], cell["major"] or "")] += cell["openings"]
    people = supply(f)
    movers = movers_by_group(f)
    regions, groups = region_names(), major_group_names()
    rows = []
    for (region, group), wanted in openings.items():
        if f.region and region != f.region:
            continue
        here = people.get((region, group), {"recommended": 0, "relocating": 0, "training": 0})
        elsewhere = movers.get(group, 0) - here["relocating"]
        could = here["recommended"] + elsewhere + here["training"]
        rows.append(
            {
                "code": f"{region}:{group}",
                "region": regions.get(region, region),
                "region_code": region,
                "group": groups.get(group, _("not coded")),
                "openings": wanted,
                "local": here["recommended"],
                "elsewhere": elsewhere,
                "training": here["training"],
                "index": round(wanted / could, 2) if could else None,
                "could": could,
            }
        )
    rows.sort(key=lambda row: (row["index"] is not None, row["index"] or 0, row["openings"]))
    rows.reverse()
    for row in rows:  # an index over fewer than five people would reveal them
        row["index"] = hide.over(row.pop("could"), row["index"]) if row["index"] else None
    table = Table(
        "shortage",
        _("Shortage index by region and occupation group"),
        [
            Column("region", _("Region"), "text"),
            Column("group", _("Occupation group"), "text"),
            Column("openings", _("Openings"), "count"),
            Column("local", _("Veterans here it suits")),
            Column("elsewhere", _("Willing to move from elsewhere")),
            Column("training", _("Finishing training soon")),
            Column("index", _("Shortage index"), "number"),
        ],
        rows,
        _(
            "Shortage index = openings in vacancies open during the period ÷ veterans who could "
            "fill them: seeking work in the region with the group among their three best "
            "recommendations or their stated desired occupations, plus those elsewhere willing to "
            "relocate, plus those finishing a training programme leading to the group within "
            "%(months)s months. Above 1: more openings than veterans; empty: no veteran at all."
        )
        % {"months": f.months},
    )
    moves = promising_moves(f, openings, people, groups)
    return {"shortage": table, "moves": moves}


def promising_moves(f: Filters, openings, people, groups) -> Table:
    """Groups with many openings and many veterans one short training away."""
    wanted: dict[str, int] = defaultdict(int)
    near: dict[str, int] = defaultdict(int)
    for (region, group), count in openings.items():
        if not f.region or region == f.region:
            wanted[group] += count
    for (region, group), figures in people.items():
        if not f.region or region == f.region:
            near[group] += figures["near"]
    rows = [
        {
            "code": group,
            "group": groups.get(group, _("not coded")),
            "openings": wanted[group],
            "near": near[group],
            "reach": min(wanted[group], near[group]),
        }
        for group in wanted
        if near[group]
    ]
    rows.sort(key=lambda row: (-row["reach"], -row["openings"]))
    return Table(
        "promising-moves",
        _("Most promising moves"),
        [
            Column("group", _("Occupation group"), "text"),
            Column("openings", _("Openings"), "count"),
            Column("near", _("Veterans one short training away")),
            Column("reach", _("Could be filled")),
        ],
        rows[:10],
        _(
            "Veterans one short training away: the group is among their three best "
            "recommendations and at most %(near)s essential skills are missing. Could be filled: "
            "the smaller of openings and such veterans."
        )
        % {"near": NEAR},
    )
