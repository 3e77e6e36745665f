"""The administrator's routine work in Waypoint's own pages: accounts, roles, organisations
(and, in the appeals app, the routing rules). Every write goes through accounts.services,
which authorises it and records it in the audit log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from waypoint.accounts import access, selectors, services
from waypoint.accounts.access import requires
from waypoint.accounts.forms import AccountForm, NewUserForm, OrganisationForm, RolesForm
from waypoint.accounts.models import Organisation, User
from waypoint.accounts.roles import ROLES, abilities, active_members, role_label
from waypoint.kit.forms import apply_errors, flash_errors
from waypoint.regions.models import Region

# What happened to an account, as its page lists it (the audit log keeps the codes).
ACCOUNT_EVENTS = {
    "accounts.user.create": gettext_lazy("account created"),
    "accounts.user.update": gettext_lazy("details changed"),
    "accounts.user.roles": gettext_lazy("roles changed"),
    "accounts.user.deactivate": gettext_lazy("account deactivated"),
    "accounts.user.reactivate": gettext_lazy("account reactivated"),
    "accounts.user.reset_2fa": gettext_lazy("second factor reset"),
    "accounts.user.enable_2fa": gettext_lazy("second factor enrolled"),
    "accounts.user.admin_add": gettext_lazy("created in the service section"),
    "accounts.user.admin_change": gettext_lazy("changed in the service section"),
    "accounts.user.admin_set_password": gettext_lazy("password set in the service section"),
}
VIEW_USERS = "accounts.view_user"
CHANGE_USERS = "accounts.change_user"


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@requires(VIEW_USERS)
def manage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/manage.html",
        {
            "users_active": User.objects.filter(is_active=True).count(),
            "users_inactive": User.objects.filter(is_active=False).count(),
            "organisations": Organisation.objects.filter(is_active=True).count(),
            "roles": len(ROLES),
        },
    )


@requires(VIEW_USERS)
def user_list(request: HttpRequest) -> HttpResponse:
    filters = {name: request.GET.get(name, "") for name in ("q", "role", "organisation", "active")}
    found = selectors.users_for(request.user, **filters)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    for person in page:
        person.role_labels = [role_label(group.name) for group in person.groups.all()]
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "filters": filters,
            "query": _query(request),
            "roles": ROLES,
            "organisations": Organisation.objects.all(),
        },
    )


@requires("accounts.add_user")
def user_new(request: HttpRequest) -> HttpResponse:
    form = NewUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                role_codes=data["roles"],
                organisation=data["organisation"],
                scope=data["scope"] or None,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": user.username})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_new.html", {"form": form})


def _user_page(request, user: User, *, account=None, roles=None) -> HttpResponse:
    account = account or AccountForm(
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "organisation": user.organisation_id,
            "scope": user.scope,
        },
        current_organisation=user.organisation,
    )
    roles = roles or RolesForm(
        initial={"roles": list(user.groups.values_list("name", flat=True))},
        prefix="r",
    )
    history = [
        (event, ACCOUNT_EVENTS.get(event.action, event.action))
        for event in selectors.account_history(request.user, user)
    ]
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": user,
            "form": account,
            "roles_form": roles,
            "is_self": not access.may_change_access_of(request.user, user),
            "history": history,
        },
    )


@requires(CHANGE_USERS)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The account, its details form (POST here saves them) and its other actions."""
    user = get_object_or_404(selectors.users_for(request.user), pk=pk)
    if request.method != "POST":
        return _user_page(request, user)
    form = AccountForm(request.POST, current_organisation=user.organisation)
    if form.is_valid():
        try:
            services.update_user(actor=request.user, user=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Account saved."))
            return redirect("accounts:user_detail", pk=user.pk)
    user.refresh_from_db()
    return _user_page(request, user, account=form)


@requires(CHANGE_USERS)
@require_POST
def user_roles(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(selectors.users_for(request.user), pk=pk)
    form = RolesForm(request.POST, prefix="r")
    if form.is_valid():
        try:
            services.set_roles(actor=request.user, user=user, role_codes=form.cleaned_data["roles"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Roles saved."))
            return redirect("accounts:user_detail", pk=user.pk)
    return _user_page(request, user, roles=form)


@requires(CHANGE_USERS)
@require_POST
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(selectors.users_for(request.user), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_active(actor=request.user, user=user, active=active)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request,
            _("Account reactivated: the person can sign in again.")
            if active
            else _("Account deactivated: the person can no longer sign in."),
        )
    return redirect("accounts:user_detail", pk=user.pk)


@requires(CHANGE_USERS)
@require_POST
def user_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(selectors.users_for(request.user), pk=pk)
    try:
        services.reset_second_factor(actor=request.user, user=user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request, _("Second factor reset: the person enrols a new one at next sign-in.")
        )
    return redirect("accounts:user_detail", pk=user.pk)


@requires(VIEW_USERS)
def role_list(request: HttpRequest) -> HttpResponse:
    counts = active_members()
    rows = [
        {
            "role": role,
            "abilities": abilities(role),
            "members": counts.get(role.code, 0),
            "scope": User.Scope(role.default_scope).label,
        }
        for role in ROLES
    ]
    return render(request, "accounts/role_list.html", {"rows": rows})


@requires("accounts.change_organisation")
def organisation_list(request: HttpRequest) -> HttpResponse:
    filters = {name: request.GET.get(name, "") for name in ("q", "kind", "region")}
    found = selectors.organisations_for(request.user, **filters)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "page": page,
            "filters": filters,
            "query": _query(request),
            "kinds": Organisation.Kind.choices,
            "regions": Region.objects.all(),
        },
    )


def _organisation_form(request, organisation: Organisation | None) -> HttpResponse:
    initial = (
        {
            "name": organisation.name,
            "kind": organisation.kind,
            "region": organisation.region_id,
            "is_active": organisation.is_active,
        }
        if organisation
        else None
    )
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_organisation(
                actor=request.user, organisation=organisation, values=form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Organisation %(name)s saved.") % {"name": saved})
            return redirect("accounts:organisation_list")
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "organisation": organisation},
    )


@requires("accounts.add_organisation")
def organisation_new(request: HttpRequest) -> HttpResponse:
    return _organisation_form(request, None)


@requires("accounts.change_organisation")
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(access.organisations_visible_to(request.user), pk=pk)
    return _organisation_form(request, organisation)
