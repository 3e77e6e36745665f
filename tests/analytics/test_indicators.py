"""Each indicator on the hand-built world of tests/analytics/world.py, answers worked out by
hand; small-number suppression; scope; exports; the monthly report."""

import csv
import io
from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from tests.analytics.world import PERIOD, build
from waypoint.analytics import dashboard, exports, market, outcomes, sql
from waypoint.analytics.filters import parse, scoped
from waypoint.employment.models import Vacancy


@pytest.fixture
def world(coordinator):
    return build(coordinator)


def rows_by(table, key="code"):
    return {row[key]: row for row in table.rows}


def test_quantiles_use_the_nearest_rank_in_the_database(world):
    salaries = Vacancy.objects.values("region_id", "salary_min")
    found = sql.quantiles(salaries, "salary_min", ["region_id"])
    # Moscow 40k, 50k, 80k: ranks ceil(.75)=1, ceil(1.5)=2, ceil(2.25)=3
    assert found[("77",)] == {0.25: 40_000, 0.5: 50_000, 0.75: 80_000}
    assert found[("66",)] == {0.25: 30_000, 0.5: 30_000, 0.75: 30_000}


def test_demand_by_region_and_group(world):
    tables = market.demand(PERIOD)
    regions = rows_by(tables["region"])
    assert (regions["77"]["vacancies"], regions["77"]["openings"]) == (3, 9)
    assert regions["77"]["salary_median"] == 60_000  # of 40k, 60k, 90k
    assert (regions["66"]["vacancies"], regions["66"]["openings"]) == (1, 1)
    groups = rows_by(tables["group"])
    drivers = groups["8"]
    assert (drivers["vacancies"], drivers["openings"]) == (3, 6)
    assert (drivers["salary_q1"], drivers["salary_median"], drivers["salary_q3"]) == (
        30_000, 40_000, 60_000,
    )  # fmt: skip
    assert drivers["days_open"] == 20  # of 20 and 30 days
    assert groups["7"]["salary_median"] == 90_000
    assert groups["7"]["days_open"] is None


def test_demand_filters_combine(world):
    moscow_drivers = replace(PERIOD, region="77", group="8")
    (row,) = market.demand(moscow_drivers)["group"].rows
    assert row["openings"] == 5
    assert market.demand(replace(PERIOD, sector="state"))["region"].rows == []
    # B closed on 21 March: outside a period that starts in April
    april = replace(PERIOD, since=PERIOD.until.replace(month=4, day=1), region="77", group="8")
    assert market.demand(april)["group"].rows == []


def test_supply_counts_recommended_movers_and_near(world):
    people = market.supply(PERIOD)
    assert people[("77", "8")] == {"recommended": 6, "relocating": 0, "near": 3, "training": 0}
    assert people[("66", "8")]["relocating"] == 1
    assert ("77", "7") not in people  # rank 5 is beyond the three best


def test_shortage_index_and_its_suppression(world):
    found = market.shortage(PERIOD)
    rows = {
        (row["region_code"], row["code"][-1]): row for row in found["shortage"].suppressed().rows
    }
    moscow = rows[("77", "8")]
    assert moscow["openings"] == 5
    assert (moscow["local"], moscow["elsewhere"]) == (6, "<5")  # one mover from Sverdlovsk
    assert moscow["index"] == round(5 / 7, 2)
    assert rows[("77", "7")]["index"] is None  # nobody could fill it
    assert rows[("66", "8")]["index"] == "<5"  # one person: hidden
    assert "Shortage index = openings" in found["shortage"].definition


def test_promising_moves(world):
    (moves,) = market.shortage(PERIOD)["moves"].suppressed().rows
    assert moves["openings"] == 6
    assert moves["near"] == "<5"  # three veterans one skill short
    assert moves["reach"] == "<5"


def test_placement_outcomes(world):
    table = outcomes.placement_outcomes(PERIOD).suppressed()
    moscow = rows_by(table)["77"]
    assert (moscow["registered"], moscow["placed"], moscow["rate"]) == (6, 5, 83.3)
    assert (moscow["wait_q1"], moscow["wait_median"], moscow["wait_q3"]) == (60, 90, 100)
    assert moscow["retained_3"] == 80.0
    assert moscow["retained_6"] is None
    assert moscow["pay_ratio"] == 100.0  # median 60k against Moscow's median 60k
    ural = rows_by(table)["66"]
    assert (ural["registered"], ural["rate"]) == ("<5", "<5")


def test_outcomes_by_coordinator_and_cohorts(world, coordinator):
    by_coordinator = outcomes.placement_outcomes(PERIOD, "coordinator").suppressed()
    (row,) = by_coordinator.rows
    assert (row["registered"], row["placed"]) == (7, 5)
    (month,) = outcomes.cohorts(PERIOD).suppressed().rows
    assert month["month"] == "2026-02"
    assert (month["registered"], month["with_orientation"], month["placed"]) == (7, 7, 5)
    assert month["completed"] == 0
    assert month["retained_3"] == "<5"  # four


def test_a_regional_viewer_is_held_to_their_region(world, coordinator, analyst):
    scoped_filters = scoped(PERIOD, coordinator)
    assert scoped_filters.region == "77"
    tables = dashboard.tables(coordinator, replace(PERIOD, region="66"), "outcomes")
    assert {row["code"] for row in tables[0].rows} == {"77"}
    analyst_tables = dashboard.tables(analyst, PERIOD, "outcomes")
    assert {row["code"] for row in analyst_tables[0].rows} == {"77", "66"}


def test_bad_filters_name_the_field(db):
    with pytest.raises(ValidationError) as error:
        parse({"region": "999", "group": "12", "since": "2026-13-01", "months": "0"})
    assert set(error.value.message_dict) == {"region", "group", "since", "months"}


def test_exports_carry_the_suppressed_figures(world, analyst):
    table = dashboard.table(analyst, PERIOD, "shortage")
    text = exports.to_csv(table).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Region"
    assert any("<5" in row for row in rows[1:])
    book = load_workbook(io.BytesIO(exports.to_xlsx(table)))
    values = [cell for row in book.active.iter_rows(values_only=True) for cell in row]
    assert "<5" in values


def test_monthly_report_command(world, tmp_path):
    out = tmp_path / "report.pdf"
    call_command("report", "monthly", "--region", "77", "--month", "2026-03", "--out", str(out),
                 "--language", "ru", stdout=io.StringIO())  # fmt: skip
    assert out.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="--month must be YYYY-MM"):
        call_command("report", "monthly", "--month", "2026-3", "--out", str(out))
    with pytest.raises(CommandError, match="--region"):
        call_command("report", "monthly", "--region", "999", "--month", "2026-03",
                     "--out", str(out))  # fmt: skip


def test_a_region_filter_counts_the_same_for_its_region(world):
    everywhere = market.supply(PERIOD)
    moscow = market.supply(replace(PERIOD, region="77"))
    assert set(moscow) == {key for key in everywhere if key[0] == "77"}
    assert all(moscow[key] == everywhere[key] for key in moscow)
    whole = {row["code"]: row for row in market.shortage(PERIOD)["shortage"].rows}
    for row in market.shortage(replace(PERIOD, region="77"))["shortage"].rows:
        assert row == whole[row["code"]]
