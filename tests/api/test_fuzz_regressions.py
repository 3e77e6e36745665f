"""Each of these answered 500 to a request schemathesis made (tests/api/test_schemathesis.py)."""

import json

from tests.test_permission_matrix import token_client
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
