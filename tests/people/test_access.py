"""The registry's access module alone decides who sees and does what; pages, API, exports and
commands ask it, so every door answers the same."""

import json

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import make_user
from waypoint.audit.models import AuditEvent
from waypoint.people import access, selectors, services
from waypoint.people.import_models import ImportJob
from waypoint.people.models import Consent

BASE = "/api/v1/veterans"


def test_an_import_job_is_seen_only_by_its_starter_while_they_may_import(admin, coordinator):
    job = ImportJob.objects.create(started_by=admin, filename="a.csv")
    assert list(access.import_jobs_visible_to(admin)) == [job]
    assert access.may_confirm_import(admin, job)
    other_admin = make_user("administrator")
    assert not access.import_jobs_visible_to(other_admin).exists()
    assert not access.may_confirm_import(other_admin, job)
    assert not access.import_jobs_visible_to(coordinator).exists()


def test_work_limitations_are_shown_whole_or_not_at_all(
    coordinator, operator, veteran_user, own_veteran
):
    services.give_consent(
        actor=coordinator, veteran=own_veteran, purpose="health_data", channel="in_person"
    )
    services.set_work_limitation(
        actor=coordinator, veteran=own_veteran, values={"disability_group": "3"}
    )
    assert access.work_limitation_for(coordinator, own_veteran).disability_group == "3"
    assert access.work_limitation_for(veteran_user, own_veteran).disability_group == "3"
    assert access.work_limitation_for(operator, own_veteran) is None


def test_the_record_page_buttons_follow_the_predicates(
    coordinator, veteran_user, own_veteran, moscow_veteran
):
    staff = access.record_actions_for(coordinator, moscow_veteran)
    assert {name for name, allowed in staff.items() if not allowed} == {"own"}
    own = access.record_actions_for(veteran_user, own_veteran)
    assert {name for name, allowed in own.items() if not allowed} == {
        "can_assign",
        "can_code",
        "can_confirm_skills",
        "can_see_duplicates",
    }


def test_the_export_is_audited_wherever_it_is_asked_for(coordinator, moscow_veteran, veteran_user):
    rows = selectors.veterans_export(coordinator, region="77")
    assert [row[0] for row in rows] == [moscow_veteran.pk]
    event = AuditEvent.objects.get(action="people.veteran.export")
    assert event.changes == {"filters": [None, {"region": "77"}], "count": [None, 1]}
    with pytest.raises(PermissionDenied):
        selectors.veterans_export(veteran_user)


def test_a_veterans_own_consent_is_self_service_on_the_page_and_in_the_api(
    client, veteran_user, own_veteran
):
    client.force_login(veteran_user)
    client.post(
        f"/veterans/{own_veteran.pk}/consents/give/", {"purpose": "contact", "channel": "phone"}
    )
    answer = client.post(
        f"{BASE}/{own_veteran.pk}/consents",
        json.dumps({"purpose": "share_training", "channel": "in_person"}),
        content_type="application/json",
    )
    assert answer.status_code == 201
    given = Consent.objects.filter(veteran=own_veteran, purpose__in=["contact", "share_training"])
    assert sorted(given.values_list("channel", flat=True)) == ["self_service", "self_service"]


def test_a_call_centre_registers_by_phone_on_the_page_and_in_the_api(client, operator):
    client.force_login(operator)
    answer = client.post(
        BASE,
        json.dumps(
            {
                "last_name": "Орлов",
                "first_name": "Пётр",
                "birth_date": "1990-05-05",
                "sex": "m",
                "phone": "+79410000147",
                "region": "77",
                "consents": [{"purpose": "personal_data", "channel": "phone"}],
            }
        ),
        content_type="application/json",
    )
    assert answer.status_code == 201
    assert answer.json()["intake_channel"] == "phone"


def test_the_api_assigns_only_the_coordinators_the_page_offers(
    client, coordinator, other_coordinator, moscow_veteran
):
    client.force_login(coordinator)
    url = f"{BASE}/{moscow_veteran.pk}/coordinator"
    offered = list(access.coordinators_assignable_by(coordinator))
    assert coordinator in offered
    assert other_coordinator not in offered
    refused = client.post(
        url, json.dumps({"coordinator_id": other_coordinator.pk}), content_type="application/json"
    )
    assert refused.status_code == 422
    moscow_veteran.refresh_from_db()
    assert moscow_veteran.coordinator == coordinator
