"""The monthly report as a PDF in English or Russian: a one-page summary (the key figures
against the month before, and two charts drawn on the server), then the month's labour market
and outcomes for one region (or all), with the same suppressed tables as the dashboard. A table
that runs onto another page repeats its title and its header row there."""

import calendar
from dataclasses import replace
from datetime import date, timedelta
from io import BytesIO

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fpdf.fonts import FontFace

from waypoint.analytics import dashboard
from waypoint.analytics.access import panels_visible_to
from waypoint.analytics.filters import Filters
from waypoint.analytics.outcomes import add_months
from waypoint.analytics.tables import Table, region_names

FONT = "PTSans"
BAR = (49, 130, 189)  # the dashboard's blue
SECOND = (158, 202, 225)
ROWS_SHOWN = 40
HEADINGS = FontFace(emphasis="BOLD", fill_color=(226, 235, 245))


def month_filters(region: str, month: str) -> Filters:
    year, number = (int(part) for part in month.split("-"))
    last = calendar.monthrange(year, number)[1]
    return Filters(region=region, since=date(year, number, 1), until=date(year, number, last))


def shown(value) -> str:
    """A figure as the report prints it, in the active language's number format."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(value, int):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def change(now, before) -> str:
    """The difference from the month before; nothing when either side is hidden or absent."""
    if not isinstance(now, int | float) or not isinstance(before, int | float):
        return "—"
    difference = now - before
    if isinstance(difference, float):
        difference = round(difference, 1)
    sign = "+" if difference > 0 else ("−" if difference < 0 else "±")
    return sign + shown(abs(difference))


def render(user, region: str, month: str, language: str = "en") -> bytes:
    from waypoint.kit.pdf import document

    filters = month_filters(region, month)
    with translation.override(language):
        pdf = document("landscape", margin=12)
        pdf.running_title = ""
        pdf.header = lambda: _running_header(pdf)
        pdf.add_page()
        title = _("Waypoint monthly report")
        pdf.set_title(title)
        pdf.set_font(FONT, "B", 18)
        pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 11)
        where = region_names().get(region, region) if region else _("all regions")
        period = formats.date_format(filters.start, "F Y")
        pdf.cell(0, 7, f"{period} · {where}", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(
            0, 6, _("Cells about fewer than five people show <5."), new_x="LMARGIN", new_y="NEXT"
        )
        panels = panels_visible_to(user)
        if "overview" in panels:
            _summary(pdf, user, filters)
        printed = {"key-figures"}  # the summary holds them, with the month before
        for panel in panels:
            for table in dashboard.tables(user, filters, panel):
                if table.name not in printed:
                    printed.add(table.name)
                    _table(pdf, table)
        buffer = BytesIO()
        pdf.output(buffer)
    return buffer.getvalue()


def _running_header(pdf) -> None:
    """On every page after the first that a table runs onto: its title again."""
    if pdf.page_no() > 1 and pdf.running_title:
        pdf.set_font(FONT, "B", 11)
        pdf.cell(
            0,
            7,
            _("%(title)s (continued)") % {"title": pdf.running_title},
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font(FONT, "", 8)


def _summary(pdf, user, filters: Filters) -> None:
    """The first page: each key figure this month, the month before and the change; the
    last twelve months of entries and placements; where placement works best."""
    previous_start = add_months(filters.start, -1)
    previous = replace(filters, since=previous_start, until=filters.start - timedelta(days=1))
    now = dashboard.tables(user, filters, "overview")[0]
    before = {
        row["code"]: row["value"] for row in dashboard.tables(user, previous, "overview")[0].rows
    }
    pdf.ln(2)
    pdf.set_font(FONT, "B", 14)
    pdf.cell(0, 8, _("Summary"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    top = pdf.get_y()
    month_name = formats.date_format(filters.start, "F Y")
    before_name = formats.date_format(previous_start, "F Y")
    with pdf.table(
        width=120,
        col_widths=(52, 24, 24, 20),
        align="LEFT",
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
        line_height=5.5,
        headings_style=HEADINGS,
    ) as grid:
        header = grid.row()
        for label in (_("Figure"), month_name, before_name, pgettext("difference", "Change")):
            header.cell(label)
        for row in now.rows:
            value, earlier = row["value"], before.get(row["code"])
            line = grid.row()
            line.cell(str(row["figure"]))
            line.cell(shown(value))
            line.cell(shown(earlier))
            line.cell(change(value, earlier))
    bottom = pdf.get_y()
    pdf.set_font(FONT, "", 7)
    pdf.multi_cell(120, 3.5, now.definition, new_x="LMARGIN", new_y="NEXT")
    year = replace(filters, since=add_months(filters.start, -11))
    trend = next(t for t in dashboard.tables(user, year, "overview") if t.name == "trend-by-month")
    _month_bars(
        pdf,
        _("Veterans entering the programme and starting a job per month"),
        [(row["month"], row["registered"], row["placed"]) for row in trend.rows],
        (_("Veterans entering the programme"), _("Veterans starting a job")),
        x=140,
        y=top,
        width=145,
        height=62,
    )
    if "outcomes" in panels_visible_to(user):
        placement = dashboard.tables(user, year, "outcomes")[0]
        rated = [(row["name"], row["rate"]) for row in placement.rows if _is_number(row["rate"])]
        rated.sort(key=lambda item: -item[1])
        _bars(
            pdf,
            _("Placement rate by region over twelve months, %"),
            rated[:8],
            x=140,
            y=top + 74,
            width=145,
        )
    pdf.set_fill_color(255)
    pdf.set_draw_color(0)
    pdf.set_y(max(bottom + 30, pdf.get_y()))
    pdf.add_page()


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _month_bars(pdf, title, months, names, *, x, y, width, height) -> None:
    """Two bars a month (suppressed months are left empty, not guessed)."""
    pdf.set_xy(x, y)
    pdf.set_font(FONT, "B", 10)
    pdf.cell(width, 6, title)
    values = [v for _month, *pair in months for v in pair if _is_number(v)]
    top = max(values, default=0) or 1
    chart_top, chart_height = y + 10, height - 24
    slot = width / max(len(months), 1)
    pdf.set_font(FONT, "", 6.5)
    for index, (month, first, second) in enumerate(months):
        left = x + index * slot + slot * 0.1
        for offset, (value, colour) in enumerate(((first, BAR), (second, SECOND))):
            bar_width = slot * 0.4
            bar_x = left + offset * bar_width
            if _is_number(value) and value:
                bar_height = chart_height * value / top
                pdf.set_fill_color(*colour)
                pdf.rect(bar_x, chart_top + chart_height - bar_height, bar_width, bar_height, "F")
            pdf.set_xy(
                bar_x - 1,
                chart_top
                + chart_height
                - (chart_height * value / top if _is_number(value) else 0)
                - 3.5,
            )
            pdf.cell(bar_width + 2, 3, shown(value) if value is not None else "", align="C")
        pdf.set_xy(x + index * slot, chart_top + chart_height + 1)
        label = formats.date_format(date.fromisoformat(month + "-01"), "M y")
        pdf.cell(slot, 3.5, label, align="C")
    pdf.set_draw_color(160, 160, 160)
    pdf.line(x, chart_top + chart_height, x + width, chart_top + chart_height)
    legend_y = chart_top + chart_height + 6
    pdf.set_xy(x, legend_y)
    for name, colour in zip(names, (BAR, SECOND), strict=True):
        pdf.set_fill_color(*colour)
        pdf.rect(pdf.get_x(), legend_y + 0.8, 3, 3, "F")
        pdf.set_x(pdf.get_x() + 4)
        pdf.set_font(FONT, "", 8)
        pdf.cell(pdf.get_string_width(str(name)) + 6, 4.5, str(name))


def _bars(pdf, title, items, *, x, y, width) -> None:
    pdf.set_xy(x, y)
    pdf.set_font(FONT, "B", 10)
    pdf.cell(width, 6, title)
    if not items:
        pdf.set_xy(x, y + 7)
        pdf.set_font(FONT, "", 8)
        pdf.cell(width, 5, _("No data for the period."))
        return
    label_width, row = 55, 6
    top = max(value for _label, value in items) or 1
    pdf.set_font(FONT, "", 8)
    for index, (label, value) in enumerate(items):
        row_y = y + 8 + index * row
        pdf.set_xy(x, row_y)
        text = str(label)
        while pdf.get_string_width(text) > label_width - 2 and len(text) > 4:
            text = text[:-2] + "…"
        pdf.cell(label_width - 2, row - 1, text, align="R")
        length = (width - label_width - 14) * value / top
        pdf.set_fill_color(*BAR)
        pdf.rect(x + label_width, row_y + 0.5, length, row - 2, "F")
        pdf.set_xy(x + label_width + length + 1, row_y)
        pdf.cell(12, row - 1, shown(value))


def _table(pdf, table: Table) -> None:
    pdf.ln(4)
    if pdf.will_page_break(30):
        pdf.add_page()  # a title never sits alone at the foot of a page
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(0, 7, table.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 8)
    if not table.rows:
        pdf.cell(0, 6, _("No data for the period."), new_x="LMARGIN", new_y="NEXT")
        return
    pdf.running_title = table.title
    numeric = [column.kind != "text" for column in table.columns]
    with pdf.table(
        text_align=tuple("RIGHT" if n else "LEFT" for n in numeric),
        line_height=5,
        headings_style=HEADINGS,
        repeat_headings=1,  # the header row on top of every page the table runs onto
    ) as grid:
        header = grid.row()
        for column in table.columns:
            header.cell(column.label)
        for values in table.values()[:ROWS_SHOWN]:
            row = grid.row()
            for value in values:
                row.cell(shown(value))
    pdf.running_title = ""
    if len(table.rows) > ROWS_SHOWN:
        pdf.cell(
            0,
            5,
            _("The first %(shown)s rows of %(total)s; the export holds them all.")
            % {"shown": ROWS_SHOWN, "total": len(table.rows)},
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if table.definition:
        pdf.set_font(FONT, "", 8)
        pdf.multi_cell(0, 4, table.definition, new_x="LMARGIN", new_y="NEXT")
