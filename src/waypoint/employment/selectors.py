"""Reads for employment: vacancies, an employer's own, and the applications, placements and
follow-ups each person may see, through the read gates of `employment.access`. Reading a
candidate or a placement is audited here, so the pages and the API both record it."""

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from waypoint.audit.services import record
from waypoint.employment.access import (
    applications_visible_to,
    candidate_for,
    follow_ups_of_hires_visible_to,
    follow_ups_visible_to,
    placements_visible_to,
)
from waypoint.employment.models import Application, FollowUp, Placement, Vacancy


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


def applications_for(user) -> QuerySet[Application]:
    """The applications the person may see (`access.applications_visible_to`), each saying
    whether the veteran still shares their profile with employers (`shared`)."""
    return applications_visible_to(user).select_related(
        "veteran", "vacancy__employer", "vacancy__region"
    )


def candidate_read(user, application: Application) -> dict | None:
    """The candidate as the person sees them (`access.candidate_for`); seeing the profile is
    audited."""
    profile = candidate_for(user, application)
    if profile is not None:
        record(actor=user, action="employment.candidate.view", subject=application)
    return profile


def placements_for(user) -> QuerySet[Placement]:
    """Placements of veterans in the person's scope (employers see hires via applications)."""
    return placements_visible_to(user).select_related("veteran", "employer", "application__vacancy")


def placement_for(user, pk: int) -> Placement | None:
    """One placement through the read gate; reading it is audited."""
    placement = placements_for(user).filter(pk=pk).first()
    if placement is not None:
        record(actor=user, action="employment.placement.view", subject=placement)
    return placement


def follow_ups_due(user) -> QuerySet[FollowUp]:
    """Follow-up calls due today or earlier and not yet made, for veterans in scope."""
    return (
        follow_ups_visible_to(user)
        .select_related("placement__veteran", "placement__employer")
        .filter(done_on=None, due_on__lte=timezone.localdate())
        .order_by("due_on", "pk")
    )


def follow_ups_of_hires(user, *, within_days: int) -> QuerySet[FollowUp]:
    """Follow-ups not yet made of the hires among the person's applications (an employer's:
    their own hires), due within `within_days` or already due; soonest first. Each says
    whether the veteran still shares their profile with employers (`shared`)."""
    return (
        follow_ups_of_hires_visible_to(user)
        .filter(done_on=None, due_on__lte=timezone.localdate() + timedelta(days=within_days))
        .select_related("placement__veteran", "placement__application__vacancy")
        .order_by("due_on", "pk")
    )
