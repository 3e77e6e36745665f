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
from pypdf import PdfReader

from tests.analytics.world import PERIOD, build
from waypoint.analytics import dashboard, exports, market, outcomes, sql, timeliness
from waypoint.analytics.filters import parse, scoped
from waypoint.employment.models import Employer, Vacancy


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
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert text.startswith("Ежемесячный отчёт Waypoint\nМарт 2026 · Москва")
    # the March shortage cell for Moscow's drivers: 2 openings, 6 veterans, movers under five
    assert "2 6 <5 0 0,29" in text
    assert "Ячейки о менее чем пяти людях показаны как <5." in text
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


def test_trend_by_month(world):
    rows = rows_by(outcomes.trend(PERIOD))
    assert list(rows) == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    published = [(rows[m]["vacancies"], rows[m]["openings"]) for m in rows]
    assert published == [(1, 3), (1, 1), (1, 2), (0, 0), (0, 0), (0, 0)]  # C has no date
    assert [rows[m]["registered"] for m in rows] == [0, 7, 0, 0, 0, 0]
    # jobs start 30, 60, 90, 100 and 120 days after 1 February
    assert [rows[m]["placed"] for m in rows] == [0, 0, 1, 1, 2, 1]
    shown = outcomes.trend(PERIOD).suppressed()
    assert [row["placed"] for row in shown.rows] == [0, 0, "<5", "<5", "<5", "<5"]
    moscow = rows_by(outcomes.trend(replace(PERIOD, region="77")))
    assert moscow["2026-02"]["registered"] == 6
    assert moscow["2026-02"]["vacancies"] == 0  # D is in Sverdlovsk


def test_key_figures(world):
    figures = {row["code"]: row["value"] for row in outcomes.headline(PERIOD).rows}
    assert figures == {
        "openings": 10,
        "vacancies": 4,
        "seeking": 7,
        "registered": 7,
        "placed": 5,
        "rate": 71.4,
        "at_entry": 0.0,
        "wait": 90,  # of 30, 60, 90, 100, 120 days
        "retained": None,  # no six-month follow-up yet
    }
    moscow = {
        row["code"]: row["value"] for row in outcomes.headline(replace(PERIOD, region="77")).rows
    }
    assert (moscow["openings"], moscow["seeking"], moscow["rate"]) == (9, 6, 83.3)
    ural = {
        row["code"]: row["value"] for row in outcomes.headline(replace(PERIOD, region="66")).rows
    }
    assert (ural["seeking"], ural["registered"], ural["placed"], ural["rate"]) == (
        "<5",
        "<5",
        0,
        "<5",
    )


def test_supply_rollup_is_rebuilt_when_stale(world, settings):
    from waypoint.analytics import rollups
    from waypoint.analytics.models import SupplyCell
    from waypoint.people.models import Preferences

    settings.WAYPOINT_ANALYTICS_REFRESH_MINUTES = 15
    assert market.supply(PERIOD)[("77", "8")]["recommended"] == 6
    Preferences.objects.update(willing_to_relocate=True)
    # within the interval the rollup stands, as the cached figures do
    assert market.supply(PERIOD)[("77", "8")]["relocating"] == 0
    assert rollups.refresh_supply() == 0  # fresh: nothing to do
    assert rollups.refresh_supply(force=True) == SupplyCell.objects.count()
    assert market.supply(PERIOD)[("77", "8")]["relocating"] == 6
    settings.WAYPOINT_ANALYTICS_REFRESH_MINUTES = 0
    Preferences.objects.update(willing_to_relocate=False)
    assert market.supply(PERIOD)[("77", "8")]["relocating"] == 0  # 0: rebuilt on every read


def test_stated_preferences_count_once_towards_supply(world):
    from waypoint.people.models import Preferences

    first, sixth = world["veterans"][0], world["veterans"][5]
    # v6's builders occupation ranks fifth: only the preference brings it into supply;
    # v1 already has drivers among the three best, so naming it again changes nothing.
    Preferences.objects.filter(veteran=sixth).update(
        desired_occupations=world["builders"].preferred_label
    )
    Preferences.objects.filter(veteran=first).update(
        desired_occupations=f"  {world['drivers'].preferred_label}\n\n"
    )
    supply = market.supply(PERIOD)
    assert supply[("77", "7")]["recommended"] == 1
    assert supply[("77", "7")]["near"] == 0  # near is about recommendations only
    assert supply[("77", "8")]["recommended"] == 6


def test_demand_by_occupation_and_sector(world):
    tables = market.demand(PERIOD)
    occupations = [
        (r["occupation"], r["vacancies"], r["openings"]) for r in tables["occupation"].rows
    ]
    assert occupations == [
        (world["drivers"].preferred_label, 3, 6),
        (world["builders"].preferred_label, 1, 4),
    ]
    assert tables["occupation"].rows[0]["isco"] == world["drivers"].isco_group
    sectors = [(r["code"], r["vacancies"], r["openings"]) for r in tables["sector"].rows]
    assert sectors == [("private", 4, 10)]
    Employer.objects.filter(region_id="66").update(sector="state")
    sectors = {r["code"]: r["openings"] for r in market.demand(PERIOD)["sector"].rows}
    assert sectors == {"private": 9, "state": 1}


def test_demand_by_isco_group_below_the_major_group(world):
    from waypoint.taxonomy.models import IscoGroup

    drivers, builders = world["drivers"].isco_group, world["builders"].isco_group
    IscoGroup.objects.get_or_create(code=drivers[:2], defaults={"label_en": "Drivers (2)"})
    table = market.demand(PERIOD)["isco"]
    # every group: sub-major groups only, drivers A+B+D, builders C
    assert [(r["isco"], r["vacancies"], r["openings"]) for r in table.rows] == [
        (builders[:2], 1, 4),
        (drivers[:2], 3, 6),
    ]
    assert table.rows[1]["group"] == IscoGroup.objects.get(code=drivers[:2]).label_en
    within = market.demand(replace(PERIOD, group=drivers[0]))["isco"]
    assert [(r["isco"], r["openings"]) for r in within.rows] == [
        (drivers[:2], 6),
        (drivers[:3], 6),
    ]


def test_training_completion_and_completers_placed_in_a_related_occupation(world, provider):
    from waypoint.taxonomy.models import Occupation
    from waypoint.training.models import Cohort, Enrolment, Programme, Provider

    college = Provider.objects.create(
        organisation=provider.organisation, kind="training_centre", licence_number="Л035-7"
    )
    # Driving leads to a lorry driver, in the drivers' ISCO unit group: related by the group.
    # Masonry leads to the builders: the drivers' jobs of v1–v5 are not related to it.
    drivers = world["drivers"]
    lorry = Occupation.objects.create(
        taxonomy=drivers.taxonomy, uri="test:lorry", preferred_label="Lorry driver",
        isco_group=drivers.isco_group,
    )  # fmt: skip
    veterans = world["veterans"]
    for title, leads_to, starts in (
        ("Driving", lorry, "2026-02-15"),
        ("Masonry", world["builders"], "2026-01-20"),
    ):
        programme = Programme.objects.create(
            provider=college, title=title, duration_weeks=8, format="on_site", region_id="77",
            payer="fund",
        )  # fmt: skip
        programme.occupations.add(leads_to)
        cohort = Cohort.objects.create(programme=programme, start_date=starts, seats=10)
        for n, veteran in enumerate(veterans, start=1):
            status = "completed" if n <= 6 else "dropped_out"
            Enrolment.objects.create(veteran=veteran, cohort=cohort, status=status)
    rows = rows_by(outcomes.training_outcomes(PERIOD).suppressed(), "name")
    # seven enrolled, six completed, one dropped out: 6 ÷ 7; v1–v5 placed after the start
    driving, masonry = rows["Driving"], rows["Masonry"]
    assert (driving["enrolled"], driving["completed"], driving["completion"]) == (7, 6, 85.7)
    assert (driving["placed_share"], driving["related_share"]) == (83.3, 83.3)
    assert (masonry["placed_share"], masonry["related_share"]) == (83.3, 0.0)
    (by_provider,) = outcomes.training_outcomes(PERIOD, "provider").suppressed().rows
    assert (by_provider["enrolled"], by_provider["completed"]) == (7, 6)


def test_deadline_compliance(world, coordinator, operator):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from waypoint.accounts.models import Organisation
    from waypoint.appeals.models import Appeal
    from waypoint.cases import services as cases
    from waypoint.cases.models import Task, TaskType

    due = datetime(2026, 3, 10, 18, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    hour = timedelta(hours=1)
    kind = TaskType.objects.first()
    # six Moscow tasks due in the period: five done before the deadline, one an hour late
    for n, veteran in enumerate(world["veterans"][:6]):
        case = cases.open_case(actor=coordinator, veteran=veteran)
        Task.objects.create(
            case=case, type=kind, title="T", assignee=coordinator, due_at=due,
            done_at=due + (hour if n == 5 else -hour), status="done",
        )  # fmt: skip
    # five Moscow appeals due in the period: four answered in time, one not at all
    branch = Organisation.objects.filter(region_id="77").first()
    for n in range(5):
        Appeal.objects.create(
            reference=f"A-{n}", year=2026, number=n + 1, caller_kind="veteran",
            caller_phone="+79990000000", region_id="77", topic="employment",
            description="?", contact_channel="phone", contact_value="+79990000000",
            organisation=branch, route="rule", due_at=due, logged_by=operator,
            answered_at=None if n == 4 else due - hour,
        )  # fmt: skip
    (moscow,) = timeliness.compliance(PERIOD).suppressed().rows
    assert moscow["code"] == "77"
    assert (moscow["tasks_due"], moscow["tasks_rate"]) == (6, 83.3)
    assert (moscow["appeals_due"], moscow["appeals_rate"]) == (5, 80.0)
