"""Analytics figures leaving the system: each export (CSV, XLSX, the API's JSON) is in the
audit log, whichever door it leaves by, with the table and the filters asked."""

from django.db import transaction

from waypoint.analytics import dashboard
from waypoint.analytics.filters import Filters
from waypoint.audit.services import record


def export_table(*, actor, filters: Filters, name: str, fmt: str) -> dashboard.Figures:
    """One table by its export name (refused like a forbidden one when unknown or not the
    viewer's), with the time it was computed; the export is audited before it is returned."""
    found = dashboard.table_figures(actor, filters, name)
    with transaction.atomic():
        record(
            actor=actor,
            action="analytics.table.export",
            subject=actor,
            changes={"table": [None, f"{name}.{fmt}"], "filters": [None, filters.query()]},
        )
    return found
