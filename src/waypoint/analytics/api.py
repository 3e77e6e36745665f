"""/api/v1/analytics: every dashboard table as JSON, through the same gate, scope and
small-number suppression as the pages and exports (analytics.dashboard). Each read is in the
audit log, as an export is (analytics.services): the figures leave the system."""

from datetime import date, datetime

from ninja import Query, Router

from waypoint.accounts.access import signed_in
from waypoint.analytics import access, dashboard, services
from waypoint.analytics.filters import parse, scoped
from waypoint.kit.api import Schema

router = Router(tags=["analytics"])


class TableName(Schema):
    name: str
    panel: str


class ColumnOut(Schema):
    key: str
    label: str
    kind: str


class FiltersIn(Schema):
    region: str = ""
    group: str = ""
    sector: str = ""
    since: str = ""
    until: str = ""
    months: str = ""


class FiltersOut(Schema):
    region: str
    group: str
    sector: str
    since: date
    until: date
    months: int


class TableOut(Schema):
    name: str
    title: str
    definition: str
    computed_at: datetime
    filters: FiltersOut
    columns: list[ColumnOut]
    rows: list[dict[str, int | float | str | None]]


@router.get("/tables", response=list[TableName], summary="The tables you may read")
@signed_in
def table_list(request):
    panels = access.panels_visible_to(request.user)
    return [
        {"name": name, "panel": panel}
        for name, panel in dashboard.TABLES.items()
        if panel in panels
    ]


@router.get(
    "/tables/{name}",
    response=TableOut,
    summary="One table, small numbers suppressed (a regional viewer gets their region only)",
)
@signed_in
def table_detail(request, name: str, filters: Query[FiltersIn]):
    user = request.user
    asked = parse(filters.dict())
    found = services.export_table(actor=user, filters=asked, name=name, fmt="json")
    (table,) = found.tables
    shown = scoped(asked, user)
    keys = [column.key for column in table.columns]
    return {
        "name": table.name,
        "title": table.title,
        "definition": table.definition,
        "computed_at": found.computed_at,
        "filters": {**vars(shown), "since": shown.start, "until": shown.end},
        "columns": [vars(column) for column in table.columns],
        "rows": [{"code": row.get("code"), **{k: row.get(k) for k in keys}} for row in table.rows],
    }
