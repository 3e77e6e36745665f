from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from waypoint.accounts.models import Organisation
from waypoint.employment.models import Application, FollowUp, Placement, Vacancy
from waypoint.people.access import veterans_visible_to
from waypoint.people.models import Consent


def vacancies(q: str = "", region: str = "", occupation: int | None = None) -> QuerySet[Vacancy]:
    """Open vacancies are public job offers: everyone signed in may read them."""
    found = Vacancy.objects.select_related("employer", "region", "occupation")
    if q:
        found = found.filter(Q(title__icontains=q) | Q(employer__legal_name__icontains=q))
    if region:
        found = found.filter(region_id=region)
    if occupation:
        found = found.filter(occupation_id=occupation)
    return found


def own_vacancies(employer) -> QuerySet[Vacancy]:
    return (
        Vacancy.objects.filter(employer=employer)
        .select_related("region", "occupation")
        .annotate(candidates=Count("applications"))
    )


def is_employer_side(user) -> bool:
    """Staff of an employer organisation (administrators hold the permission too)."""
    return (
        user.has_perm("employment.manage_own_vacancies")
        and user.organisation_id is not None
        and user.organisation.kind == Organisation.Kind.EMPLOYER
    )


def _sharing_with_employers() -> Exists:
    return _sharing_with_employers_of("veteran")


def _sharing_with_employers_of(veteran: str) -> Exists:
    return Exists(
        Consent.objects.filter(
            veteran=OuterRef(veteran),
            purpose=Consent.Purpose.SHARE_EMPLOYERS,
            withdrawn_at=None,
        )
    )


def applications_for(user) -> QuerySet[Application]:
    """Employer staff: candidates for their own vacancies. Staff with registry access: their
    veterans'. A veteran: their own. Each row says whether the veteran still shares their
    profile with employers (`shared`): without it an employer sees the step, never the person."""
    found = Application.objects.select_related(
        "veteran", "vacancy__employer", "vacancy__region"
    ).annotate(shared=_sharing_with_employers())
    if is_employer_side(user):
        return found.filter(vacancy__employer__organisation_id=user.organisation_id)
    return found.filter(veteran__in=veterans_visible_to(user))


def placements_for(user) -> QuerySet[Placement]:
    """Placements of veterans in the person's scope (employers see hires via applications)."""
    return Placement.objects.select_related("veteran", "employer", "application__vacancy").filter(
        veteran__in=veterans_visible_to(user)
    )


def follow_ups_due(user) -> QuerySet[FollowUp]:
    """Follow-up calls due today or earlier and not yet made, for veterans in scope."""
    return (
        FollowUp.objects.select_related("placement__veteran", "placement__employer")
        .filter(
            done_on=None,
            due_on__lte=timezone.localdate(),
            placement__veteran__in=veterans_visible_to(user),
        )
        .order_by("due_on", "pk")
    )


def follow_ups_of_hires(user, *, within_days: int) -> QuerySet[FollowUp]:
    """Follow-ups not yet made of the hires among the person's applications (an employer's:
    their own hires), due within `within_days` or already due; soonest first. Each says
    whether the veteran still shares their profile with employers (`shared`)."""
    return (
        FollowUp.objects.filter(
            done_on=None,
            due_on__lte=timezone.localdate() + timedelta(days=within_days),
            placement__application__in=applications_for(user).filter(
                status=Application.Status.HIRED
            ),
        )
        .select_related("placement__veteran", "placement__application__vacancy")
        .annotate(shared=_sharing_with_employers_of("placement__veteran"))
        .order_by("due_on", "pk")
    )
