"""How the API is signed into: a bearer token (other agencies' systems) or the browser's session,
which alone needs the CSRF token. Every API operation with a token: the permission matrix
(tests/<app>/test_route_matrix.py)."""

import json

import pytest
from django.test import Client

from tests.route_matrix import all_rows, send, token_client
from waypoint.api.urls import api

SCORE = "/api/v1/wellbeing/score"
PHQ2 = {"instrument": "phq2", "answers": [1, 2]}

# One operation per router, the persona who may call it: a write where the router has one.
# accounts, audit and analytics only read.
EVERY_ROUTER = {
    "waypoint.accounts.api": ("GET /me", "coordinator"),
    "waypoint.people.api": ("POST /veterans", "coordinator"),
    "waypoint.audit.api": ("GET /audit-events", "auditor"),
    "waypoint.taxonomy.api": ("POST /taxonomy/normalize", "counsellor"),
    "waypoint.orientation.api": ("POST /veterans/{veteran_id}/orientation", "coordinator"),
    "waypoint.training.api": ("POST /training/enrolments", "coordinator"),
    "waypoint.leadership.api": ("POST /leadership/tracks", "coordinator"),
    "waypoint.employment.api": ("POST /vacancies", "employer"),
    "waypoint.cases.api": ("POST /cases/{case_id}/move", "coordinator"),
    "waypoint.cases.casefile_api": ("POST /cases/{case_id}/notes", "coordinator"),
    "waypoint.appeals.api": ("POST /appeals", "operator"),
    "waypoint.wellbeing.api": ("POST /wellbeing/score", "veteran_user"),
    "waypoint.analytics.api": ("GET /analytics/tables/{name}", "analyst"),
}


def _post(client, url, data, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def test_the_table_names_every_router():
    api.urls  # noqa: B018  (building the urls binds every router)
    mounted = {
        operation.view_func.__module__
        for _, router in api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
    }
    assert set(EVERY_ROUTER) == mounted


@pytest.mark.parametrize(("router", "call"), EVERY_ROUTER.items(), ids=list(EVERY_ROUTER))
def test_a_token_without_a_session_works_through_every_router(router, call, world, request):
    name, persona = call
    (row,) = [row for row in all_rows() if row.route == name]
    expected = row.status_for(persona)
    assert 200 <= expected < 300, "pick an operation this persona may perform"
    client = token_client(request.getfixturevalue(persona))
    response = send(client, row, world)
    assert response.status_code == expected, response.content[:300]
    assert not client.cookies.get("sessionid")


def test_the_issue_example_a_token_scores_answers(coordinator):
    response = _post(token_client(coordinator), SCORE, PHQ2)
    assert response.status_code == 200, response.content
    assert response.json()["total"] == 3


def test_a_session_write_still_needs_the_csrf_token(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    refused = _post(client, SCORE, PHQ2)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "CSRF check failed"}
    client.get("/")  # the page sets the CSRF cookie, as a browser's first visit does
    token = client.cookies["csrftoken"].value
    assert _post(client, SCORE, PHQ2, HTTP_X_CSRFTOKEN=token).status_code == 200


def test_a_session_read_needs_no_csrf_token(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    assert client.get("/api/v1/me").status_code == 200


def test_a_token_is_used_even_beside_a_session_cookie(coordinator, counsellor):
    """The token decides who calls; a cookie the system happens to hold neither adds a CSRF
    check nor changes the caller."""
    client = token_client(counsellor)
    client.force_login(coordinator)
    assert _post(client, SCORE, PHQ2).status_code == 200
    assert client.get("/api/v1/me").json()["id"] == counsellor.pk


def test_no_credentials_or_a_wrong_token_is_401_not_a_csrf_failure(coordinator):
    anonymous = Client(enforce_csrf_checks=True)
    assert _post(anonymous, SCORE, PHQ2).status_code == 401
    wrong = _post(anonymous, SCORE, PHQ2, HTTP_AUTHORIZATION="Bearer wp_wrong")
    assert wrong.status_code == 401
    assert wrong.json() == {"detail": "Unauthorized"}
