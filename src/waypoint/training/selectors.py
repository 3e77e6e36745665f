from django.db.models import Count, Q, QuerySet

from waypoint.accounts.models import Organisation
from waypoint.people.models import Veteran
from waypoint.training.models import HOLDS_SEAT, Cohort, Enrolment, Programme, Provider


def provider_of(user) -> Provider | None:
    """The training provider a member of its staff works for."""
    if not user.has_perm("training.manage_own_programmes") or not user.organisation_id:
        return None
    return Provider.objects.filter(organisation_id=user.organisation_id).first()


def programmes(q: str = "", region: str = "") -> QuerySet[Programme]:
    """The catalogue: every programme is public within the system."""
    found = Programme.objects.select_related("provider__organisation", "region")
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


def enrolments_for(user) -> QuerySet[Enrolment]:
    """Provider staff: their own cohorts'. Staff with registry access: their veterans'.
    A veteran: their own."""
    found = Enrolment.objects.select_related("veteran", "cohort__programme__provider__organisation")
    if (
        user.has_perm("training.manage_own_programmes")
        and user.organisation_id
        and user.organisation.kind == Organisation.Kind.TRAINING_PROVIDER
    ):
        return found.filter(cohort__programme__provider__organisation_id=user.organisation_id)
    return found.filter(veteran__in=Veteran.objects.visible_to(user))
