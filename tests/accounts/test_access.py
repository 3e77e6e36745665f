"""accounts.access: the read gates of accounts and organisations and the rules of managing
them, asked by the /manage/ pages, the API and the Django admin alike."""

from django.contrib.auth.models import AnonymousUser, Group

from waypoint.accounts import access
from waypoint.accounts.models import Organisation


def test_the_directory_is_scoped(admin, coordinator, moscow_branch, sverdlovsk_branch):
    assert set(access.organisations_visible_to(admin)) == set(Organisation.objects.all())
    regional = access.organisations_visible_to(coordinator)
    assert moscow_branch in regional
    assert sverdlovsk_branch not in regional
    assert not access.organisations_visible_to(AnonymousUser()).exists()


def test_accounts_are_read_with_the_permission_only(admin, coordinator):
    assert coordinator in access.users_visible_to(admin)
    assert not access.users_visible_to(coordinator).exists()


def test_nobody_changes_their_own_access(admin, coordinator):
    assert access.may_change_access_of(admin, coordinator)
    assert not access.may_change_access_of(admin, admin)
    assert access.may_change_access_of(None, admin)  # the system: a command


def test_no_role_beyond_ones_own_power(admin, coordinator):
    assert access.roles_beyond(admin, ["coordinator"]) == []
    assert access.roles_beyond(None, ["administrator"]) == []
    coordinator.user_permissions.clear()
    assert access.roles_beyond(coordinator, ["administrator"]) != []


def test_the_last_administrator(admin):
    assert access.administrator_ids() == {admin.pk}
    assert access.is_last_administrator(admin)
    assert access.would_administer(
        admin, groups=admin.groups.all(), permissions=None, is_active=True, is_superuser=False
    )
    assert not access.would_administer(
        admin, groups=Group.objects.none(), permissions=None, is_active=True, is_superuser=False
    )
    assert not access.would_administer(
        admin, groups=admin.groups.all(), permissions=None, is_active=False, is_superuser=False
    )
