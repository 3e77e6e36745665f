"""Specialties and job titles coded as occupations: the model suggests, a coordinator decides."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from waypoint.audit.models import AuditEvent
from waypoint.people import coding, services
from waypoint.taxonomy import services as taxonomy_services
from waypoint.taxonomy.models import Occupation

STARTER = "urn:waypoint:starter:occupation:"
SERVICE = {
    "branch": "ground",
    "specialty": "механик-водитель БМП",
    "rank": "private",
    "start_date": date(2015, 1, 1),
    "end_date": date(2019, 1, 1),
}


def starter(key: str) -> Occupation:
    return Occupation.objects.get(uri=STARTER + key)


@pytest.fixture
def service_record(coordinator, moscow_veteran):
    return services.save_part(
        actor=coordinator, veteran=moscow_veteran, kind="service", values=SERVICE
    )


def test_saving_a_specialty_suggests_its_occupation(service_record):
    assert service_record.suggested_occupation == starter("mil_tracked_driver")
    assert 0 < service_record.suggestion_score <= 1
    assert service_record.coded_occupation == starter("mil_tracked_driver")


def test_a_new_text_gets_a_new_suggestion(coordinator, moscow_veteran, service_record):
    part = services.save_part(
        actor=coordinator,
        veteran=moscow_veteran,
        kind="service",
        values={"specialty": "сапёр"},
        pk=service_record.pk,
    )
    assert part.suggested_occupation == starter("mil_sapper")


def test_a_job_title_is_coded_too(coordinator, moscow_veteran):
    job = services.save_part(
        actor=coordinator,
        veteran=moscow_veteran,
        kind="job",
        values={"title": "водитель погрузчика", "start_year": 2010},
    )
    assert job.suggested_occupation == starter("forklift_operator")


def test_a_civilian_job_is_never_coded_as_a_military_occupation(coordinator, moscow_veteran):
    job = services.save_part(
        actor=coordinator,
        veteran=moscow_veteran,
        kind="job",
        values={"title": "военный водитель", "start_year": 2010},
    )
    assert not job.suggested_occupation.is_military


def test_the_coordinators_choice_wins_and_survives_renewal(
    coordinator, moscow_veteran, service_record
):
    chosen = starter("mil_driver")
    coding.set_occupation(
        actor=coordinator,
        veteran=moscow_veteran,
        kind="service",
        pk=service_record.pk,
        occupation=chosen,
    )
    seen = coding.suggest_all()
    assert seen >= 1
    renewal = AuditEvent.objects.get(action="people.coding.suggest_all")
    assert renewal.changes == {"parts_seen": [None, seen]}
    service_record.refresh_from_db()
    assert service_record.coded_occupation == chosen
    assert service_record.suggested_occupation == starter("mil_tracked_driver")
    assert service_record.occupation_set_by == coordinator
    event = AuditEvent.objects.get(action="people.servicerecord.set_occupation")
    assert event.changes == {"occupation": [None, chosen.pk]}
    assert event.veteran_id == moscow_veteran.pk

    coding.set_occupation(
        actor=coordinator,
        veteran=moscow_veteran,
        kind="service",
        pk=service_record.pk,
        occupation=None,
    )
    service_record.refresh_from_db()
    assert service_record.coded_occupation == starter("mil_tracked_driver")
    assert service_record.occupation_set_by is None


def test_activating_a_taxonomy_renews_suggestions(service_record):
    service_record.suggested_occupation = None
    service_record.save(update_fields=["suggested_occupation"])
    taxonomy_services.activate("starter")
    service_record.refresh_from_db()
    assert service_record.suggested_occupation == starter("mil_tracked_driver")


def test_veteran_page_shows_the_occupation_and_a_correction_link(
    client, coordinator, moscow_veteran, service_record
):
    client.force_login(coordinator)
    page = client.get(f"/veterans/{moscow_veteran.pk}/?tab=service").content.decode()
    assert "driver-mechanic" in page
    assert "suggested" in page
    assert f"/veterans/{moscow_veteran.pk}/service/{service_record.pk}/occupation/" in page


def test_correction_page_searches_and_saves(client, coordinator, moscow_veteran, service_record):
    client.force_login(coordinator)
    url = f"/veterans/{moscow_veteran.pk}/service/{service_record.pk}/occupation/"
    page = client.get(url, {"q": "водитель"}).content.decode()
    assert 'name="occupation"' in page
    chosen = starter("mil_driver")
    response = client.post(url, {"occupation": chosen.pk})
    assert response.status_code == 302
    service_record.refresh_from_db()
    assert service_record.occupation == chosen
    page = client.get(f"/veterans/{moscow_veteran.pk}/?tab=service").content.decode()
    assert "set by" in page


def test_correction_page_refuses_an_unknown_occupation(
    client, coordinator, moscow_veteran, service_record
):
    client.force_login(coordinator)
    url = f"/veterans/{moscow_veteran.pk}/service/{service_record.pk}/occupation/"
    response = client.post(url, {"occupation": "999999"})
    assert response.status_code == 200
    assert "occupation: choose one of the occupations listed" in response.content.decode()
    service_record.refresh_from_db()
    assert service_record.occupation is None


def test_api_sets_and_reports_the_occupation(client, coordinator, moscow_veteran, service_record):
    client.force_login(coordinator)
    url = f"/api/v1/veterans/{moscow_veteran.pk}/service/{service_record.pk}/occupation"
    chosen = starter("mil_driver")
    response = client.put(url, json.dumps({"occupation_id": chosen.pk}), "application/json")
    assert response.status_code == 200
    assert response.json()["occupation_id"] == chosen.pk
    assert response.json()["suggested_occupation_id"] == starter("mil_tracked_driver").pk
    response = client.put(url, json.dumps({"occupation_id": 999999}), "application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "occupation_id"
    listed = client.get(f"/api/v1/veterans/{moscow_veteran.pk}/service").json()
    assert listed[0]["occupation_id"] == chosen.pk


def test_no_active_taxonomy_leaves_the_suggestion_empty(coordinator, moscow_veteran):
    from waypoint.taxonomy.models import Taxonomy

    Taxonomy.objects.update(is_active=False)
    part = services.save_part(
        actor=coordinator, veteran=moscow_veteran, kind="service", values=SERVICE
    )
    assert part.suggested_occupation is None


def test_duties_and_declared_skills_are_read_too(coordinator, moscow_veteran):
    from waypoint.taxonomy.models import Skill

    job = services.save_part(
        actor=coordinator,
        veteran=moscow_veteran,
        kind="job",
        values={
            "title": "водитель",
            "start_year": 2011,
            "duties": "вождение грузовика, погрузка и разгрузка, оформление путевых листов",
        },
    )
    skills = set(
        Skill.objects.filter(pk__in=[pk for pk, _ in job.duty_skills]).values_list("uri", flat=True)
    )
    assert "urn:waypoint:starter:skill:drive_truck" in skills
    assert all(0 < score <= 1 for _pk, score in job.duty_skills)
    declared = services.save_part(
        actor=coordinator,
        veteran=moscow_veteran,
        kind="skill",
        values={"name": "первая помощь", "level": "advanced"},
    )
    assert declared.suggested_skill.uri == "urn:waypoint:starter:skill:first_aid"


def test_a_coordinator_cannot_code_a_civilian_job_as_military(client, coordinator, moscow_veteran):
    job = services.save_part(
        actor=coordinator,
        veteran=moscow_veteran,
        kind="job",
        values={"title": "водитель", "start_year": 2012},
    )
    military = starter("mil_driver")
    with pytest.raises(ValidationError) as error:
        coding.set_occupation(
            actor=coordinator, veteran=moscow_veteran, kind="job", pk=job.pk, occupation=military
        )
    assert "occupation" in error.value.message_dict
    client.force_login(coordinator)
    url = f"/veterans/{moscow_veteran.pk}/job/{job.pk}/occupation/"
    response = client.post(url, {"occupation": military.pk})
    assert "a civilian job is not a military occupation" in response.content.decode()
    api = f"/api/v1/veterans/{moscow_veteran.pk}/job/{job.pk}/occupation"
    response = client.put(api, json.dumps({"occupation_id": military.pk}), "application/json")
    assert response.status_code == 422
