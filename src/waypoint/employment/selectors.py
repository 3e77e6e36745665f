from django.db.models import Q, QuerySet

from waypoint.employment.models import Vacancy


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
