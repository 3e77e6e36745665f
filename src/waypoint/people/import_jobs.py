"""Imports of veterans as jobs: upload, check, confirm, write in batches, undo on failure.

A large file takes minutes to check and to write, and SQLite has one write lock for the whole
database: an import written in one transaction stops every other write (sign-ins, sessions,
the audit log) for as long. So no step of an import holds the lock for longer than one batch,
and no request waits for an import:

- The page keeps the upload under WAYPOINT_HOME/uploads, creates the job and answers at once;
  `waypoint worker` checks the file. The check only reads (importing.Checker) and stores its
  report, the counts and the rejected rows, in short transactions.
- The person who uploaded it reads the report and confirms. The worker writes the new records
  BATCH rows at a time, each batch one short transaction that also moves the job's counts on.
  Each record carries its job (Veteran.import_job), and the registry's read gate hides the
  records of a job that is not done, so nobody sees or changes half an import.
- The last short transaction marks the job done, and all its records appear at once.
- If anything fails on the way, the records written so far are deleted again, a batch at a
  time, and the job fails with the reason: nothing is left half-written. A worker killed in the
  middle leaves a job that stops moving; tidy() finds it and undoes it the same way. The audit
  log keeps the creation of each record and the undoing (it is append-only).
- One job writes at a time (a unique constraint on ImportJob.writing), so that two imports of
  the same people never each count the other's records as registered. Re-importing a file finds
  its records by name and birth date, or phone, so nobody is created twice.

The command line (`waypoint import-veterans`) runs the same job in its own process.
"""

import itertools
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from waypoint.audit.context import RequestContext, current
from waypoint.audit.services import build, diff, record, record_all, record_bulk, snapshot
from waypoint.kit.tabular import TableError, read_table
from waypoint.people import access, coding, registration, services
from waypoint.people.import_models import IMPORT_PERMISSION, ImportJob, ImportRejection
from waypoint.people.importing import Candidate, Checked, Checker, check_columns
from waypoint.people.models import Consent, ServiceRecord, Veteran
from waypoint.people.signals import veterans_imported

BATCH = 200  # rows per write transaction: about a tenth of a second of the write lock
CONFIRM_WITHIN = timedelta(hours=1)  # a checked upload is kept this long for the confirmation
STALLED_AFTER = timedelta(minutes=10)  # a running job that has not moved for this long died
RETRY_WHEN_BUSY = timedelta(seconds=30)
REPORT_KEPT = timedelta(days=30)  # rejected rows quote personal data: not kept for ever
Status = ImportJob.Status


class ImportBusy(Exception):
    """Another import is writing; this one has to wait for it."""


def upload_dir() -> Path:
    folder = Path(settings.WAYPOINT_HOME) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def job_for(user, pk: int) -> ImportJob:
    """One of the person's own imports, or 404."""
    job = access.import_jobs_visible_to(user).filter(pk=pk).first()
    if job is None:
        raise Http404("no such import")
    return job


def jobs_for(user, *, limit: int = 10) -> list[ImportJob]:
    return list(access.import_jobs_visible_to(user)[:limit])


def pending_for(user) -> QuerySet[ImportJob]:
    """The person's imports that wait for them (checked: to confirm) or are still running."""
    return access.import_jobs_visible_to(user).filter(
        status__in=(ImportJob.Status.CHECKED, *ImportJob.RUNNING)
    )


def open_job(
    *, actor, filename: str, encoding: str, skip_invalid: bool, stored_name: str = ""
) -> ImportJob:
    """A new job, audited, for a file the page kept (stored_name) or the command line reads."""
    if not access.may_import(actor):
        raise PermissionDenied(IMPORT_PERMISSION)
    context = current.get()
    with transaction.atomic():
        job = ImportJob.objects.create(
            started_by=actor,
            filename=Path(filename).name[:255],
            stored_name=stored_name,
            encoding=encoding,
            skip_invalid=skip_invalid,
            request_id=context.request_id,
            client_address=context.client_address,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        record(
            actor=actor,
            action="people.importjob.create",
            subject=job,
            changes={"file": [None, job.filename], "skip_invalid": [None, skip_invalid]},
        )
    return job


def start_import(*, actor, upload, encoding: str, skip_invalid: bool) -> ImportJob:
    """Keep an uploaded file and queue its check for the worker; the page follows the job."""
    stored = upload_dir() / f"{secrets.token_urlsafe(24)}.upload"
    with stored.open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    try:
        job = open_job(
            actor=actor,
            filename=upload.name,
            encoding=encoding,
            skip_invalid=skip_invalid,
            stored_name=stored.name,
        )
    except BaseException:
        stored.unlink(missing_ok=True)
        raise
    from waypoint.people.tasks import check_import  # the tasks module builds on this one

    transaction.on_commit(lambda: check_import.enqueue(job.pk))
    return job


def confirm(*, actor, job: ImportJob) -> ImportJob:
    """The person who uploaded the file read the check's report: import it."""
    if not access.may_confirm_import(actor, job):
        raise Http404("no such import")
    if not job.can_confirm:
        raise ValidationError(
            {"job": [_("this import cannot be started: it is %s") % job.get_status_display()]}
        )
    if job.stored_name and not (upload_dir() / job.stored_name).exists():
        raise ValidationError({"job": [_("the uploaded file is gone: upload it again")]})
    with transaction.atomic():
        # Two clicks confirm once: only the first finds the job still checked.
        moved = ImportJob.objects.filter(pk=job.pk, status=Status.CHECKED).update(
            status=Status.CONFIRMED, updated_at=timezone.now()
        )
        if moved:
            record(actor=actor, action="people.importjob.confirm", subject=job)
            if job.stored_name:
                from waypoint.people.tasks import commit_import  # builds on this module

                transaction.on_commit(lambda: commit_import.enqueue(job.pk))
    job.refresh_from_db()
    return job


# --- the worker's side -------------------------------------------------------------------------


def run_check(job_id: int) -> ImportJob:
    """Check a job's stored file (the worker's task)."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status != Status.QUEUED:
        return job  # checked already: a task run twice does nothing twice
    with _on_behalf_of(job), _stored_file(job) as stream, suppress(TableError):
        if stream is not None:
            check(job, stream)  # a file that cannot be imported: the job says why
    return job


def run_commit(job_id: int) -> ImportJob:
    """Write a confirmed job's stored file (the worker's task); ImportBusy: try again later."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status != Status.CONFIRMED:
        return job
    with _on_behalf_of(job), _stored_file(job) as stream, suppress(TableError):
        if stream is not None:
            commit(job, stream)  # undone if it fails: the job says why
    return job


def check(job: ImportJob, stream: BinaryIO) -> None:
    """Read and check every row, storing the counts and the rejected rows as it goes.

    Reads only: the job's own progress is the one thing written, a batch at a time.
    """
    _move(job, Status.CHECKING, total=0, created=0, existing=0, rejected_lines=0)
    try:
        checker = Checker(job.started_by)
        for batch in _batches(job, stream):
            checked = checker.check(batch)
            job.total += len(batch)
            _count(job, checked)
            _save(job, checked)
    except TableError as exc:
        _stop(job, Status.REFUSED, str(exc))
        raise
    except BaseException as exc:
        _stop(job, Status.FAILED, _("the check stopped: %(error)s") % {"error": exc})
        raise
    _move(job, Status.CHECKED)
    if not job.can_confirm:
        _discard_file(job)


def commit(job: ImportJob, stream: BinaryIO) -> None:
    """Write a confirmed job's new records in short transactions; all of them or none."""
    _claim(job)
    try:
        ImportRejection.objects.filter(job=job).delete()
        _move(job, Status.IMPORTING, created=0, existing=0, rejected_lines=0, written=0)
        checker = Checker(job.started_by)
        processed = 0
        for batch in _batches(job, stream):
            checked = checker.check(batch)
            if checked.rejected and not job.skip_invalid:
                first = checked.rejected[0]
                raise TableError(
                    _("line %(line)s: %(field)s: %(reason)s")
                    % {"line": first.line, "field": first.field, "reason": first.reason}
                )
            processed += len(batch)
            _write(job, checked)
        _finish(job, processed)
    except BaseException as exc:
        if isinstance(exc, TableError):
            _undo(job, str(exc))
        else:
            _undo(job, _("an unexpected error: %(error)s") % {"error": repr(exc)})
        raise


def tidy(now=None) -> dict[str, int]:
    """Undo imports a dead worker left half-done, let unconfirmed uploads expire, and forget
    old reports (the worker runs this every sweep)."""
    now = now or timezone.now()
    stalled = ImportJob.objects.filter(
        status__in=[Status.CHECKING, Status.IMPORTING, Status.UNDOING],
        updated_at__lt=now - STALLED_AFTER,
    )
    counts = {"undone": 0, "expired": 0, "reports_forgotten": 0}
    for job in stalled:
        with _on_behalf_of(job):
            if job.status == Status.CHECKING:
                _stop(job, Status.FAILED, _("the check was interrupted: upload the file again"))
            else:
                _undo(job, _("the import was interrupted"))
        counts["undone"] += 1
    waiting = ImportJob.objects.filter(
        status=Status.CHECKED, updated_at__lt=now - CONFIRM_WITHIN
    ).exclude(stored_name="")
    for job in waiting:
        # Unless confirmed meanwhile: the confirmation moves the job on with the same condition.
        if ImportJob.objects.filter(pk=job.pk, status=Status.CHECKED).update(
            status=Status.EXPIRED, finished_at=now, updated_at=now
        ):
            _discard_file(job)
            counts["expired"] += 1
    old = ImportJob.objects.filter(finished_at__lt=now - REPORT_KEPT, rejections__isnull=False)
    for job in old.distinct():
        counts["reports_forgotten"] += ImportRejection.objects.filter(job=job).delete()[0]
    known = set(ImportJob.objects.exclude(stored_name="").values_list("stored_name", flat=True))
    for path in upload_dir().glob("*.upload"):
        stale = path.stat().st_mtime < (now - CONFIRM_WITHIN).timestamp()
        if path.name not in known and stale:
            path.unlink(missing_ok=True)  # a job that was never created
    if counts["expired"] or counts["reports_forgotten"]:
        # Undoing is audited job by job; expiry and forgetting are one event per sweep.
        record_bulk(
            actor=None,
            action="people.import.tidy",
            model=ImportJob,
            counts={"expired": counts["expired"], "reports_forgotten": counts["reports_forgotten"]},
        )
    return counts


def import_veterans(
    *,
    actor,
    stream: BinaryIO,
    filename: str,
    dry_run: bool,
    skip_invalid: bool,
    encoding: str = "utf-8",
) -> ImportJob:
    """The command line's import: the same job, checked and written in this process.

    Without dry_run, a file whose check rejects rows is written only with skip_invalid.
    TableError: the file as a whole cannot be imported (the job says so too).
    """
    job = open_job(actor=actor, filename=filename, encoding=encoding, skip_invalid=skip_invalid)
    check(job, stream)
    if dry_run or not job.can_confirm:
        return job
    job = confirm(actor=actor, job=job)
    stream.seek(0)
    try:
        commit(job, stream)
    except ImportBusy as exc:
        _stop(job, Status.FAILED, str(exc))  # nobody would come back for it
        raise
    job.refresh_from_db()
    return job


# --- steps ------------------------------------------------------------------------------------


def _batches(job: ImportJob, stream: BinaryIO) -> Iterator[list]:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    limit = settings.WAYPOINT_UPLOAD_MAX_BYTES
    if size > limit:
        raise TableError(
            _("the file is %(size)s KiB; the limit is %(limit)s KiB")
            % {"size": size // 1024, "limit": limit // 1024}
        )
    header, rows = read_table(stream, job.filename, job.encoding)
    check_columns(header)
    while batch := list(itertools.islice(rows, BATCH)):
        yield batch


def _count(job: ImportJob, checked: Checked) -> None:
    job.created += len(checked.new)
    job.existing += checked.existing
    job.rejected_lines += checked.rejected_lines


def _save(job: ImportJob, checked: Checked) -> None:
    with transaction.atomic():
        job.save(update_fields=["total", "created", "existing", "rejected_lines", "updated_at"])
        ImportRejection.objects.bulk_create(
            ImportRejection(job=job, line=row.line, field=row.field[:64], reason=row.reason[:500])
            for row in checked.rejected
        )


def _move(job: ImportJob, status: str, **counts) -> None:
    job.status = status
    for name, value in counts.items():
        setattr(job, name, value)
    job.save(update_fields=["status", *counts, "updated_at"])


def _claim(job: ImportJob) -> None:
    try:
        with transaction.atomic():
            claimed = ImportJob.objects.filter(
                pk=job.pk, status=Status.CONFIRMED, writing=False
            ).update(writing=True, updated_at=timezone.now())
    except IntegrityError:
        raise ImportBusy(_("another import is being written; this one waits for it")) from None
    if not claimed:
        raise ImportBusy(_("this import is not waiting to be written"))
    job.writing = True


def _write(job: ImportJob, checked: Checked) -> None:
    """One batch: records, consents, service records and their audit events, in one short
    transaction. Text matching for the specialties is done before it, outside."""
    actor = job.started_by
    branches: dict[str, object] = {}
    for candidate in checked.new:
        veteran = candidate.veteran
        region = veteran.region_id
        if region not in branches:
            branches[region] = registration.default_branch(actor, region)
        registration.take_intake(actor, veteran, branches[region])
        veteran.import_job = job
    service_records = [c.service for c in checked.new if c.service is not None]
    coding.suggest(service_records)
    now = timezone.now()
    with transaction.atomic():
        Veteran.objects.bulk_create([c.veteran for c in checked.new])
        consents = [_consent(c, given, actor, now) for c in checked.new for given in c.consents]
        Consent.objects.bulk_create(consents)
        ServiceRecord.objects.bulk_create(service_records)
        record_all(_events(job, checked.new, consents, service_records))
        ImportRejection.objects.bulk_create(
            ImportRejection(job=job, line=row.line, field=row.field[:64], reason=row.reason[:500])
            for row in checked.rejected
        )
        job.written += len(checked.new)
        _count(job, checked)
        job.save(update_fields=["created", "existing", "rejected_lines", "written", "updated_at"])


def _consent(candidate: Candidate, given, actor, now) -> Consent:
    return Consent(
        veteran=candidate.veteran,
        purpose=given.purpose,
        text_version=given.text_version,
        channel=given.channel,
        given_at=now,
        recorded_by=actor,
    )


def _events(job, new: list[Candidate], consents, service_records) -> list:
    """The events intake would record for each record, naming the job that wrote it."""
    actor = job.started_by
    events = []
    for candidate in new:
        changes = registration.creation_changes(candidate.veteran)
        changes["import_job"] = [None, job.pk]
        events.append(
            build(
                actor=actor,
                action="people.veteran.create",
                subject=candidate.veteran,
                changes=changes,
            )
        )
    events += [
        build(
            actor=actor,
            action="people.consent.give",
            subject=consent,
            changes=registration.consent_changes(consent),
        )
        for consent in consents
    ]
    fields = services.PART_FIELDS[ServiceRecord]
    events += [
        build(
            actor=actor,
            action="people.servicerecord.create",
            subject=part,
            changes=diff({}, snapshot(part, fields)),
        )
        for part in service_records
    ]
    return events


def _finish(job: ImportJob, processed: int) -> None:
    with transaction.atomic():
        job.status, job.writing, job.finished_at = Status.DONE, False, timezone.now()
        job.total = processed
        job.save(update_fields=["status", "writing", "finished_at", "total", "updated_at"])
        record(
            actor=job.started_by,
            action="people.veteran.import",
            subject=job,
            changes={
                "file": [None, job.filename],
                "created": [None, job.created],
                "existing": [None, job.existing],
                "rejected_rows": [None, job.rejected_lines],
            },
        )
        created = job.created
        transaction.on_commit(
            lambda: veterans_imported.send(sender=Veteran, created=created), robust=True
        )
    _discard_file(job)


def _undo(job: ImportJob, reason: str) -> None:
    """Delete what the job wrote, a batch at a time, then fail it with the reason."""
    _move(job, Status.UNDOING)
    removed = 0
    while pks := list(
        Veteran.objects.filter(import_job=job).order_by("pk").values_list("pk", flat=True)[:BATCH]
    ):
        with transaction.atomic():
            Veteran.objects.filter(pk__in=pks).delete()  # consents, service records with them
            job.save(update_fields=["updated_at"])
        removed += len(pks)
    with transaction.atomic():
        job.status, job.writing, job.finished_at = Status.FAILED, False, timezone.now()
        job.error, job.written, job.created = reason[:2000], 0, 0
        job.save(
            update_fields=[
                "status",
                "writing",
                "finished_at",
                "error",
                "written",
                "created",
                "updated_at",
            ]
        )
        record(
            actor=job.started_by,
            action="people.importjob.undo",
            subject=job,
            changes={"removed": [None, removed], "reason": [None, job.error]},
        )
    _discard_file(job)


def _stop(job: ImportJob, status: str, reason: str) -> None:
    """End a job that wrote no records: refused, failed in its check, or expired."""
    job.status, job.error, job.finished_at = status, reason[:2000], timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "updated_at"])
    _discard_file(job)


def _discard_file(job: ImportJob) -> None:
    if job.stored_name:
        (upload_dir() / job.stored_name).unlink(missing_ok=True)
        job.stored_name = ""
        job.save(update_fields=["stored_name"])


@contextmanager
def _stored_file(job: ImportJob):
    path = upload_dir() / job.stored_name if job.stored_name else None
    if path is None or not path.exists():
        _stop(job, Status.FAILED, _("the uploaded file is gone: upload it again"))
        yield None
        return
    with path.open("rb") as stream:
        yield stream


@contextmanager
def _on_behalf_of(job: ImportJob):
    """The worker's audit events carry the request that uploaded the file, and its report is
    written in the language of the person who did."""
    token = current.set(RequestContext(job.request_id, job.client_address))
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            yield
    finally:
        current.reset(token)
