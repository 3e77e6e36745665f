"""Who may call which route, and who may do what to accounts and organisations.

Route gates: every view and API operation declares who may call it; a test fails any that
does not. `public` — anyone, signed in or not. `signed_in` — anyone signed in; the view
narrows by object (a veteran sees only their own record). `requires(p, ...)` — signed in and
holding every named permission, else 403.

Accounts' own rules, for the /manage/ pages, the API and the Django admin alike: the read
gates of accounts and organisations, nobody changing their own access, nobody giving more
power than they hold, the last administrator staying one, and nobody granting themself
access to health data.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, JsonResponse

from waypoint.accounts.models import (
    HEALTH_PERMISSIONS,
    RELATION_PERMISSIONS,
    Organisation,
    User,
)
from waypoint.accounts.roles import MANAGE_ACCOUNTS, ROLES_BY_CODE

PUBLIC = "public"
SIGNED_IN = "signed_in"


def public(view: Callable) -> Callable:
    view.access = PUBLIC  # type: ignore[attr-defined]
    return view


def signed_in(view: Callable) -> Callable:
    return requires()(view)


def requires(*permissions: str) -> Callable[[Callable], Callable]:
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "not signed in"}, status=401)
                return redirect_to_login(request.get_full_path())
            if not all(user.has_perm(permission) for permission in permissions):
                raise PermissionDenied(", ".join(permissions))
            return view(request, *args, **kwargs)

        guarded.access = permissions or SIGNED_IN  # type: ignore[attr-defined]
        return guarded

    return decorate


def may(actor: User | None, permission: str) -> bool:
    """`actor` None is the system itself (a command, self-registration): nothing to check."""
    return actor is None or actor.has_perm(permission)


def users_visible_to(user) -> QuerySet[User]:
    """The accounts an administrator looks through: all of them, with the permission."""
    if not user.is_authenticated or not user.has_perm("accounts.view_user"):
        return User.objects.none()
    return User.objects.all()


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """Directory of agencies: everyone with the permission sees their scope of it."""
    if not user.is_authenticated or not user.has_perm("accounts.view_organisation"):
        return Organisation.objects.none()
    if user.effective_scope == User.Scope.ALL:
        return Organisation.objects.all()
    if user.effective_scope == User.Scope.REGION and user.organisation_id:
        return Organisation.objects.filter(region_id=user.region_code)
    return Organisation.objects.filter(Q(pk=user.organisation_id))


def may_change_access_of(actor: User | None, user: User) -> bool:
    """Nobody widens their own access or locks themself out (roles, organisation, scope,
    active, second factor): another administrator must."""
    return actor is None or actor.pk != user.pk


def roles_beyond(actor: User | None, role_codes: Iterable[str]) -> list[str]:
    """The labels of the roles holding a permission the actor lacks: a person who may manage
    accounts gives no one more power than they have. Permissions for a care relation are no
    power (accounts.models.RELATION_PERMISSIONS): an administrator who may not read health
    records still makes a clinician."""
    if actor is None or actor.is_superuser:
        return []
    beyond = sorted(
        str(ROLES_BY_CODE[name].label)
        for name, app, codename in Group.objects.filter(name__in=list(role_codes)).values_list(
            "name", "permissions__content_type__app_label", "permissions__codename"
        )
        if codename
        and f"{app}.{codename}" not in RELATION_PERMISSIONS
        and not actor.has_perm(f"{app}.{codename}")
    )
    return list(dict.fromkeys(beyond))


def _manage_accounts() -> Permission:
    app, codename = MANAGE_ACCOUNTS.split(".")
    return Permission.objects.get(content_type__app_label=app, codename=codename)


def administrator_ids() -> set[int]:
    """Active people who may manage accounts: by a role, a permission of their own, or as
    superusers."""
    permission = _manage_accounts()
    return set(
        User.objects.filter(
            Q(is_superuser=True)
            | Q(groups__permissions=permission)
            | Q(user_permissions=permission),
            is_active=True,
        ).values_list("pk", flat=True)
    )


def lock_administrators() -> None:
    """Every change that could leave no administrator takes this lock first (the permission's
    row), inside its transaction: two administrators removing each other at once are served
    one after the other, and the second sees the first's change."""
    list(Permission.objects.select_for_update().filter(pk=_manage_accounts().pk))


def is_last_administrator(user: User) -> bool:
    """Call it inside the transaction that would take `user` out of the administrators."""
    lock_administrators()
    return administrator_ids() == {user.pk}


def would_administer(
    user: User,
    *,
    groups: Iterable[Group],
    permissions: Iterable[Permission] | None,
    is_active: bool,
    is_superuser: bool,
) -> bool:
    """Whether `user` would still manage accounts with these roles and direct permissions
    (None: the direct permissions they hold now)."""
    app, codename = MANAGE_ACCOUNTS.split(".")
    granted = Permission.objects.filter(
        Q(group__in=list(groups))
        | Q(user__in=[user] if permissions is None else [])
        | Q(pk__in=[p.pk for p in permissions or []]),
        content_type__app_label=app,
        codename=codename,
    ).exists()
    return is_active and (is_superuser or granted)


def health_access_gained(user: User, *, groups, permissions, is_superuser: bool) -> set[str]:
    """Health-data permissions `user` would hold with these roles and direct permissions, and
    does not hold now.

    An administrator may not grant these to themselves (through their own roles, their own
    direct permissions or the permissions of a role they have): reading health records takes
    someone else's decision, which the audit log then shows.
    """
    granted = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(
            Q(group__in=list(groups)) | Q(pk__in=[permission.pk for permission in permissions])
        ).values_list("content_type__app_label", "codename")
    }
    held_before = User.objects.get(pk=user.pk)
    return {
        permission
        for permission in HEALTH_PERMISSIONS
        if not held_before.has_perm(permission)
        and (permission in granted or (is_superuser and permission not in RELATION_PERMISSIONS))
    }


def may_see_administration(user) -> bool:
    """The product's administration pages (/manage/): accounts, roles, organisations."""
    return user.has_perm("accounts.view_user")


def may_change_accounts(user) -> bool:
    """Staff administrators who change accounts (and see the accounts to look after)."""
    return bool(user.is_staff and user.has_perm("accounts.change_user"))
