"""Employment pages: vacancies, employers' own vacancies and candidates, applications,
placements and their follow-ups."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waypoint.accounts.access import requires, signed_in
from waypoint.accounts.models import User
from waypoint.employment import access, matching, selectors, services
from waypoint.employment.forms import FollowUpForm, HireForm, ProposeForm, VacancyForm
from waypoint.employment.models import Application, Vacancy
from waypoint.kit.forms import apply_errors, flash_errors
from waypoint.kit.numbers import whole_number
from waypoint.people.access import veterans_visible_to
from waypoint.people.models import Consent, Veteran, WorkLimitation
from waypoint.people.selectors import has_consent, veteran_for
from waypoint.regions.models import Region

PAGE_SIZE = 50


@signed_in
def vacancy_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    region = request.GET.get("region", "")
    occupation = request.GET.get("occupation", "")
    found = selectors.vacancies(q=q, region=region, occupation=whole_number(occupation))
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
            "employer": access.employer_of(request.user),
        },
    )


@signed_in
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(selectors.vacancies(), pk=pk)
    user = request.user
    own = access.is_employer_staff(user, vacancy.employer)
    own_record = getattr(user, "veteran_record", None)
    if not access.may_apply_as_self(user, own_record):
        own_record = None
    context = {
        "vacancy": vacancy,
        "skills": list(vacancy.skills.all()),
        "accessible_labels": ", ".join(
            str(WorkLimitation.Restriction(code).label)
            for code in vacancy.accessible_for or []
            if code in WorkLimitation.Restriction.values
        ),
        "own": own,
        "proposes": access.may_propose(user),
        "own_record": own_record,
        "applied": own_record is not None
        and Application.objects.filter(veteran=own_record, vacancy=vacancy).exists(),
        "propose_form": ProposeForm(),
    }
    if own:
        context["candidates"] = list(selectors.applications_for(user).filter(vacancy=vacancy))
    return render(request, "employment/vacancy.html", context)


@requires(access.OWN)
def own_vacancies(request: HttpRequest) -> HttpResponse:
    employer = access.employer_of(request.user)
    if employer is None:
        raise PermissionDenied("no employer profile for this organisation")
    return render(
        request,
        "employment/own_vacancies.html",
        {"employer": employer, "vacancies": selectors.own_vacancies(employer)[:500]},
    )


@requires(access.OWN)
def vacancy_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    employer = access.employer_of(request.user)
    if employer is None:
        raise PermissionDenied("no employer profile for this organisation")
    vacancy = None
    if pk is not None:
        vacancy = access.vacancies_editable_by(request.user).filter(pk=pk).first()
        if vacancy is None:
            raise Http404("no such vacancy of yours")
    initial = {}
    if vacancy is not None:
        initial["required_skills"] = "\n".join(s.preferred_label for s in vacancy.skills.all())
    form = VacancyForm(request.POST or None, instance=vacancy, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            skills = services.skills_named(form.cleaned_data["required_skills"].splitlines())
            saved = services.save_vacancy(
                actor=request.user,
                employer=employer,
                values=values,
                vacancy=Vacancy.objects.get(pk=vacancy.pk) if vacancy else None,
                skills=skills,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Vacancy saved."))
            return redirect(reverse("employment:vacancy", args=[saved.pk]))
    return render(request, "employment/vacancy_form.html", {"form": form, "vacancy": vacancy})


@signed_in
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """The veteran applies for themself; a coordinator proposes a veteran by number."""
    vacancy = get_object_or_404(access.vacancies_visible_to(request.user), pk=pk)
    back = reverse("employment:vacancy", args=[pk])
    user = request.user
    if "veteran" in request.POST:
        if not access.may_propose(user):
            raise PermissionDenied(access.MANAGE)
        form = ProposeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("veteran: give the veteran's number"))
            return redirect(back)
        veteran = veterans_visible_to(user).filter(pk=form.cleaned_data["veteran"]).first()
        if veteran is None:
            messages.error(request, _("veteran: no veteran with this number in your scope"))
            return redirect(back)
    else:
        veteran = getattr(user, "veteran_record", None)
        if not access.may_apply_as_self(user, veteran):
            raise PermissionDenied("people.self_service")
    try:
        services.apply(actor=user, veteran=veteran, vacancy=vacancy)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The application is with the employer."))
    return redirect(back)


@signed_in
def applications(request: HttpRequest) -> HttpResponse:
    found = selectors.applications_for(request.user)
    status = request.GET.get("status", "")
    if status in Application.Status.values:
        found = found.filter(status=status)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "employment/applications.html",
        {
            "page": page,
            "status": status,
            "statuses": Application.Status.choices,
            "employer_view": access.is_employer_side(request.user),
        },
    )


def _application_for(user, pk: int) -> Application:
    application = selectors.applications_for(user).filter(pk=pk).first()
    if application is None:
        raise Http404("no such application")
    return application


@signed_in
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    application = _application_for(user, pk)
    employer_view = access.is_employer_staff(user, application.vacancy.employer)
    profile = selectors.candidate_read(user, application)
    steps = [
        (step, Application.Status(step).label)
        for step in sorted(services.NEXT.get(application.status, ()))
        if step != Application.Status.HIRED and access.may_move(user, application, step)
    ]
    can_hire = Application.Status.HIRED in services.NEXT.get(
        application.status, ()
    ) and access.may_move(user, application, Application.Status.HIRED)
    names = {
        u.pk: u.get_full_name() or u.username
        for u in User.objects.filter(pk__in={row[2] for row in application.history})
    }
    history = [
        {
            "status": Application.Status(row[0]).label,
            "at": row[1],
            "by": names.get(row[2], "—"),
            "note": row[3] if len(row) > 3 else "",
        }
        for row in application.history
    ]
    return render(
        request,
        "employment/application.html",
        {
            "application": application,
            "employer_view": employer_view,
            "profile": profile,
            "steps": steps,
            "can_hire": can_hire,
            "hire_form": HireForm(),
            "history": history,
            "placement": getattr(application, "placement", None)
            if application.status == Application.Status.HIRED
            else None,
        },
    )


@signed_in
@require_POST
def application_move(request: HttpRequest, pk: int, status: str) -> HttpResponse:
    application = _application_for(request.user, pk)
    try:
        services.move(
            actor=request.user,
            application=application,
            to=status,
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Application updated."))
    return redirect(reverse("employment:application", args=[pk]))


@signed_in
@require_POST
def hire(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_for(request.user, pk)
    form = HireForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
        return redirect(reverse("employment:application", args=[pk]))
    try:
        placement = services.hire(actor=request.user, application=application, **form.cleaned_data)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect(reverse("employment:application", args=[pk]))
    messages.success(request, _("Hired: the follow-ups at 3, 6 and 12 months are scheduled."))
    if selectors.placements_for(request.user).filter(pk=placement.pk).exists():
        return redirect(reverse("employment:placement", args=[placement.pk]))
    return redirect(reverse("employment:application", args=[pk]))


@signed_in
def placement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    placement = selectors.placement_for(request.user, pk)
    if placement is None:
        raise Http404("no such placement")
    follow_ups = list(placement.follow_ups.all())
    records = access.may_record_follow_up(request.user, placement)
    return render(
        request,
        "employment/placement.html",
        {
            "placement": placement,
            "follow_ups": follow_ups,
            "records": records,
            "form": FollowUpForm(),
        },
    )


@requires(access.MANAGE)
@require_POST
def follow_up_record(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(
        access.follow_ups_visible_to(request.user).select_related("placement__veteran"), pk=pk
    )
    back = reverse("employment:placement", args=[follow_up.placement_id])
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
        return redirect(back)
    try:
        services.record_follow_up(actor=request.user, follow_up=follow_up, **form.cleaned_data)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Follow-up recorded."))
    return redirect(back)


@requires(access.MANAGE)
def follow_ups_due(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "employment/follow_ups_due.html",
        {"follow_ups": selectors.follow_ups_due(request.user)[:500]},
    )


def _with_vacancies(matches: list) -> list:
    found = {v.pk: v for v in selectors.vacancies().filter(pk__in=[m.vacancy_id for m in matches])}
    return [(match, found[match.vacancy_id]) for match in matches if match.vacancy_id in found]


@signed_in
def veteran_vacancies(request: HttpRequest, pk: int) -> HttpResponse:
    """The vacancies that suit a veteran best, for their team and for the veteran."""
    veteran = veteran_for(request.user, pk)
    if not access.may_see_matches(request.user, veteran):
        raise PermissionDenied(access.MANAGE)
    try:
        matches = matching.vacancies_for(veteran)
    except LookupError:
        matches = []
    applied = set(veteran.applications.values_list("vacancy_id", flat=True))
    return render(
        request,
        "employment/veteran_vacancies.html",
        {
            "veteran": veteran,
            "rows": _with_vacancies(matches),
            "applied": applied,
            "own": veteran.account_id == request.user.pk,
            "sharing": has_consent(veteran, Consent.Purpose.SHARE_EMPLOYERS),
        },
    )


@signed_in
def vacancy_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """Consenting veterans who suit a vacancy best: for its employer, and for coordinators
    among the veterans in their scope."""
    vacancy = get_object_or_404(selectors.vacancies(), pk=pk)
    among = access.candidate_scope(request.user, vacancy)
    try:
        matches = matching.candidates_for(vacancy, among=among)
    except LookupError:
        matches = []
    names = {v.pk: v for v in Veteran.objects.filter(pk__in=[m.veteran_id for m in matches])}
    applied = set(vacancy.applications.values_list("veteran_id", flat=True))
    return render(
        request,
        "employment/vacancy_candidates.html",
        {
            "vacancy": vacancy,
            "rows": [(m, names[m.veteran_id]) for m in matches if m.veteran_id in names],
            "applied": applied,
            "proposes": among is not None,
        },
    )
