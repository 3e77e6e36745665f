"""The dashboard, the drill-down and the exports over HTTP, for each audience."""

import re

import pytest

from tests.analytics.world import build

QUERY = "since=2026-01-01&until=2026-06-30"


@pytest.fixture
def world(coordinator):
    return build(coordinator)


def test_the_analyst_starts_with_their_overview(client, world, analyst):
    client.force_login(analyst)
    page = client.get(f"/analytics/?{QUERY}").content.decode()
    assert "Labour analyst&#x27;s dashboard" in page
    assert "Vacancies and openings published per month" in page
    assert "Highest shortage index: region · occupation group" in page
    assert 'class="trend"' in page
    assert 'class="bars"' in page
    assert 'id="key-figures"' in page
    assert 'id="trend-by-month"' in page
    for personal in (world["veterans"][0].last_name, world["veterans"][0].phone):
        assert personal not in page


def test_the_labour_market_panel(client, world, analyst):
    client.force_login(analyst)
    page = client.get(f"/analytics/?panel=market&{QUERY}").content.decode()
    assert "Shortage index by region and occupation group" in page
    assert 'class="tilemap"' in page
    assert "&lt;5" in page  # suppressed cells
    for personal in (world["veterans"][0].last_name, world["veterans"][0].phone):
        assert personal not in page


def test_fund_management_starts_with_placement_across_regions(client, world, admin):
    client.force_login(admin)
    page = client.get(f"/analytics/?{QUERY}").content.decode()
    assert "Fund management dashboard" in page
    assert "Veterans entering the programme and starting a job per month" in page
    assert "Placement rate by region, %" in page
    assert 'class="tilemap"' in page


def test_the_branch_starts_with_its_own_region(client, world, coordinator):
    client.force_login(coordinator)
    page = client.get(f"/analytics/?{QUERY}&region=66").content.decode()
    assert "Regional branch dashboard · Moscow" in page
    assert "Placement rate by coordinator, %" in page
    assert 'name="region"' not in page
    page = client.get(f"/analytics/?panel=outcomes&{QUERY}&region=66").content.decode()
    assert "Placement and retention by Region" in page
    assert "83.3" in page  # Moscow only, whatever the filter asked
    assert 'name="region"' not in page  # no region choice for a regional viewer


@pytest.mark.parametrize("panel", ["overview", "market", "outcomes", "cohorts"])
@pytest.mark.parametrize("by", ["region", "track", "coordinator", "programme", "provider"])
def test_every_panel_and_dimension_renders(client, world, admin, panel, by):
    client.force_login(admin)
    assert client.get(f"/analytics/?panel={panel}&by={by}&{QUERY}").status_code == 200


def test_bad_filters_are_reported_not_failed(client, world, analyst):
    client.force_login(analyst)
    page = client.get("/analytics/?since=2026-99-01&group=x").content.decode()
    assert "since: a date as YYYY-MM-DD" in page
    assert client.get("/analytics/?panel=nope").status_code == 403
    assert client.get("/analytics/export/shortage.pdf").status_code == 404
    assert client.get("/analytics/export/nothing.csv").status_code == 403


def test_drill_down_is_anonymised_for_analysts_and_named_for_the_branch(
    client, world, analyst, coordinator
):
    client.force_login(analyst)
    page = client.get(f"/analytics/drill/?region=77&group=8&{QUERY}").content.decode()
    assert "anonymised" in page
    assert world["veterans"][0].last_name not in page
    assert "<strong>6</strong>" in page
    few = client.get(f"/analytics/drill/?region=66&group=8&{QUERY}").content.decode()
    assert "Fewer than five people: not listed." in few
    client.force_login(coordinator)
    named = client.get(f"/analytics/drill/?region=77&group=8&{QUERY}").content.decode()
    assert world["veterans"][0].last_name in named
    missing = client.get("/analytics/drill/")
    assert missing.status_code == 302


def test_outcomes_drill_down_from_a_placement_row(client, world, analyst, coordinator):
    client.force_login(analyst)
    outcomes_page = client.get(f"/analytics/?panel=outcomes&{QUERY}").content.decode()
    assert "/analytics/drill/outcomes/?by=region&key=77&since=2026-01-01" in outcomes_page
    page = client.get(f"/analytics/drill/outcomes/?by=region&key=77&{QUERY}").content.decode()
    assert "<strong>6</strong>" in page
    assert "Region: Moscow" in page  # its name, not its code
    assert world["veterans"][0].last_name not in page
    # waits of 30, 60, 90, 100 and 120 days in 30-day bands; one not placed
    for band in ("30–59", "60–89", "90–119", "120–149"):
        assert f"<td>{band}</td>" in page
    assert page.count("<td>no</td>") == 1  # v5 left before the three-month follow-up
    few = client.get(f"/analytics/drill/outcomes/?by=region&key=66&{QUERY}").content.decode()
    assert "Fewer than five people: not listed." in few
    client.force_login(coordinator)
    named = client.get(
        f"/analytics/drill/outcomes/?by=coordinator&key={coordinator.pk}&{QUERY}"
    ).content.decode()
    assert world["veterans"][0].last_name in named
    assert "<td>30</td>" in named
    assert "<td>3 Mar 2026</td>" in named
    for bad in ("by=month&key=1", "by=coordinator&key=x"):
        response = client.get(f"/analytics/drill/outcomes/?{bad}&{QUERY}")
        assert response.status_code == 302


def test_drill_down_lists_each_veteran_of_the_cell_once(client, world, coordinator):
    from waypoint.people.models import Preferences

    # v6's builders occupation ranks fifth: only the stated preference counts v6 for group 7
    sixth = world["veterans"][5]
    Preferences.objects.filter(veteran=sixth).update(
        desired_occupations=world["builders"].preferred_label
    )
    client.force_login(coordinator)
    page = client.get(f"/analytics/drill/?region=77&group=7&{QUERY}").content.decode()
    assert "<strong>1</strong>" in page
    assert sixth.last_name in page
    assert "not among the three best" in page
    # the drivers: six veterans, one row each, the same six as the shortage cell counts
    page = client.get(f"/analytics/drill/?region=77&group=8&{QUERY}").content.decode()
    assert "<strong>6</strong>" in page
    assert len(set(re.findall(r'href="/veterans/(\d+)/', page))) == 6
    assert len(re.findall(r'href="/veterans/\d+/', page)) == 6


def test_exports_download(client, world, analyst):
    client.force_login(analyst)
    response = client.get(f"/analytics/export/demand-by-region.xlsx?{QUERY}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="demand-by-region.xlsx"'
    csv = client.get(f"/analytics/export/placement-by-region.csv?{QUERY}").content.decode(
        "utf-8-sig"
    )
    assert csv.splitlines()[0].startswith("Region,Entered,Placed")


def test_figures_are_shared_from_the_cache_within_the_refresh_interval(
    client, world, analyst, settings, tmp_path
):
    from django.core.cache import caches

    from waypoint.analytics import dashboard
    from waypoint.analytics.filters import Filters
    from waypoint.employment.models import Vacancy

    settings.WAYPOINT_ANALYTICS_REFRESH_MINUTES = 15
    caches["analytics"].clear()
    first = dashboard.figures(analyst, Filters(), "market")
    Vacancy.objects.update(openings=50)
    again = dashboard.figures(analyst, Filters(), "market")
    assert again.computed_at == first.computed_at
    assert again.tables[-1].rows == first.tables[-1].rows  # not recomputed
    client.force_login(analyst)
    assert "recomputed every 15 minutes" in client.get("/analytics/").content.decode()
    caches["analytics"].clear()
    fresh = dashboard.figures(analyst, Filters(), "market")
    assert fresh.tables[-1].rows != first.tables[-1].rows
    caches["analytics"].clear()


def test_the_worker_warms_the_landing_panels(world, settings, analyst, admin, coordinator):
    from django.core.cache import caches
    from django.utils import timezone

    from waypoint.analytics import dashboard
    from waypoint.analytics.filters import Filters
    from waypoint.analytics.models import SupplyCell
    from waypoint.analytics.tasks import BRANCH_PANELS, warm_dashboards

    settings.WAYPOINT_ANALYTICS_REFRESH_MINUTES = 15
    caches["analytics"].clear()
    # all regions: four panels; the Moscow branch of the world: five; in English and Russian
    assert warm_dashboards.call() == {"panels": (5 + len(BRANCH_PANELS)) * 2}
    assert SupplyCell.objects.filter(region="77", major="8").get().recommended == 6
    warmed = timezone.now()
    # each audience's landing page and the branch's tabs come from what the worker computed
    for viewer, panel in [
        (analyst, "overview"),
        (admin, "overview"),
        (coordinator, "overview"),
        (coordinator, "market"),
        (coordinator, "outcomes"),
    ]:
        assert dashboard.figures(viewer, Filters(), panel).computed_at < warmed
    names = [t.name for t in dashboard.tables(admin, Filters(), "overview")]
    assert names == ["key-figures", "trend-by-month", "placement-by-region"]
    caches["analytics"].clear()


def test_an_export_is_audited(client, world, analyst):
    from waypoint.audit.models import AuditEvent

    client.force_login(analyst)
    client.get(f"/analytics/export/shortage.csv?{QUERY}")
    event = AuditEvent.objects.get(action="analytics.table.export")
    assert event.actor == analyst
    assert event.changes["table"] == [None, "shortage.csv"]


def test_named_drill_downs_are_audited_anonymised_ones_are_not(client, world, analyst, coordinator):
    from waypoint.audit.models import AuditEvent

    client.force_login(analyst)
    client.get(f"/analytics/drill/?region=77&group=8&{QUERY}")
    client.get(f"/analytics/drill/outcomes/?by=region&key=77&{QUERY}")
    assert not AuditEvent.objects.filter(action="analytics.drill.list").exists()
    client.force_login(coordinator)
    client.get(f"/analytics/drill/?region=77&group=8&{QUERY}")
    client.get(f"/analytics/drill/outcomes/?by=region&key=77&{QUERY}")
    events = AuditEvent.objects.filter(action="analytics.drill.list").order_by("pk")
    assert [event.changes["drill"][1] for event in events] == ["supply", "placement"]
    moscow = sorted(veteran.pk for veteran in world["veterans"][:6])
    assert all(event.changes["shown"][1] == moscow for event in events)
    assert all(event.actor == coordinator for event in events)
