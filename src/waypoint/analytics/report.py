"""The monthly report as a PDF in English or Russian: the month's labour market and outcomes
for one region (or all), with the same suppressed tables as the dashboard."""

import calendar
from datetime import date
from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext as _

from waypoint.analytics import dashboard
from waypoint.analytics.filters import Filters
from waypoint.analytics.tables import Table, region_names


def month_filters(region: str, month: str) -> Filters:
    year, number = (int(part) for part in month.split("-"))
    last = calendar.monthrange(year, number)[1]
    return Filters(region=region, since=date(year, number, 1), until=date(year, number, last))


def render(user, region: str, month: str, language: str = "en") -> bytes:
    from waypoint.kit.pdf import document

    filters = month_filters(region, month)
    with translation.override(language):
        pdf = document("landscape", margin=12)
        pdf.add_page()
        title = _("Waypoint monthly report")
        pdf.set_title(title)
        pdf.set_font("PTSans", "B", 18)
        pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("PTSans", "", 11)
        where = region_names().get(region, region) if region else _("all regions")
        pdf.cell(0, 7, f"{month} · {where}", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(
            0, 6, _("Cells about fewer than five people show <5."), new_x="LMARGIN", new_y="NEXT"
        )
        printed = set()  # the overview repeats a table of another panel beside its chart
        for panel in dashboard.allowed_panels(user):
            for table in dashboard.tables(user, filters, panel):
                if table.name not in printed:
                    printed.add(table.name)
                    _table(pdf, table)
        buffer = BytesIO()
        pdf.output(buffer)
    return buffer.getvalue()


def _table(pdf, table: Table) -> None:
    pdf.ln(4)
    pdf.set_font("PTSans", "B", 13)
    pdf.multi_cell(0, 7, table.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("PTSans", "", 8)
    if not table.rows:
        pdf.cell(0, 6, _("No data for the period."), new_x="LMARGIN", new_y="NEXT")
        return
    with pdf.table(text_align="LEFT", line_height=5) as grid:
        header = grid.row()
        for column in table.columns:
            header.cell(column.label)
        for values in table.values()[:40]:
            row = grid.row()
            for value in values:
                row.cell("—" if value is None else str(value))
    if table.definition:
        pdf.set_font("PTSans", "", 8)
        pdf.multi_cell(0, 4, table.definition, new_x="LMARGIN", new_y="NEXT")
