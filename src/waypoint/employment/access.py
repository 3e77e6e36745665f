"""Who may see and do what in the job pipeline: vacancies, applications, placements and their
follow-ups. The only module that decides it: views, API, home pages, templates and services ask
here.

An employer's staff see the candidates for their own vacancies, and a candidate as a person
only while the veteran shares their profile with employers (`candidate_for`); the fund's staff
see the veterans in their scope; a veteran sees their own.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet

from waypoint.accounts.models import Organisation
from waypoint.employment.models import Application, Employer, FollowUp, Placement, Vacancy
from waypoint.people.access import is_own_record, may_act_for, veterans_visible_to
from waypoint.people.models import Consent, Veteran

OWN = "employment.manage_own_vacancies"
MANAGE = "employment.manage_applications"
CHANGE_VACANCY = "employment.change_vacancy"

S = Application.Status
# The employer decides; the veteran's side applies and withdraws; a hire is recorded by either.
EMPLOYER_STEPS = {S.INTERVIEW, S.OFFERED, S.REJECTED}

# What an employer may learn about a candidate: only what hiring needs, only with consent. Built
# field by field, so a new field on the veteran's record never reaches employers by accident.
# Never included: birth date, sex, address, health and work limitations, deployments and
# discharge reasons, consents, the coordinator's notes.
HIRING_FIELDS = (
    "name",
    "region",
    "phone",
    "email",
    "service",
    "jobs",
    "education",
    "skills",
    "languages",
    "driving_licences",
)


# --- who is who -----------------------------------------------------------------------------


def is_employer_side(user) -> bool:
    """Staff of an employer organisation (administrators hold the permission too, but work
    for no employer)."""
    return (
        user.is_authenticated
        and user.has_perm(OWN)
        and user.organisation_id is not None
        and user.organisation.kind == Organisation.Kind.EMPLOYER
    )


def employer_of(user) -> Employer | None:
    """The employer a member of its staff works for."""
    if not user.is_authenticated or not user.has_perm(OWN) or not user.organisation_id:
        return None
    return Employer.objects.filter(organisation_id=user.organisation_id).first()


def is_employer_staff(user, employer: Employer) -> bool:
    return (
        user.has_perm(OWN)
        and employer.organisation_id is not None
        and user.organisation_id == employer.organisation_id
    )


def acts_for_veteran(user, veteran: Veteran) -> bool:
    """The veteran's side: their coordinator's team, or the veteran."""
    return may_act_for(user, veteran, MANAGE)


# --- read gates -----------------------------------------------------------------------------


def _sharing_with_employers(veteran: str = "veteran") -> Exists:
    return Exists(
        Consent.objects.filter(
            veteran=OuterRef(veteran),
            purpose=Consent.Purpose.SHARE_EMPLOYERS,
            withdrawn_at=None,
        )
    )


def vacancies_visible_to(user) -> QuerySet[Vacancy]:
    """Vacancies are public job offers: everyone signed in may read them."""
    if not user.is_authenticated:
        return Vacancy.objects.none()
    return Vacancy.objects.all()


def vacancies_editable_by(user) -> QuerySet[Vacancy]:
    """An employer's staff edit their own employer's vacancies."""
    employer = employer_of(user)
    if employer is None:
        return Vacancy.objects.none()
    return Vacancy.objects.filter(employer=employer)


def applications_visible_to(user) -> QuerySet[Application]:
    """Employer staff: candidates for their own vacancies. Staff with registry access: their
    veterans'. A veteran: their own. Each row says whether the veteran still shares their
    profile with employers (`shared`): without it an employer sees the step, never the person."""
    found = Application.objects.annotate(shared=_sharing_with_employers())
    if is_employer_side(user):
        return found.filter(vacancy__employer__organisation_id=user.organisation_id)
    return found.filter(veteran__in=veterans_visible_to(user))


def placements_visible_to(user) -> QuerySet[Placement]:
    """Placements of veterans in the person's scope (employers see hires via applications)."""
    return Placement.objects.filter(veteran__in=veterans_visible_to(user))


def follow_ups_visible_to(user) -> QuerySet[FollowUp]:
    """The follow-ups of the placements the person sees."""
    return FollowUp.objects.filter(placement__veteran__in=veterans_visible_to(user))


def follow_ups_of_hires_visible_to(user) -> QuerySet[FollowUp]:
    """The follow-ups of the hires among the person's applications (an employer's: their own
    hires), each saying whether the veteran still shares their profile (`shared`)."""
    return FollowUp.objects.filter(
        placement__application__in=applications_visible_to(user).filter(status=S.HIRED)
    ).annotate(shared=_sharing_with_employers("placement__veteran"))


def candidate_scope(user, vacancy: Vacancy) -> set[int] | None:
    """Whose candidacy for a vacancy the person may see ranked: its employer, every consenting
    veteran (None); a coordinator, the veterans in their scope."""
    if is_employer_staff(user, vacancy.employer):
        return None
    if user.has_perm(MANAGE):
        return set(veterans_visible_to(user).values_list("pk", flat=True))
    raise PermissionDenied(MANAGE)


# --- predicates -----------------------------------------------------------------------------


def may_save_vacancy(user, employer: Employer) -> bool:
    return is_employer_staff(user, employer) or user.has_perm(CHANGE_VACANCY)


def may_propose(user) -> bool:
    """Staff who propose veterans in their scope for vacancies."""
    return user.has_perm(MANAGE)


def may_apply_as_self(user, veteran: Veteran | None) -> bool:
    """The veteran applies for themself."""
    return veteran is not None and is_own_record(user, veteran)


def may_move(user, application: Application, to: str) -> bool:
    """One step of an application: the employer decides, the veteran's side applies and
    withdraws, either records a hire."""
    if to in EMPLOYER_STEPS:
        return is_employer_staff(user, application.vacancy.employer)
    if to == S.HIRED:
        return is_employer_staff(user, application.vacancy.employer) or acts_for_veteran(
            user, application.veteran
        )
    return acts_for_veteran(user, application.veteran)


def may_record_follow_up(user, placement: Placement) -> bool:
    """The coordinator's team calls the person hired; the veteran does not record their own."""
    return acts_for_veteran(user, placement.veteran) and user.pk != placement.veteran.account_id


def may_see_matches(user, veteran: Veteran) -> bool:
    """The vacancies that suit a veteran: for their team and for the veteran."""
    return acts_for_veteran(user, veteran)


# --- projections ----------------------------------------------------------------------------


def sees_candidate(user, application: Application) -> bool:
    """An employer's staff see the person behind an application only while the veteran shares
    their profile with employers; the fund's staff and the veteran always do. `application`
    comes from `applications_visible_to` (it carries `shared`)."""
    shared = application.shared  # type: ignore[attr-defined]  # applications_visible_to's annotation
    return shared or not is_employer_staff(user, application.vacancy.employer)


def hiring_profile(veteran: Veteran) -> dict:
    """The candidate as the employer sees them: HIRING_FIELDS, nothing else."""
    return {
        "name": veteran.full_name,
        "region": str(veteran.region),
        "phone": veteran.phone,
        "email": veteran.email,
        "service": [
            {
                "specialty": record.specialty,
                "branch": record.get_branch_display(),
                "rank": record.get_rank_display(),
                "from": record.start_date.year,
                "to": record.end_date.year if record.end_date else None,
            }
            for record in veteran.service_records.all()
        ],
        "jobs": [
            {
                "title": job.title,
                "employer": job.employer,
                "from": job.start_year,
                "to": job.end_year,
            }
            for job in veteran.civilian_jobs.all()
        ],
        "education": [
            {
                "level": item.get_level_display(),
                "institution": item.institution,
                "field": item.field_of_study,
                "year": item.graduation_year,
            }
            for item in veteran.education.all()
        ],
        "skills": [
            {"name": skill.name, "level": skill.get_level_display()}
            for skill in veteran.skills.all()
        ],
        "languages": [
            {"language": item.get_language_display(), "level": item.level}
            for item in veteran.languages.all()
        ],
        "driving_licences": veteran.licence_categories,
    }


def candidate_for(user, application: Application) -> dict | None:
    """The candidate of an application as this person sees them: the hiring profile, or None
    when an employer meets a veteran who no longer shares their profile."""
    return hiring_profile(application.veteran) if sees_candidate(user, application) else None


def candidate_name_for(user, application: Application) -> str | None:
    """The candidate's name in a list, or None where the profile is withheld."""
    return application.veteran.full_name if sees_candidate(user, application) else None


def may_follow_up(user) -> bool:
    """Staff who record how a placement went at 3, 6 and 12 months."""
    return user.has_perm(MANAGE)
