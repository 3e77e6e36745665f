"""Requests that failed when the API was fuzzed (schemathesis, tests/api/test_schemathesis.py and
bench/api_fuzz.py, and a probe of every stored string at 5000 characters on PostgreSQL)."""

import json

import pytest

from tests.route_matrix import token_client
from waypoint.people import services

V = "/api/v1/veterans"


def _patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def test_a_null_for_a_text_field_of_a_veteran_is_422(coordinator, moscow_veteran):
    response = _patch(token_client(coordinator), f"{V}/{moscow_veteran.pk}", {"patronymic": None})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "patronymic"


def test_a_null_for_a_text_field_of_a_section_is_422(coordinator, moscow_veteran):
    part = services.save_part(
        actor=coordinator,
        veteran=moscow_veteran,
        kind="job",
        values={"title": "водитель", "start_year": 2010},
    )
    client = token_client(coordinator)
    response = _patch(client, f"{V}/{moscow_veteran.pk}/job/{part.pk}", {"employer": None})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "employer"
    # A field the section may leave empty is cleared with null, as before.
    cleared = _patch(client, f"{V}/{moscow_veteran.pk}/job/{part.pk}", {"end_year": None})
    assert cleared.status_code == 200


def test_a_json_body_under_a_form_content_type_is_read_as_before(coordinator):
    response = token_client(coordinator).post(
        "/api/v1/wellbeing/score",
        json.dumps({"instrument": "phq2", "answers": [1, 1]}),
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.content


def test_a_consent_text_version_longer_than_its_column_is_422(coordinator, moscow_veteran):
    """PostgreSQL refused the row (varchar(20)); SQLite stored it."""
    response = token_client(coordinator).post(
        f"{V}/{moscow_veteran.pk}/consents",
        json.dumps({"purpose": "contact", "channel": "phone", "text_version": "2026-11" * 100}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "text_version"


def test_the_consent_service_checks_the_text_version_too(coordinator, moscow_veteran):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.give_consent(
            actor=coordinator,
            veteran=moscow_veteran,
            purpose="contact",
            channel="phone",
            text_version="x" * 21,
        )
    assert "text_version" in refused.value.message_dict
