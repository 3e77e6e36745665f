"""Appeal pages: the hotline page, the queue, one appeal, the reports, the routing rules and
the caller's own status check (public)."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waypoint.accounts.access import public, requires, signed_in
from waypoint.accounts.services import client_address
from waypoint.appeals import access, selectors, services
from waypoint.appeals.forms import AnswerForm, AppealForm, PeriodForm, RuleForm, StatusForm
from waypoint.appeals.models import CLOSE, LOG, REPORTS, ROUTING, WORK, Appeal, RoutingRule, Topic
from waypoint.kit.forms import apply_errors, flash_errors
from waypoint.kit.numbers import whole_number
from waypoint.people.access import veterans_visible_to


@requires(LOG)
def log(request: HttpRequest) -> HttpResponse:
    """One page for one call: the caller, the veteran (searched as one types), the topic and
    the words, how to answer; the reference to read out comes back on the same page."""
    user = request.user
    form = AppealForm(request.POST or None)
    picked = whole_number(request.POST.get("veteran", ""))
    chosen = (
        veterans_visible_to(user).select_related("region").filter(pk=picked).first()
        if picked is not None
        else None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["veteran"] and chosen is None:
            form.add_error("veteran", _("no veteran with this number in your scope"))
        else:
            try:
                appeal = services.log_appeal(
                    actor=user,
                    veteran=chosen,
                    **{name: data[name] for name in data if name != "veteran"},
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Appeal %(reference)s is registered.") % {"reference": appeal.reference},
                )
                return redirect(f"{reverse('appeals:log')}?logged={appeal.reference}")
    logged = None
    if request.GET.get("logged"):
        logged = selectors.just_logged(user, request.GET["logged"])
    return render(
        request,
        "appeals/log.html",
        {
            "form": form,
            "chosen": chosen,
            "logged": logged,
            "recent": [
                item
                | {
                    "topic_label": Topic(item["topic"]).label,
                    "urgency_label": Appeal.Urgency(item["urgency"]).label,
                }
                for item in selectors.logged_by(user)
            ],
        },
    )


@requires(LOG)
def veteran_search(request: HttpRequest) -> HttpResponse:
    """The hotline page's search results (an htmx partial): veterans to pick with the keys."""
    q, picked = request.GET.get("q", ""), whole_number(request.GET.get("veteran", ""))
    chosen = (
        veterans_visible_to(request.user).filter(pk=picked).first() if picked is not None else None
    )
    return render(
        request,
        "appeals/_veteran_choices.html",
        {
            "veterans": selectors.find_veterans(request.user, q),
            "searched": bool(q.strip()),
            "chosen": chosen,
        },
    )


@signed_in
def appeal_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.may_list(user):
        raise PermissionDenied(f"{WORK} or appeals.view_appeal")
    default = "queue" if access.works_a_queue(user) else "all"
    shown = request.GET.get("shown", default)
    if shown not in selectors.LISTS:
        shown = default
    status = request.GET.get("status", "")
    status = status if status in Appeal.Status.values else ""
    topic = request.GET.get("topic", "")
    topic = topic if topic in Topic.values else ""
    appeals = selectors.appeals_shown(user, shown=shown, status=status, topic=topic, limit=200)
    return render(
        request,
        "appeals/list.html",
        {
            "appeals": appeals,
            "shown": shown,
            "status": status,
            "topic": topic,
            "statuses": Appeal.Status.choices,
            "topics": Topic.choices,
            "works": access.works_a_queue(user),
        },
    )


def _detail(request: HttpRequest, appeal: Appeal, answer_form: AnswerForm | None = None):
    user = request.user
    return render(
        request,
        "appeals/detail.html",
        {
            "appeal": appeal,
            "works": appeal.is_open and access.may_work_on(user, appeal),
            "closes": appeal.status == Appeal.Status.ANSWERED and access.may_close(user, appeal),
            "answer_form": answer_form or AnswerForm(),
        },
    )


@signed_in
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.appeal_for(request.user, pk))


@requires(WORK)
@require_POST
def take(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_for(request.user, pk, audit=False)
    try:
        services.take(actor=request.user, appeal=appeal)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The appeal is yours to answer."))
    return redirect(reverse("appeals:detail", args=[pk]))


@requires(WORK)
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_for(request.user, pk, audit=False)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer(actor=request.user, appeal=appeal, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Answer recorded."))
            return redirect(reverse("appeals:detail", args=[pk]))
    return _detail(request, appeal, form)


@requires(CLOSE)
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_for(request.user, pk, audit=False)
    try:
        services.close(actor=request.user, appeal=appeal)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Appeal closed."))
    return redirect(reverse("appeals:detail", args=[pk]))


def _period(request: HttpRequest) -> tuple[PeriodForm, dict]:
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, {"since": period.get("since"), "until": period.get("until")}


@requires(REPORTS)
def reports(request: HttpRequest) -> HttpResponse:
    form, period = _period(request)
    figures = selectors.report(request.user, **period)
    return render(
        request,
        "appeals/reports.html",
        {
            "form": form,
            "report": figures,
            "tables": [
                (_("By topic"), figures["by_topic"]),
                (_("By region"), figures["by_region"]),
                (_("By outcome"), figures["by_outcome"]),
            ],
            "query": request.GET.urlencode(),
        },
    )


REPORT_COLUMNS = ["table", "key", "label", "total", "open", "overdue", "answered", "in_time"]


@requires(REPORTS)
def report_csv(request: HttpRequest) -> HttpResponse:
    """The reports' tables as one CSV: figures only, never an appeal's words."""
    _form, period = _period(request)
    figures = selectors.report_export(request.user, **period)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="appeals.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([*REPORT_COLUMNS, "in_time_percent"])
    for table in ("by_topic", "by_region", "by_outcome"):
        for row in figures[table]:
            writer.writerow(
                [table.removeprefix("by_")]
                + [row[name] for name in REPORT_COLUMNS[1:]]
                + ["" if row["in_time_percent"] is None else row["in_time_percent"]]
            )
    totals = figures["totals"]
    writer.writerow(
        ["total", "", ""]
        + [totals[name] for name in REPORT_COLUMNS[3:]]
        + ["" if totals["in_time_percent"] is None else totals["in_time_percent"]]
    )
    return response


@requires(ROUTING)
def routing(request: HttpRequest) -> HttpResponse:
    """The routing rules, and a form that adds one or changes the one for the same topic
    and region."""
    editing = RoutingRule.objects.filter(pk=whole_number(request.GET.get("rule", ""))).first()
    initial = (
        {
            "topic": editing.topic,
            "region": editing.region_id,
            "organisation": editing.organisation_id,
        }
        if editing
        else None
    )
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_rule(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Routing rule saved."))
            return redirect(reverse("appeals:routing"))
    rules = RoutingRule.objects.select_related("region", "organisation__region")
    return render(
        request, "appeals/routing.html", {"form": form, "rules": rules, "editing": editing}
    )


@requires("appeals.delete_routingrule")
@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.delete_rule(actor=request.user, rule=get_object_or_404(RoutingRule, pk=pk))
    messages.success(request, _("Routing rule removed."))
    return redirect(reverse("appeals:routing"))


@public
def status(request: HttpRequest) -> HttpResponse:
    """The caller's check, signed in or not: the reference and the phone give the status and
    the date due, nothing more; the answer looks the same for a wrong reference or phone."""
    data = request.POST if request.method == "POST" else request.GET
    form = StatusForm(data if ("reference" in data or "phone" in data) else None)
    answer_, throttled = None, False
    if form.is_bound and form.is_valid():
        try:
            answer_ = services.check_status(
                **form.cleaned_data, client_address=client_address(request)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except services.TooManyChecks:
            throttled = True
    return render(
        request,
        "appeals/status.html",
        {
            "form": form,
            "answer": answer_,
            "status_label": dict(Appeal.Status.choices).get(answer_.status) if answer_ else None,
            "throttled": throttled,
        },
        status=429 if throttled else 200,
    )
