import json

import pytest
from django.test import Client

from waypoint.accounts.services import issue_api_token
from waypoint.audit.models import AuditEvent
from waypoint.people import services
from waypoint.people.models import Veteran

BASE = "/api/v1/veterans"


def body(**overrides):
    data = {
        "last_name": "Соколов",
        "first_name": "Андрей",
        "birth_date": "1985-03-09",
        "sex": "m",
        "phone": "+7 912 345-67-89",
        "region": "77",
        "consents": [{"purpose": "personal_data", "channel": "in_person"}],
    }
    data.update(overrides)
    return data


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_list_is_paginated_and_scoped(client, coordinator, moscow_veteran, sverdlovsk_veteran):
    client.force_login(coordinator)
    data = client.get(BASE).json()
    assert data["count"] == 1
    assert data["items"][0]["id"] == moscow_veteran.pk
    assert data["items"][0]["region"] == "77"


def test_search_filter_and_ordering(client, coordinator, moscow_veteran, sverdlovsk_veteran):
    client.force_login(coordinator)
    assert client.get(BASE, {"q": "Попов"}).json()["count"] == 0
    assert client.get(BASE, {"q": "Кузн", "coordinator": "me"}).json()["count"] == 1
    response = client.get(BASE, {"ordering": "salary"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "ordering"


def test_anonymous_gets_401(client, moscow_veteran):
    assert client.get(BASE).status_code == 401
    assert client.get(f"{BASE}/{moscow_veteran.pk}").status_code == 401


def test_detail_is_audited_and_guessing_is_404(
    client, coordinator, other_coordinator, moscow_veteran
):
    client.force_login(coordinator)
    assert client.get(f"{BASE}/{moscow_veteran.pk}").status_code == 200
    assert AuditEvent.objects.filter(action="people.veteran.view").count() == 1
    client.force_login(other_coordinator)
    for url in (
        f"{BASE}/{moscow_veteran.pk}",
        f"{BASE}/{moscow_veteran.pk}/service",
        f"{BASE}/{moscow_veteran.pk}/consents",
        f"{BASE}/999999",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.patch(
            f"{BASE}/{moscow_veteran.pk}",
            json.dumps({"address": "x"}),
            content_type="application/json",
        ).status_code
        == 404
    )


def test_create_and_audit(client, coordinator):
    client.force_login(coordinator)
    response = post(client, BASE, body())
    assert response.status_code == 201, response.content
    veteran = Veteran.objects.get()
    assert response.json()["phone"] == "+79123456789"
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == [
        "people.consent.give",
        "people.veteran.create",
        "people.veteran.duplicate_check",
    ]
    assert veteran.coordinator == coordinator


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"birth_date": "2099-01-01"}, "birth_date"),
        ({"phone": "12"}, "phone"),
        ({"region": "99"}, "region"),
        ({"consents": []}, "consent"),
        ({"sex": "x"}, "sex"),
    ],
)
def test_bad_input_is_422_and_writes_nothing(client, coordinator, overrides, field):
    client.force_login(coordinator)
    response = post(client, BASE, body(**overrides))
    assert response.status_code == 422
    assert field in json.dumps(response.json())
    assert not Veteran.objects.exists()
    assert not AuditEvent.objects.exists()


def test_duplicate_is_409_with_visible_ids_only(
    client, coordinator, moscow_veteran, sverdlovsk_veteran
):
    client.force_login(coordinator)
    response = post(client, BASE, body(phone=sverdlovsk_veteran.phone))
    assert response.status_code == 409
    assert response.json()["duplicates"] == []
    assert response.json()["hidden_duplicates"] == 1
    response = post(client, BASE, body(phone=moscow_veteran.phone))
    assert response.json()["duplicates"] == [moscow_veteran.pk]
    assert (
        post(client, BASE, body(phone=moscow_veteran.phone, confirm_not_duplicate=True)).status_code
        == 201
    )


def test_duplicates_lookup(client, operator, moscow_veteran):
    client.force_login(operator)
    data = client.get(f"{BASE}/duplicates", {"phone": moscow_veteran.phone}).json()
    assert data == {"visible": [moscow_veteran.pk], "hidden": 0}


def test_create_forbidden_without_permission(client, counsellor, provider):
    client.force_login(counsellor)
    assert post(client, BASE, body()).status_code == 403
    client.force_login(provider)
    assert client.get(BASE).json()["count"] == 0


def test_patch(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    response = client.patch(
        f"{BASE}/{moscow_veteran.pk}",
        json.dumps({"address": "Тверская, 1"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["address"] == "Тверская, 1"
    event = AuditEvent.objects.get(action="people.veteran.update")
    assert event.changes == {"address": ["", "Тверская, 1"]}


def test_part_routes(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    url = f"{BASE}/{moscow_veteran.pk}/service"
    created = post(
        client,
        url,
        {
            "branch": "airborne",
            "specialty": "старший разведчик",
            "rank": "sergeant",
            "start_date": "2012-05-01",
            "end_date": "2020-05-01",
        },
    )
    assert created.status_code == 201, created.content
    part = created.json()["id"]
    assert client.get(url).json()[0]["specialty"] == "старший разведчик"
    changed = client.patch(
        f"{url}/{part}", json.dumps({"rank": "senior_sergeant"}), content_type="application/json"
    )
    assert changed.json()["rank"] == "senior_sergeant"
    bad = post(
        client,
        url,
        {
            "branch": "ground",
            "specialty": "сапёр",
            "rank": "private",
            "start_date": "2015-01-01",
            "end_date": "2014-01-01",
        },
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "end_date"
    assert client.delete(f"{url}/{part}").status_code == 204
    assert client.get(url).json() == []
    assert client.get(f"{BASE}/{moscow_veteran.pk}/salary").status_code == 404


def test_skill_confirm(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    skill = post(
        client,
        f"{BASE}/{moscow_veteran.pk}/skill",
        {"name": "ремонт дизельных двигателей", "level": "advanced"},
    ).json()
    confirmed = client.post(f"{BASE}/{moscow_veteran.pk}/skill/{skill['id']}/confirm")
    assert confirmed.json()["confirmed_by_id"] == coordinator.pk


def test_work_limitation_visibility(client, coordinator, operator, moscow_veteran):
    client.force_login(coordinator)
    url = f"{BASE}/{moscow_veteran.pk}/work-limitation"
    data = {"disability_group": "3", "restrictions": ["no_night_shifts"]}
    refused = client.put(url, json.dumps(data), content_type="application/json")
    assert refused.status_code == 422
    post(
        client,
        f"{BASE}/{moscow_veteran.pk}/consents",
        {"purpose": "health_data", "channel": "in_person"},
    )
    assert client.put(url, json.dumps(data), content_type="application/json").status_code == 200
    assert client.get(f"{BASE}/{moscow_veteran.pk}").json()["work_limitation"]["restrictions"] == [
        "no_night_shifts"
    ]
    client.force_login(operator)
    assert client.get(f"{BASE}/{moscow_veteran.pk}").json()["work_limitation"] is None
    assert client.get(url).status_code == 404
    assert client.put(url, json.dumps(data), content_type="application/json").status_code == 404


def test_preferences_and_consents(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    url = f"{BASE}/{moscow_veteran.pk}/preferences"
    response = client.put(
        url,
        json.dumps({"regions": ["77", "50"], "expected_salary": 90000}),
        content_type="application/json",
    )
    assert response.json()["regions"] == ["50", "77"]
    bad = client.put(url, json.dumps({"regions": ["98"]}), content_type="application/json")
    assert bad.status_code == 422
    given = post(
        client, f"{BASE}/{moscow_veteran.pk}/consents", {"purpose": "contact", "channel": "phone"}
    )
    assert given.status_code == 201
    withdrawn = client.post(f"{BASE}/{moscow_veteran.pk}/consents/contact/withdraw")
    assert withdrawn.json()["withdrawn_at"] is not None
    assert len(client.get(f"{BASE}/{moscow_veteran.pk}/consents").json()) == 2


def test_assign_coordinator(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    url = f"{BASE}/{moscow_veteran.pk}/coordinator"
    response = post(client, url, {"coordinator_id": None})
    assert response.json()["coordinator_id"] is None
    assert post(client, url, {"coordinator_id": 424242}).status_code == 422


def test_veteran_self_service(client, veteran_user, own_veteran, moscow_veteran):
    client.force_login(veteran_user)
    assert client.get(BASE).json()["count"] == 1
    assert client.get(f"{BASE}/{own_veteran.pk}").status_code == 200
    assert client.get(f"{BASE}/{moscow_veteran.pk}").status_code == 404
    refused = client.patch(
        f"{BASE}/{own_veteran.pk}",
        json.dumps({"birth_date": "1970-01-01"}),
        content_type="application/json",
    )
    assert refused.status_code == 422


def test_session_post_needs_csrf(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    assert post(client, BASE, body()).status_code in (401, 403)
    assert not Veteran.objects.exists()


def test_bearer_token(coordinator, moscow_veteran):
    token = issue_api_token(actor=None, user=coordinator, name="labour ministry sync")
    client = Client()
    response = client.get(BASE, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.json()["count"] == 1
    assert client.get(BASE, HTTP_AUTHORIZATION="Bearer wp_wrong").status_code == 401


def test_openapi_document(client, coordinator):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/veterans" in paths
    assert "/api/v1/veterans/{veteran_id}/service" in paths


def test_withdrawn_consent_closes_api_writes(client, coordinator, moscow_veteran):
    services.withdraw_consent(actor=coordinator, veteran=moscow_veteran, purpose="personal_data")
    client.force_login(coordinator)
    response = client.patch(
        f"{BASE}/{moscow_veteran.pk}", json.dumps({"address": "x"}), content_type="application/json"
    )
    assert response.status_code == 422
