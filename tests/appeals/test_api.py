"""/api/v1/appeals: create, list, detail, take, answer, close; 422 names the field."""

import json

import pytest

from waypoint.appeals.models import Appeal, RoutingRule
from waypoint.audit.models import AuditEvent

BASE = "/api/v1/appeals"


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def body(**overrides):
    data = {
        "caller_kind": "veteran",
        "topic": "training",
        "description": "Хочет выучиться на электрика.",
        "contact_channel": "sms",
    }
    data.update(overrides)
    return data


def test_the_whole_way_through_the_api(
    client, operator, coordinator, counsellor, moscow_veteran, moscow_branch
):
    client.force_login(operator)
    created = post(client, BASE, body(veteran_id=moscow_veteran.pk, urgency="urgent"))
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["reference"].startswith("A-")
    assert data["organisation_id"] == moscow_branch.pk
    assert "description" not in data
    appeal_id = data["id"]
    assert client.get(f"{BASE}/{appeal_id}").status_code == 404

    client.force_login(counsellor)
    assert client.get(BASE, {"shown": "queue"}).json()["count"] == 1
    assert post(client, f"{BASE}/{appeal_id}/take").json()["status"] == "in_progress"
    answered = post(
        client,
        f"{BASE}/{appeal_id}/answer",
        {"outcome_kind": "referred", "outcome": "Направлен в колледж."},
    ).json()
    assert answered["status"] == "answered"
    assert answered["answered_in_time"] is True
    assert client.get(BASE, {"shown": "queue"}).json()["count"] == 0

    client.force_login(coordinator)
    detail = client.get(f"{BASE}/{appeal_id}").json()
    assert detail["description"] == "Хочет выучиться на электрика."
    assert detail["contact_value"] == moscow_veteran.phone
    assert post(client, f"{BASE}/{appeal_id}/close").json()["status"] == "closed"
    refused = post(client, f"{BASE}/{appeal_id}/close")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "status"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"topic": "weather"}, "topic"),
        ({"caller_kind": "neighbour"}, "caller_kind"),
        ({"description": ""}, "description"),
        ({"caller_kind": "family", "caller_phone": "+79031112233"}, "caller_name"),
        ({"caller_kind": "other", "caller_name": "Сосед"}, "caller_phone"),
        ({"caller_phone": "12"}, "caller_phone"),
        ({"veteran_id": 987654}, "veteran_id"),
        ({"region": "99"}, "region"),
        ({"contact_channel": "email", "contact_value": "no-at-sign"}, "contact_value"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_writes_nothing(
    client, operator, moscow_veteran, moscow_branch, overrides, field
):
    client.force_login(operator)
    response = post(client, BASE, body(veteran_id=moscow_veteran.pk) | overrides)
    assert response.status_code == 422
    assert field in json.dumps(response.json())
    assert not Appeal.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="appeals.").exists()


def test_an_answer_without_a_kind_is_422(client, operator, coordinator, moscow_veteran):
    client.force_login(operator)
    appeal_id = post(client, BASE, body(veteran_id=moscow_veteran.pk)).json()["id"]
    client.force_login(coordinator)
    response = post(client, f"{BASE}/{appeal_id}/answer", {"outcome_kind": "done", "outcome": ""})
    assert response.status_code == 422
    text = json.dumps(response.json())
    assert "outcome_kind" in text
    assert "outcome" in text


def test_an_unknown_caller_without_a_veteran_goes_by_region(client, operator, sverdlovsk_branch):
    client.force_login(operator)
    created = post(
        client,
        BASE,
        body(caller_kind="other", caller_name="Сосед", caller_phone="+79031112233", region="66"),
    )
    assert created.status_code == 201, created.content
    assert created.json()["organisation_id"] == sverdlovsk_branch.pk


def test_a_psychological_appeal_is_only_the_clinics(
    client, operator, admin, clinician, moscow_veteran
):
    RoutingRule.objects.create(topic="psychological", organisation=clinician.organisation)
    client.force_login(operator)
    appeal_id = post(
        client, BASE, body(veteran_id=moscow_veteran.pk, topic="psychological")
    ).json()["id"]
    client.force_login(admin)
    assert client.get(f"{BASE}/{appeal_id}").status_code == 404
    assert client.get(BASE).json()["count"] == 0
    client.force_login(clinician)
    assert client.get(f"{BASE}/{appeal_id}").json()["route"] == "topic_fallback"
