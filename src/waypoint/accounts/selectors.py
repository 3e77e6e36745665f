"""Reads for accounts: the administrator's lists and the accounts that need a look."""

from datetime import timedelta

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.utils import timezone

from waypoint.accounts.access import organisations_visible_to, users_visible_to
from waypoint.accounts.models import Organisation, User
from waypoint.accounts.roles import with_role
from waypoint.audit.access import events_visible_to
from waypoint.audit.models import AuditEvent

DORMANT_DAYS = 90


def _yo_as_e(field: str):
    """The name with ё written е, as people type it (waypoint.kit.folding does the same for
    veterans' names, which are stored folded; accounts are few and searched as they are)."""
    return Replace(Replace(F(field), Value("ё"), Value("е")), Value("Ё"), Value("Е"))


def users_for(
    actor: User, *, q: str = "", role: str = "", organisation: str = "", active: str = ""
) -> QuerySet[User]:
    """Accounts an administrator looks through: by name, login or e-mail, role, organisation
    and whether they may sign in."""
    found = (
        users_visible_to(actor).select_related("organisation__region").prefetch_related("groups")
    )
    if q.strip():
        found = found.alias(first=_yo_as_e("first_name"), last=_yo_as_e("last_name"))
    for word in q.replace("ё", "е").replace("Ё", "Е").split():
        found = found.filter(
            Q(username__icontains=word)
            | Q(first__icontains=word)
            | Q(last__icontains=word)
            | Q(email__icontains=word)
        )
    if role:
        found = with_role(found, role)
    if organisation.isdigit():
        found = found.filter(organisation_id=int(organisation))
    if active in ("1", "0"):
        found = found.filter(is_active=active == "1")
    return found.order_by("last_name", "first_name", "username")


def organisations_for(
    actor: User, *, q: str = "", kind: str = "", region: str = ""
) -> QuerySet[Organisation]:
    found = organisations_visible_to(actor).select_related("region")
    for word in q.split():
        found = found.filter(name__icontains=word)
    if kind:
        found = found.filter(kind=kind)
    if region:
        found = found.filter(region_id=region)
    return found


def without_a_role() -> QuerySet[User]:
    """Active accounts that hold no role: they can sign in and do nothing."""
    return User.objects.filter(is_active=True, is_superuser=False, groups=None).order_by(
        "date_joined", "pk"
    )


def dormant() -> QuerySet[User]:
    """Active accounts nobody has signed in with for DORMANT_DAYS (or ever, since they were
    made that long ago): candidates to switch off."""
    since = timezone.now() - timedelta(days=DORMANT_DAYS)
    return User.objects.filter(
        Q(last_login__lt=since) | Q(last_login=None, date_joined__lt=since), is_active=True
    ).order_by(F("last_login").asc(nulls_first=True), "date_joined", "pk")


def account_history(viewer: User, user: User, *, limit: int = 10) -> list[AuditEvent]:
    """The latest changes to an account, as far as the viewer may read the audit log."""
    events = events_visible_to(viewer).filter(subject_type="accounts.user", subject_id=str(user.pk))
    return list(events[:limit])
