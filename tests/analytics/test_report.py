"""The monthly PDF: a summary page first, tables that keep their title and header row on every
page they run onto, numbers in the language's format, and no English in the Russian report."""

import io
import re

from django.utils import translation
from pypdf import PdfReader

from tests.analytics.world import build
from waypoint.analytics import dashboard, report
from waypoint.analytics.tables import Column, Table
from waypoint.kit.pdf import document


def pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_a_long_table_repeats_its_title_and_header_on_the_next_page(db):
    table = Table(
        "long",
        "Sixty rows",
        [Column("name", "Name", "text"), Column("people", "People")],
        [{"name": f"row {n}", "people": 1000 + n} for n in range(60)],
    )
    with translation.override("en"):
        pdf = document("landscape", margin=12)
        pdf.running_title = ""
        pdf.header = lambda: report._running_header(pdf)
        pdf.add_page()
        report._table(pdf, table)
        buffer = io.BytesIO()
        pdf.output(buffer)
    first, second = pages(buffer.getvalue())[:2]
    assert first.startswith("Sixty rows\nName People")
    assert second.startswith("Sixty rows (continued)\nName People")
    assert "1,039" in second  # grouped as English writes numbers
    assert "The first 40 rows of 60" in second


def test_the_russian_report_opens_with_a_summary_and_has_no_english(coordinator):
    build(coordinator)
    text = pages(report.render(dashboard.ServerViewer(), "77", "2026-03", "ru"))
    summary = text[0]
    assert summary.startswith("Ежемесячный отчёт Waypoint\nМарт 2026 · Москва")
    assert "Сводка" in summary
    assert "Показатель Март 2026 Февраль 2026 Изменение" in summary
    # February: six Moscow veterans entered; March: none (−6)
    assert "Вступили в программу 0 6 −6" in summary
    assert "Вступившие в программу и начавшие работу по месяцам" in summary
    words = set(re.findall(r"[A-Za-z]{2,}", " ".join(text)))
    assert words <= {"Waypoint"}, words


def test_change_against_the_month_before():
    assert report.change(12, 10) == "+2"
    assert report.change(10, 12) == "−2"
    assert report.change(50.0, 50.0) == "±0.0"
    assert report.change(57.1, 50.0) == "+7.1"
    assert report.change("<5", 3) == "—"
    assert report.change(None, 3) == "—"
