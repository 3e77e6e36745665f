"""Writes for training: programmes, cohorts and the enrolment pipeline.

A seat is held from acceptance on. Taking one locks the cohort's row first, so concurrent
acceptances queue up and a cohort is never overbooked (PostgreSQL row lock; SQLite has a
single writer anyway).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import User
from waypoint.audit.services import diff, record, snapshot
from waypoint.people.models import Consent, Veteran, WorkLimitation
from waypoint.people.selectors import has_consent
from waypoint.training import access
from waypoint.training.models import HOLDS_SEAT, Cohort, Enrolment, Programme, Provider

S = Enrolment.Status
NEXT: dict[str, set[str]] = {
    S.RECOMMENDED: {S.APPLIED, S.WITHDRAWN},
    S.APPLIED: {S.OFFERED, S.WITHDRAWN},
    S.OFFERED: {S.ACCEPTED, S.WITHDRAWN},
    S.ACCEPTED: {S.ENROLLED, S.WITHDRAWN},
    S.ENROLLED: {S.COMPLETED, S.DROPPED_OUT},
}
PROGRAMME_FIELDS = [
    "title",
    "description",
    "duration_weeks",
    "format",
    "location",
    "region",
    "cost",
    "payer",
    "language",
    "min_education",
    "unsuitable_for",
    "is_active",
]


def save_programme(
    *,
    actor: User,
    provider: Provider,
    values: dict,
    programme: Programme | None = None,
    skills=None,
    occupations=None,
) -> Programme:
    if not access.may_manage_programmes_of(actor, provider):
        raise PermissionDenied("training.manage_own_programmes")
    unknown = sorted(set(values) - set(PROGRAMME_FIELDS))
    if unknown:
        raise ValidationError({name: [_("unknown field")] for name in unknown})
    programme = programme or Programme(provider=provider)
    before = {} if programme.pk is None else snapshot(programme, PROGRAMME_FIELDS)
    for name, value in values.items():
        setattr(programme, name, value)
    bad = sorted(set(programme.unsuitable_for or []) - set(WorkLimitation.Restriction.values))
    if bad:
        raise ValidationError(
            {
                "unsuitable_for": [
                    _("unknown limitation code: %(codes)s") % {"codes": ", ".join(bad)}
                ]
            }
        )
    if programme.min_education is not None and not 0 <= programme.min_education <= 8:
        raise ValidationError({"min_education": [_("an ISCED level from 0 to 8 is expected")]})
    programme.full_clean()
    with transaction.atomic():
        programme.save()
        if skills is not None:
            programme.skills.set(skills)
        if occupations is not None:
            programme.occupations.set(occupations)
        record(
            actor=actor,
            action="training.programme.save",
            subject=programme,
            changes=diff(before, snapshot(programme, PROGRAMME_FIELDS)),
        )
    return programme


def add_cohort(*, actor: User, programme: Programme, start_date: date, seats: int) -> Cohort:
    if not access.may_manage_programmes_of(actor, programme.provider):
        raise PermissionDenied("training.manage_own_programmes")
    cohort = Cohort(programme=programme, start_date=start_date, seats=seats)
    cohort.full_clean()
    with transaction.atomic():
        cohort.save()
        record(
            actor=actor,
            action="training.cohort.create",
            subject=cohort,
            changes={"start_date": [None, start_date.isoformat()], "seats": [None, seats]},
        )
    return cohort


def seats_left(cohort: Cohort) -> int:
    return cohort.seats - cohort.enrolments.filter(status__in=HOLDS_SEAT).count()


def enrol(
    *, actor: User, veteran: Veteran, cohort: Cohort, status: str = S.RECOMMENDED
) -> Enrolment:
    """Put a veteran on a cohort's list (recommended, or applied straight away)."""
    if not access.may_enrol(actor, veteran):
        raise PermissionDenied("training.manage_enrolments")
    if status not in (S.RECOMMENDED, S.APPLIED):
        raise ValidationError({"status": [_("an enrolment starts as recommended or applied")]})
    if not has_consent(veteran, Consent.Purpose.SHARE_TRAINING):
        raise ValidationError(
            {
                "consent": [
                    _("the veteran has not agreed to share their profile with training providers")
                ]
            }
        )
    programme = cohort.programme
    if not programme.is_active:
        raise ValidationError({"cohort": [_("the programme is closed for enrolment")]})
    if cohort.start_date < timezone.localdate():
        raise ValidationError({"cohort": [_("the cohort has already started")]})
    limitation = getattr(veteran, "work_limitation", None)
    if limitation and set(limitation.restrictions) & set(programme.unsuitable_for or []):
        # Name no health detail: the message reaches provider staff too.
        raise ValidationError(
            {"cohort": [_("the programme is not suitable with the veteran's work limitations")]}
        )
    if Enrolment.objects.filter(veteran=veteran, cohort=cohort).exists():
        raise ValidationError({"cohort": [_("the veteran is already on this cohort's list")]})
    with transaction.atomic():
        enrolment = Enrolment.objects.create(
            veteran=veteran,
            cohort=cohort,
            status=status,
            created_by=actor,
            history=[[status, timezone.now().isoformat(), actor.pk]],
        )
        record(
            actor=actor,
            action="training.enrolment.create",
            subject=enrolment,
            changes={"status": [None, status], "cohort": [None, cohort.pk]},
        )
    return enrolment


def move(*, actor: User, enrolment: Enrolment, to: str) -> Enrolment:
    """One step along the pipeline; taking a seat cannot overbook the cohort."""
    if to not in S.values:
        raise ValidationError({"status": [_("unknown status")]})
    if not access.may_move(actor, enrolment, to):
        raise PermissionDenied("training.enrolment")
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().get(pk=enrolment.cohort_id)
        current = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if to not in NEXT.get(current.status, set()):
            raise ValidationError(
                {
                    "status": [
                        _("an enrolment cannot go from %(a)s to %(b)s")
                        % {"a": current.get_status_display(), "b": S(to).label}
                    ]
                }
            )
        if to in HOLDS_SEAT and current.status not in HOLDS_SEAT:
            taken = Enrolment.objects.filter(cohort=cohort, status__in=HOLDS_SEAT).count()
            if taken >= cohort.seats:
                raise ValidationError({"seats": [_("the cohort is full")]})
        before = current.status
        current.status = to
        current.history = [*current.history, [to, timezone.now().isoformat(), actor.pk]]
        current.save(update_fields=["status", "history", "updated_at"])
        record(
            actor=actor,
            action="training.enrolment.move",
            subject=current,
            changes={"status": [before, to]},
        )
    return current
