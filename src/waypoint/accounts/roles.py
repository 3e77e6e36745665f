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
# A regional branch sees analytics of its own region (analytics.access.region_held_to).
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


# Who may manage accounts is an administrator: the last active one stays one, and holding it
# makes a person admin staff (the service section).
MANAGE_ACCOUNTS = "accounts.change_user"


def grants(codes: list[str], permission: str) -> bool:
    """Whether any of these roles holds `permission` (by this table, wildcards included)."""
    app = permission.split(".", 1)[0]
    return any(
        spec in (permission, f"{app}.*")
        for code in codes
        if code in ROLES_BY_CODE
        for spec in ROLES_BY_CODE[code].permissions
    )


def with_role(users, code: str):
    """People holding a role, for lists an administrator reads; never a permission check."""
    return users.filter(groups__name=code)


def active_members() -> dict[str, int]:
    """How many active people hold each role."""
    from django.db.models import Count

    from waypoint.accounts.models import User

    return dict(
        User.objects.filter(is_active=True)
        .values_list("groups__name")
        .annotate(count=Count("pk"))
        .values_list("groups__name", "count")
    )


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


# What each permission in the table above lets a person do, in words an administrator reads
# when giving a role ("app.*": everything in that part of the system).
ABILITIES = {
    "accounts.*": _("manage users, their roles and organisations"),
    "accounts.view_organisation": _("see the directory of organisations"),
    "audit.view_auditevent": _("read the audit log"),
    "audit.export_auditevent": _("export the audit log"),
    "audit.view_clinical_events": _("see who read health records"),
    "people.*": _("everything on veterans' records, health data on work limitations included"),
    "people.view_veteran": _("see veterans' records within their scope"),
    "people.add_veteran": _("register veterans"),
    "people.change_veteran": _("edit veterans' records"),
    "people.view_work_limitations": _("see work limitations (health data)"),
    "people.change_work_limitations": _("record work limitations (health data)"),
    "people.manage_consents": _("record and withdraw consents"),
    "people.import_veterans": _("import veterans from spreadsheets"),
    "people.export_veterans": _("export the list of veterans"),
    "people.assign_coordinator": _("assign coordinators to veterans"),
    "people.self_service": _("see and complete their own record"),
    "orientation.*": _("everything in vocational orientation"),
    "orientation.view_orientationrun": _("see suggested occupations and career plans"),
    "orientation.run_orientation": _("rank occupations for a veteran"),
    "orientation.give_orientation_feedback": _("accept or reject suggested occupations"),
    "training.*": _("everything in training, every provider's programmes included"),
    "training.view_programme": _("see training programmes and enrolments"),
    "training.manage_enrolments": _("enrol veterans in training"),
    "training.allocate_seats": _("allocate training seats"),
    "training.manage_own_programmes": _("publish their organisation's programmes and cohorts"),
    "leadership.*": _("everything on the leadership track"),
    "leadership.view_track": _("see the leadership track"),
    "leadership.view_candidacy": _("see candidacies for the leadership track"),
    "leadership.manage_selection": _("run the selection for the leadership track"),
    "leadership.sit_on_council": _("sit on the selection council"),
    "employment.*": _("everything on employers, vacancies and hires"),
    "employment.manage_applications": _("propose veterans for vacancies and follow hires"),
    "employment.manage_own_vacancies": _("publish their company's vacancies, answer candidates"),
    "cases.*": _("everything on cases, tasks and referrals, supervision included"),
    "cases.view_case": _("see cases"),
    "cases.manage_cases": _("open cases, set tasks, write notes"),
    "cases.answer_referrals": _("answer referrals addressed to their organisation"),
    "appeals.*": _("everything on hotline appeals, routing rules included"),
    "appeals.view_appeal": _("see the appeals of veterans within their scope"),
    "appeals.work_appeals": _("take and answer appeals in their organisation's queue"),
    "appeals.close_appeal": _("close answered appeals"),
    "appeals.log_appeal": _("log hotline calls as appeals"),
    "appeals.view_appeal_reports": _("see appeal reports"),
    "regions.view_region": _("see the list of regions"),
    "analytics.*": _("every analytics table and report"),
    "analytics.view_labour_market": _("see labour-market analytics"),
    "analytics.view_outcomes": _("see the programme's outcomes"),
    "wellbeing.configure_wellbeing": _("configure care teams and risk rules"),
    "wellbeing.provide_care": _("screen well-being, review answers, run support programmes"),
    "wellbeing.receive_command_notices": _("receive duty limitations a clinician discloses"),
    "wellbeing.keep_clinical_records": _("read every clinical record (record keeper)"),
}


def abilities(role: Role) -> list[str]:
    """What a person with `role` may do, one phrase per permission of the table above."""
    return [str(ABILITIES[spec]) for spec in role.permissions]
