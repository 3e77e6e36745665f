import hashlib
import secrets
from datetime import timedelta

import pyotp
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import (
    HEALTH_PERMISSIONS,
    RELATION_PERMISSIONS,
    ApiToken,
    LoginFailure,
    Organisation,
    User,
)
from waypoint.accounts.roles import ROLES_BY_CODE
from waypoint.audit.services import record

TOTP_ISSUER = "Waypoint"


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _window_start():
    return timezone.now() - timedelta(minutes=settings.WAYPOINT_LOGIN_LOCKOUT_MINUTES)


def login_locked(username: str, address: str | None) -> bool:
    """Too many recent failures for this name, or many more from this address."""
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    limit = settings.WAYPOINT_LOGIN_MAX_FAILURES
    if recent.filter(username=username.lower()).count() >= limit:
        return True
    return bool(address) and recent.filter(client_address=address).count() >= 4 * limit


def record_login_failure(username: str, address: str | None) -> None:
    LoginFailure.objects.filter(at__lt=_window_start()).delete()
    LoginFailure.objects.create(
        username=username.lower()[:150], client_address=address, at=timezone.now()
    )


def clear_login_failures(username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()


def create_user(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    role_codes: list[str],
    organisation: Organisation | None = None,
    scope: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    unknown = [code for code in role_codes if code not in ROLES_BY_CODE]
    if unknown:
        raise ValidationError(
            {"roles": [_("unknown role(s): %(roles)s") % {"roles": ", ".join(unknown)}]}
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": [_("the username %(name)s is taken") % {"name": username}]}
        )
    if scope is None:
        scope = ROLES_BY_CODE[role_codes[0]].default_scope if role_codes else User.Scope.CASELOAD
    with transaction.atomic():
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            organisation=organisation,
            scope=scope,
            is_staff=is_staff,
            is_superuser=is_superuser,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        user.groups.set(Group.objects.filter(name__in=role_codes))
        record(
            actor=actor,
            action="accounts.user.create",
            subject=user,
            changes={
                "username": [None, username],
                "roles": [None, sorted(role_codes)],
                "scope": [None, scope],
            },
        )
    return user


def health_access_gained(user: User, *, groups, permissions, is_superuser: bool) -> set[str]:
    """Health-data permissions `user` would hold with these roles and direct permissions, and
    does not hold now.

    An administrator may not grant these to themselves (through their own roles, their own
    direct permissions or the permissions of a role they have): reading health records takes
    someone else's decision, which the audit log then shows.
    """
    from django.contrib.auth.models import Permission

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


def second_factor_required(user: User) -> bool:
    """Staff sign in with TOTP when the site requires it; anyone who enrolled uses it always."""
    return user.totp_enabled or (settings.WAYPOINT_REQUIRE_2FA and user.is_agency_staff)


def start_totp_enrolment(user: User) -> str:
    """A fresh secret, stored unconfirmed; returns the otpauth:// URI for an authenticator app."""
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled = False
    user.save(update_fields=["totp_secret", "totp_enabled"])
    return pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.username, issuer_name=TOTP_ISSUER
    )


def verify_totp(user: User, code: str) -> bool:
    if not user.totp_secret:
        return False
    return pyotp.TOTP(user.totp_secret).verify(code.strip().replace(" ", ""), valid_window=1)


def confirm_totp_enrolment(*, actor: User, code: str) -> None:
    if not verify_totp(actor, code):
        raise ValidationError(
            {"code": [_("the code does not match; check the clock of your phone")]}
        )
    with transaction.atomic():
        actor.totp_enabled = True
        actor.save(update_fields=["totp_enabled"])
        record(
            actor=actor,
            action="accounts.user.enable_2fa",
            subject=actor,
            changes={"totp_enabled": [False, True]},
        )


def _hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_api_token(*, actor: User | None, user: User, name: str) -> str:
    """Create a token for `user` and return it; it is shown once and stored only hashed."""
    key = "wp_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=key[:8], key_hash=_hash_token(key)
        )
        record(
            actor=actor,
            action="accounts.apitoken.create",
            subject=token,
            changes={"user": [None, user.pk], "name": [None, name]},
        )
    return key


def user_for_token(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_token(key), revoked_at=None, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
