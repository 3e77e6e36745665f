from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from waypoint.accounts.access import signed_in
from waypoint.employment import selectors
from waypoint.regions.models import Region

PAGE_SIZE = 50


@signed_in
def vacancy_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    region = request.GET.get("region", "")
    occupation = request.GET.get("occupation", "")
    found = selectors.vacancies(
        q=q, region=region, occupation=int(occupation) if occupation.isdigit() else None
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "employment/vacancies.html",
        {
            "page": page,
            "q": q,
            "region": region,
            "regions": Region.objects.all(),
            "query": query.urlencode(),
        },
    )


@signed_in
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request,
        "employment/vacancy.html",
        {"vacancy": get_object_or_404(selectors.vacancies(), pk=pk)},
    )
