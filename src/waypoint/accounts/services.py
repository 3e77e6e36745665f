import hashlib
import secrets
from datetime import timedelta

import pyotp
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts import access
from waypoint.accounts.models import ApiToken, LoginFailure, Organisation, User
from waypoint.accounts.roles import MANAGE_ACCOUNTS, ROLES_BY_CODE, grants
from waypoint.audit.services import REDACTED, diff, record, snapshot

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


def _authorise(actor: User | None, permission: str) -> None:
    if not access.may(actor, permission):
        raise PermissionDenied(permission)


def _check_roles(actor: User | None, role_codes: list[str]) -> None:
    """Known roles only, and none beyond the actor's own power (accounts.access.roles_beyond)."""
    unknown = [code for code in role_codes if code not in ROLES_BY_CODE]
    if unknown:
        raise ValidationError(
            {"roles": [_("unknown role(s): %(roles)s") % {"roles": ", ".join(unknown)}]}
        )
    beyond = access.roles_beyond(actor, role_codes)
    if beyond:
        raise ValidationError(
            {
                "roles": [
                    _("you cannot give a role with more rights than your own: %(roles)s")
                    % {"roles": ", ".join(beyond)}
                ]
            }
        )


def _check_scope(scope: str, organisation: Organisation | None) -> None:
    if scope not in User.Scope.values:
        raise ValidationError({"scope": [_("choose one of the scopes offered")]})
    if organisation is None and scope in (User.Scope.ORGANISATION, User.Scope.REGION):
        raise ValidationError(
            {"scope": [_("this scope needs an organisation: its region or its own records")]}
        )


def _check_joinable(organisation: Organisation | None) -> None:
    if organisation is not None and not organisation.is_active:
        raise ValidationError({"organisation": [_("this organisation is no longer active")]})


def _refuse_own(actor: User | None, user: User, field: str, message: str) -> None:
    if not access.may_change_access_of(actor, user):
        raise ValidationError({field: [message]})


def _last_administrator(user: User, field: str) -> ValidationError:
    return ValidationError(
        {field: [_("%(name)s is the last active administrator") % {"name": user}]}
    )


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
    """A new account. An administrator is admin staff too (the Django admin, for rare cases)."""
    _authorise(actor, "accounts.add_user")
    _check_roles(actor, role_codes)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": [_("the username %(name)s is taken") % {"name": username}]}
        )
    if scope is None:
        scope = ROLES_BY_CODE[role_codes[0]].default_scope if role_codes else User.Scope.CASELOAD
    _check_scope(scope, organisation)
    _check_joinable(organisation)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        organisation=organisation,
        scope=scope,
        is_staff=is_staff or grants(role_codes, MANAGE_ACCOUNTS),
        is_superuser=is_superuser,
    )
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from None
    with transaction.atomic():
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
                "organisation": [None, organisation.pk if organisation else None],
            },
        )
    return user


USER_FIELDS = ["first_name", "last_name", "email", "organisation", "scope"]


def update_user(
    *,
    actor: User,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    organisation: Organisation | None,
    scope: str,
) -> User:
    """Name, e-mail, organisation and scope. One's own name and e-mail, never one's own
    organisation or scope."""
    _authorise(actor, "accounts.change_user")
    before = snapshot(user, USER_FIELDS)
    moved = (organisation.pk if organisation else None) != before["organisation"]
    if moved or scope != before["scope"]:
        _refuse_own(
            actor,
            user,
            "scope",
            _("you cannot change your own organisation or scope: another administrator must"),
        )
    _check_scope(scope, organisation)
    if moved:
        _check_joinable(organisation)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.organisation, user.scope = organisation, scope
    user.full_clean(exclude=["password"])
    changes = diff(before, snapshot(user, USER_FIELDS))
    if not changes:
        return user
    with transaction.atomic():
        user.save(update_fields=USER_FIELDS)
        record(actor=actor, action="accounts.user.update", subject=user, changes=changes)
    return user


def set_roles(*, actor: User, user: User, role_codes: list[str]) -> User:
    """Give `user` exactly these roles. Nobody changes their own roles, and the last
    administrator keeps theirs."""
    _authorise(actor, "accounts.change_user")
    before = sorted(user.groups.values_list("name", flat=True))
    after = sorted(set(role_codes))
    if before == after:
        return user
    _refuse_own(
        actor, user, "roles", _("you cannot change your own roles: another administrator must")
    )
    _check_roles(actor, after)
    with transaction.atomic():
        access.lock_administrators()
        user.groups.set(Group.objects.filter(name__in=after))
        if not access.administrator_ids():
            raise _last_administrator(user, "roles")  # and the transaction undoes the change
        staff = user.is_superuser or grants(after, MANAGE_ACCOUNTS)
        if staff != user.is_staff:
            user.is_staff = staff
            user.save(update_fields=["is_staff"])
        record(
            actor=actor,
            action="accounts.user.roles",
            subject=user,
            changes={"roles": [before, after]},
        )
    return user


def set_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate (the person can no longer sign in, by page or token) or reactivate."""
    _authorise(actor, "accounts.change_user")
    if user.is_active == active:
        return user
    _refuse_own(actor, user, "is_active", _("you cannot deactivate your own account"))
    with transaction.atomic():
        if not active and access.is_last_administrator(user):
            raise _last_administrator(user, "is_active")
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(
            actor=actor,
            action="accounts.user.reactivate" if active else "accounts.user.deactivate",
            subject=user,
            changes={"is_active": [not active, active]},
        )
    return user


def reset_second_factor(*, actor: User, user: User) -> User:
    """Forget the person's authenticator (a lost phone): they enrol a new one at next sign-in
    when the site requires it. Never one's own: that would turn a stolen session into a
    stolen account."""
    _authorise(actor, "accounts.change_user")
    _refuse_own(
        actor,
        user,
        "totp_enabled",
        _("you cannot reset your own second factor: another administrator must"),
    )
    with transaction.atomic():
        was = user.totp_enabled
        user.totp_enabled, user.totp_secret = False, ""
        user.save(update_fields=["totp_enabled", "totp_secret"])
        record(
            actor=actor,
            action="accounts.user.reset_2fa",
            subject=user,
            changes={"totp_enabled": [was, False], "totp_secret": [REDACTED, REDACTED]},
        )
    return user


ORGANISATION_FIELDS = ["name", "kind", "region", "is_active"]


def save_organisation(
    *, actor: User, organisation: Organisation | None = None, values: dict
) -> Organisation:
    """Create an organisation, or change one (name, kind, region, active)."""
    creating = organisation is None
    _authorise(actor, "accounts.add_organisation" if creating else "accounts.change_organisation")
    organisation = organisation or Organisation()
    before = {} if creating else snapshot(organisation, ORGANISATION_FIELDS)
    for name, value in values.items():
        setattr(organisation, name, value)
    organisation.name = (organisation.name or "").strip()
    taken = Organisation.objects.filter(
        name__iexact=organisation.name, region=organisation.region_id
    ).exclude(pk=organisation.pk)
    if organisation.name and organisation.region_id and taken.exists():
        raise ValidationError(
            {"name": [_("an organisation of this name already exists in this region")]}
        )
    organisation.full_clean(validate_constraints=False)
    changes = diff(before, snapshot(organisation, ORGANISATION_FIELDS))
    if not changes:
        return organisation
    with transaction.atomic():
        organisation.save()
        record(
            actor=actor,
            action="accounts.organisation." + ("create" if creating else "update"),
            subject=organisation,
            changes=changes,
        )
    return organisation


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
