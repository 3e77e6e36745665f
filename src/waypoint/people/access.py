"""Who may see and do what in the veteran registry. The only module that decides it: views,
API, exports, PDFs, commands and tasks ask here, and other apps' access modules build on it.

`veterans_visible_to` is the one read gate for veterans; the `may_*` predicates answer one
action each on one record.
"""

from django.db.models import Q, QuerySet

from waypoint.people.import_models import ImportJob
from waypoint.people.models import Veteran

SELF_SERVICE = "people.self_service"


def veterans_visible_to(user) -> QuerySet[Veteran]:
    """Permission first, then the person's scope: everyone, a region, an organisation, or the
    veterans they coordinate. A veteran account sees its own record."""
    if not user.is_authenticated or not user.is_active:
        return Veteran.objects.none()
    # An import in progress (or being undone) is not yet part of the registry.
    settled = Veteran.objects.exclude(import_job__in=ImportJob.objects.unfinished())
    allowed = Q(pk__in=[])
    if user.has_perm(SELF_SERVICE):
        allowed |= Q(account=user)
    if user.has_perm("people.view_veteran"):
        scope = user.effective_scope
        if scope == "all":
            return settled
        if scope == "region" and user.organisation_id:
            allowed |= Q(region_id=user.organisation.region_id)
        elif scope == "organisation" and user.organisation_id:
            allowed |= Q(branch_id=user.organisation_id) | Q(
                coordinator__organisation_id=user.organisation_id
            )
        else:
            allowed |= Q(coordinator=user)
    return settled.filter(allowed)


def may_see(user, veteran: Veteran) -> bool:
    return veterans_visible_to(user).filter(pk=veteran.pk).exists()


def is_own_record(user, veteran: Veteran) -> bool:
    """The person themself, signed in to their own record: the one definition every app uses
    for "the veteran", in the registry and in well-being alike."""
    return bool(
        user.is_authenticated and user.has_perm(SELF_SERVICE) and veteran.account_id == user.pk
    )


def may_edit(user, veteran: Veteran) -> bool:
    if user.has_perm("people.change_veteran"):
        return may_see(user, veteran)
    return is_own_record(user, veteran)


def may_act_for(user, veteran: Veteran, permission: str) -> bool:
    """Act on the veteran's side (rank occupations, decide, enrol): staff holding the
    permission who may edit the record, or the veteran on their own record."""
    return is_own_record(user, veteran) or (user.has_perm(permission) and may_edit(user, veteran))


def may_see_limitations(user, veteran: Veteran) -> bool:
    return is_own_record(user, veteran) or (
        user.has_perm("people.view_work_limitations") and may_see(user, veteran)
    )
