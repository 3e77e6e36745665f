"""The administrator's routine work (accounts.services): every write authorised, audited in
its transaction, and refused with a message naming the field when it breaks a rule."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tests.conftest import make_organisation, make_user
from waypoint.accounts import access, services
from waypoint.accounts.models import Organisation, User
from waypoint.accounts.roles import ABILITIES, ROLES, abilities
from waypoint.audit.models import AuditEvent

NEW_PASSWORD = "a-long-fresh-passphrase"


def refusal(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_an_account_created_is_audited_with_roles_scope_and_organisation(admin, moscow_branch):
    user = services.create_user(
        actor=admin,
        username="olga",
        password=NEW_PASSWORD,
        role_codes=["coordinator"],
        organisation=moscow_branch,
        last_name="Смирнова",
    )
    assert user.scope == User.Scope.REGION  # the role's default
    assert list(user.groups.values_list("name", flat=True)) == ["coordinator"]
    assert user.check_password(NEW_PASSWORD)
    assert not user.is_staff
    event = AuditEvent.objects.get(action="accounts.user.create")
    assert event.actor == admin
    assert event.changes["roles"] == [None, ["coordinator"]]
    assert event.changes["organisation"] == [None, moscow_branch.pk]


def test_a_new_administrator_may_open_the_service_section(admin):
    user = services.create_user(
        actor=admin, username="chief2", password=NEW_PASSWORD, role_codes=["administrator"]
    )
    assert user.is_staff
    assert not user.is_superuser


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"username": "coordinator-x", "role_codes": ["pilot"]}, "roles", "unknown role"),
        ({"password": "123"}, "password", "too short"),
        ({"scope": "region", "organisation": None}, "scope", "needs an organisation"),
        ({"scope": "planet"}, "scope", "choose one of the scopes"),
        ({"email": "not-an-address"}, "email", "valid email"),
        ({"username": "bad name!"}, "username", "valid username"),
    ],
)
def test_bad_account_input_is_refused_naming_the_field(
    admin, moscow_branch, changes, field, message
):
    values = {
        "username": "newperson",
        "password": NEW_PASSWORD,
        "role_codes": ["coordinator"],
        "organisation": moscow_branch,
    } | changes
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.create_user(actor=admin, **values)
    assert message in " ".join(refusal(excinfo)[field])
    assert not User.objects.filter(username=values["username"]).exists()
    assert not AuditEvent.objects.filter(action="accounts.user.create").exists()


def test_a_taken_username_is_refused_whatever_its_case(admin, coordinator):
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.create_user(
            actor=admin,
            username=coordinator.username.upper(),
            password=NEW_PASSWORD,
            role_codes=["coordinator"],
        )
    assert "is taken" in refusal(excinfo)["username"][0]


def test_only_people_who_manage_accounts_create_them(coordinator):
    with pytest.raises(PermissionDenied):
        services.create_user(
            actor=coordinator, username="x1", password=NEW_PASSWORD, role_codes=["coordinator"]
        )


def test_nobody_gives_a_role_with_more_rights_than_their_own(moscow_branch):
    # A person who may manage accounts but holds no analytics permission.
    manager = make_user("coordinator", moscow_branch)
    manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_user", "change_user", "view_user"])
    )
    manager = User.objects.get(pk=manager.pk)
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.create_user(
            actor=manager, username="x2", password=NEW_PASSWORD, role_codes=["administrator"]
        )
    assert "more rights than your own: Administrator" in refusal(excinfo)["roles"][0]
    # Care relations are no power: an administrator makes a clinician, a commander.
    target = make_user("coordinator", moscow_branch)
    services.set_roles(
        actor=User.objects.get(pk=make_user("administrator").pk),
        user=target,
        role_codes=["clinician", "commander"],
    )


def test_roles_changed_are_audited_before_and_after(admin, coordinator):
    services.set_roles(actor=admin, user=coordinator, role_codes=["career_counsellor"])
    assert list(coordinator.groups.values_list("name", flat=True)) == ["career_counsellor"]
    event = AuditEvent.objects.get(action="accounts.user.roles")
    assert event.changes == {"roles": [["coordinator"], ["career_counsellor"]]}


def test_nobody_changes_their_own_roles_scope_or_organisation(admin, moscow_branch):
    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            services.set_roles(actor=admin, user=admin, role_codes=["administrator", "clinician"])
        assert "your own roles" in refusal(excinfo)["roles"][0]
        with pytest.raises(ValidationError) as excinfo:
            services.update_user(
                actor=admin,
                user=admin,
                first_name="Новое",
                last_name=admin.last_name,
                email="",
                organisation=moscow_branch,
                scope=User.Scope.ALL,
            )
        assert "your own organisation or scope" in refusal(excinfo)["scope"][0]
    # One's own name is one's own to correct.
    services.update_user(
        actor=admin,
        user=admin,
        first_name="Галина",
        last_name=admin.last_name,
        email="g@example.org",
        organisation=admin.organisation,
        scope=admin.scope,
    )
    event = AuditEvent.objects.get(action="accounts.user.update")
    assert event.changes["first_name"][1] == "Галина"
    assert set(event.changes) == {"first_name", "email"}


def test_the_last_administrator_is_neither_deactivated_nor_demoted(admin, moscow_branch):
    """Two administrators acting on each other at once: the first change goes through, the
    second (its actor's rights read before the first landed) finds no one would be left."""
    other = make_user("administrator", moscow_branch)
    assert other.has_perm("accounts.change_user")  # read now, as a request would
    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            services.set_active(actor=admin, user=admin, active=False)
        assert "your own account" in refusal(excinfo)["is_active"][0]
        services.set_roles(actor=admin, user=other, role_codes=["coordinator"])
        with pytest.raises(ValidationError) as excinfo:
            services.set_roles(actor=other, user=admin, role_codes=["coordinator"])
        assert "last active administrator" in refusal(excinfo)["roles"][0]
        with pytest.raises(ValidationError) as excinfo:
            services.set_active(actor=other, user=admin, active=False)
        assert "last active administrator" in refusal(excinfo)["is_active"][0]
    assert access.administrator_ids() == {admin.pk}
    assert User.objects.get(pk=admin.pk).is_active
    assert admin.groups.filter(name="administrator").exists()
    assert not AuditEvent.objects.filter(action="accounts.user.deactivate").exists()


def test_deactivation_and_reactivation_are_audited(admin, coordinator):
    services.set_active(actor=admin, user=coordinator, active=False)
    assert not User.objects.get(pk=coordinator.pk).is_active
    services.set_active(actor=admin, user=coordinator, active=True)
    actions = list(
        AuditEvent.objects.filter(subject_id=str(coordinator.pk))
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["accounts.user.deactivate", "accounts.user.reactivate"]


def test_a_lost_second_factor_is_reset_by_another_administrator(admin, coordinator):
    coordinator.totp_secret, coordinator.totp_enabled = "JBSWY3DPEHPK3PXP", True
    coordinator.save()
    services.reset_second_factor(actor=admin, user=coordinator)
    coordinator.refresh_from_db()
    assert (coordinator.totp_enabled, coordinator.totp_secret) == (False, "")
    event = AuditEvent.objects.get(action="accounts.user.reset_2fa")
    assert event.changes["totp_enabled"] == [True, False]
    assert "JBSWY3DPEHPK3PXP" not in str(event.changes)
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.reset_second_factor(actor=admin, user=admin)
    assert "your own second factor" in refusal(excinfo)["totp_enabled"][0]


def test_organisations_are_created_and_changed_with_an_audit(admin):
    values = {"name": "Центр занятости, Химки", "kind": "employment_centre", "region_id": "50"}
    created = services.save_organisation(actor=admin, values=values)
    services.save_organisation(
        actor=admin, organisation=created, values={"region_id": "77", "is_active": False}
    )
    created.refresh_from_db()
    assert (created.region_id, created.is_active) == ("77", False)
    events = AuditEvent.objects.filter(subject_type="accounts.organisation").order_by("id")
    assert [event.action for event in events] == [
        "accounts.organisation.create",
        "accounts.organisation.update",
    ]
    assert events[1].changes == {"region": ["50", "77"], "is_active": [True, False]}


def test_an_organisation_named_twice_in_a_region_is_refused_naming_the_field(admin):
    make_organisation(name="Клиника № 1", region_id="77", kind=Organisation.Kind.CLINIC)
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.save_organisation(
            actor=admin, values={"name": "клиника № 1", "kind": "clinic", "region_id": "77"}
        )
    assert "already exists in this region" in refusal(excinfo)["name"][0]
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.save_organisation(actor=admin, values={"name": "", "kind": "clinic"})
    assert set(refusal(excinfo)) >= {"name", "region"}


def test_only_administrators_edit_organisations(coordinator, moscow_branch):
    with pytest.raises(PermissionDenied):
        services.save_organisation(
            actor=coordinator, organisation=moscow_branch, values={"name": "Другое"}
        )


def test_every_role_says_what_it_allows_in_words():
    assert all(spec in ABILITIES for role in ROLES for spec in role.permissions)
    with translation.override("ru"):
        words = abilities(ROLES[0])
    assert "читать журнал аудита" in words
