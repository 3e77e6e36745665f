"""The analytics dashboard (one page, a panel per audience), exports of every table, and the
drill-down from a shortage cell to the anonymised list behind it."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypoint.accounts.access import signed_in
from waypoint.analytics import access, charts, dashboard, exports, outcomes, selectors, services
from waypoint.analytics.filters import Filters, parse, scoped
from waypoint.analytics.tables import major_group_names, region_names
from waypoint.kit.charts import Line, lines
from waypoint.kit.forms import flash_errors
from waypoint.kit.numbers import whole_number


def _filters(request: HttpRequest) -> Filters:
    try:
        return parse(request.GET)
    except ValidationError as exc:
        flash_errors(request, exc)
        return Filters()


AUDIENCES = {
    "analyst": gettext_lazy("Labour analyst's dashboard"),
    "fund": gettext_lazy("Fund management dashboard"),
    "branch": gettext_lazy("Regional branch dashboard"),
}


def _default_panel(user) -> str:
    panels = access.panels_visible_to(user)
    if not panels:
        raise PermissionDenied
    return panels[0]


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    panel = request.GET.get("panel") or _default_panel(user)
    by = request.GET.get("by", "region")
    filters = _filters(request)
    found = dashboard.figures(user, filters, panel, by)
    tables = found.tables
    shown = scoped(filters, user)
    if panel == "overview":
        pictures = _overview_pictures(user, tables, shown)
    else:
        pictures = _pictures(panel, tables, shown)
    return render(
        request,
        "analytics/home.html",
        {
            "panel": panel,
            "audience": AUDIENCES[access.audience(user)],
            "panels": access.panels_visible_to(user),
            "by": by,
            "headline": tables[0] if panel == "overview" else None,
            "tables": tables[1:] if panel == "overview" else tables,
            "region_name": region_names().get(shown.region, ""),
            "pictures": pictures,
            "filters": shown,
            "query": shown.query(),
            "regions": sorted(region_names().items(), key=lambda item: item[1])
            if access.region_held_to(user) is None
            else [],
            "groups": sorted(major_group_names().items()),
            "dimensions": [
                (name, outcomes.DIMENSIONS[name])
                for name in (*dashboard.OUTCOME_DIMENSIONS, *dashboard.TRAINING_DIMENSIONS)
            ],
            "computed_at": found.computed_at,
            "refresh_minutes": settings.WAYPOINT_ANALYTICS_REFRESH_MINUTES,
        },
    )


def _overview_pictures(user, tables, f: Filters) -> list:
    """Each audience's landing charts: the trend of the period, then the map or bars that
    answer its first question (where labour is short; where placement works; which
    coordinator's caseload moves)."""
    by_name = {table.name: table for table in tables}
    months = by_name["trend-by-month"].rows
    kind = access.audience(user)
    if kind == "analyst":
        trend_title = _("Vacancies and openings published per month")
        trend = {"vacancies": _("Vacancies published"), "openings": _("Openings published")}
    else:
        trend_title = _("Veterans entering the programme and starting a job per month")
        trend = {
            "registered": _("Veterans entering the programme"),
            "placed": _("Veterans starting a job"),
        }
    pictures = [(trend_title, lines(_monthly(months, trend), trend_title))]
    if kind == "analyst":
        shortage = by_name["shortage"]
        title = _("Highest shortage index: region · occupation group")
        top = [row for row in shortage.rows if isinstance(row["index"], float | int)][:10]
        pictures.append(
            (
                title,
                charts.bars([(f"{r['region']} · {r['group']}", r["index"]) for r in top], title),
            )
        )
    elif kind == "fund":
        placement = by_name["placement-by-region"]
        title = _("Placement rate by region, %")
        pictures.append(
            (
                title,
                charts.tile_map(
                    {row["code"]: row["rate"] for row in placement.rows},
                    title,
                    link=f"?panel=outcomes&{f.query()}&region=" if not f.region else "",
                ),
            )
        )
    else:
        placement = by_name["placement-by-coordinator"]
        title = _("Placement rate by coordinator, %")
        pictures.append(
            (title, charts.bars([(row["name"], row["rate"]) for row in placement.rows], title))
        )
    return pictures


def _pictures(panel: str, tables, f: Filters) -> list:
    by_name = {table.name: table for table in tables}
    pictures = []
    if panel == "market":
        regions = by_name["demand-by-region"]
        pictures.append(
            (
                _("Openings by region"),
                charts.tile_map(
                    {row["code"]: row["openings"] for row in regions.rows},
                    _("Openings by region"),
                    link=f"?panel=market&{f.query()}&region=" if not f.region else "",
                ),
            )
        )
        groups = by_name["demand-by-occupation-group"]
        pictures.append(
            (
                _("Openings by occupation group"),
                charts.bars(
                    [(row["group"], row["openings"]) for row in groups.rows],
                    _("Openings by occupation group"),
                ),
            )
        )
    elif panel == "outcomes":
        placement = tables[0]
        pictures.append(
            (
                placement.title,
                charts.bars(
                    [(row["name"], row["rate"]) for row in placement.rows[:20]],
                    _("Placement rate, %"),
                ),
            )
        )
    else:
        cohorts = tables[0]
        pictures.append(
            (
                _("Entered and placed by month of programme entry"),
                lines(
                    _monthly(
                        cohorts.rows,
                        {"registered": _("Veterans entering the programme"), "placed": _("Placed")},
                    ),
                    _("Entered and placed by month of programme entry"),
                ),
            )
        )
    return pictures


def _monthly(rows: list[dict], columns: dict) -> list[Line]:
    """Cohort columns as lines on one scale; a suppressed cell ("<5") leaves a gap rather
    than a guess."""
    points = {
        key: [
            (date.fromisoformat(row["month"] + "-01"), row[key])
            for row in rows
            if isinstance(row[key], int)
        ]
        for key in columns
    }
    top = max((value for found in points.values() for _day, value in found), default=0)
    return [Line(str(name), points[key], top) for key, name in columns.items()]


@signed_in
def export(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    found = services.export_table(actor=request.user, filters=_filters(request), name=name, fmt=fmt)
    (table,) = found.tables
    if fmt == "csv":
        body, kind = exports.to_csv(table), "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx(table)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{table.name}.{fmt}"'
    return response


@signed_in
def drill(request: HttpRequest) -> HttpResponse:
    """The veterans behind a shortage cell, each once: the records for those who may see
    them, otherwise an anonymised list (nothing at all under five people)."""
    if not access.may_view_market(request.user):
        raise PermissionDenied
    f = scoped(_filters(request), request.user)
    if not f.region or not f.group:
        messages.error(request, _("region, group: choose a region and an occupation group"))
        return redirect(f"{reverse('analytics:home')}?panel=market&{f.query()}")
    return render(
        request,
        "analytics/drill.html",
        {
            "region": region_names().get(f.region, f.region),
            "group": major_group_names().get(f.group, f.group),
            "query": f.query(),
            **selectors.behind_supply(request.user, f),
        },
    )


@signed_in
def drill_outcomes(request: HttpRequest) -> HttpResponse:
    """The veterans behind a row of placement and retention: registered in the period, when
    they started work and whether they kept it. Records for those who may see them; for
    everyone else an anonymised list with the wait in 30-day bands (nothing under five)."""
    if not access.may_view_outcomes(request.user):
        raise PermissionDenied
    f = scoped(_filters(request), request.user)
    by = request.GET.get("by", "region")
    key = request.GET.get("key", "").strip() or None
    back = f"{reverse('analytics:home')}?panel=outcomes&by={by}&{f.query()}"
    if by not in dashboard.OUTCOME_DIMENSIONS:
        messages.error(request, _("by: one of region, track, coordinator"))
        return redirect(back)
    if by == "coordinator" and key is not None and whole_number(key) is None:
        messages.error(request, _("key: a coordinator's number"))
        return redirect(back)
    listing = selectors.behind_placement(request.user, f, by, key)
    label = region_names().get(key, key) if by == "region" else listing["label"]
    return render(
        request,
        "analytics/drill_outcomes.html",
        {
            **listing,
            "dimension": outcomes.DIMENSIONS[by],
            "label": label or _("not set"),
            "back": back,
        },
    )
