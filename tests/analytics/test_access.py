"""analytics.access alone decides who sees which panel, which region and whom by name behind
a number; the selectors give every door (page, API, export) the same answer."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.analytics.world import build
from waypoint.analytics import access, selectors
from waypoint.analytics.filters import Filters, parse
from waypoint.audit.models import AuditEvent

PERIOD = parse({"since": "2026-01-01", "until": "2026-06-30"})


@pytest.fixture
def world(coordinator):
    return build(coordinator)


def test_panels_follow_the_two_permissions(analyst, coordinator, veteran_user):
    assert access.panels_visible_to(analyst) == ["overview", "market", "outcomes", "cohorts"]
    assert access.panels_visible_to(veteran_user) == []
    assert access.panels_visible_to(access.ServerViewer()) == access.panels_visible_to(analyst)
    assert access.audience(analyst) == "analyst"
    assert access.audience(coordinator) == "branch"
    assert access.audience(access.ServerViewer("fund")) == "fund"


def test_a_regional_viewer_is_held_to_their_region(analyst, coordinator):
    assert access.region_held_to(analyst) is None
    assert access.region_held_to(coordinator) == "77"
    coordinator.organisation = None
    assert access.region_held_to(coordinator) == access.NO_REGION


def test_the_drill_down_projection_names_only_visible_records(
    world, analyst, coordinator, other_coordinator
):
    moscow = world["veterans"][:6]
    seen = access.drill_down_as_seen_by(coordinator, moscow, 6)
    assert seen.named == {veteran.pk for veteran in moscow}
    assert (seen.people, seen.listed) == (6, True)
    anonymous = access.drill_down_as_seen_by(analyst, moscow, 6)
    assert (anonymous.named, anonymous.people, anonymous.listed) == (frozenset(), 6, True)
    few = access.drill_down_as_seen_by(other_coordinator, moscow[:3], 3)
    assert (few.named, few.people, few.listed) == (frozenset(), "<5", False)


def test_the_selectors_refuse_and_audit_as_the_pages_do(world, analyst, coordinator, employer):
    cell = Filters(region="77", group="8", since=PERIOD.since, until=PERIOD.until)
    with pytest.raises(PermissionDenied):
        selectors.behind_supply(employer, cell)
    with pytest.raises(PermissionDenied):
        selectors.behind_placement(employer, PERIOD, "region", "77")
    anonymous = selectors.behind_supply(analyst, cell)
    assert anonymous["people"] == 6
    assert all(row["veteran"] is None for row in anonymous["rows"])
    assert not AuditEvent.objects.filter(action="analytics.drill.list").exists()
    named = selectors.behind_placement(coordinator, PERIOD, "region", "77")
    assert {row["veteran"] for row in named["rows"]} >= set(world["veterans"][:6])
    event = AuditEvent.objects.get(action="analytics.drill.list")
    assert (event.actor, event.changes["drill"]) == (coordinator, [None, "placement"])
