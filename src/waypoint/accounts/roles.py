"""Roles are named permission sets. Code checks permissions, never role names.

Each role becomes a Django group of the same code, kept in step with this table after every
migrate. A permission written as "app.*" means every permission of that app.
"""

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    permissions: tuple[str, ...]
    default_scope: str  # accounts.User.Scope value for people given this role


_DIRECTORY = ("accounts.view_organisation",)
_REGISTRY_READ = ("people.view_veteran",)
_REGISTRY_WRITE = ("people.add_veteran", "people.change_veteran")
_LIMITATIONS = ("people.view_work_limitations", "people.change_work_limitations")
_TRAINING = ("training.view_programme", "training.manage_enrolments")
_ALLOCATION = ("training.allocate_seats",)
_SELECTION = (
    "leadership.view_track",
    "leadership.view_candidacy",
    "leadership.manage_selection",
    "leadership.sit_on_council",
)
_APPLICATIONS = ("employment.manage_applications",)
# Staff of an organisation that receives referrals answer those addressed to it.
_REFERRALS = ("cases.answer_referrals",)
_CASES = ("cases.view_case", "cases.manage_cases", *_REFERRALS)
# Staff of a queue's organisation take and answer appeals; view_appeal adds the appeals of
# veterans in the person's scope (never psychological ones, see appeals.models).
_APPEALS = ("appeals.view_appeal", "appeals.work_appeals")
# A regional branch sees analytics of its own region (analytics.filters.scoped).
_ANALYTICS = ("analytics.view_labour_market", "analytics.view_outcomes")
_ORIENTATION = (
    "orientation.view_orientationrun",
    "orientation.run_orientation",
    "orientation.give_orientation_feedback",
)

ROLES: tuple[Role, ...] = (
    Role(
        "administrator",
        _("Administrator"),
        (
            "accounts.*",
            "audit.view_auditevent",
            "audit.export_auditevent",
            "people.*",
            "orientation.*",
            "training.*",
            "leadership.*",
            "employment.*",
            "cases.*",
            "appeals.*",
            "regions.view_region",
            "analytics.*",
            # Care teams and risk rules, never a record: see accounts.models.RELATION_PERMISSIONS.
            "wellbeing.configure_wellbeing",
        ),
        "all",
    ),
    Role(
        "coordinator",
        _("Coordinator"),
        _DIRECTORY
        + _REGISTRY_READ
        + _REGISTRY_WRITE
        + _LIMITATIONS
        + (
            "people.manage_consents",
            "people.import_veterans",
            "people.export_veterans",
            "people.assign_coordinator",
        )
        + _SELECTION
        + _ORIENTATION
        + _TRAINING
        + _ALLOCATION
        + _APPLICATIONS
        + _CASES
        + _APPEALS
        + _ANALYTICS
        + ("appeals.close_appeal",),
        "region",
    ),
    Role(
        "career_counsellor",
        _("Career counsellor"),
        _DIRECTORY
        + _REGISTRY_READ
        + ("people.change_veteran", "people.view_work_limitations", "leadership.view_track")
        + _ORIENTATION
        + _TRAINING
        + _APPLICATIONS
        + _CASES
        + _APPEALS,
        "region",
    ),
    Role(
        "call_centre_operator",
        _("Call-centre operator"),
        _DIRECTORY
        + _REGISTRY_READ
        + ("people.add_veteran", "people.manage_consents", "appeals.log_appeal"),
        "all",
    ),
    Role(
        "training_provider_staff",
        _("Training-provider staff"),
        (*_DIRECTORY, "training.view_programme", "training.manage_own_programmes", *_REFERRALS),
        "organisation",
    ),
    Role(
        "employer_staff",
        _("Employer staff"),
        (*_DIRECTORY, "employment.manage_own_vacancies", *_REFERRALS),
        "organisation",
    ),
    Role(
        "clinician",
        _("Clinician"),
        # A clinic's staff are the well-being team for psychological appeals.
        _DIRECTORY
        + _REGISTRY_READ
        + _LIMITATIONS
        + ("appeals.work_appeals", "appeals.close_appeal", "wellbeing.provide_care")
        + _REFERRALS,
        "region",
    ),
    Role(
        "commander",
        _("Commander"),
        (*_DIRECTORY, "wellbeing.receive_command_notices"),
        "organisation",
    ),
    Role(
        "clinical_record_keeper",
        _("Clinical record keeper"),
        (*_DIRECTORY, "wellbeing.keep_clinical_records"),
        "all",
    ),
    Role(
        "labour_analyst",
        _("Labour analyst"),
        (*_DIRECTORY, "appeals.view_appeal_reports", *_ANALYTICS),
        "all",
    ),
    Role(
        "auditor",
        _("Auditor"),
        (
            *_DIRECTORY,
            "audit.view_auditevent",
            "audit.export_auditevent",
            "audit.view_clinical_events",
        ),
        "all",
    ),
    Role(
        "veteran",
        _("Veteran (self-service)"),
        ("people.self_service", "training.view_programme", "leadership.view_track"),
        "caseload",
    ),
)

ROLES_BY_CODE = {role.code: role for role in ROLES}


def role_label(code: str) -> str:
    role = ROLES_BY_CODE.get(code)
    return str(role.label) if role else code


# Django names the permissions it makes for every model "Can add <model>" and so on, in
# English, in the database; people read them in their language.
_BUILT_IN = {
    "add": _("Can add: %(model)s"),
    "change": _("Can change: %(model)s"),
    "delete": _("Can delete: %(model)s"),
    "view": _("Can view: %(model)s"),
}


# Models whose names Django derives from the class (no verbose_name of their own, or another
# package's): read through the catalogue like the rest.
_DERIVED_MODEL_NAMES = (
    gettext_noop("login failure"),
    gettext_noop("occupation label"),
    gettext_noop("occupation skill"),
    gettext_noop("skill label"),
    gettext_noop("skill relation"),
    gettext_noop("Task Result"),
)


def permission_label(permission) -> str:
    """A permission (django.contrib.auth Permission) in the interface's language: a model's
    own permissions by its verbose name, the others by their translated name."""
    action, _underscore, rest = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action in _BUILT_IN and model is not None and rest == model._meta.model_name:
        return str(_BUILT_IN[action]) % {"model": gettext(str(model._meta.verbose_name))}
    return gettext(permission.name)


def sync_roles() -> None:
    """Make each role's group hold exactly its permissions (those that exist yet)."""
    from django.contrib.auth.models import Group, Permission

    every = {
        f"{app}.{codename}": pk
        for pk, app, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role in ROLES:
        wanted = set()
        for spec in role.permissions:
            app, codename = spec.split(".", 1)
            if codename == "*":
                wanted |= {pk for name, pk in every.items() if name.startswith(app + ".")}
            elif spec in every:
                wanted.add(every[spec])
        group, _created = Group.objects.get_or_create(name=role.code)
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender, **kwargs) -> None:
    # Sent once per app; permissions of apps migrated later are picked up on their turn.
    sync_roles()
