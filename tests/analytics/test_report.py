"""The monthly PDF: a summary page first, tables that keep their title and header row on every
page they run onto, numbers in the language's format, and no English in the Russian report."""

import io
import re

from django.utils import translation
from pypdf import PdfReader

from tests.analytics.world import build
from waypoint.analytics import report
from waypoint.analytics.access import ServerViewer
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
    text = pages(report.render(ServerViewer(), "77", "2026-03", "ru"))
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


def test_isco_sub_major_groups_are_named_even_when_the_taxonomy_stores_only_majors(coordinator):
    """Regression: every sub-major row of the monthly PDF read "not coded"."""
    from tests.analytics.world import PERIOD
    from waypoint.analytics import market
    from waypoint.analytics.tables import isco_group_names
    from waypoint.taxonomy.models import IscoGroup
    from waypoint.taxonomy.okz import okz_name

    world = build(coordinator)
    IscoGroup.objects.filter(code__regex=r"^\d\d$").delete()
    code = world["drivers"].isco_group[:2]
    with translation.override("en"):
        assert isco_group_names(2)["83"] == "Drivers and mobile plant operators"
        rows = market.demand(PERIOD)["isco"].rows
        assert {row["isco"]: row["group"] for row in rows}[code] != "not coded"
    with translation.override("ru"):
        assert isco_group_names(2)["83"] == okz_name("83")
        rows = market.demand(PERIOD)["isco"].rows
        assert {row["isco"]: row["group"] for row in rows}[code] == okz_name(code)


def test_the_map_names_regions_and_districts_in_the_interface_language(db):
    from waypoint.analytics.charts import short_name, tile_map

    with translation.override("ru"):
        svg = str(tile_map({"77": 12, "66": "<5"}, "Карта"))
    assert "<title>Москва: 12</title>" in svg
    assert ">Свердл.<" in svg
    assert ">Уральский<" in svg
    assert ">77<" not in svg
    assert ">UFD<" not in svg
    with translation.override("en"):
        assert "<title>Moscow: 12</title>" in str(tile_map({"77": 12}, "Map"))
    assert short_name("Свердловская область") == "Свердл."
    assert short_name("Республика Татарстан") == "Татарс."
