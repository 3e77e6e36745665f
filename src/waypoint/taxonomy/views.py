"""Taxonomy browser: search as you type, occupation pages, skill pages."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from waypoint.accounts.access import signed_in
from waypoint.people.selectors import veterans_with_occupation
from waypoint.taxonomy import access, display, normalization, selectors
from waypoint.taxonomy.models import Occupation, Skill

SUGGESTIONS = 8
PAGE_SIZE = 50
MAX_QUERY = 200


def _suggestions(query: str) -> dict:
    query = query.strip()[:MAX_QUERY]
    if not query or selectors.active_taxonomy() is None:
        return {"q": query, "occupations": [], "skills": []}
    return {
        "q": query,
        "occupations": display.candidates(
            normalization.normalize([query], k=SUGGESTIONS)[0], Occupation
        ),
        "skills": display.candidates(normalization.search_skills([query], k=SUGGESTIONS)[0], Skill),
    }


@signed_in
def browse(request: HttpRequest) -> HttpResponse:
    taxonomy = selectors.active_taxonomy()
    isco = request.GET.get("isco", "").strip()
    context = {"taxonomy": taxonomy, "isco": isco, **_suggestions(request.GET.get("q", ""))}
    if taxonomy is not None:
        context["groups"] = selectors.major_groups(taxonomy)
        if isco:
            if not isco.isdigit() or len(isco) > 4:
                raise Http404("no such ISCO group")
            context["isco_path"] = selectors.isco_path(isco)
            context["page"] = Paginator(
                selectors.occupations_in_group(taxonomy, isco), PAGE_SIZE
            ).get_page(request.GET.get("page"))
    return render(request, "taxonomy/browse.html", context)


@signed_in
def suggest(request: HttpRequest) -> HttpResponse:
    """The as-you-type part of the browser (an htmx partial)."""
    return render(request, "taxonomy/_suggestions.html", _suggestions(request.GET.get("q", "")))


@signed_in
def occupation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    occupation = get_object_or_404(
        access.occupations_visible_to(request.user).select_related("parent"), pk=pk
    )
    context = {"view": selectors.occupation_view(occupation)}
    if access.may_list_veterans_of_occupation(request.user):
        context["veterans"] = veterans_with_occupation(request.user, occupation)[:PAGE_SIZE]
    return render(request, "taxonomy/occupation.html", context)


@signed_in
def skill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    skill = get_object_or_404(access.skills_visible_to(request.user), pk=pk)
    return render(request, "taxonomy/skill.html", {"view": selectors.skill_view(skill)})
