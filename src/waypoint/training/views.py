"""Training pages: the catalogue, a programme with its cohorts, enrolments."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waypoint.accounts.access import requires, signed_in
from waypoint.kit.forms import apply_errors
from waypoint.people.access import veterans_visible_to
from waypoint.training import access, selectors, services
from waypoint.training.forms import CohortForm, EnrolForm, ProgrammeForm
from waypoint.training.models import Enrolment

VIEW = access.VIEW


@requires(VIEW)
def catalogue(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    found = selectors.programmes(request.user, q=q, region=request.GET.get("region", ""))
    return render(
        request,
        "training/catalogue.html",
        {
            "programmes": found[:200],
            "q": q,
            "own_provider": selectors.provider_of(request.user),
        },
    )


@requires(VIEW)
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(selectors.programmes(request.user), pk=pk)
    cohorts = list(selectors.cohorts_with_seats(programme))
    for cohort in cohorts:
        cohort.left = cohort.seats - cohort.taken
    return render(
        request,
        "training/programme.html",
        {
            "programme": programme,
            "cohorts": cohorts,
            "manages": access.is_provider_staff(request.user, programme.provider),
            "enrols": access.may_enrol_veterans(request.user),
            "cohort_form": CohortForm(),
        },
    )


@requires("training.manage_own_programmes")
def programme_new(request: HttpRequest) -> HttpResponse:
    provider = selectors.provider_of(request.user)
    if provider is None:
        raise PermissionDenied("no training provider profile for this organisation")
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            programme = services.save_programme(
                actor=request.user, provider=provider, values=values
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Programme saved."))
            return redirect(reverse("training:programme", args=[programme.pk]))
    return render(request, "training/programme_form.html", {"form": form})


@requires("training.manage_own_programmes")
@require_POST
def cohort_new(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(selectors.programmes(request.user), pk=pk)
    if not access.is_provider_staff(request.user, programme.provider):
        raise PermissionDenied("not your programme")
    form = CohortForm(request.POST)
    if form.is_valid():
        services.add_cohort(actor=request.user, programme=programme, **form.cleaned_data)
        messages.success(request, _("Cohort added."))
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
    return redirect(reverse("training:programme", args=[pk]))


@requires("training.manage_enrolments")
@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    from waypoint.training.models import Cohort

    cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=pk)
    form = EnrolForm(request.POST)
    back = reverse("training:programme", args=[cohort.programme_id])
    if not form.is_valid():
        messages.error(request, _("veteran: give the veteran's number"))
        return redirect(back)
    veteran = veterans_visible_to(request.user).filter(pk=form.cleaned_data["veteran"]).first()
    if veteran is None:
        messages.error(request, _("veteran: no veteran with this number in your scope"))
        return redirect(back)
    try:
        services.enrol(actor=request.user, veteran=veteran, cohort=cohort)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
    else:
        messages.success(
            request, _("%(name)s is on the cohort's list.") % {"name": veteran.full_name}
        )
    return redirect(back)


@requires(VIEW)
def enrolments(request: HttpRequest) -> HttpResponse:
    found = list(selectors.enrolments_for(request.user)[:300])
    for enrolment in found:
        enrolment.steps = [
            (step, Enrolment.Status(step).label)
            for step in sorted(services.NEXT.get(enrolment.status, ()))
            if access.may_move(request.user, enrolment, step)
        ]
    return render(request, "training/enrolments.html", {"enrolments": found})


@signed_in
@require_POST
def enrolment_move(request: HttpRequest, pk: int, status: str) -> HttpResponse:
    enrolment = selectors.enrolments_for(request.user).filter(pk=pk).first()
    if enrolment is None:
        raise Http404("no such enrolment")
    try:
        services.move(actor=request.user, enrolment=enrolment, to=status)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
    else:
        messages.success(request, _("Enrolment updated."))
    return redirect(reverse("training:enrolments"))
