"""Writes for employment: employers' vacancies, applications, placements and follow-ups.

A hire fills an opening. Hiring locks the vacancy's row first, so two employers' clerks
hiring at once cannot fill more openings than the vacancy has (PostgreSQL row lock; SQLite
has a single writer anyway).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import User
from waypoint.audit.services import diff, record, snapshot
from waypoint.employment.access import (
    acts_for_veteran,
    may_move,
    may_record_follow_up,
    may_save_vacancy,
)
from waypoint.employment.models import Application, Employer, FollowUp, Placement, Vacancy
from waypoint.kit.dates import add_months
from waypoint.people.models import Consent, Veteran, WorkLimitation
from waypoint.people.selectors import has_consent
from waypoint.taxonomy import normalization
from waypoint.taxonomy.models import Skill

S = Application.Status
NEXT: dict[str, set[str]] = {
    S.PROPOSED: {S.APPLIED, S.INTERVIEW, S.OFFERED, S.REJECTED, S.WITHDRAWN},
    S.APPLIED: {S.INTERVIEW, S.OFFERED, S.REJECTED, S.WITHDRAWN},
    S.INTERVIEW: {S.OFFERED, S.REJECTED, S.WITHDRAWN},
    S.OFFERED: {S.HIRED, S.REJECTED, S.WITHDRAWN},
}
# Below this, a typed skill shares only stray letter groups with its best match (noise such as
# "asdf" scores 0.1–0.2; "forklift" → "operate a forklift" 0.67).
MIN_SKILL_SCORE = 0.25
HIRE_WINDOW_DAYS = 366  # a hire recorded late, or a start agreed months ahead
VACANCY_FIELDS = [
    "title",
    "occupation",
    "region",
    "address",
    "salary_min",
    "salary_max",
    "schedule",
    "employment_type",
    "openings",
    "veteran_quota",
    "education",
    "experience_years",
    "accessible_for",
    "is_civil_service",
    "is_municipal",
    "published_on",
    "closes_on",
]


def save_vacancy(
    *, actor: User, employer: Employer, values: dict, vacancy: Vacancy | None = None, skills=None
) -> Vacancy:
    """An employer publishes or edits one of its own vacancies."""
    if not may_save_vacancy(actor, employer):
        raise PermissionDenied("employment.manage_own_vacancies")
    unknown = sorted(set(values) - set(VACANCY_FIELDS))
    if unknown:
        raise ValidationError({name: [_("unknown field")] for name in unknown})
    if vacancy is not None and vacancy.employer_id != employer.pk:
        raise PermissionDenied("another employer's vacancy")
    vacancy = vacancy or Vacancy(employer=employer, source="manual")
    before = {} if vacancy.pk is None else snapshot(vacancy, VACANCY_FIELDS)
    for name, value in values.items():
        setattr(vacancy, name, value)
    bad = sorted(set(vacancy.accessible_for or []) - set(WorkLimitation.Restriction.values))
    if bad:
        raise ValidationError(
            {
                "accessible_for": [
                    _("unknown limitation code: %(codes)s") % {"codes": ", ".join(bad)}
                ]
            }
        )
    if vacancy.salary_min and vacancy.salary_max and vacancy.salary_max < vacancy.salary_min:
        raise ValidationError({"salary_max": [_("must not be below the lower end of the range")]})
    if (vacancy.veteran_quota or 0) > (vacancy.openings or 0):
        raise ValidationError({"veteran_quota": [_("cannot exceed the number of openings")]})
    retitled = before.get("title") != vacancy.title
    if "occupation" not in values and (vacancy.occupation_id is None or retitled):
        vacancy.occupation_id = _occupation_for(vacancy.title)
    if vacancy.closes_on and vacancy.published_on and vacancy.closes_on < vacancy.published_on:
        raise ValidationError({"closes_on": [_("must not be before the publication date")]})
    with transaction.atomic():
        if not vacancy.source_id:
            vacancy.source_id = "pending"
            vacancy.full_clean(exclude=["source_id"])
            vacancy.save()
            vacancy.source_id = str(vacancy.pk)
            vacancy.save(update_fields=["source_id"])
        else:
            vacancy.full_clean()
            vacancy.save()
        if skills is not None:
            vacancy.skills.set(skills)
        record(
            actor=actor,
            action="employment.vacancy.save",
            subject=vacancy,
            changes=diff(before, snapshot(vacancy, VACANCY_FIELDS)),
        )
    return vacancy


def _occupation_for(title: str) -> int | None:
    """The civilian occupation a title reads as, when a taxonomy is active."""
    try:
        found = normalization.normalize([title], k=1, military=False)[0]
    except LookupError:
        return None
    return found[0].pk if found else None


def apply(*, actor: User, veteran: Veteran, vacancy: Vacancy) -> Application:
    """The veteran applies, or their coordinator proposes them; both need their consent."""
    if not acts_for_veteran(actor, veteran):
        raise PermissionDenied("employment.manage_applications")
    if not has_consent(veteran, Consent.Purpose.SHARE_EMPLOYERS):
        raise ValidationError(
            {"consent": [_("the veteran has not agreed to share their profile with employers")]}
        )
    if vacancy.closes_on and vacancy.closes_on < timezone.localdate():
        raise ValidationError({"vacancy": [_("the vacancy is closed")]})
    if Application.objects.filter(veteran=veteran, vacancy=vacancy).exists():
        raise ValidationError({"vacancy": [_("the veteran is already a candidate for it")]})
    status = S.APPLIED if veteran.account_id == actor.pk else S.PROPOSED
    with transaction.atomic():
        application = Application.objects.create(
            veteran=veteran,
            vacancy=vacancy,
            status=status,
            created_by=actor,
            history=[[status, timezone.now().isoformat(), actor.pk, ""]],
        )
        record(
            actor=actor,
            action="employment.application.create",
            subject=application,
            changes={"status": [None, status], "vacancy": [None, vacancy.pk]},
        )
    return application


def move(*, actor: User, application: Application, to: str, note: str = "") -> Application:
    """One step of the application. A hire goes through `hire`, which records the placement."""
    if to not in S.values:
        raise ValidationError({"status": [_("unknown status")]})
    if to == S.HIRED:
        raise ValidationError({"status": [_("record a hire with its start date and salary")]})
    if not may_move(actor, application, to):
        raise PermissionDenied("employment.application")
    with transaction.atomic():
        current = _step(actor, application, to, note)
    return current


def hire(*, actor: User, application: Application, start_date: date, salary: int) -> Placement:
    """The employer's offer was taken: the placement, its start and pay, and three follow-ups."""
    if not may_move(actor, application, S.HIRED):
        raise PermissionDenied("employment.application")
    errors = {}
    if not isinstance(salary, int) or salary < 1:
        errors["salary"] = [_("a monthly salary in roubles, 1 or more, is expected")]
    if abs((start_date - timezone.localdate()).days) > HIRE_WINDOW_DAYS:
        errors["start_date"] = [_("must be within a year of today")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        vacancy = Vacancy.objects.select_for_update().get(pk=application.vacancy_id)
        hired = Application.objects.filter(vacancy=vacancy, status=S.HIRED).count()
        if hired >= vacancy.openings:
            raise ValidationError({"vacancy": [_("every opening of the vacancy is filled")]})
        current = _step(actor, application, S.HIRED, "")
        placement = Placement.objects.create(
            application=current,
            veteran_id=current.veteran_id,
            employer_id=vacancy.employer_id,
            start_date=start_date,
            salary=salary,
            recorded_by=actor,
        )
        FollowUp.objects.bulk_create(
            FollowUp(placement=placement, months=m, due_on=add_months(start_date, m))
            for m in FollowUp.MONTHS
        )
        record(
            actor=actor,
            action="employment.placement.create",
            subject=placement,
            changes={"start_date": [None, start_date.isoformat()], "salary": [None, salary]},
        )
    return placement


def _step(actor: User, application: Application, to: str, note: str) -> Application:
    current = Application.objects.select_for_update().get(pk=application.pk)
    if to not in NEXT.get(current.status, set()):
        raise ValidationError(
            {
                "status": [
                    _("an application cannot go from %(a)s to %(b)s")
                    % {"a": current.get_status_display(), "b": S(to).label}
                ]
            }
        )
    note = note.strip()
    if len(note) > 500:
        raise ValidationError({"note": [_("at most 500 characters")]})
    before = current.status
    current.status = to
    current.note = note
    current.history = [*current.history, [to, timezone.now().isoformat(), actor.pk, note]]
    current.save(update_fields=["status", "note", "history", "updated_at"])
    record(
        actor=actor,
        action="employment.application.move",
        subject=current,
        changes={"status": [before, to]},
    )
    return current


def record_follow_up(
    *,
    actor: User,
    follow_up: FollowUp,
    still_employed: bool,
    same_employer: bool | None,
    note: str = "",
    on: date | None = None,
) -> FollowUp:
    """What the coordinator learnt when they called: still at work, and with whom."""
    placement = follow_up.placement
    if not may_record_follow_up(actor, placement):
        raise PermissionDenied("employment.manage_applications")
    on = on or timezone.localdate()
    if on < placement.start_date:
        raise ValidationError({"done_on": [_("cannot be before the start of work")]})
    if on > timezone.localdate():
        raise ValidationError({"done_on": [_("cannot be in the future")]})
    if not still_employed:
        same_employer = None
    elif same_employer is None:
        raise ValidationError({"same_employer": [_("say whether it is the same employer")]})
    if len(note) > 500:
        raise ValidationError({"note": [_("at most 500 characters")]})
    fields = ["done_on", "still_employed", "same_employer", "note"]
    before = snapshot(follow_up, fields)
    with transaction.atomic():
        follow_up.done_on = on
        follow_up.still_employed = still_employed
        follow_up.same_employer = same_employer
        follow_up.note = note.strip()
        follow_up.recorded_by = actor
        follow_up.save()
        if placement.ended_on is None and not (still_employed and same_employer):
            placement.ended_on = on
            placement.save(update_fields=["ended_on"])
        record(
            actor=actor,
            action="employment.follow_up.record",
            subject=follow_up,
            changes=diff(before, snapshot(follow_up, fields)),
        )
    return follow_up


def skills_named(lines: list[str]):
    """Skill names as an employer types them → taxonomy skills, best match each; a line that
    matches nothing is an error naming it."""
    lines = [line.strip() for line in lines if line.strip()]
    if not lines:
        return []
    try:
        found = normalization.search_skills(lines, k=1)
    except LookupError:
        raise ValidationError({"required_skills": [_("no skills taxonomy is active")]}) from None
    unknown = [
        line
        for line, best in zip(lines, found, strict=True)
        if not best or best[0].score < MIN_SKILL_SCORE
    ]
    if unknown:
        raise ValidationError(
            {
                "required_skills": [
                    _("no skill in the taxonomy matches: %(lines)s") % {"lines": "; ".join(unknown)}
                ]
            }
        )
    return list(Skill.objects.filter(pk__in=[best[0].pk for best in found]))
