"""The administrator's pages (/manage/): what they show, what they save, how they refuse."""

import pytest
from django.conf import settings
from django.utils import translation

from tests.conftest import make_user
from waypoint.accounts.models import Organisation, User
from waypoint.appeals.models import RoutingRule
from waypoint.audit.models import AuditEvent


@pytest.fixture
def signed_in(client, admin):
    client.force_login(admin)
    return client


def russian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    return client


def test_the_menu_leads_administrators_to_their_pages(signed_in, coordinator, client):
    home = signed_in.get("/").content.decode()
    assert 'href="/manage/"' in home
    client.force_login(coordinator)
    assert 'href="/manage/"' not in client.get("/").content.decode()


def test_people_are_found_by_name_role_and_status_in_russian(signed_in, moscow_branch):
    make_user("coordinator", moscow_branch, last_name="Ёлкина", username="yolkina")
    make_user("auditor", moscow_branch, last_name="Петров", is_active=False)
    page = russian(signed_in).get("/manage/users/?q=елкина").content.decode()
    assert "yolkina" in page
    assert "yolkina" in signed_in.get("/manage/users/?q=ЁЛКИН").content.decode()
    assert "Петров" not in page
    page = signed_in.get("/manage/users/?role=auditor&active=0").content.decode()
    assert "Петров" in page
    assert "отключён" in page
    assert "yolkina" not in page


def test_an_account_is_created_from_the_page(signed_in, moscow_branch):
    response = signed_in.post(
        "/manage/users/new/",
        {
            "username": "irina",
            "last_name": "Орлова",
            "first_name": "Ирина",
            "email": "irina@example.org",
            "organisation": moscow_branch.pk,
            "roles": ["career_counsellor"],
            "scope": "",
            "password": "a-long-fresh-passphrase",
        },
    )
    user = User.objects.get(username="irina")
    assert response.status_code == 302
    assert response.url == f"/manage/users/{user.pk}/"
    assert user.scope == User.Scope.REGION
    assert AuditEvent.objects.filter(action="accounts.user.create", subject_id=user.pk).exists()


def test_a_bad_account_form_says_which_field_and_why(signed_in, coordinator):
    with translation.override("en"):
        response = signed_in.post(
            "/manage/users/new/",
            {
                "username": coordinator.username,
                "roles": [],
                "scope": "organisation",
                "password": "short",
            },
        )
    assert response.status_code == 200
    form = response.context["form"]
    assert "roles" in form.errors
    assert not User.objects.filter(username="short").exists()
    # The roles chosen, the service then names the taken login and the unusable scope.
    response = signed_in.post(
        "/manage/users/new/",
        {
            "username": coordinator.username,
            "roles": ["auditor"],
            "scope": "organisation",
            "password": "a-long-fresh-passphrase",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "is taken" in " ".join(response.context["form"].errors["username"])


def test_roles_are_changed_and_the_last_administrator_keeps_theirs(signed_in, admin, coordinator):
    response = signed_in.post(
        f"/manage/users/{coordinator.pk}/roles/", {"r-roles": ["coordinator", "auditor"]}
    )
    assert response.status_code == 302
    assert set(coordinator.groups.values_list("name", flat=True)) == {"coordinator", "auditor"}
    response = russian(signed_in).post(f"/manage/users/{admin.pk}/roles/", {"r-roles": []})
    assert response.status_code == 200
    assert "свои роли изменить нельзя" in response.content.decode()
    assert admin.groups.filter(name="administrator").exists()


def test_deactivate_reactivate_and_reset_the_second_factor(signed_in, admin, coordinator):
    coordinator.totp_secret, coordinator.totp_enabled = "JBSWY3DPEHPK3PXP", True
    coordinator.save()
    page = signed_in.get(f"/manage/users/{coordinator.pk}/").content.decode()
    assert "second-factor/" in page
    signed_in.post(f"/manage/users/{coordinator.pk}/second-factor/")
    signed_in.post(f"/manage/users/{coordinator.pk}/active/", {"active": "0"})
    coordinator.refresh_from_db()
    assert (coordinator.totp_enabled, coordinator.is_active) == (False, False)
    signed_in.post(f"/manage/users/{coordinator.pk}/active/", {"active": "1"})
    assert User.objects.get(pk=coordinator.pk).is_active
    # Their own account: the page offers none of it, and a forged request is refused.
    own = signed_in.get(f"/manage/users/{admin.pk}/").content.decode()
    assert "/active/" not in own
    response = russian(signed_in).post(
        f"/manage/users/{admin.pk}/active/", {"active": "0"}, follow=True
    )
    assert "нельзя отключить собственную учётную запись" in response.content.decode()
    assert User.objects.get(pk=admin.pk).is_active
    history = signed_in.get(f"/manage/users/{coordinator.pk}/").content.decode()
    assert "учётная запись снова включена" in history


def test_details_are_saved_and_errors_shown_by_the_field(signed_in, coordinator):
    values = {
        "first_name": "Марина",
        "last_name": "Белова",
        "email": "not-an-address",
        "organisation": "",
        "scope": "region",
    }
    with translation.override("en"):
        response = signed_in.post(
            f"/manage/users/{coordinator.pk}/", values, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert "email" in response.context["form"].errors
    response = signed_in.post(
        f"/manage/users/{coordinator.pk}/", values | {"email": "m@example.org"}
    )
    assert "needs an organisation" in " ".join(response.context["form"].errors["scope"])
    response = signed_in.post(
        f"/manage/users/{coordinator.pk}/",
        values | {"email": "m@example.org", "scope": "caseload"},
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert (coordinator.organisation, coordinator.scope) == (None, "caseload")


def test_roles_are_listed_with_what_they_allow_in_russian(signed_in, coordinator):
    page = russian(signed_in).get("/manage/roles/").content.decode()
    assert "Координатор" in page
    assert "ставить ветеранов на учёт" in page
    assert "1 действующий пользователь" in page


def test_organisations_are_listed_created_and_edited(signed_in, moscow_branch):
    page = russian(signed_in).get("/manage/organisations/?kind=fund_branch").content.decode()
    assert moscow_branch.name in page
    response = signed_in.post(
        "/manage/organisations/new/",
        {"name": "Клиника «Надежда»", "kind": "clinic", "region": "66", "is_active": "on"},
    )
    assert response.status_code == 302
    created = Organisation.objects.get(name="Клиника «Надежда»")
    response = signed_in.post(
        f"/manage/organisations/{created.pk}/",
        {"name": moscow_branch.name, "kind": "clinic", "region": "77"},
    )
    assert "уже есть" in " ".join(response.context["form"].errors["name"])
    response = signed_in.post(
        f"/manage/organisations/{created.pk}/", {"name": "Клиника «Надежда»", "kind": "clinic"}
    )
    assert "region" in response.context["form"].errors
    created.refresh_from_db()
    assert (created.region_id, created.is_active) == ("66", True)


def test_a_routing_rule_is_opened_for_change(signed_in, moscow_branch):
    rule = RoutingRule.objects.create(topic="legal", region_id="77", organisation=moscow_branch)
    page = signed_in.get(f"/appeals/routing/?rule={rule.pk}").content.decode()
    assert f'<option value="{moscow_branch.pk}" selected>' in page
    assert f'href="?rule={rule.pk}#rule-form"' in page
