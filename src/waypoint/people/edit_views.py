"""Pages that change one veteran's record: profile, service record, education, jobs, skills,
languages, limitations, preferences, consents and occupation coding. Views translate HTTP to
selectors and services; the rules live in waypoint.people.access and the services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from waypoint.accounts.access import requires, signed_in
from waypoint.kit.forms import apply_errors
from waypoint.kit.numbers import whole_number
from waypoint.people import access, coding, forms, selectors, services
from waypoint.people.models import Veteran, WorkLimitation
from waypoint.taxonomy import display, normalization
from waypoint.taxonomy.models import Occupation


def _editable(request: HttpRequest, pk: int) -> Veteran:
    veteran = selectors.veteran_for(request.user, pk, audit=False)
    if not access.may_edit(request.user, veteran):
        raise Http404("no such veteran")
    return veteran


@signed_in
def veteran_edit(request: HttpRequest, pk: int) -> HttpResponse:
    veteran = _editable(request, pk)
    fields = services.editable_fields(request.user, veteran)
    form_class = forms.veteran_form_class(fields)
    form = form_class(request.POST or None, instance=veteran)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in fields if name in form.changed_data}
        if "region" in changes:
            changes["region"] = changes["region"].code
        try:
            services.update_veteran(
                actor=request.user, veteran=Veteran.objects.get(pk=pk), changes=changes
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(record_page(veteran, "profile"))
    return render(
        request,
        "people/edit.html",
        {
            "veteran": veteran,
            "form": form,
            "title": _("Edit profile"),
            "back": record_page(veteran, "profile"),
        },
    )


PART_TABS = {
    "service": "service",
    "education": "experience",
    "job": "experience",
    "skill": "skills",
    "language": "skills",
}
# Lazy: read in the language of each request, not of whoever imported the module first.
PART_TITLES = {
    "service": gettext_lazy("service record"),
    "education": gettext_lazy("education"),
    "job": gettext_lazy("civilian job"),
    "skill": gettext_lazy("skill"),
    "language": gettext_lazy("language"),
}


def _part_kind(kind: str) -> str:
    if kind not in services.PARTS:
        raise Http404("no such section")
    return kind


@signed_in
def part_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    return _part_form(request, pk, _part_kind(kind), None)


@signed_in
def part_edit(request: HttpRequest, pk: int, kind: str, part_pk: int) -> HttpResponse:
    return _part_form(request, pk, _part_kind(kind), part_pk)


def _part_form(request: HttpRequest, pk: int, kind: str, part_pk: int | None) -> HttpResponse:
    veteran = _editable(request, pk)
    model = services.PARTS[kind]
    instance = None
    if part_pk is not None:
        instance = model.objects.filter(veteran=veteran, pk=part_pk).first()
        if instance is None:
            raise Http404("no such entry")
    form = forms.part_form_class(kind)(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_part(
                actor=request.user, veteran=veteran, kind=kind, values=form.cleaned_data, pk=part_pk
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(record_page(veteran, PART_TABS[kind]))
    title = (_("Add %(what)s") if part_pk is None else _("Edit %(what)s")) % {
        "what": PART_TITLES[kind]
    }
    return render(
        request,
        "people/edit.html",
        {
            "veteran": veteran,
            "form": form,
            "title": title,
            "back": record_page(veteran, PART_TABS[kind]),
        },
    )


@signed_in
def part_delete(request: HttpRequest, pk: int, kind: str, part_pk: int) -> HttpResponse:
    veteran = _editable(request, pk)
    kind = _part_kind(kind)
    part = services.PARTS[kind].objects.filter(veteran=veteran, pk=part_pk).first()
    if part is None:
        raise Http404("no such entry")
    if request.method == "POST":
        try:
            services.remove_part(actor=request.user, veteran=veteran, kind=kind, pk=part_pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Deleted."))
        return redirect(record_page(veteran, PART_TABS[kind]))
    return render(
        request,
        "people/confirm_delete.html",
        {
            "veteran": veteran,
            "part": part,
            "what": PART_TITLES[kind],
            "back": record_page(veteran, PART_TABS[kind]),
        },
    )


@requires("people.change_veteran")
@require_POST
def skill_confirm(request: HttpRequest, pk: int, part_pk: int) -> HttpResponse:
    veteran = _editable(request, pk)
    services.confirm_skill(actor=request.user, veteran=veteran, pk=part_pk)
    messages.success(request, _("Skill confirmed."))
    return redirect(record_page(veteran, "skills"))


@signed_in
def limitation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    veteran = selectors.veteran_for(request.user, pk, audit=False)
    if not access.may_see_limitations(request.user, veteran):
        raise Http404("no such veteran")
    if not access.may_edit_limitations(request.user, veteran):
        raise PermissionDenied(access.CHANGE_LIMITATIONS)
    instance = WorkLimitation.objects.filter(veteran=veteran).first()
    form = forms.LimitationForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_work_limitation(
                actor=request.user, veteran=veteran, values=form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(record_page(veteran, "limitations"))
    return render(
        request,
        "people/edit.html",
        {
            "veteran": veteran,
            "form": form,
            "title": _("Work limitations"),
            "back": record_page(veteran, "limitations"),
            "consents_url": record_page(veteran, "consents"),
        },
    )


@signed_in
def preferences_edit(request: HttpRequest, pk: int) -> HttpResponse:
    veteran = _editable(request, pk)
    instance = getattr(veteran, "preferences", None)
    form = forms.PreferencesForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.PREFERENCE_FIELDS}
        regions = [region.code for region in form.cleaned_data["regions"]]
        try:
            services.set_preferences(
                actor=request.user, veteran=veteran, values=values, regions=regions
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(record_page(veteran, "preferences"))
    return render(
        request,
        "people/edit.html",
        {
            "veteran": veteran,
            "form": form,
            "title": _("Preferences"),
            "back": record_page(veteran, "preferences"),
        },
    )


@signed_in
@require_POST
def consent_give(request: HttpRequest, pk: int) -> HttpResponse:
    veteran = selectors.veteran_for(request.user, pk, audit=False)
    form = forms.ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a purpose and how the consent was given."))
        return redirect(record_page(veteran, "consents"))
    try:
        services.give_consent(
            actor=request.user,
            veteran=veteran,
            purpose=form.cleaned_data["purpose"],
            channel=form.cleaned_data["channel"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Consent recorded."))
    return redirect(record_page(veteran, "consents"))


@signed_in
@require_POST
def consent_withdraw(request: HttpRequest, pk: int, purpose: str) -> HttpResponse:
    veteran = selectors.veteran_for(request.user, pk, audit=False)
    try:
        services.withdraw_consent(actor=request.user, veteran=veteran, purpose=purpose)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Consent withdrawn."))
    return redirect(record_page(veteran, "consents"))


@requires("people.change_veteran")
def part_occupation(request: HttpRequest, pk: int, kind: str, part_pk: int) -> HttpResponse:
    """Show which occupation a specialty or job was coded as, and let staff set it."""
    veteran = _editable(request, pk)
    if kind not in coding.CODED_KINDS:
        raise Http404("this section has no occupation")
    part = coding.CODED_KINDS[kind].objects.filter(veteran=veteran, pk=part_pk).first()
    if part is None:
        raise Http404("no such entry")
    back = record_page(veteran, PART_TABS[kind])
    error = ""
    if request.method == "POST":
        choice = request.POST.get("occupation", "")
        occupation = None
        if choice:
            pk = whole_number(choice)
            occupation = Occupation.objects.filter(pk=pk).first() if pk is not None else None
        if choice and occupation is None:
            error = _("occupation: choose one of the occupations listed")
        else:
            try:
                coding.set_occupation(
                    actor=request.user,
                    veteran=veteran,
                    kind=kind,
                    pk=part.pk,
                    occupation=occupation,
                )
            except ValidationError as exc:
                error = "; ".join(f"{f}: {' '.join(m)}" for f, m in exc.message_dict.items())
            else:
                messages.success(request, _("Saved."))
                return redirect(back)
    query = request.GET.get("q", part.occupation_text).strip()[:200]
    candidates = display.candidates(
        normalization.search_occupations(query, military=coding.military_filter(part)),
        Occupation,
    )
    return render(
        request,
        "people/part_occupation.html",
        {
            "veteran": veteran,
            "part": part,
            "kind": kind,
            "query": query,
            "candidates": candidates,
            "error": error,
            "back": back,
        },
    )


def record_page(veteran: Veteran, tab: str) -> str:
    """The record's page, at a tab: where a page that changes the record returns to."""
    return reverse("people:veteran_detail", args=[veteran.pk]) + f"?tab={tab}"


@requires("people.assign_coordinator")
def assign_coordinator(request: HttpRequest, pk: int) -> HttpResponse:
    veteran = selectors.veteran_for(request.user, pk, audit=False)
    candidates = list(access.coordinators_assignable_by(request.user))
    if request.method == "POST":
        chosen = request.POST.get("coordinator", "")
        coordinator = next((c for c in candidates if str(c.pk) == chosen), None)
        if chosen and coordinator is None:
            messages.error(request, _("Choose a coordinator from the list."))
        else:
            try:
                services.assign_coordinator(
                    actor=request.user, veteran=veteran, coordinator=coordinator
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Coordinator assigned."))
                return redirect(record_page(veteran, "profile"))
    return render(
        request,
        "people/assign_coordinator.html",
        {"veteran": veteran, "candidates": candidates, "back": record_page(veteran, "profile")},
    )
