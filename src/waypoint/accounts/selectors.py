from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace

from waypoint.accounts.models import Organisation, User
from waypoint.accounts.roles import with_role


def _yo_as_e(field: str):
    """The name with ё written е, as people type it (waypoint.kit.folding does the same for
    veterans' names, which are stored folded; accounts are few and searched as they are)."""
    return Replace(Replace(F(field), Value("ё"), Value("е")), Value("Ё"), Value("Е"))


def users_for(
    actor: User, *, q: str = "", role: str = "", organisation: str = "", active: str = ""
) -> QuerySet[User]:
    """Accounts an administrator looks through: by name, login or e-mail, role, organisation
    and whether they may sign in."""
    if not actor.has_perm("accounts.view_user"):
        return User.objects.none()
    found = User.objects.select_related("organisation__region").prefetch_related("groups")
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
    found = Organisation.objects.visible_to(actor).select_related("region")
    for word in q.split():
        found = found.filter(name__icontains=word)
    if kind:
        found = found.filter(kind=kind)
    if region:
        found = found.filter(region_id=region)
    return found
