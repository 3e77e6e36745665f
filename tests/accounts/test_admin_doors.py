"""The admin is no second way in, and what is changed there is audited like any other write."""

import pyotp
import pytest
from django.conf import settings
from django.contrib import admin as django_admin
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory

from tests.conftest import PASSWORD, make_user
from waypoint.accounts.models import Organisation, User
from waypoint.audit.admin import AuditedModelAdmin
from waypoint.audit.models import AuditEvent


def fail(client, user, times, path="/login/"):
    for _ in range(times):
        client.post(path, {"username": user.username, "password": "wrong"})


def test_the_admin_sign_in_is_the_site_sign_in(client, db):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response.url == "/login/?next=/admin/accounts/user/"
    assert client.get("/admin/").url.startswith("/admin/login/")


def test_a_password_posted_to_the_admin_never_signs_in(client, admin):
    response = client.post("/admin/login/", {"username": admin.username, "password": PASSWORD})
    assert response.status_code == 302
    assert not client.session.get("_auth_user_id")


def test_the_lockout_holds_whatever_the_way_in(client, admin):
    fail(client, admin, settings.WAYPOINT_LOGIN_MAX_FAILURES)
    # The right password, by the page, by the admin's URL or by any authenticate() call.
    client.post("/login/", {"username": admin.username, "password": PASSWORD})
    client.post("/admin/login/", {"username": admin.username, "password": PASSWORD})
    assert not client.session.get("_auth_user_id")
    assert not client.login(username=admin.username, password=PASSWORD)


def test_signed_in_without_admin_access_is_refused_not_looped(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/admin/login/").status_code == 403


def test_the_admin_waits_for_the_second_factor(client, admin):
    admin.totp_secret = pyotp.random_base32()
    admin.totp_enabled = True
    admin.save()
    client.post("/login/", {"username": admin.username, "password": PASSWORD})
    assert client.get("/admin/").url == "/account/second-factor/"
    client.post("/account/second-factor/", {"code": pyotp.TOTP(admin.totp_secret).now()})
    assert client.get("/admin/").status_code == 200


def _user_form(user, **changes):
    groups = [group.pk for group in user.groups.all()]
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "groups": groups,
        "organisation": user.organisation_id or "",
        "scope": user.scope,
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_admin_changes_to_a_user_are_audited(client, admin, coordinator):
    client.force_login(admin)
    counsellor = Group.objects.get(name="career_counsellor")
    response = client.post(
        f"/admin/accounts/user/{coordinator.pk}/change/",
        _user_form(coordinator, groups=[counsellor.pk], scope="organisation"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="accounts.user.admin_change")
    assert event.actor == admin
    assert event.subject_id == str(coordinator.pk)
    assert event.changes["groups"] == [["coordinator"], ["career_counsellor"]]
    assert event.changes["scope"] == ["region", "organisation"]


def test_a_password_set_in_the_admin_is_audited_without_it(client, admin, coordinator):
    client.force_login(admin)
    response = client.post(
        f"/admin/accounts/user/{coordinator.pk}/password/",
        {"password1": "another-long-passphrase", "password2": "another-long-passphrase"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="accounts.user.admin_set_password")
    assert event.changes == {"password": ["[redacted]", "[redacted]"]}


@pytest.fixture
def superuser(admin):
    admin.is_superuser = True
    admin.save()
    return admin


def test_organisations_and_roles_edited_in_the_admin_are_audited(client, superuser):
    client.force_login(superuser)
    client.post(
        "/admin/accounts/organisation/add/",
        {"name": "Центр занятости", "kind": "employment_centre", "region": "77", "is_active": "on"},
    )
    created = Organisation.objects.get(name="Центр занятости")
    added = AuditEvent.objects.get(action="accounts.organisation.admin_add")
    assert added.subject_id == str(created.pk)
    assert added.changes["name"] == [None, "Центр занятости"]
    client.post(f"/admin/accounts/organisation/{created.pk}/delete/", {"post": "yes"})
    assert AuditEvent.objects.filter(action="accounts.organisation.admin_delete").count() == 1
    analyst = Group.objects.get(name="labour_analyst")
    extra = Permission.objects.get(codename="view_veteran")
    client.post(
        f"/admin/auth/group/{analyst.pk}/change/",
        {
            "name": analyst.name,
            "permissions": [*analyst.permissions.values_list("pk", flat=True), extra.pk],
        },
    )
    role = AuditEvent.objects.get(action="auth.group.admin_change")
    assert "Can view veteran" in " ".join(role.changes["permissions"][1])


def test_nobody_gives_themselves_the_clinician_role(client, admin):
    client.force_login(admin)
    clinician = Group.objects.get(name="clinician")
    own = [*admin.groups.values_list("pk", flat=True), clinician.pk]
    response = client.post(
        f"/admin/accounts/user/{admin.pk}/change/", _user_form(admin, groups=own)
    )
    assert response.status_code == 200
    assert "You cannot give yourself access to health data" in response.content.decode()
    assert not admin.groups.filter(name="clinician").exists()
    assert not AuditEvent.objects.filter(action="accounts.user.admin_change").exists()


def test_nor_a_health_permission_directly_or_through_their_role(client, superuser):
    admin = superuser
    client.force_login(admin)
    care = Permission.objects.get(codename="provide_care")
    response = client.post(
        f"/admin/accounts/user/{admin.pk}/change/",
        _user_form(admin, user_permissions=[care.pk]),
    )
    assert "You cannot give yourself access to health data" in response.content.decode()
    role = Group.objects.get(name="administrator")
    response = client.post(
        f"/admin/auth/group/{role.pk}/change/",
        {
            "name": role.name,
            "permissions": [*role.permissions.values_list("pk", flat=True), care.pk],
        },
    )
    assert "You cannot give yourself access to health data" in response.content.decode()
    assert not role.permissions.filter(pk=care.pk).exists()


def test_another_administrator_may_grant_it_and_the_audit_shows_who(client, admin, db):
    colleague = make_user("administrator", admin.organisation, is_staff=True, scope=User.Scope.ALL)
    client.force_login(colleague)
    clinician = Group.objects.get(name="clinician")
    own = [*admin.groups.values_list("pk", flat=True), clinician.pk]
    response = client.post(
        f"/admin/accounts/user/{admin.pk}/change/", _user_form(admin, groups=own)
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="accounts.user.admin_change")
    assert event.actor == colleague
    assert "clinician" in event.changes["groups"][1]


def test_every_admin_that_can_write_is_audited(admin):
    request = RequestFactory().get("/admin/")
    request.user = admin
    unaudited = [
        type(model_admin).__name__
        for model_admin in django_admin.site._registry.values()
        if not isinstance(model_admin, AuditedModelAdmin)
        and (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        )
    ]
    assert unaudited == []


@pytest.mark.parametrize("path", ["/admin/cases/track/add/"])
def test_configuration_edits_are_audited_too(client, admin, path):
    client.force_login(admin)
    client.post(path, {"code": "t9", "name_en": "Trial", "name_ru": "Проба", "position": 9})
    assert AuditEvent.objects.filter(action="cases.track.admin_add").exists()
