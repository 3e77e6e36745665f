"""The API answers its errors in JSON in production (DEBUG off, as in every test run), also when
no operation was reached; pages keep Django's HTML."""

import logging

import pytest
from django.conf import settings
from django.test import Client

from tests.route_matrix import token_client


@pytest.fixture
def quiet_client():
    """A client that returns the 500 the server answers instead of raising the error."""
    return Client(raise_request_exception=False)


def _json(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()


def test_debug_is_off_as_in_production():
    assert settings.DEBUG is False


def test_an_unknown_api_path_is_a_json_404(quiet_client, coordinator):
    assert _json(quiet_client.get("/api/v1/no-such-thing")) == {"detail": "not found"}
    response = token_client(coordinator).post("/api/v1/veterans/1/no-such-thing")
    assert response.status_code == 404
    assert _json(response) == {"detail": "not found"}


def test_a_method_the_path_does_not_take_is_a_json_405(coordinator):
    response = token_client(coordinator).delete("/api/v1/me")
    assert response.status_code == 405
    assert _json(response) == {"detail": "method not allowed"}
    assert "GET" in response["Allow"]


def test_an_unknown_page_stays_html(quiet_client):
    response = quiet_client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_bug_in_an_operation_is_a_json_500_and_logged(coordinator, monkeypatch, caplog):
    def broken(name):
        raise RuntimeError("the role table is broken")

    monkeypatch.setattr("waypoint.accounts.api.role_label", broken)
    client = token_client(coordinator)
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/v1/me")
    assert response.status_code == 500
    assert _json(response) == {"detail": "internal error"}
    (logged,) = [r for r in caplog.records if r.name == "django.request"]
    assert logged.getMessage() == "Internal Server Error: /api/v1/me"
    assert "the role table is broken" in str(logged.exc_info[1])


def test_a_bug_before_any_operation_is_a_json_500(quiet_client, coordinator, monkeypatch):
    def broken(user):
        raise RuntimeError("the second-factor check is broken")

    monkeypatch.setattr("waypoint.accounts.middleware.second_factor_required", broken)
    quiet_client.force_login(coordinator)
    response = quiet_client.get("/api/v1/me")
    assert response.status_code == 500
    assert _json(response) == {"detail": "internal error"}
    page = quiet_client.get("/")
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")


def test_a_csrf_failure_under_api_is_a_json_403(coordinator):
    """Django's middleware checks CSRF for the API's schema views, outside ninja's operations."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post("/api/v1/openapi.json")
    assert response.status_code == 403
    assert _json(response) == {"detail": "CSRF check failed"}
    page = client.post("/logout/")
    assert page.status_code == 403
    assert page["Content-Type"].startswith("text/html")
