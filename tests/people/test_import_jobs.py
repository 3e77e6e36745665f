"""Imports of veterans as background jobs: no request waits for one, no step holds the
database's write lock for long, and the import is all-or-nothing and idempotent all the same.

The concurrency tests pause an import in another thread in the middle of its rows and write
meanwhile; on SQLite one long transaction would make that write fail with "database is
locked" (after a 2-second wait, see `short_lock_wait`).
"""

import io
import itertools
import threading
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.conftest import PASSWORD, make_organisation, make_user, make_veteran
from waypoint.audit.models import AuditEvent
from waypoint.people import import_jobs, importing, services
from waypoint.people.access import veterans_visible_to
from waypoint.people.import_jobs import ImportBusy, import_veterans
from waypoint.people.import_models import ImportJob
from waypoint.people.models import Consent, ServiceRecord, Veteran

HEADER = (
    "last_name,first_name,birth_date,sex,phone,region,consent_personal_data,specialty,service_start"
)


def rows(count: int, start: int = 0) -> list[str]:
    return [
        f"Волков,Сергей,{1960 + n % 30}-01-{1 + n % 28:02d},m,+7926{n:07d},77,да,"
        + ("водитель,2010-05-01" if n % 2 else ",")
        for n in range(start, start + count)
    ]


def csv_bytes(lines: list[str]) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def run_worker() -> None:
    call_command("worker", "--once", stdout=io.StringIO(), stderr=io.StringIO())


def cli_import(actor, data: bytes, **options):
    options.setdefault("dry_run", False)
    options.setdefault("skip_invalid", False)
    return import_veterans(actor=actor, stream=io.BytesIO(data), filename="veterans.csv", **options)


@pytest.fixture(autouse=True)
def uploads_of_this_test(settings, tmp_path):
    settings.WAYPOINT_HOME = tmp_path


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(import_jobs, "BATCH", 5)


@pytest.fixture
def short_lock_wait():
    """A write that cannot take SQLite's lock fails after 2 s instead of 20."""
    options = connection.settings_dict["OPTIONS"]
    if connection.vendor != "sqlite":
        yield
        return
    before = options["timeout"]
    options["timeout"] = 2
    connections.close_all()
    yield
    options["timeout"] = before
    connections.close_all()


class PauseAtRow:
    """Stops the import, in its own thread, when it reads its nth row, until released."""

    def __init__(self, monkeypatch, nth: int):
        self.paused, self.released = threading.Event(), threading.Event()
        original, calls = importing._parse, itertools.count(1)

        def parse(*args, **kwargs):
            if next(calls) == nth:
                self.paused.set()
                self.released.wait(30)
            return original(*args, **kwargs)

        monkeypatch.setattr(importing, "_parse", parse)


def in_thread(work) -> tuple[threading.Thread, list]:
    errors: list = []

    def run():
        try:
            work()
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def sign_in_and_edit(client, user, veteran) -> None:
    """Two writes a user makes all day: a sign-in (session, last login) and an edit."""
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    services.update_veteran(actor=user, veteran=veteran, changes={"address": "Тверская, 5"})


# --- no lock held while an import runs ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_check_holds_no_write_lock(client, monkeypatch, short_lock_wait):
    coordinator = make_user("coordinator", make_organisation())
    someone = make_veteran(coordinator=coordinator)
    pause = PauseAtRow(monkeypatch, nth=12)
    data = csv_bytes(rows(30))
    thread, errors = in_thread(lambda: cli_import(coordinator, data, dry_run=True))
    try:
        assert pause.paused.wait(30)
        sign_in_and_edit(client, coordinator, someone)  # "database is locked" before the fix
    finally:
        pause.released.set()
        thread.join(30)
    assert errors == []
    assert ImportJob.objects.get().created == 30
    assert Veteran.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_writing_holds_the_lock_only_a_batch_at_a_time(
    client, monkeypatch, small_batches, short_lock_wait
):
    coordinator = make_user("coordinator", make_organisation())
    someone = make_veteran(coordinator=coordinator)
    data = csv_bytes(rows(30))
    pause = PauseAtRow(monkeypatch, nth=30 + 12)  # the check reads 30 rows, then the import
    thread, errors = in_thread(lambda: cli_import(coordinator, data))
    try:
        assert pause.paused.wait(30)
        sign_in_and_edit(client, coordinator, someone)
        # Two batches are written, and hidden until the import is done.
        assert Veteran.objects.filter(import_job__isnull=False).count() == 10
        assert list(veterans_visible_to(coordinator)) == [someone]
    finally:
        pause.released.set()
        thread.join(30)
    assert errors == []
    assert ImportJob.objects.get().status == "done"
    assert veterans_visible_to(coordinator).count() == 31


@pytest.mark.django_db(transaction=True)
def test_the_worker_imports_while_people_write(client, monkeypatch, short_lock_wait):
    coordinator = make_user("coordinator", make_organisation())
    someone = make_veteran(coordinator=coordinator)
    client.force_login(coordinator)
    upload = SimpleUploadedFile("veterans.csv", csv_bytes(rows(40)), content_type="text/csv")
    page = client.post(reverse("people:import"), {"file": upload, "encoding": "utf-8"})
    run_worker()  # the check
    client.post(page.url)  # confirm
    pause = PauseAtRow(monkeypatch, nth=25)
    thread, errors = in_thread(run_worker)  # the import
    try:
        assert pause.paused.wait(30)
        progress = client.get(reverse("people:import_progress", args=[page.url.split("/")[2]]))
        assert 'hx-trigger="every 2s"' in progress.content.decode()
        sign_in_and_edit(client, coordinator, someone)
    finally:
        pause.released.set()
        thread.join(60)
    assert errors == []
    job = ImportJob.objects.get()
    assert (job.status, job.created, job.stored_name) == ("done", 40, "")
    assert not list(import_jobs.upload_dir().iterdir())  # the upload is deleted afterwards


# --- the job ----------------------------------------------------------------------------------


def test_upload_answers_at_once_and_the_page_polls(
    client, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    upload = SimpleUploadedFile("veterans.csv", csv_bytes(rows(3)), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:import"), {"file": upload, "encoding": "utf-8"})
    job = ImportJob.objects.get()
    assert (job.status, job.started_by, job.filename) == ("queued", coordinator, "veterans.csv")
    assert (import_jobs.upload_dir() / job.stored_name).exists()
    task = DBTaskResult.objects.get(task_path="waypoint.people.tasks.check_import")
    assert task.args_kwargs["args"] == [job.pk]
    page = client.get(response.url).content.decode()
    assert f'hx-get="/import/{job.pk}/progress/"' in page
    assert "/static/django_htmx/" in page  # htmx from the package, no CDN
    assert "Waiting for the background worker" in page


def test_progress_endpoint(client, coordinator):
    job = ImportJob.objects.create(
        started_by=coordinator, filename="veterans.csv", status="importing", total=200
    )
    job.created, job.existing, job.rejected_lines = 60, 10, 5
    job.save()
    client.force_login(coordinator)
    url = reverse("people:import_progress", args=[job.pk])
    response = client.get(url)
    text = response.content.decode()
    assert response.templates[0].name == "people/_import_job.html"
    assert '<progress max="200" value="75">' in text
    assert "75 of 200 rows done" in text
    assert 'hx-trigger="every 2s"' in text
    job.status = "done"
    job.save()
    text = client.get(url).content.decode()
    assert "hx-trigger" not in text
    assert "New veterans registered" in text
    assert client.post(url).status_code == 405


def test_a_job_is_seen_only_by_its_starter(
    client, coordinator, other_coordinator, admin, counsellor
):
    job = ImportJob.objects.create(started_by=coordinator, filename="veterans.csv")
    for url in (
        reverse("people:import_job", args=[job.pk]),
        reverse("people:import_progress", args=[job.pk]),
    ):
        for person, status in ((coordinator, 200), (other_coordinator, 404), (admin, 404)):
            client.force_login(person)
            assert client.get(url).status_code == status
        client.force_login(counsellor)  # may not import at all
        assert client.get(url).status_code == 403
    client.force_login(admin)
    assert "veterans.csv" not in client.get(reverse("people:import")).content.decode()


def test_the_job_is_audited(coordinator):
    job = cli_import(coordinator, csv_bytes(rows(4)))
    actions = list(
        AuditEvent.objects.filter(subject_type="people.importjob", subject_id=str(job.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "people.importjob.create",
        "people.importjob.confirm",
        "people.veteran.import",
    ]
    created = AuditEvent.objects.filter(action="people.veteran.create")
    assert created.count() == 4
    assert all(event.changes["import_job"] == [None, job.pk] for event in created)
    assert AuditEvent.objects.filter(action="people.consent.give").count() == 4
    assert AuditEvent.objects.filter(action="people.servicerecord.create").count() == 2


def test_imported_records_are_those_intake_makes(coordinator):
    cli_import(coordinator, csv_bytes(rows(2)))
    veteran = Veteran.objects.get(phone="+79260000001")
    assert (veteran.coordinator, veteran.status, veteran.branch) == (
        coordinator,
        "active",
        coordinator.organisation,
    )
    assert (veteran.last_name_latin, veteran.intake_channel) == ("Volkov", "import")
    assert Consent.objects.get(veteran=veteran).recorded_by == coordinator
    assert ServiceRecord.objects.get(veteran=veteran).specialty == "водитель"


def test_reimporting_the_same_file_creates_nobody_twice(coordinator, small_batches):
    data = csv_bytes(rows(12))
    first = cli_import(coordinator, data)
    second = cli_import(coordinator, data)
    assert (first.created, first.existing) == (12, 0)
    assert (second.status, second.created, second.existing) == ("checked", 0, 12)
    third = cli_import(coordinator, csv_bytes(rows(14)))  # two more people in a longer file
    assert (third.created, third.existing) == (2, 12)
    assert Veteran.objects.count() == 14


def test_a_failure_half_way_leaves_nothing(coordinator, small_batches, monkeypatch):
    real = Consent.objects.bulk_create
    batches = itertools.count(1)

    def fail_on_the_third_batch(*args, **kwargs):
        if next(batches) == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(Consent.objects, "bulk_create", fail_on_the_third_batch)
    data = csv_bytes(rows(20))
    with pytest.raises(RuntimeError, match="disk full"):
        cli_import(coordinator, data)
    job = ImportJob.objects.get()
    assert (job.status, job.writing, job.written) == ("failed", False, 0)
    assert "disk full" in job.error
    assert not Veteran.objects.exists()
    assert not Consent.objects.exists()
    assert not ServiceRecord.objects.exists()
    undo = AuditEvent.objects.get(action="people.importjob.undo")
    assert undo.changes["removed"] == [None, 10]  # the two batches written before
    monkeypatch.undo()
    assert cli_import(coordinator, data).created == 20  # and the file imports once repaired


def test_one_import_writes_at_a_time(coordinator):
    writing = ImportJob.objects.create(
        started_by=coordinator, filename="a.csv", status="importing", writing=True
    )
    waiting = ImportJob.objects.create(
        started_by=coordinator, filename="b.csv", status="confirmed", created=1
    )
    with pytest.raises(ImportBusy):
        import_jobs.commit(waiting, io.BytesIO(csv_bytes(rows(1))))
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert not Veteran.objects.exists()
    writing.delete()


def test_the_worker_retries_an_import_that_had_to_wait(coordinator, tmp_path):
    from waypoint.people.tasks import commit_import

    ImportJob.objects.create(
        started_by=coordinator, filename="a.csv", status="importing", writing=True
    )
    stored = import_jobs.upload_dir() / "waiting.upload"
    stored.write_bytes(csv_bytes(rows(1)))
    waiting = ImportJob.objects.create(
        started_by=coordinator, filename="b.csv", status="confirmed", stored_name=stored.name
    )
    assert commit_import.call(waiting.pk) == {"job": waiting.pk, "status": "waiting"}
    retry = DBTaskResult.objects.get(task_path="waypoint.people.tasks.commit_import")
    assert retry.run_after > timezone.now()
    stored.unlink()


def test_records_of_an_unfinished_import_are_hidden(coordinator):
    job = ImportJob.objects.create(started_by=coordinator, filename="a.csv", status="importing")
    veteran = make_veteran(coordinator=coordinator, import_job=job)
    assert not veterans_visible_to(coordinator).exists()
    job.status = "done"
    job.save()
    assert list(veterans_visible_to(coordinator)) == [veteran]


def test_tidy_undoes_an_interrupted_import_and_expires_old_uploads(coordinator):
    long_ago = timezone.now() - timedelta(hours=2)
    dead = ImportJob.objects.create(
        started_by=coordinator, filename="a.csv", status="importing", writing=True
    )
    make_veteran(coordinator=coordinator, import_job=dead)
    stored = import_jobs.upload_dir() / "unconfirmed.upload"
    stored.write_bytes(csv_bytes(rows(1)))
    unconfirmed = ImportJob.objects.create(
        started_by=coordinator, filename="b.csv", status="checked", stored_name=stored.name
    )
    ImportJob.objects.filter(pk__in=[dead.pk, unconfirmed.pk]).update(updated_at=long_ago)
    assert import_jobs.tidy()["undone"] == 1
    dead.refresh_from_db()
    unconfirmed.refresh_from_db()
    assert (dead.status, dead.writing, dead.error) == (
        "failed",
        False,
        "the import was interrupted",
    )
    assert not Veteran.objects.exists()
    assert (unconfirmed.status, unconfirmed.stored_name) == ("expired", "")
    assert not stored.exists()
    tidied = AuditEvent.objects.get(action="people.import.tidy")
    assert tidied.changes == {"expired": [None, 1], "reports_forgotten": [None, 0]}


def test_a_file_that_cannot_be_read_is_refused_in_the_report(client, coordinator):
    client.force_login(coordinator)
    upload = SimpleUploadedFile("veterans.csv", b"last_name,first_name\n")
    page = client.post(reverse("people:import"), {"file": upload, "encoding": "utf-8"})
    job = ImportJob.objects.get()
    import_jobs.run_check(job.pk)
    job.refresh_from_db()
    assert (job.status, job.stored_name) == ("refused", "")
    assert "missing required columns: birth_date" in client.get(page.url).content.decode()


def test_the_report_is_written_in_the_language_of_whoever_uploaded_the_file(
    client, coordinator, django_capture_on_commit_callbacks, settings
):
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    bad = "Волков,Сергей,2090-01-01,m,+79260000001,77,да,,"
    upload = SimpleUploadedFile("veterans.csv", csv_bytes([bad]), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:import"), {"file": upload, "encoding": "utf-8"})
    run_worker()  # the worker's own language is English
    job = ImportJob.objects.get()
    assert job.language == "ru"
    assert [r.reason for r in job.rejections.all()] == ["дата рождения не может быть в будущем"]
