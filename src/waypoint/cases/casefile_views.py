"""Pages for a case's records: notes, documents, timeline, referrals (sent from the case and
received in an organisation's inbox), transfers and the supervisor's caseload hand-over.

The case page loads each section with htmx; without JavaScript each section link opens the
same content as a page of its own.
"""

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from waypoint.accounts.access import requires, signed_in
from waypoint.accounts.models import Organisation, User
from waypoint.cases import access, casefile, referrals, selectors, services, uploads
from waypoint.cases.models import Case, Note, Referral, Visibility
from waypoint.kit.forms import apply_errors, flash_errors
from waypoint.regions.models import Region


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=casefile.NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Visible to"), choices=Visibility.choices, initial=Visibility.TEAM
    )


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        required=False,
        help_text=gettext_lazy("PDF, JPEG, PNG, DOCX, XLSX, ODT or TXT."),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    visibility = forms.ChoiceField(
        label=gettext_lazy("Visible to"), choices=Visibility.choices, initial=Visibility.TEAM
    )


class ReferralForm(forms.Form):
    receiver = forms.ModelChoiceField(
        label=gettext_lazy("Receiving organisation"), queryset=Organisation.objects.none()
    )
    purpose = forms.CharField(
        label=gettext_lazy("Purpose of the referral"),
        max_length=referrals.PURPOSE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("The receiving organisation sees this and the veteran's name."),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = referrals.receivers(case)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for declining"),
        max_length=referrals.REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CoordinatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} · {obj.organisation} ({obj.organisation.region_id})"


class TransferForm(forms.Form):
    coordinator = CoordinatorChoice(
        label=gettext_lazy("New coordinator"), queryset=referrals.case_managers()
    )
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"),
        queryset=Region.objects.all(),
        required=False,
        help_text=gettext_lazy("Empty: the new coordinator's region."),
    )


class ReassignForm(forms.Form):
    source = forms.ModelChoiceField(
        label=gettext_lazy("Coordinator who leaves"), queryset=User.objects.none()
    )
    target = forms.ModelChoiceField(
        label=gettext_lazy("Coordinator who takes over"), queryset=User.objects.none()
    )

    def __init__(self, *args, supervisor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = referrals.leaving_coordinators(supervisor)
        self.fields["target"].queryset = referrals.successors(supervisor)


def _case(request: HttpRequest, pk: int) -> Case:
    case = selectors.case_for(request.user, pk)
    if case is None:
        raise Http404("no such case")
    return case


def _back_to_case(case: Case) -> HttpResponse:
    return redirect(reverse("cases:case", args=[case.pk]))


def _section(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """The section alone for htmx (errors included: htmx swaps only 2xx answers), else the
    section as a page."""
    name = f"{template}#section" if request.htmx else template
    return render(request, name, context)


# --- notes ----------------------------------------------------------------------------------


def _notes(request: HttpRequest, case: Case, form: NoteForm):
    return _section(
        request,
        "cases/_notes.html",
        {
            "case": case,
            "notes": casefile.notes_for(request.user, case)[:200],
            "form": form,
            "now": timezone.now(),
        },
    )


@requires(access.VIEW)
def notes(request: HttpRequest, pk: int) -> HttpResponse:
    """A case's notes the person may read; POST adds one."""
    case = _case(request, pk)
    if request.method != "POST":
        return _notes(request, case, NoteForm())
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            casefile.add_note(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
    if form.errors:
        if request.htmx:
            return _notes(request, case, form)
        flash_errors(request, ValidationError(form.errors))
        return _back_to_case(case)
    if request.htmx:
        return _notes(request, case, NoteForm())
    messages.success(request, _("Note added."))
    return _back_to_case(case)


@requires(access.VIEW)
def note_edit(request: HttpRequest, pk: int, note: int) -> HttpResponse:
    """The author corrects a note within ten minutes of writing it."""
    case = _case(request, pk)
    found: Note | None = casefile.notes_for(request.user, case).filter(pk=note).first()
    if found is None:
        raise Http404("no such note")
    if found.author_id != request.user.pk:
        raise PermissionDenied("only the author changes a note")
    if timezone.now() > found.editable_until:
        messages.error(request, _("This note can no longer be changed: add a new note instead."))
        return _back_to_case(case)
    form = NoteForm(
        request.POST or None, initial={"text": found.text, "visibility": found.visibility}
    )
    if request.method == "POST" and form.is_valid():
        try:
            casefile.edit_note(actor=request.user, note=found, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Note changed."))
            return _back_to_case(case)
    return render(request, "cases/_notes_edit.html", {"case": case, "note": found, "form": form})


# --- documents ------------------------------------------------------------------------------


def _documents(request: HttpRequest, case: Case, form: DocumentForm):
    return _section(
        request,
        "cases/_documents.html",
        {
            "case": case,
            "documents": casefile.documents_for(request.user, case)[:200],
            "form": form,
            "limit": settings.WAYPOINT_UPLOAD_MAX_BYTES,
        },
    )


@requires(access.VIEW)
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    """A case's documents the person may read; POST uploads one."""
    case = _case(request, pk)
    if request.method != "POST":
        return _documents(request, case, DocumentForm())
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            casefile.upload_document(
                actor=request.user,
                case=case,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                visibility=form.cleaned_data["visibility"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
    if form.errors:
        if request.htmx:
            return _documents(request, case, form)
        flash_errors(request, ValidationError(form.errors))
        return _back_to_case(case)
    if request.htmx:
        return _documents(request, case, DocumentForm())
    messages.success(request, _("Document kept."))
    return _back_to_case(case)


@requires(access.VIEW)
def document_download(request: HttpRequest, pk: int, document: int) -> HttpResponse:
    """The only way to a document's file: permission-checked, and audited every time."""
    case = _case(request, pk)
    found = casefile.document_for(request.user, case, document)
    if found is None:
        raise Http404("no such document")
    try:
        content = casefile.read_document(actor=request.user, document=found)
    except ValidationError as exc:
        flash_errors(request, exc)
        return _back_to_case(case)
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=found.filename,
        content_type=uploads.CONTENT_TYPES[found.kind],
    )
    return response


# --- timeline -------------------------------------------------------------------------------


@requires(access.VIEW)
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return _section(
        request,
        "cases/_timeline.html",
        {"case": case, "entries": casefile.timeline(request.user, case, limit=200)},
    )


# --- referrals: the sending side ------------------------------------------------------------


def _referrals(request: HttpRequest, case: Case, form: ReferralForm | None):
    return _section(
        request,
        "cases/_referrals.html",
        {
            "case": case,
            "referrals": referrals.referrals_of(request.user, case),
            "manages": access.may_manage(request.user, case),
            "form": form,
        },
    )


@requires(access.VIEW)
def case_referrals(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's referrals, and the form to make one for those who manage the case."""
    case = _case(request, pk)
    form = ReferralForm(case=case) if access.may_manage(request.user, case) else None
    return _referrals(request, case, form)


@requires(access.MANAGE)
@require_POST
def referral_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = ReferralForm(request.POST, case=case)
    if form.is_valid():
        try:
            referrals.refer(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
    if form.errors:
        if request.htmx:
            return _referrals(request, case, form)
        flash_errors(request, ValidationError(form.errors))
        return _back_to_case(case)
    if request.htmx:
        return _referrals(request, case, ReferralForm(case=case))
    messages.success(request, _("Referral sent."))
    return _back_to_case(case)


# --- referrals: the receiving side ----------------------------------------------------------


@requires(access.ANSWER)
def referral_inbox(request: HttpRequest) -> HttpResponse:
    """Referrals addressed to the person's organisation (awaiting an answer by default)."""
    status = request.GET.get("status", Referral.Status.PENDING)
    return render(
        request,
        "cases/referrals.html",
        {
            "referrals": referrals.inbox(request.user, status=status)[:500],
            "status": status,
            "statuses": Referral.Status.choices,
        },
    )


def _referral(request: HttpRequest, pk: int, *, audit: bool = False) -> Referral:
    found = referrals.referral_for(request.user, pk, audit=audit)
    if found is None:
        raise Http404("no such referral")
    return found


@signed_in
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The receiving organisation sees the veteran's name and the purpose, and answers; the
    sending side sees the referral from its case."""
    found = _referral(request, pk, audit=True)
    return render(
        request,
        "cases/referral.html",
        {
            "referral": found,
            "receiving": access.may_answer(request.user, found),
            "sending": access.may_see(request.user, found.case),
            "decline_form": DeclineForm(),
        },
    )


@requires(access.ANSWER)
@require_POST
def referral_accept(request: HttpRequest, pk: int) -> HttpResponse:
    found = _referral(request, pk)
    try:
        referrals.answer(actor=request.user, referral=found, accept=True)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Referral accepted."))
    return redirect(reverse("cases:referral", args=[pk]))


@requires(access.ANSWER)
@require_POST
def referral_decline(request: HttpRequest, pk: int) -> HttpResponse:
    found = _referral(request, pk)
    try:
        referrals.answer(
            actor=request.user, referral=found, accept=False, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Referral declined."))
    return redirect(reverse("cases:referral", args=[pk]))


# --- transfers and hand-over ----------------------------------------------------------------


@requires(access.MANAGE)
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand the case to another coordinator, here or in another region."""
    case = _case(request, pk)
    if not access.may_manage(request.user, case):
        raise PermissionDenied(access.MANAGE)
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moved = referrals.transfer(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Case transferred to %(name)s.") % {"name": moved.coordinator}
            )
            if selectors.case_for(request.user, moved.pk) is None:
                return redirect(reverse("cases:caseload"))
            return _back_to_case(moved)
    return render(request, "cases/transfer.html", {"case": case, "form": form})


@requires(access.SUPERVISE)
def reassign(request: HttpRequest) -> HttpResponse:
    """A leaving coordinator's caseload to another: pick both, see what moves, confirm."""
    data = request.POST if request.method == "POST" else request.GET
    form = ReassignForm(data or None, supervisor=request.user)
    preview = None
    if form.is_bound and form.is_valid():
        source, target = form.cleaned_data["source"], form.cleaned_data["target"]
        if request.method == "POST":
            try:
                moved = services.reassign_caseload(actor=request.user, source=source, target=target)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(n)s open cases moved from %(source)s to %(target)s.")
                    % {"n": moved, "source": source, "target": target},
                )
                return redirect(reverse("cases:reassign"))
        else:
            cases, tasks = referrals.caseload_size(source)
            preview = {"source": source, "target": target, "cases": cases, "tasks": tasks}
    return render(request, "cases/transfer_caseload.html", {"form": form, "preview": preview})
