import pyotp
import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import PASSWORD
from waypoint.accounts.roles import ROLES


def login(client, user, password=PASSWORD):
    return client.post(reverse("web:login"), {"username": user.username, "password": password})


def test_login_and_logout(client, coordinator):
    assert login(client, coordinator).status_code == 302
    assert client.get(reverse("web:home")).status_code == 200
    assert client.get(reverse("web:logout")).status_code == 405
    client.post(reverse("web:logout"))
    assert client.get(reverse("web:home")).status_code == 302


def test_wrong_password_is_an_error(client, coordinator):
    response = login(client, coordinator, "wrong")
    assert response.status_code == 200
    assert response.context["form"].errors


def test_lockout_after_repeated_failures(client, coordinator):
    for _ in range(settings.WAYPOINT_LOGIN_MAX_FAILURES):
        login(client, coordinator, "wrong")
    response = login(client, coordinator)
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_success_clears_failures(client, coordinator):
    for _ in range(settings.WAYPOINT_LOGIN_MAX_FAILURES - 1):
        login(client, coordinator, "wrong")
    assert login(client, coordinator).status_code == 302
    client.post(reverse("web:logout"))
    login(client, coordinator, "wrong")
    assert login(client, coordinator).status_code == 302


def test_session_idle_timeout_and_argon2(coordinator):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert coordinator.password.startswith("argon2")


def test_second_factor_enrolment_when_required(client, coordinator, settings):
    settings.WAYPOINT_REQUIRE_2FA = True
    login(client, coordinator)
    response = client.get(reverse("people:veteran_list"))
    assert response.url == reverse("web:second_factor")
    assert client.get("/api/v1/me").status_code == 403
    page = client.get(reverse("web:second_factor"))
    assert "<svg" in page.content.decode()
    wrong = client.post(reverse("web:second_factor"), {"code": "000000"})
    assert wrong.context["form"].errors
    coordinator.refresh_from_db()
    code = pyotp.TOTP(coordinator.totp_secret).now()
    assert client.post(reverse("web:second_factor"), {"code": code}).status_code == 302
    assert client.get(reverse("people:veteran_list")).status_code == 200


def test_veteran_is_not_forced_to_use_a_second_factor(client, veteran_user, settings):
    settings.WAYPOINT_REQUIRE_2FA = True
    login(client, veteran_user)
    assert client.get(reverse("web:home")).status_code == 200


def test_enrolled_user_is_always_asked(client, coordinator):
    coordinator.totp_secret = pyotp.random_base32()
    coordinator.totp_enabled = True
    coordinator.save()
    login(client, coordinator)
    assert client.get(reverse("web:home")).url == reverse("web:second_factor")
    code = pyotp.TOTP(coordinator.totp_secret).now()
    client.post(reverse("web:second_factor"), {"code": code})
    assert client.get(reverse("web:home")).status_code == 200


def test_role_groups_hold_exactly_their_permissions(db):
    from django.contrib.auth.models import Group

    from waypoint.accounts.roles import sync_roles

    sync_roles()
    for role in ROLES:
        group = Group.objects.get(name=role.code)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for spec in role.permissions:
            if spec.endswith(".*"):
                assert any(name.startswith(spec[:-1]) for name in held)
            else:
                assert spec in held
        explicit = {spec for spec in role.permissions if not spec.endswith(".*")}
        wildcards = {spec[:-2] for spec in role.permissions if spec.endswith(".*")}
        assert {name for name in held if name.split(".")[0] not in wildcards} == explicit


def test_no_code_checks_role_names():
    from pathlib import Path

    source = Path(settings.PACKAGE_DIR)
    offenders = [
        str(path)
        for path in source.rglob("*.py")
        if path.name != "roles.py"
        and "demo" not in path.name
        and ("groups__name" in path.read_text() or "groups.filter(name" in path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("persona", "text"),
    [
        ("coordinator", "My caseload and tasks"),
        ("provider", "no training-provider profile"),
        ("auditor", "Latest events"),
        ("veteran_user", "Welcome"),
    ],
    indirect=["persona"],
)
def test_home_per_role(client, persona, text):
    client.force_login(persona)
    assert text in client.get(reverse("web:home")).content.decode()


def test_organisation_directory_is_scoped(client, coordinator, sverdlovsk_branch):
    client.force_login(coordinator)
    names = [item["name"] for item in client.get("/api/v1/organisations").json()["items"]]
    assert "Fund branch, Moscow" in names
    assert "Fund branch, Yekaterinburg" not in names
    me = client.get("/api/v1/me").json()
    assert me["scope"] == "region"
    assert "people.view_veteran" in me["permissions"]


def test_a_token_is_not_held_at_the_second_factor_of_a_session_beside_it(client, coordinator):
    from waypoint.accounts.services import issue_api_token

    coordinator.totp_secret = pyotp.random_base32()
    coordinator.totp_enabled = True
    coordinator.save()
    login(client, coordinator)  # a session that still waits for its second factor
    assert client.get("/api/v1/me").status_code == 403
    token = issue_api_token(actor=None, user=coordinator, name="agency")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert client.get(reverse("web:home"), HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 302
