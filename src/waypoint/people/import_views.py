"""The import pages: upload a file, follow its check, read the report, confirm, follow the
import. The worker does the work (waypoint.people.import_jobs); no request waits for it."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from waypoint.accounts.access import requires
from waypoint.kit.tabular import TableError, check_kind
from waypoint.people import import_jobs
from waypoint.people.import_models import IMPORT_PERMISSION, ImportJob
from waypoint.people.importing import COLUMNS, REQUIRED, template_csv

REPORT_ROWS = 200  # reasons shown on the page; the command line prints them all


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
        try:
            check_kind(upload, upload.name)
        except TableError as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


@requires(IMPORT_PERMISSION)
def import_page(request: HttpRequest) -> HttpResponse:
    if request.GET.get("template"):
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="veterans-template.csv"'
        return response
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = import_jobs.start_import(
            actor=request.user,
            upload=form.cleaned_data["file"],
            encoding=form.cleaned_data["encoding"],
            skip_invalid=form.cleaned_data["skip_invalid"],
        )
        return redirect("people:import_job", job.pk)
    context = {
        "form": form,
        "columns": COLUMNS,
        "required": REQUIRED,
        "jobs": import_jobs.jobs_for(request.user),
    }
    return render(request, "people/import.html", context)


@requires(IMPORT_PERMISSION)
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """One import: its progress while it runs, its report, and the button that confirms it."""
    job = import_jobs.job_for(request.user, pk)
    if request.method == "POST":
        try:
            import_jobs.confirm(actor=request.user, job=job)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("people:import_job", job.pk)
    return render(request, "people/import_job.html", _job_context(job))


@requires(IMPORT_PERMISSION)
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's card alone, which the page polls while the job runs."""
    job = import_jobs.job_for(request.user, pk)
    return render(request, "people/_import_job.html", _job_context(job))


def _job_context(job: ImportJob) -> dict:
    context: dict = {"job": job}
    if not job.is_running:
        context["rejections"] = list(job.rejections.all()[:REPORT_ROWS])
        context["rejections_total"] = job.rejections.count()
    return context
