"""Registry pages. Views translate HTTP to selectors and services; the rules live there."""

import csv

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from waypoint.accounts.access import public, requires, signed_in
from waypoint.accounts.models import Organisation, User
from waypoint.audit.services import record
from waypoint.kit.forms import apply_errors
from waypoint.kit.numbers import whole_number
from waypoint.people import access, coding, consents, forms, selectors, services
from waypoint.people.access import veterans_visible_to
from waypoint.people.models import Consent, Veteran, WorkLimitation
from waypoint.regions.models import Region
from waypoint.taxonomy import display, normalization
from waypoint.taxonomy.models import Occupation

PAGE_SIZE = 25
TABS = (
    "profile",
    "service",
    "experience",
    "skills",
    "limitations",
    "preferences",
    "consents",
    "duplicates",
)


def _filters(request: HttpRequest) -> dict:
    coordinator = request.GET.get("coordinator", "")
    if coordinator == "me":
        coordinator_id = request.user.pk
    elif (number := whole_number(coordinator)) is not None:
        coordinator_id = number
    else:
        coordinator_id = None
    return {
        "q": request.GET.get("q", "").strip(),
        "region": request.GET.get("region", ""),
        "status": request.GET.get("status", ""),
        "coordinator": coordinator_id,
        "ordering": request.GET.get("ordering", "name"),
    }


def _coordinators_in_scope(user) -> list[User]:
    ids = veterans_visible_to(user).exclude(coordinator=None).values("coordinator_id")
    return list(User.objects.filter(pk__in=ids).order_by("last_name", "first_name"))


@requires("people.view_veteran")
def veteran_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    veterans = selectors.veterans_for(request.user, **filters)
    page = Paginator(veterans, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "raw_coordinator": request.GET.get("coordinator", ""),
        "query": query.urlencode(),
        "regions": Region.objects.all(),
        "statuses": Veteran.Status.choices,
        "coordinators": _coordinators_in_scope(request.user),
        "orderings": [
            ("name", _("name A–Z")),
            ("-name", _("name Z–A")),
            ("-registered", _("newest first")),
            ("registered", _("oldest first")),
            ("birth_date", _("oldest veterans first")),
            ("region", _("region")),
        ],
    }
    if request.htmx:
        return render(request, "people/_veteran_rows.html", context)
    return render(request, "people/veteran_list.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


EXPORT_COLUMNS = [
    "id",
    "last_name",
    "first_name",
    "patronymic",
    "last_name_latin",
    "first_name_latin",
    "birth_date",
    "sex",
    "phone",
    "email",
    "region_id",
    "status",
    "coordinator_id",
    "entered_on",
    "created_at",
]


@requires("people.export_veterans")
def veteran_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV: identity and contacts only, never health data."""
    filters = _filters(request)
    rows = list(selectors.veterans_for(request.user, **filters).values_list(*EXPORT_COLUMNS))
    with transaction.atomic():
        record(
            actor=request.user,
            action="people.veteran.export",
            subject=request.user,
            changes={
                "filters": [None, {k: v for k, v in filters.items() if v}],
                "count": [None, len(rows)],
            },
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="veterans.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return response


def _duplicate_panel(check: services.DuplicateCheck) -> dict:
    return {"visible_duplicates": check.visible, "hidden_duplicates": check.hidden}


@requires("people.add_veteran")
def intake(request: HttpRequest) -> HttpResponse:
    is_call_centre = (
        request.user.organisation_id is not None
        and request.user.organisation.kind == Organisation.Kind.CALL_CENTRE
    )
    initial = {
        "consent_channel": Consent.Channel.PHONE if is_call_centre else Consent.Channel.IN_PERSON,
        # Most people a branch registers live in its region; a national call centre's do not.
        "region": None if is_call_centre else getattr(request.user.organisation, "region_id", None),
    }
    form = forms.IntakeForm(request.POST or None, initial=initial)
    service_form = forms.ServiceStartForm(request.POST or None, prefix="service")
    context = {
        "form": form,
        "service_form": service_form,
        "consent_text": consents.TEXTS[Consent.Purpose.PERSONAL_DATA],
        "health_consent_text": consents.TEXTS[Consent.Purpose.HEALTH_DATA],
    }
    if request.method == "POST":
        wants_service = service_form.has_content()
        service_ok = service_form.is_valid() if wants_service else True
        if form.is_valid() and service_ok:
            channel = Veteran.Channel.PHONE if is_call_centre else Veteran.Channel.COORDINATOR
            try:
                veteran = services.register_veteran(
                    actor=request.user,
                    registration=forms.registration_from(form, form.consents_given()),
                    channel=channel,
                    confirm_not_duplicate=form.cleaned_data["confirm_not_duplicate"],
                    first_service=service_form.cleaned_data if wants_service else None,
                )
            except services.DuplicateSuspected as exc:
                context.update(_duplicate_panel(exc.check))
                context["duplicate_suspected"] = True
            except services.FirstServiceInvalid as exc:
                apply_errors(service_form, exc.error)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": veteran})
                return redirect("people:veteran_detail", veteran.pk)
    return render(request, "people/intake.html", context)


@requires("people.add_veteran")
def duplicate_check(request: HttpRequest) -> HttpResponse:
    """As-you-type duplicate warning on the intake form (an htmx partial)."""
    birth_date = forms.IdentityForm.base_fields["birth_date"].to_python
    try:
        born = birth_date(request.GET.get("birth_date", ""))
    except ValidationError:
        born = None
    try:
        check = services.check_duplicates(
            actor=request.user,
            last_name=request.GET.get("last_name", ""),
            first_name=request.GET.get("first_name", ""),
            birth_date=born,
            phone=request.GET.get("phone", ""),
        )
    except services.TooManyDuplicateChecks as exc:
        return render(request, "people/_duplicates.html", {"refused": exc.messages[0]})
    return render(request, "people/_duplicates.html", _duplicate_panel(check))


def _tab(request: HttpRequest, allowed: list[str]) -> str:
    tab = request.GET.get("tab", "profile")
    return tab if tab in allowed else "profile"


@signed_in
def veteran_detail(request: HttpRequest, pk: int) -> HttpResponse:
    veteran = selectors.veteran_for(request.user, pk)
    user = request.user
    sees_limitations = access.may_see_limitations(user, veteran)
    staff_editor = user.has_perm("people.change_veteran")
    tabs = [
        t
        for t in TABS
        if (t != "limitations" or sees_limitations) and (t != "duplicates" or staff_editor)
    ]
    labels = {
        "profile": _("Profile"),
        "service": _("Service"),
        "experience": _("Education & experience"),
        "skills": _("Skills & languages"),
        "limitations": _("Work limitations"),
        "preferences": _("Preferences"),
        "consents": _("Consents"),
        "duplicates": _("Possible duplicates"),
    }
    tab = _tab(request, tabs)
    editable = access.may_edit(user, veteran)
    context = {
        "veteran": veteran,
        "tab": tab,
        "tabs": [(t, labels[t]) for t in tabs],
        "can_edit": editable,
        "own": access.is_own_record(user, veteran),
        "can_manage_consents": user.has_perm("people.manage_consents")
        or access.is_own_record(user, veteran),
        "can_assign": user.has_perm("people.assign_coordinator"),
        "can_see_orientation": user.has_perm("orientation.view_orientationrun")
        or access.is_own_record(user, veteran),
        "can_confirm_skills": staff_editor,
        "can_code": staff_editor and editable,
        "can_edit_limitations": sees_limitations
        and (
            user.has_perm("people.change_work_limitations") or access.is_own_record(user, veteran)
        ),
    }
    if tab == "service":
        context["service_records"] = veteran.service_records.select_related(*CODED)
    elif tab == "experience":
        context["education"] = veteran.education.all()
        context["jobs"] = veteran.civilian_jobs.select_related(*CODED)
    elif tab == "skills":
        context["skills"] = veteran.skills.select_related("confirmed_by")
        context["languages"] = veteran.languages.all()
    elif tab == "limitations":
        context["limitation"] = WorkLimitation.objects.filter(veteran=veteran).first()
    elif tab == "preferences":
        context["preferences"] = getattr(veteran, "preferences", None)
    elif tab == "consents":
        context["consents"] = veteran.consents.select_related("recorded_by", "withdrawn_by")
        context["consent_form"] = forms.ConsentForm()
        context["active_purposes"] = set(selectors.active_consents(veteran))
    elif tab == "duplicates":
        found = list(
            selectors.find_duplicates(
                last_name=veteran.last_name,
                first_name=veteran.first_name,
                birth_date=veteran.birth_date,
                phone=veteran.phone,
                exclude_pk=veteran.pk,
            )[:10]
        )
        visible = set(
            veterans_visible_to(request.user)
            .filter(pk__in=[match.pk for match in found])
            .values_list("pk", flat=True)
        )
        context["visible_duplicates"] = [match for match in found if match.pk in visible]
        context["hidden_duplicates"] = len(found) - len(visible)
    template = f"people/tabs/{tab}.html"
    if request.htmx:
        return render(request, template, context)
    context["tab_template"] = template
    return render(request, "people/veteran_detail.html", context)


def _editable(request: HttpRequest, pk: int) -> Veteran:
    veteran = selectors.veteran_for(request.user, pk, audit=False)
    if not access.may_edit(request.user, veteran):
        raise Http404("no such veteran")
    return veteran


def _back(veteran: Veteran, tab: str) -> str:
    return reverse("people:veteran_detail", args=[veteran.pk]) + f"?tab={tab}"


@signed_in
def veteran_edit(request: HttpRequest, pk: int) -> HttpResponse:
    veteran = _editable(request, pk)
    fields = (
        services.STAFF_FIELDS
        if request.user.has_perm("people.change_veteran")
        else services.SELF_FIELDS
    )
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
            return redirect(_back(veteran, "profile"))
    return render(
        request,
        "people/edit.html",
        {
            "veteran": veteran,
            "form": form,
            "title": _("Edit profile"),
            "back": _back(veteran, "profile"),
        },
    )


CODED = ("occupation", "suggested_occupation", "occupation_set_by")
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
            return redirect(_back(veteran, PART_TABS[kind]))
    title = (_("Add %(what)s") if part_pk is None else _("Edit %(what)s")) % {
        "what": PART_TITLES[kind]
    }
    return render(
        request,
        "people/edit.html",
        {"veteran": veteran, "form": form, "title": title, "back": _back(veteran, PART_TABS[kind])},
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
        return redirect(_back(veteran, PART_TABS[kind]))
    return render(
        request,
        "people/confirm_delete.html",
        {
            "veteran": veteran,
            "part": part,
            "what": PART_TITLES[kind],
            "back": _back(veteran, PART_TABS[kind]),
        },
    )


@requires("people.change_veteran")
@require_POST
def skill_confirm(request: HttpRequest, pk: int, part_pk: int) -> HttpResponse:
    veteran = _editable(request, pk)
    services.confirm_skill(actor=request.user, veteran=veteran, pk=part_pk)
    messages.success(request, _("Skill confirmed."))
    return redirect(_back(veteran, "skills"))


@signed_in
def limitation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    veteran = selectors.veteran_for(request.user, pk, audit=False)
    if not access.may_see_limitations(request.user, veteran):
        raise Http404("no such veteran")
    if not (
        request.user.has_perm("people.change_work_limitations")
        or access.is_own_record(request.user, veteran)
    ):
        raise PermissionDenied("people.change_work_limitations")
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
            return redirect(_back(veteran, "limitations"))
    return render(
        request,
        "people/edit.html",
        {
            "veteran": veteran,
            "form": form,
            "title": _("Work limitations"),
            "back": _back(veteran, "limitations"),
            "consents_url": _back(veteran, "consents"),
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
            return redirect(_back(veteran, "preferences"))
    return render(
        request,
        "people/edit.html",
        {
            "veteran": veteran,
            "form": form,
            "title": _("Preferences"),
            "back": _back(veteran, "preferences"),
        },
    )


@signed_in
@require_POST
def consent_give(request: HttpRequest, pk: int) -> HttpResponse:
    veteran = selectors.veteran_for(request.user, pk, audit=False)
    form = forms.ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a purpose and how the consent was given."))
        return redirect(_back(veteran, "consents"))
    channel = form.cleaned_data["channel"]
    if access.is_own_record(request.user, veteran):
        channel = Consent.Channel.SELF_SERVICE
    try:
        services.give_consent(
            actor=request.user,
            veteran=veteran,
            purpose=form.cleaned_data["purpose"],
            channel=channel,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Consent recorded."))
    return redirect(_back(veteran, "consents"))


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
    return redirect(_back(veteran, "consents"))


def _possible_coordinators(user) -> list[User]:
    in_scope = (
        User.objects.filter(is_active=True)
        .exclude(organisation=None)
        .filter(
            Q(
                groups__permissions__codename="change_veteran",
                groups__permissions__content_type__app_label="people",
            )
            | Q(is_superuser=True)
        )
        .distinct()
        .select_related("organisation")
    )
    scope = user.effective_scope
    if scope == User.Scope.REGION and user.organisation_id:
        in_scope = in_scope.filter(organisation__region_id=user.organisation.region_id)
    elif scope in (User.Scope.ORGANISATION, User.Scope.CASELOAD):
        in_scope = in_scope.filter(organisation_id=user.organisation_id)
    return list(in_scope.order_by("last_name", "first_name"))


@requires("people.assign_coordinator")
def assign_coordinator(request: HttpRequest, pk: int) -> HttpResponse:
    veteran = selectors.veteran_for(request.user, pk, audit=False)
    candidates = _possible_coordinators(request.user)
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
                return redirect(_back(veteran, "profile"))
    return render(
        request,
        "people/assign_coordinator.html",
        {"veteran": veteran, "candidates": candidates, "back": _back(veteran, "profile")},
    )


@public
def self_register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    form = forms.SelfRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            veteran = services.self_register(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                registration=forms.registration_from(form, form.consents_given()),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            login(request, veteran.account)
            messages.success(request, _("Welcome. A coordinator will contact you soon."))
            return redirect("people:veteran_detail", veteran.pk)
    return render(
        request,
        "people/self_register.html",
        {
            "form": form,
            "consent_text": consents.TEXTS[Consent.Purpose.PERSONAL_DATA],
            "health_consent_text": consents.TEXTS[Consent.Purpose.HEALTH_DATA],
            "contact_consent_text": consents.TEXTS[Consent.Purpose.CONTACT],
        },
    )


@requires("people.change_veteran")
def part_occupation(request: HttpRequest, pk: int, kind: str, part_pk: int) -> HttpResponse:
    """Show which occupation a specialty or job was coded as, and let staff set it."""
    veteran = _editable(request, pk)
    if kind not in coding.CODED_KINDS:
        raise Http404("this section has no occupation")
    part = coding.CODED_KINDS[kind].objects.filter(veteran=veteran, pk=part_pk).first()
    if part is None:
        raise Http404("no such entry")
    back = _back(veteran, PART_TABS[kind])
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
