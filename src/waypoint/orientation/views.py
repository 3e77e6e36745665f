"""A veteran's vocational orientation: ranked occupations with reasons, and decisions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waypoint.accounts.access import signed_in
from waypoint.kit.dates import local_date
from waypoint.kit.numbers import whole_number
from waypoint.orientation import access, explanations, pdf, selectors, services
from waypoint.orientation import plans as plans_module
from waypoint.orientation.models import Feedback
from waypoint.regions.models import Region
from waypoint.taxonomy import display, normalization
from waypoint.taxonomy.models import Occupation

TERM_LABELS = {
    "essential": gettext_lazy("essential skills"),
    "optional": gettext_lazy("optional skills"),
    "transferable": gettext_lazy("similar skills"),
    "demand": gettext_lazy("demand"),
    "pay": gettext_lazy("pay"),
    "preference": gettext_lazy("preference"),
    "specialty": gettext_lazy("military specialty"),
}


def _page(pk: int) -> str:
    return reverse("orientation:veteran", args=[pk])


@signed_in
def veteran_orientation(request: HttpRequest, pk: int) -> HttpResponse:
    veteran = selectors.veteran_for_orientation(request.user, pk)
    run_id = whole_number(request.GET.get("run", ""))
    run = selectors.run_for(veteran, run_id) if run_id is not None else services.first_run(veteran)
    feedback = list(selectors.feedback_for(veteran))
    decisions = {f.occupation_id: f for f in feedback}
    language = get_language() or "en"
    items = services.readable_results(run, veteran, language) if run else []
    staff = access.sees_numbers(request.user, veteran)
    for item in items:
        item["feedback"] = decisions.get(item["occupation_id"])
        item["terms_list"] = [
            (TERM_LABELS.get(name, name), value) for name, value in item["terms"].items() if value
        ]
    return render(
        request,
        "orientation/veteran.html",
        {
            "veteran": veteran,
            "run": run,
            "items": items,
            "runs": selectors.runs(veteran)[:20],
            "feedback": feedback,
            "numbers": staff,
            "own": not staff,
            "to_add": explanations.what_to_add(request.user, veteran) if run is None else [],
            "can_run": access.may_run(request.user, veteran),
            "can_decide": access.may_decide(request.user, veteran),
        },
    )


@signed_in
@require_POST
def run(request: HttpRequest, pk: int) -> HttpResponse:
    veteran = selectors.veteran_for_orientation(request.user, pk)
    try:
        services.orient_veteran(actor=request.user, veteran=veteran)
    except LookupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Occupations ranked again."))
    return redirect(_page(pk))


@signed_in
@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    veteran = selectors.veteran_for_orientation(request.user, pk)
    occupation = _occupation(request.POST.get("occupation", ""))
    if occupation is None:
        messages.error(request, _("occupation: choose one of the occupations listed"))
        return redirect(_page(pk))
    try:
        services.give_feedback(
            actor=request.user,
            veteran=veteran,
            occupation=occupation,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
    else:
        messages.success(request, _("Decision saved."))
    return redirect(_page(pk))


@signed_in
def add_occupation(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an occupation by hand: search, choose, say why (optional)."""
    veteran = selectors.veteran_for_orientation(request.user, pk)
    if not access.may_decide(request.user, veteran):
        raise PermissionDenied(access.FEEDBACK)
    query = request.GET.get("q", "").strip()[:200]
    candidates = display.candidates(
        normalization.search_occupations(query, military=False), Occupation
    )
    return render(
        request,
        "orientation/add.html",
        {
            "veteran": veteran,
            "query": query,
            "candidates": candidates,
            "added": Feedback.Decision.ADDED,
            "back": _page(pk),
        },
    )


def _occupation(value: str) -> Occupation | None:
    pk = whole_number(value)
    return Occupation.objects.filter(pk=pk).first() if pk is not None else None


def _plan(request: HttpRequest, veteran):
    version = request.GET.get("version", "")
    number = whole_number(version)
    plan = services.plan_to_show(veteran, number) if number is not None or not version else None
    if plan is None:
        raise Http404("no such plan version")
    return plan, selectors.plans_of(veteran)


def _language(request: HttpRequest) -> str:
    language = request.GET.get("lang") or get_language() or "en"
    return language if language in ("en", "ru") else "en"


@signed_in
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The individual career plan, printable, in English or Russian."""
    veteran = selectors.veteran_for_orientation(request.user, pk)
    found, versions = _plan(request, veteran)
    language = _language(request)
    content = found.content
    with translation.override(language):
        return render(
            request,
            "orientation/plan.html",
            {
                "veteran": veteran,
                "plan": found,
                "made_on": local_date(found.created_at),
                "versions": [(other, local_date(other.created_at)) for other in versions],
                "content": content,
                **plans_module.readable(content, language),
                "changes": plans_module.changes_of(found, language),
                "signatories": plans_module.signatories(content),
                "language": language,
                "region": Region.objects.filter(code=content["veteran"]["region"]).first(),
                "can_save": access.may_run(request.user, veteran),
            },
        )


@signed_in
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    veteran = selectors.veteran_for_orientation(request.user, pk)
    found, _versions = _plan(request, veteran)
    language = _language(request)
    response = HttpResponse(pdf.render_plan(found, language), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="career-plan-{veteran.pk}-v{found.version}-{language}.pdf"'
    )
    return response


@signed_in
@require_POST
def plan_save(request: HttpRequest, pk: int) -> HttpResponse:
    veteran = selectors.veteran_for_orientation(request.user, pk)
    saved = plans_module.save_plan(actor=request.user, veteran=veteran)
    messages.success(request, _("Plan version %(v)s is current.") % {"v": saved.version})
    return redirect(reverse("orientation:plan", args=[pk]))
