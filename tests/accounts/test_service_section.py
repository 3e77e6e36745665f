"""Django's admin, kept for rare cases: dressed as the product, in Russian, and bound by the
same last-administrator rule as the product's own pages."""

from django.conf import settings
from django.contrib.auth.models import Group

from tests.accounts.test_admin_doors import _user_form
from waypoint.accounts.models import User


def test_the_service_section_names_waypoint_in_russian(client, admin):
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = client.get("/admin/").content.decode()
    assert "Waypoint: служебный раздел" in page
    assert "web/admin.css" in page
    assert "admin/css/dark_mode.css" not in page
    assert "Пользователи и организации" in page
    assert "Обращения на горячую линию" in page
    assert 'href="/manage/"' in page


def test_the_last_administrator_stays_one_in_the_service_section(client, admin):
    superuser = User.objects.create_user("root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    response = client.post(f"/admin/accounts/user/{admin.pk}/change/", _user_form(admin, groups=[]))
    assert response.status_code == 302  # the superuser is an administrator still
    admin.groups.add(Group.objects.get(name="administrator"))
    superuser.is_active = False
    superuser.save()
    client.force_login(admin)
    response = client.post(
        f"/admin/accounts/user/{admin.pk}/change/", _user_form(admin, is_active="")
    )
    assert response.status_code == 200
    assert "last active administrator" in response.content.decode()
    assert User.objects.get(pk=admin.pk).is_active
    assert client.get(f"/admin/accounts/user/{admin.pk}/delete/").status_code == 403


def test_nobody_changes_their_own_roles_in_the_service_section(client, admin):
    User.objects.create_user("root", is_superuser=True, is_staff=True)  # not the last one
    client.force_login(admin)
    response = client.post(
        f"/admin/accounts/user/{admin.pk}/change/",
        _user_form(admin, groups=[Group.objects.get(name="coordinator").pk]),
    )
    assert response.status_code == 200
    assert "your own roles" in response.content.decode()
    assert list(admin.groups.values_list("name", flat=True)) == ["administrator"]


def test_delete_selected_keeps_the_last_administrator(client, admin):
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [admin.pk], "post": "yes"},
    )
    assert response.status_code == 403  # has_delete_permission refuses it, one by one
    assert User.objects.filter(pk=admin.pk).exists()
