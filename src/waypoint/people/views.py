"""Registry pages: the list and its export, intake, self-registration, one veteran's record
and their coordinator (the pages that change a record are edit_views). Views translate HTTP
to selectors and services; the rules live in waypoint.people.access and the services."""

import csv

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from waypoint.accounts.access import public, requires, signed_in
from waypoint.kit.forms import apply_errors
from waypoint.kit.numbers import whole_number
from waypoint.orientation.access import may_see_orientation
from waypoint.people import access, consents, forms, registration, selectors
from waypoint.people.models import Consent, Veteran
from waypoint.regions.models import Region

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
# The occupations a coded service record or job is shown with.
CODED = ("occupation", "suggested_occupation", "occupation_set_by")


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
        "coordinators": list(selectors.coordinators_in_scope(request.user)),
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


@requires("people.export_veterans")
def veteran_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV: identity and contacts only, never health data."""
    rows = selectors.veterans_export(request.user, **_filters(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="veterans.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(selectors.EXPORT_COLUMNS)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return response


def _duplicate_panel(check: registration.DuplicateCheck) -> dict:
    return {"visible_duplicates": check.visible, "hidden_duplicates": check.hidden}


@requires("people.add_veteran")
def intake(request: HttpRequest) -> HttpResponse:
    is_call_centre = registration.by_phone(request.user)
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
            try:
                veteran = registration.intake(
                    actor=request.user,
                    registration=forms.registration_from(form, form.consents_given()),
                    confirm_not_duplicate=form.cleaned_data["confirm_not_duplicate"],
                    first_service=service_form.cleaned_data if wants_service else None,
                )
            except registration.DuplicateSuspected as exc:
                context.update(_duplicate_panel(exc.check))
                context["duplicate_suspected"] = True
            except registration.FirstServiceInvalid as exc:
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
        check = registration.check_duplicates(
            actor=request.user,
            last_name=request.GET.get("last_name", ""),
            first_name=request.GET.get("first_name", ""),
            birth_date=born,
            phone=request.GET.get("phone", ""),
        )
    except registration.TooManyDuplicateChecks as exc:
        return render(request, "people/_duplicates.html", {"refused": exc.messages[0]})
    return render(request, "people/_duplicates.html", _duplicate_panel(check))


def _tab(request: HttpRequest, allowed: list[str]) -> str:
    tab = request.GET.get("tab", "profile")
    return tab if tab in allowed else "profile"


@signed_in
def veteran_detail(request: HttpRequest, pk: int) -> HttpResponse:
    veteran = selectors.veteran_for(request.user, pk)
    user = request.user
    actions = access.record_actions_for(user, veteran)
    tabs = [
        t
        for t in TABS
        if (t != "limitations" or actions["can_see_limitations"])
        and (t != "duplicates" or actions["can_see_duplicates"])
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
    context = {
        "veteran": veteran,
        "tab": tab,
        "tabs": [(t, labels[t]) for t in tabs],
        **actions,
        "can_see_orientation": may_see_orientation(user, veteran),
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
        context["limitation"] = access.work_limitation_for(user, veteran)
    elif tab == "preferences":
        context["preferences"] = getattr(veteran, "preferences", None)
    elif tab == "consents":
        context["consents"] = veteran.consents.select_related("recorded_by", "withdrawn_by")
        context["consent_form"] = forms.ConsentForm()
        context["active_purposes"] = set(selectors.active_consents(veteran))
    elif tab == "duplicates":
        visible, hidden = selectors.duplicates_of(user, veteran)
        context["visible_duplicates"], context["hidden_duplicates"] = visible, hidden
    template = f"people/tabs/{tab}.html"
    if request.htmx:
        return render(request, template, context)
    context["tab_template"] = template
    return render(request, "people/veteran_detail.html", context)


@public
def self_register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    form = forms.SelfRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            veteran = registration.self_register(
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
