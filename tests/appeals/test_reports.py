"""Reports: figures by topic, region and outcome, answered in time, psychological appeals
counted and never described."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse

from tests.appeals.test_logging import log
from waypoint.appeals import selectors, services
from waypoint.appeals.models import Appeal
from waypoint.audit.models import AuditEvent

SECRET = "Снятся кошмары после ранения."


@pytest.fixture
def appeals(
    operator,
    moscow_veteran,
    sverdlovsk_veteran,
    moscow_branch,
    sverdlovsk_branch,
    clinician,
    coordinator,
    other_coordinator,
):
    """Five appeals: two employment ones answered (one late), a payments one in Sverdlovsk
    answered in time, a psychological one answered in time, and an open one overdue."""
    employment = [log(operator, veteran=moscow_veteran) for _ in range(2)]
    payments = log(operator, veteran=sverdlovsk_veteran, topic="payments")
    psychological = log(operator, veteran=moscow_veteran, topic="psychological", description=SECRET)
    overdue = log(operator, veteran=moscow_veteran, topic="legal")
    Appeal.objects.filter(pk=overdue.pk).update(due_at=overdue.logged_at - timedelta(hours=1))
    for appeal, staff, kind in [
        (employment[0], coordinator, "resolved"),
        (employment[1], coordinator, "rejected"),
        (payments, other_coordinator, "explained"),
        (psychological, clinician, "resolved"),
    ]:
        services.answer(actor=staff, appeal=appeal, outcome_kind=kind, outcome="Ответ дан.")
    late = Appeal.objects.get(pk=employment[1].pk)
    Appeal.objects.filter(pk=late.pk).update(answered_at=late.due_at + timedelta(minutes=1))
    return {"employment": employment, "psychological": psychological}


def by_key(rows):
    return {row["key"]: row for row in rows}


def test_counts_and_the_in_time_ratio(appeals, analyst):
    figures = selectors.report(analyst)
    totals = figures["totals"]
    assert (totals["total"], totals["answered"], totals["in_time"]) == (5, 4, 3)
    assert totals["in_time_percent"] == 75
    assert (totals["open"], totals["overdue"]) == (1, 1)
    topics = by_key(figures["by_topic"])
    assert len(topics) == 8
    assert (topics["employment"]["total"], topics["employment"]["in_time"]) == (2, 1)
    assert topics["employment"]["in_time_percent"] == 50
    assert topics["psychological"]["total"] == 1
    assert topics["legal"]["overdue"] == 1
    assert topics["training"]["total"] == 0
    regions = by_key(figures["by_region"])
    assert set(regions) == {"77", "66"}
    assert (regions["77"]["total"], regions["66"]["total"]) == (4, 1)
    outcomes = by_key(figures["by_outcome"])
    assert outcomes["resolved"]["answered"] == 2
    assert outcomes["rejected"]["in_time"] == 0


def test_the_period_narrows_the_figures(appeals, analyst):
    today = appeals["psychological"].logged_at.date()
    assert selectors.report(analyst, since=today)["totals"]["total"] == 5
    assert selectors.report(analyst, until=today - timedelta(days=1))["totals"]["total"] == 0


def test_the_page_and_csv_count_psychological_appeals_without_describing_them(
    appeals, analyst, client
):
    client.force_login(analyst)
    page = client.get(reverse("appeals:reports")).content.decode()
    assert "psychological help" in page
    assert SECRET not in page
    assert appeals["psychological"].reference not in page
    response = client.get(reverse("appeals:report_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "table",
        "key",
        "label",
        "total",
        "open",
        "overdue",
        "answered",
        "in_time",
        "in_time_percent",
    ]
    psychological = next(row for row in rows if row[:2] == ["topic", "psychological"])
    assert psychological[3] == "1"
    assert rows[-1][:4] == ["total", "", "", "5"]
    assert rows[-1][-1] == "75"
    assert SECRET not in response.content.decode()
    assert AuditEvent.objects.filter(action="appeals.report.export", actor=analyst).exists()


def test_reports_need_their_permission(appeals, coordinator, client):
    client.force_login(coordinator)
    assert client.get(reverse("appeals:reports")).status_code == 403
