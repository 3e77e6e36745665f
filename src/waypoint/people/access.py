"""Who may see and do what in the veteran registry. The only module that decides it: views,
API, exports, PDFs, commands and tasks ask here, and other apps' access modules build on it.

`veterans_visible_to` and `import_jobs_visible_to` are the read gates; the `may_*` predicates
answer one action each; `work_limitation_for` and `record_actions_for` are what one person
sees of a record, the same on the pages and in the API.

A predicate that takes only the person answers the permission part of an action; the record's
own gate (`may_see`, `may_edit`) is asked beside it, so that a missing permission answers 403
and a record out of reach 404, as the routes always have.
"""

from django.db.models import Q, QuerySet

from waypoint.accounts.models import Organisation, User
from waypoint.people.import_models import IMPORT_PERMISSION, ImportJob
from waypoint.people.models import Veteran, WorkLimitation

SELF_SERVICE = "people.self_service"
VIEW = "people.view_veteran"
ADD = "people.add_veteran"
CHANGE = "people.change_veteran"
EXPORT = "people.export_veterans"
ASSIGN = "people.assign_coordinator"
CONSENTS = "people.manage_consents"
VIEW_LIMITATIONS = "people.view_work_limitations"
CHANGE_LIMITATIONS = "people.change_work_limitations"


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
    if user.has_perm(VIEW):
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


def import_jobs_visible_to(user) -> QuerySet[ImportJob]:
    """The one read gate for imports of veterans: a job is seen only by the person who
    started it, and only while they may import."""
    if not user.is_authenticated or not user.is_active or not user.has_perm(IMPORT_PERMISSION):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(started_by=user)


def may_see(user, veteran: Veteran) -> bool:
    """Whether the record is in the person's scope. A page asks several predicates of one
    record, each resting on this: the answer is kept on the record object (one request's
    copy), so the scope query runs once per person and record."""
    seen = veteran.__dict__.setdefault("_visible_to", {})
    if user.pk not in seen:
        seen[user.pk] = veterans_visible_to(user).filter(pk=veteran.pk).exists()
    return seen[user.pk]


def is_own_record(user, veteran: Veteran) -> bool:
    """The person themself, signed in to their own record: the one definition every app uses
    for "the veteran", in the registry and in well-being alike."""
    return is_veteran_account(user) and veteran.account_id == user.pk


def may_edit(user, veteran: Veteran) -> bool:
    if user.has_perm(CHANGE):
        return may_see(user, veteran)
    return is_own_record(user, veteran)


def may_edit_identity(user, veteran: Veteran) -> bool:
    """Staff who may edit the record change everything in it; the veteran only how to reach
    them (identity is confirmed by a coordinator)."""
    return user.has_perm(CHANGE) and may_edit(user, veteran)


def may_act_for(user, veteran: Veteran, permission: str) -> bool:
    """Act on the veteran's side (rank occupations, decide, enrol): staff holding the
    permission who may edit the record, or the veteran on their own record."""
    return is_own_record(user, veteran) or (user.has_perm(permission) and may_edit(user, veteran))


def may_register(user) -> bool:
    """Register a veteran at intake (self-registration needs no permission: it makes its own
    account)."""
    return user.has_perm(ADD)


def may_export(user) -> bool:
    """Export the list of veterans one may see (identity and contacts, never health data)."""
    return user.has_perm(EXPORT)


def may_import(user) -> bool:
    """Start an import of veterans from a file: it registers veterans, so it needs both."""
    return user.has_perm(IMPORT_PERMISSION) and user.has_perm(ADD)


def may_confirm_import(user, job: ImportJob) -> bool:
    """Only the person who uploaded the file, while they may still import, confirms it."""
    return job.started_by_id == user.pk and user.has_perm(IMPORT_PERMISSION)


def keeps_intake(user) -> bool:
    """A fund coordinator who registers a veteran becomes their coordinator; anyone else
    (a call centre, an administrator) leaves the record awaiting one."""
    return bool(
        user.has_perm(CHANGE)
        and user.is_agency_staff
        and user.organisation.kind == Organisation.Kind.FUND_BRANCH
    )


def may_assign_coordinators(user) -> bool:
    return user.has_perm(ASSIGN)


def may_coordinate(user) -> bool:
    """Whom a veteran may be given as coordinator: someone who may edit records."""
    return user.has_perm(CHANGE)


def coordinators_assignable_by(user) -> QuerySet[User]:
    """Whom this person may choose as a veteran's coordinator: active staff of an
    organisation who may edit records (may_coordinate), within the chooser's own scope."""
    in_scope = (
        User.objects.filter(is_active=True)
        .exclude(organisation=None)
        .filter(
            Q(
                groups__permissions__codename="change_veteran",
                groups__permissions__content_type__app_label="people",
            )
            | Q(is_superuser=True)
        )
        .distinct()
        .select_related("organisation")
    )
    scope = user.effective_scope
    if scope == User.Scope.REGION and user.organisation_id:
        in_scope = in_scope.filter(organisation__region_id=user.organisation.region_id)
    elif scope in (User.Scope.ORGANISATION, User.Scope.CASELOAD):
        in_scope = in_scope.filter(organisation_id=user.organisation_id)
    return in_scope.order_by("last_name", "first_name")


def may_confirm_skills(user) -> bool:
    """A counsellor or coordinator vouches for a declared skill; never the veteran."""
    return user.has_perm(CHANGE)


def may_code_occupations(user) -> bool:
    """Set which occupation a specialty or job stands for: staff, never the veteran."""
    return user.has_perm(CHANGE)


def may_see_duplicates(user) -> bool:
    """Possible duplicates of a record are for the staff who merge them."""
    return user.has_perm(CHANGE)


def may_manage_consents(user, veteran: Veteran) -> bool:
    """Record or withdraw a consent: staff holding the permission, or the veteran on their
    own record."""
    return is_own_record(user, veteran) or user.has_perm(CONSENTS)


def may_see_limitations(user, veteran: Veteran) -> bool:
    return is_own_record(user, veteran) or (
        user.has_perm(VIEW_LIMITATIONS) and may_see(user, veteran)
    )


def may_edit_limitations(user, veteran: Veteran) -> bool:
    """Record health-related limits: staff holding the permission, or the veteran on their
    own record (the record's gate and the health consent are asked beside it)."""
    return is_own_record(user, veteran) or user.has_perm(CHANGE_LIMITATIONS)


def work_limitation_for(user, veteran: Veteran) -> WorkLimitation | None:
    """The veteran's work limitations as this person sees them: all of it, or nothing. The
    record page and the API's veteran detail both show this."""
    if not may_see_limitations(user, veteran):
        return None
    return WorkLimitation.objects.filter(veteran=veteran).first()


def record_actions_for(user, veteran: Veteran) -> dict[str, bool]:
    """What this person may do on a record they see: the buttons of the record's page."""
    own = is_own_record(user, veteran)
    editable = may_edit(user, veteran)
    sees_limitations = may_see_limitations(user, veteran)
    return {
        "own": own,
        "can_edit": editable,
        "can_manage_consents": may_manage_consents(user, veteran),
        "can_assign": may_assign_coordinators(user),
        "can_confirm_skills": may_confirm_skills(user),
        "can_code": may_code_occupations(user) and editable,
        "can_see_limitations": sees_limitations,
        "can_edit_limitations": sees_limitations and may_edit_limitations(user, veteran),
        "can_see_duplicates": may_see_duplicates(user),
    }


def is_veteran_account(user) -> bool:
    """A veteran's own account (self-service), whether or not its record is linked yet."""
    return bool(user.is_authenticated and user.has_perm(SELF_SERVICE))


def own_record_of(user) -> Veteran | None:
    """The record of the veteran signed in, when self-service is theirs; None for staff."""
    if not is_veteran_account(user):
        return None
    return getattr(user, "veteran_record", None)


def may_list_veterans(user) -> bool:
    """Search and list the registry (within one's scope: veterans_visible_to)."""
    return user.has_perm(VIEW)
