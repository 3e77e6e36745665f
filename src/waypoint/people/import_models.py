"""An import of veterans from a file, as a job: what it is doing, its counts and its report.

The job is checked and written by `waypoint worker` (see waypoint.people.import_jobs and
docs/operations.md, "Imports of veterans"); the page only shows it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

IMPORT_PERMISSION = "people.import_veterans"


class ImportJobQuerySet(models.QuerySet):
    """Who may read a job is decided by waypoint.people.access.import_jobs_visible_to."""

    def unfinished(self) -> "ImportJobQuerySet":
        """Jobs whose written veterans, if any, are not (or no longer) part of the registry."""
        return self.exclude(status=ImportJob.Status.DONE)


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to be checked")
        CHECKING = "checking", _("being checked")
        CHECKED = "checked", _("checked")
        CONFIRMED = "confirmed", _("waiting to be imported")
        IMPORTING = "importing", _("being imported")
        UNDOING = "undoing", _("failed: removing what was written")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed: nothing was imported")
        REFUSED = "refused", _("refused: the file cannot be imported")
        EXPIRED = "expired", _("expired: not confirmed in time")

    RUNNING = (Status.QUEUED, Status.CHECKING, Status.CONFIRMED, Status.IMPORTING, Status.UNDOING)

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filename = models.CharField(_("file"), max_length=255)
    # The upload's copy under WAYPOINT_HOME/uploads while the job needs it; empty once deleted
    # and for an import from the command line, which reads the file where it is.
    stored_name = models.CharField(max_length=64, blank=True)
    encoding = models.CharField(_("encoding"), max_length=20, default="utf-8")
    skip_invalid = models.BooleanField(_("import the valid rows"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("new veterans"), default=0)
    existing = models.PositiveIntegerField(_("already registered"), default=0)
    rejected_lines = models.PositiveIntegerField(_("rejected rows"), default=0)
    written = models.PositiveIntegerField(_("veterans written"), default=0)
    error = models.TextField(_("why it stopped"), blank=True)
    # True while the job writes or undoes: one job at a time may (a constraint), so that two
    # imports of the same people never each count the other's rows as already registered.
    writing = models.BooleanField(default=False)
    request_id = models.CharField(max_length=64, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    # The interface language of whoever started it: the worker writes the report in it.
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    # Moved on by every step of a running job: a job that stops moving was interrupted.
    updated_at = models.DateTimeField(_("last progress"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import of veterans")
        verbose_name_plural = _("imports of veterans")
        default_permissions = ()
        indexes = [models.Index(fields=["started_by", "created_at"], name="importjob_starter")]
        constraints = [
            models.UniqueConstraint(
                fields=["writing"], condition=Q(writing=True), name="one_import_writes_at_a_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def processed(self) -> int:
        """Rows the running step has dealt with: each row is new, existing or rejected."""
        return self.created + self.existing + self.rejected_lines

    @property
    def committed(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def can_confirm(self) -> bool:
        """Checked, something to import, and nothing rejected unless the valid rows may go."""
        return (
            self.status == self.Status.CHECKED
            and self.created > 0
            and (self.skip_invalid or not self.rejected_lines)
        )

    @property
    def rejected(self) -> list["ImportRejection"]:
        return list(self.rejections.all())


class ImportRejection(models.Model):
    """One reason one row of the file was not imported."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rejections")
    line = models.PositiveIntegerField(_("line"))
    field = models.CharField(_("column"), max_length=64)
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        ordering = ["line", "id"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.line}: {self.field}: {self.reason}"
