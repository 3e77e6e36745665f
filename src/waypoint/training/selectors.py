from datetime import timedelta

from django.db.models import Case, Count, F, IntegerField, Min, Q, QuerySet, Value, When
from django.utils import timezone

from waypoint.training.access import enrolments_visible_to, programmes_visible_to
from waypoint.training.access import provider_of as provider_of  # read here with the rest
from waypoint.training.models import HOLDS_SEAT, Cohort, Enrolment, Programme, Provider


def programmes(user, q: str = "", region: str = "") -> QuerySet[Programme]:
    """The catalogue as `user` may read it (training.access.programmes_visible_to)."""
    found = programmes_visible_to(user).select_related("provider__organisation", "region")
    if q:
        found = found.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if region:
        found = found.filter(region_id=region)
    return found


def with_seats_taken(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """Each cohort with `taken`, the seats held, counted in the same query."""
    return cohorts.annotate(taken=Count("enrolments", filter=Q(enrolments__status__in=HOLDS_SEAT)))


def cohorts_with_seats(programme: Programme) -> QuerySet[Cohort]:
    return with_seats_taken(programme.cohorts.all())


def cohorts_starting(provider: Provider, *, within_days: int) -> QuerySet[Cohort]:
    """The provider's cohorts that start within `within_days` and still have a seat, soonest
    first, each with `taken`."""
    today = timezone.localdate()
    return (
        with_seats_taken(
            Cohort.objects.filter(
                programme__provider=provider,
                start_date__gte=today,
                start_date__lte=today + timedelta(days=within_days),
            )
        )
        # `taken` is with_seats_taken's annotation, which its QuerySet[Cohort] cannot spell.
        .filter(taken__lt=F("seats"))  # type: ignore[misc]
        .select_related("programme")
        .order_by("start_date", "pk")
    )


def enrolments_for(user) -> QuerySet[Enrolment]:
    """The enrolments `user` may see (training.access.enrolments_visible_to)."""
    return enrolments_visible_to(user).select_related(
        "veteran", "cohort__programme__provider__organisation"
    )


def programmes_closing_gap(
    occupation_id: int, missing_uris: list[str], region: str, limit: int = 3
) -> list[Programme]:
    """Open programmes with a cohort still to come that teach skills the veteran misses for an
    occupation, or lead to it. Best first: most missing skills taught, then leading to the
    occupation, then in the veteran's region or online, then the soonest cohort. Each carries
    `taught` (how many of the missing skills) and `next_start`."""
    today = timezone.localdate()
    teaches = Q(skills__uri__in=missing_uris)
    leads = Q(occupations=occupation_id)
    return list(
        Programme.objects.filter(is_active=True)
        .filter(teaches | leads)
        .annotate(
            taught=Count("skills", filter=teaches, distinct=True),
            leads=Count("occupations", filter=leads, distinct=True),
            next_start=Min("cohorts__start_date", filter=Q(cohorts__start_date__gte=today)),
            near=Case(
                When(Q(region_id=region) | Q(format=Programme.Format.ONLINE), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .filter(next_start__isnull=False)
        .select_related("provider__organisation", "region")
        .order_by("-taught", "-leads", "-near", "next_start", "pk")[:limit]
    )
