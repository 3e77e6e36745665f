"""The import page: upload, see the dry-run report, then import what it showed."""

import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypoint.accounts.access import requires
from waypoint.kit.tabular import TableError
from waypoint.people.importing import COLUMNS, REQUIRED, import_veterans, template_csv

UPLOAD_LIFETIME_SECONDS = 3600
SESSION_KEY = "waypoint_import_uploads"


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (.csv or .xlsx)"))
    encoding = forms.ChoiceField(
        label=gettext_lazy("Encoding of a CSV file"),
        choices=[("utf-8", "UTF-8"), ("cp1251", "Windows-1251")],
    )
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Import the valid rows even if some rows are rejected"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.WAYPOINT_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than the limit of %(mb)s MB.")
                % {"mb": settings.WAYPOINT_UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        if Path(upload.name).suffix.lower() not in {".csv", ".xlsx"}:
            raise forms.ValidationError(_("Only .csv and .xlsx files can be imported."))
        return upload


def _upload_dir() -> Path:
    folder = Path(settings.WAYPOINT_HOME) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.upload"):
        if old.stat().st_mtime < time.time() - UPLOAD_LIFETIME_SECONDS:
            old.unlink(missing_ok=True)
    return folder


@requires("people.import_veterans")
def import_page(request: HttpRequest) -> HttpResponse:
    if request.GET.get("template"):
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="veterans-template.csv"'
        return response
    context = {"columns": COLUMNS, "required": REQUIRED}
    if request.method == "POST" and request.POST.get("token"):
        return _commit(request, context)
    form = UploadForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        token = secrets.token_urlsafe(16)
        stored = _upload_dir() / f"{token}.upload"
        with stored.open("wb") as target:
            for chunk in upload.chunks():
                target.write(chunk)
        options = {
            "filename": upload.name,
            "encoding": form.cleaned_data["encoding"],
            "skip_invalid": form.cleaned_data["skip_invalid"],
        }
        try:
            with stored.open("rb") as stream:
                report = import_veterans(actor=request.user, stream=stream, dry_run=True, **options)
        except TableError as exc:
            stored.unlink(missing_ok=True)
            form.add_error("file", str(exc))
        else:
            request.session.setdefault(SESSION_KEY, {})[token] = options
            request.session.modified = True
            context.update(report=report, token=token, options=options)
    return render(request, "people/import.html", context)


def _commit(request: HttpRequest, context: dict) -> HttpResponse:
    token = request.POST["token"]
    options = request.session.get(SESSION_KEY, {}).pop(token, None)
    request.session.modified = True
    stored = _upload_dir() / f"{Path(token).name}.upload"
    if options is None or not stored.exists():
        context["form"] = UploadForm()
        context["expired"] = True
        return render(request, "people/import.html", context)
    try:
        with stored.open("rb") as stream:
            report = import_veterans(actor=request.user, stream=stream, dry_run=False, **options)
    finally:
        stored.unlink(missing_ok=True)
    context.update(report=report, options=options, form=UploadForm())
    return render(request, "people/import.html", context)
