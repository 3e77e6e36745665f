"""/api/v1/analytics: the same tables as the pages, scoped, suppressed, audited; bad filters
refused naming the field."""

import pytest

from tests.analytics.world import build
from waypoint.audit.models import AuditEvent

QUERY = "since=2026-01-01&until=2026-06-30"


@pytest.fixture
def world(coordinator):
    return build(coordinator)


def test_the_catalogue_lists_what_the_viewer_may_read(client, world, analyst, operator):
    client.force_login(analyst)
    names = {row["name"]: row["panel"] for row in client.get("/api/v1/analytics/tables").json()}
    assert names["shortage"] == "market"
    assert names["cohorts"] == "cohorts"
    assert names["placement-by-coordinator"] == "outcomes"
    assert "key-figures" in names
    client.force_login(operator)
    assert client.get("/api/v1/analytics/tables").json() == []


def test_a_table_as_json_is_suppressed_and_audited(client, world, analyst):
    client.force_login(analyst)
    found = client.get(f"/api/v1/analytics/tables/placement-by-region?{QUERY}").json()
    assert found["title"] == "Placement and retention by Region"
    assert found["filters"] == {
        "region": "", "group": "", "sector": "", "since": "2026-01-01", "until": "2026-06-30",
        "months": 3,
    }  # fmt: skip
    assert [c["key"] for c in found["columns"]][:4] == ["name", "registered", "placed", "rate"]
    rows = {row["code"]: row for row in found["rows"]}
    assert (rows["77"]["registered"], rows["77"]["placed"], rows["77"]["rate"]) == (6, 5, 83.3)
    assert (rows["66"]["registered"], rows["66"]["rate"]) == ("<5", "<5")
    event = AuditEvent.objects.get(action="analytics.table.export")
    assert event.changes["table"] == [None, "placement-by-region.json"]


def test_a_branch_gets_its_region_whatever_it_asks(client, world, coordinator):
    client.force_login(coordinator)
    found = client.get(f"/api/v1/analytics/tables/key-figures?{QUERY}&region=66").json()
    assert found["filters"]["region"] == "77"
    figures = {row["code"]: row["value"] for row in found["rows"]}
    assert (figures["openings"], figures["registered"], figures["rate"]) == (9, 6, 83.3)


def test_bad_filters_and_names(client, world, analyst):
    client.force_login(analyst)
    bad = client.get("/api/v1/analytics/tables/shortage?group=x&since=2026-13-01&months=99")
    assert bad.status_code == 422
    fields = {item["field"]: item["message"] for item in bad.json()["detail"]}
    assert fields == {
        "group": "an ISCO-08 major group: one digit 0-9",
        "since": "a date as YYYY-MM-DD",
        "months": "a whole number of months from 1 to 24",
    }
    assert client.get("/api/v1/analytics/tables/nothing").status_code == 403
