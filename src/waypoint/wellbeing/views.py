"""Well-being pages: the clinician's queue and a person's record, the person's own page and
answer form, the commander's notices. Every read goes through selectors (gated, audited)."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waypoint.accounts.access import requires, signed_in
from waypoint.kit.forms import apply_errors, flash_errors
from waypoint.kit.numbers import whole_number
from waypoint.people import consents
from waypoint.people import services as people_services
from waypoint.people.access import is_own_record, veterans_visible_to
from waypoint.people.models import Consent, Veteran
from waypoint.wellbeing import (
    access,
    charts,
    exchange,
    fhir,
    instruments,
    labels,
    selectors,
    services,
)
from waypoint.wellbeing.access import KEEP_RECORDS, PROVIDE_CARE, RECEIVE_NOTICES
from waypoint.wellbeing.forms import (
    AnswersForm,
    CorrectionForm,
    EnrolForm,
    NoticeForm,
    ReturnForm,
    ReviewForm,
    ScheduleForm,
)
from waypoint.wellbeing.models import CareTeam, Record, Screening, consented
from waypoint.wellbeing.scoring import score


def _language() -> str:
    return (get_language() or "en")[:2]


def _answers(instrument: instruments.Instrument, answers: list, language: str, *, values: bool):
    """Each item's text and the answer chosen, in words (with its value for clinicians)."""
    shown = []
    for item, value in zip(instrument.items, answers, strict=True):
        question = instrument.text(item.text, language)
        if value is None:
            shown.append((question, _("no answer")))
            continue
        label = next(instrument.text(o.label, language) for o in item.options if o.value == value)
        shown.append((question, f"{value} · {label}" if values else label))
    return shown


def _responses(screening: Screening) -> list[dict]:
    """Each current response with its answers in words and the reasons its rules give."""
    language = _language()
    shown = []
    for response in services.current_responses(screening):
        instrument = instruments.get(response.instrument)
        answers = response.answers
        shown.append(
            {
                "response": response,
                "instrument": instrument,
                "band": instrument.band_label(response.band, language),
                "answers": _answers(instrument, answers, language, values=True),
                "reasons": [
                    labels.reason(reason)
                    for reason in score(instrument, answers, response.sex or None).reasons
                ],
                "versions": screening.responses.filter(instrument=response.instrument).count(),
            }
        )
    return shown


def _history(record: Record) -> list[dict]:
    """The person's own screenings: when, what, the result in words, and their answers as
    question and answer texts (the person reads their own answers, as the API gives them)."""
    language = _language()
    shown = []
    for screening in selectors.history(record):
        responses = []
        for response in screening.current:
            instrument = instruments.get(response.instrument)
            responses.append(
                {
                    "response": response,
                    "title": instrument.text(instrument.title, language),
                    "preamble": instrument.text(instrument.preamble, language),
                    "result": charts.score_text(instrument, response, language),
                    "answers": _answers(instrument, response.answers, language, values=False),
                }
            )
        shown.append({"screening": screening, "responses": responses})
    return shown


# The clinician --------------------------------------------------------------------------


@requires(PROVIDE_CARE)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    team = CareTeam.objects.filter(organisation_id=user.organisation_id).first()
    return render(
        request,
        "wellbeing/home.html",
        {
            "team": team,
            "alerts": selectors.open_alerts(user),
            "queue": selectors.queue(user),
            "due": selectors.due_screenings(user),
            "records": access.records_visible_to(user)
            .select_related("veteran")
            .order_by("veteran__last_name")[:200],
        },
    )


@require_POST
@requires(PROVIDE_CARE)
def on_duty(request: HttpRequest) -> HttpResponse:
    team = get_object_or_404(CareTeam, organisation_id=request.user.organisation_id)
    services.configure_team(actor=request.user, team=team, on_duty=request.user)
    messages.success(request, _("You are on duty for urgent alerts."))
    return redirect("wellbeing:home")


@require_POST
@requires(PROVIDE_CARE)
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_for(request.user, pk)
    services.acknowledge_alert(actor=request.user, alert=alert)
    messages.success(request, _("Alert acknowledged."))
    return redirect(reverse("wellbeing:person", args=[alert.screening.record.veteran_id]))


@requires(PROVIDE_CARE)
def person(request: HttpRequest, veteran_id: int) -> HttpResponse:
    try:
        record = selectors.record_for(request.user, veteran_id)
    except Http404:
        veteran = get_object_or_404(veterans_visible_to(request.user), pk=veteran_id)
        return render(
            request,
            "wellbeing/start.html",
            {
                "veteran": veteran,
                "consented": services.has_consent(veteran),
                "form": ReturnForm(),
                "taken": Record.objects.filter(veteran=veteran).exists(),
            },
        )
    screenings = list(record.screenings.select_related("review").order_by("-due_on", "-pk"))
    return render(
        request,
        "wellbeing/person.html",
        {
            "record": record,
            "veteran": record.veteran,
            "screenings": screenings,
            "charts": charts.for_responses(selectors.trend(record), _language()),
            "enrolments": record.enrolments.all(),
            "notices": record.command_notices.select_related("command", "issued_by"),
            "alerts": selectors.open_alerts(request.user, record=record),
            "enrol_form": EnrolForm(initial={"starts_on": timezone.localdate()}),
            "schedule_form": ScheduleForm(initial={"due_on": timezone.localdate()}),
            "notice_form": NoticeForm(),
        },
    )


@require_POST
@requires(PROVIDE_CARE)
def start(request: HttpRequest, veteran_id: int) -> HttpResponse:
    veteran = get_object_or_404(veterans_visible_to(request.user), pk=veteran_id)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.open_record(
                actor=request.user, veteran=veteran, returned_on=form.cleaned_data["returned_on"]
            )
        except ValidationError as exc:
            flash_errors(request, exc)
    return redirect("wellbeing:person", veteran_id)


@requires(PROVIDE_CARE)
def screening_detail(request: HttpRequest, pk: int) -> HttpResponse:
    screening = selectors.screening_for(request.user, pk)
    if not access.may_treat(request.user, screening.record):
        raise Http404
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review(actor=request.user, screening=screening, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Review recorded."))
            return redirect("wellbeing:screening", pk)
    return render(
        request,
        "wellbeing/screening.html",
        {
            "screening": screening,
            "veteran": screening.record.veteran,
            "responses": _responses(screening),
            "review": getattr(screening, "review", None),
            "form": form,
            "enrol_form": EnrolForm(initial={"starts_on": timezone.localdate()}),
        },
    )


@requires(PROVIDE_CARE)
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    response = selectors.response_for(request.user, pk)
    if not access.may_treat(request.user, response.screening.record):
        raise Http404
    instrument = instruments.get(response.instrument)
    initial = {
        f"item_{item.id}": value
        for item, value in zip(instrument.items, response.answers, strict=True)
    }
    form = AnswersForm(instrument, _language(), request.POST or None, initial=initial)
    reason = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and reason.is_valid():
        try:
            services.correct_response(
                actor=request.user,
                response=response,
                answers=form.answers(),
                reason=reason.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(reason, exc)
        else:
            messages.success(request, _("Correction saved as a new version."))
            return redirect("wellbeing:screening", response.screening_id)
    return render(
        request,
        "wellbeing/correct.html",
        {"response": response, "instrument": instrument, "form": form, "reason": reason},
    )


def _record_action(request: HttpRequest, veteran_id: int) -> Record:
    record = selectors.record_for(request.user, veteran_id)
    if not access.may_treat(request.user, record):
        raise Http404
    return record


def _submit(request: HttpRequest, form, act, done: str) -> None:
    """Run a service with a posted form's data; say on the next page how it went."""
    if not form.is_valid():
        flash_errors(request, ValidationError(form.errors))
        return
    try:
        act(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, done)


@require_POST
@requires(PROVIDE_CARE)
def enrol(request: HttpRequest, veteran_id: int) -> HttpResponse:
    record = _record_action(request, veteran_id)
    screening = None
    if (screening_id := whole_number(request.POST.get("screening", ""))) is not None:
        screening = record.screenings.filter(pk=screening_id).first()
    _submit(
        request,
        EnrolForm(request.POST),
        partial(services.enrol, record=record, screening=screening),
        _("Enrolled; follow-up screenings are scheduled."),
    )
    return redirect("wellbeing:person", veteran_id)


@require_POST
@requires(PROVIDE_CARE)
def end_enrolment(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(access.enrolments_visible_to(request.user), pk=pk)
    services.end_enrolment(actor=request.user, enrolment=enrolment)
    return redirect("wellbeing:person", enrolment.record.veteran_id)


@require_POST
@requires(PROVIDE_CARE)
def schedule(request: HttpRequest, veteran_id: int) -> HttpResponse:
    record = _record_action(request, veteran_id)
    _submit(
        request,
        ScheduleForm(request.POST),
        partial(services.schedule_screening, record=record),
        _("Screening scheduled."),
    )
    return redirect("wellbeing:person", veteran_id)


@require_POST
@requires(PROVIDE_CARE)
def notify(request: HttpRequest, veteran_id: int) -> HttpResponse:
    record = _record_action(request, veteran_id)
    _submit(
        request,
        NoticeForm(request.POST),
        partial(services.notify_command, record=record),
        _("The command is notified; the person sees the notice."),
    )
    return redirect("wellbeing:person", veteran_id)


@requires(PROVIDE_CARE)
def response_fhir(request: HttpRequest, pk: int) -> JsonResponse:
    response = selectors.response_for(request.user, pk)
    return JsonResponse(
        exchange.response_resource(response), json_dumps_params={"ensure_ascii": False}
    )


# Everyone signed in: instruments as FHIR Questionnaires (reference data, no person in them)


@signed_in
def questionnaire(request: HttpRequest, instrument_id: str) -> JsonResponse:
    try:
        instrument = instruments.get(instrument_id)
    except instruments.InstrumentError as exc:
        raise Http404 from exc
    return JsonResponse(fhir.questionnaire(instrument), json_dumps_params={"ensure_ascii": False})


# The person ------------------------------------------------------------------------------


def _own_veteran(request: HttpRequest) -> Veteran:
    veteran = getattr(request.user, "veteran_record", None)
    if veteran is None or not access.may_consent(request.user, veteran):
        raise PermissionDenied
    return veteran


@signed_in
def mine(request: HttpRequest) -> HttpResponse:
    veteran = _own_veteran(request)
    record = selectors.own_record(request.user)
    context = {
        "veteran": veteran,
        "record": record,
        "consented": services.has_consent(veteran),
        "consent_text": consents.TEXTS[Consent.Purpose.WELLBEING],
        "form": ReturnForm(),
    }
    if record is not None:
        context |= {
            "due": selectors.due_screenings(request.user, record=record),
            "history": _history(record),
            "enrolments": record.enrolments.all(),
            "notices": record.command_notices.select_related("command"),
            "charts": charts.for_responses(selectors.trend(record), _language()),
        }
    return render(request, "wellbeing/mine.html", context)


@require_POST
@signed_in
def consent(request: HttpRequest) -> HttpResponse:
    veteran = _own_veteran(request)
    try:
        if request.POST.get("action") == "withdraw":
            people_services.withdraw_consent(
                actor=request.user, veteran=veteran, purpose=Consent.Purpose.WELLBEING
            )
            messages.success(request, _("Consent withdrawn: screening has stopped."))
        else:
            form = ReturnForm(request.POST)
            form.is_valid()
            if not services.has_consent(veteran):
                people_services.give_consent(
                    actor=request.user,
                    veteran=veteran,
                    purpose=Consent.Purpose.WELLBEING,
                    channel=Consent.Channel.SELF_SERVICE,
                )
            services.open_record(
                actor=request.user,
                veteran=veteran,
                returned_on=form.cleaned_data.get("returned_on"),
            )
            messages.success(request, _("Thank you: your screenings are scheduled."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("wellbeing:mine")


@signed_in
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The next instrument of an open screening, for the person (or a clinician entering a
    paper form). After a positive screener the full instrument is offered at once."""
    screening = selectors.screening_for(request.user, pk)
    record = screening.record
    if not access.may_answer(request.user, record):
        raise Http404
    if not screening.is_open or not screening.pending:
        messages.info(request, _("This screening is complete. Thank you."))
        return redirect(_back(request, record))
    instrument = instruments.get(screening.pending[0])
    form = AnswersForm(instrument, _language(), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.submit_response(
                actor=request.user,
                screening=screening,
                instrument_id=instrument.id,
                answers=form.answers(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            screening.refresh_from_db()
            if (
                screening.pending
                and response.positive
                and screening.pending[0] == instrument.full_instrument
            ):
                messages.info(
                    request,
                    _("Thank you. A few more questions will help your care team understand."),
                )
            return (
                redirect("wellbeing:answer", pk)
                if screening.pending
                else redirect(_back(request, record))
            )
    return render(
        request,
        "wellbeing/answer.html",
        {
            "screening": screening,
            "instrument": instrument,
            "preamble": instrument.text(instrument.preamble, _language()),
            "title": instrument.text(instrument.title, _language()),
            "form": form,
            "step": len(screening.responses.all()) + 1,
        },
    )


def _back(request: HttpRequest, record: Record) -> str:
    if is_own_record(request.user, record.veteran):
        return reverse("wellbeing:mine")
    return reverse("wellbeing:person", args=[record.veteran_id])


# The clinical record keeper: every record, read-only, withdrawn consent included -------


@requires(KEEP_RECORDS)
def records(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    found = access.records_visible_to(request.user).select_related("veteran", "care_team")
    if (veteran_id := whole_number(query)) is not None:
        found = found.filter(veteran_id=veteran_id)
    elif query:
        found = found.filter(veteran__last_name__istartswith=query)
    found = found.annotate(consent_stands=consented()).order_by("veteran__last_name", "pk")
    return render(request, "wellbeing/records.html", {"records": found[:100], "q": query})


@requires(KEEP_RECORDS)
def kept_record(request: HttpRequest, veteran_id: int) -> HttpResponse:
    record = selectors.record_for(request.user, veteran_id)
    screenings = list(record.screenings.order_by("-due_on", "-pk"))
    return render(
        request,
        "wellbeing/kept_record.html",
        {
            "record": record,
            "veteran": record.veteran,
            "consented": services.has_consent(record.veteran),
            "screenings": [(s, _responses(s)) for s in screenings],
            "charts": charts.for_responses(selectors.trend(record), _language()),
            "enrolments": record.enrolments.all(),
            "notices": record.command_notices.select_related("command", "issued_by"),
        },
    )


# The commander -------------------------------------------------------------------------


@requires(RECEIVE_NOTICES)
def notices(request: HttpRequest) -> HttpResponse:
    if not access.may_read_command_notices(request.user):
        raise PermissionDenied
    notices = selectors.notices_for_command(request.user)
    return render(
        request,
        "wellbeing/notices.html",
        {"notices": [access.notice_as_seen_by_command(notice) for notice in notices]},
    )
