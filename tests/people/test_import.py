import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from waypoint.audit.models import AuditEvent
from waypoint.kit.tabular import TableError
from waypoint.people.import_jobs import import_veterans
from waypoint.people.import_models import ImportJob
from waypoint.people.models import Consent, ServiceRecord, Veteran

HEADER = "last_name,first_name,patronymic,birth_date,sex,phone,region,consent_personal_data"
GOOD = [
    "Волков,Сергей,Петрович,1987-06-01,m,+7 916 000-00-01,77,да",
    "Лебедева,Анна,Игоревна,12.03.1992,ж,89160000002,Свердловская область,yes",
    "Smith,John,,1990-01-01,m,+44 20 7946 0958,00,yes",
]


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig", delimiter=","):
    lines = [header, *rows]
    if delimiter != ",":
        lines = [line.replace(",", delimiter) for line in lines]
    return ("\n".join(lines) + "\n").encode(encoding)


def run_worker():
    call_command("worker", "--once", stdout=io.StringIO(), stderr=io.StringIO())


def run(actor, data, filename="veterans.csv", **options):
    options.setdefault("dry_run", False)
    options.setdefault("skip_invalid", False)
    return import_veterans(actor=actor, stream=io.BytesIO(data), filename=filename, **options)


def test_csv_import_creates_veterans_with_consent(coordinator):
    report = run(coordinator, csv_bytes(GOOD))
    assert (report.total, report.created, report.existing, report.committed) == (3, 3, 0, True)
    assert Veteran.objects.filter(intake_channel="import").count() == 3
    assert Consent.objects.filter(purpose="personal_data", channel="paper").count() == 3
    assert Veteran.objects.get(last_name="Лебедева").region_id == "66"
    assert AuditEvent.objects.filter(action="people.veteran.import").count() == 1


def test_reimport_creates_no_duplicates(coordinator):
    run(coordinator, csv_bytes(GOOD))
    report = run(coordinator, csv_bytes(GOOD))
    assert (report.created, report.existing) == (0, 3)
    assert Veteran.objects.count() == 3


def test_semicolon_and_cp1251(coordinator):
    data = csv_bytes(GOOD[:2], encoding="cp1251", delimiter=";")
    report = run(coordinator, data, encoding="cp1251")
    assert report.created == 2


def test_cp1251_read_as_utf8_names_line_and_encoding(coordinator):
    data = csv_bytes(GOOD[:2], encoding="cp1251")
    with pytest.raises(TableError, match="line 2: the file is not valid utf-8"):
        run(coordinator, data)
    assert not Veteran.objects.exists()


def test_xlsx(coordinator, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for row in GOOD:
        sheet.append(row.split(","))
    path = tmp_path / "veterans.xlsx"
    book.save(path)
    report = run(coordinator, path.read_bytes(), filename="veterans.xlsx")
    assert report.created == 3


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("veterans.pdf", b"%PDF-1.4", "only .csv and .xlsx"),
        ("veterans.csv", b"PK\x03\x04binary", "not a CSV"),
        ("veterans.xlsx", b"last_name,first_name", "not an Excel"),
        ("veterans.csv", b"last_name,first_name\n", "missing required columns: birth_date"),
        ("veterans.csv", (HEADER + ",shoe_size\n").encode(), "unknown columns: shoe_size"),
    ],
)
def test_wrong_files_are_refused(coordinator, filename, data, message):
    with pytest.raises(TableError, match=message):
        run(coordinator, data, filename=filename)


def test_oversize_is_refused(coordinator, settings):
    settings.WAYPOINT_UPLOAD_MAX_BYTES = 100
    with pytest.raises(TableError, match="the limit is"):
        run(coordinator, csv_bytes(GOOD))


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("Волков,Сергей,,2090-01-01,m,+79160000009,77,да", "birth_date"),
        ("Волков,Сергей,,1987-01-01,m,12,77,да", "phone"),
        ("Волков,Сергей,,1987-01-01,m,+79160000009,Атлантида,да", "region"),
        ("Волков,Сергей,,1987-01-01,m,+79160000009,77,нет", "consent_personal_data"),
        ("Волков,Сергей,,1987-01-01,x,+79160000009,77,да", "sex"),
        ("Волк0в,Сергей,,1987-01-01,m,+79160000009,77,да", "last_name"),
        ("Волков,Сергей," + "Я" * 101 + ",1987-01-01,m,+79160000009,77,да", "patronymic"),
    ],
)
def test_bad_row_is_reported_and_nothing_written(coordinator, row, field):
    report = run(coordinator, csv_bytes([GOOD[0], row]))
    assert not report.committed
    assert [(r.line, r.field) for r in report.rejected] == [(3, field)]
    assert not Veteran.objects.exists()
    assert not AuditEvent.objects.exclude(action__startswith="people.importjob.").exists()


def test_service_ending_before_start_is_reported(coordinator):
    header = HEADER + ",specialty,rank,service_start,service_end"
    row = GOOD[0] + ",сапёр,private,2015-01-01,2014-01-01"
    report = run(coordinator, csv_bytes([row], header=header))
    assert [(r.line, r.field) for r in report.rejected] == [(2, "service_end")]
    assert not Veteran.objects.exists()


def test_service_record_is_imported(coordinator):
    header = HEADER + ",service_branch,specialty,rank,service_start,service_end"
    row = GOOD[0] + ",Airborne forces,старший разведчик,sergeant,2012-05-01,2020-05-01"
    assert run(coordinator, csv_bytes([row], header=header)).created == 1
    assert ServiceRecord.objects.get().branch == "airborne"


def test_skip_invalid_commits_the_valid_rows(coordinator):
    bad = "Волков,Сергей,,2090-01-01,m,+79160000009,77,да"
    report = run(coordinator, csv_bytes([*GOOD, bad]), skip_invalid=True)
    assert report.committed
    assert Veteran.objects.count() == 3


def test_dry_run_writes_nothing_but_its_job(coordinator):
    report = run(coordinator, csv_bytes(GOOD), dry_run=True)
    assert (report.created, report.committed, report.status) == (3, False, "checked")
    assert not Veteran.objects.exists()
    assert not AuditEvent.objects.exclude(action__startswith="people.importjob.").exists()


def test_duplicate_rows_within_a_file_count_once(coordinator):
    report = run(coordinator, csv_bytes([GOOD[0], GOOD[0]]))
    assert (report.created, report.existing) == (1, 1)


def test_import_needs_permission(counsellor):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(counsellor, csv_bytes(GOOD))


def test_command(coordinator, admin, tmp_path, capsys):
    path = tmp_path / "veterans.csv"
    path.write_bytes(csv_bytes(GOOD))
    call_command("import_veterans", str(path), "--as", coordinator.username)
    assert "3 rows imported: 3 new" in capsys.readouterr().out
    path.write_bytes(csv_bytes(["Волков,Сергей,,2090-01-01,m,+79160000009,77,да"]))
    with pytest.raises(SystemExit) as caught:
        call_command("import_veterans", str(path), "--as", coordinator.username)
    assert caught.value.code == 1
    assert "line 2: birth_date:" in capsys.readouterr().err


def test_command_refuses_a_broken_file(coordinator, tmp_path):
    path = tmp_path / "veterans.csv"
    path.write_bytes(csv_bytes(GOOD, encoding="cp1251"))
    with pytest.raises(CommandError, match="not valid utf-8"):
        call_command("import_veterans", str(path), "--as", coordinator.username)


def test_import_page_flow(client, coordinator, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    upload = SimpleUploadedFile("veterans.csv", csv_bytes(GOOD), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:import"), {"file": upload, "encoding": "utf-8"})
    job = ImportJob.objects.get()
    assert response.url == reverse("people:import_job", args=[job.pk])
    assert job.status == "queued"  # the request did not wait for the check
    run_worker()
    page = client.get(response.url)
    assert page.context["job"].created == 3
    assert "Import 3 veterans" in page.content.decode()
    assert not Veteran.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response.url)
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.created) == ("done", 3)
    assert Veteran.objects.count() == 3
    again = client.post(response.url, follow=True)
    assert "cannot be started" in again.content.decode()
    assert Veteran.objects.count() == 3


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.pdf", b"%PDF-1.4", "Only .csv and .xlsx"),
        ("veterans.csv", b"PK\x03\x04\x00\x00", "not a CSV"),
    ],
)
def test_import_page_errors_next_to_the_file(client, coordinator, name, data, message):
    client.force_login(coordinator)
    upload = SimpleUploadedFile(name, data)
    response = client.post(reverse("people:import"), {"file": upload, "encoding": "utf-8"})
    assert message in " ".join(response.context["form"].errors["file"])


def test_import_page_oversize(client, coordinator, settings):
    settings.WAYPOINT_UPLOAD_MAX_BYTES = 50
    client.force_login(coordinator)
    upload = SimpleUploadedFile("veterans.csv", csv_bytes(GOOD))
    response = client.post(reverse("people:import"), {"file": upload, "encoding": "utf-8"})
    assert "larger than the limit" in " ".join(response.context["form"].errors["file"])


def test_import_page_forbidden_and_template(client, provider, coordinator):
    client.force_login(provider)
    assert client.get(reverse("people:import")).status_code == 403
    client.force_login(coordinator)
    template = client.get(reverse("people:import"), {"template": "1"}).content.decode()
    assert template.startswith("\ufefflast_name,first_name")


def test_a_nul_character_is_named_with_its_rule(coordinator):
    # Far enough into the file that it is not refused as binary from its first bytes.
    padding = [f"Иванов,Пётр,,1980-01-01,m,+7903000{n:04d},77,да" for n in range(100)]
    report = run(
        coordinator, csv_bytes([*padding, "Вол\x00ков,Сергей,,1987-01-01,m,+79160000009,77,да"])
    )
    assert [(r.line, r.field, r.reason) for r in report.rejected] == [
        (102, "last_name", "contains a NUL character (code 0), which text cannot hold")
    ]


def test_a_text_longer_than_its_column_is_named_with_its_rule(coordinator):
    report = run(coordinator, csv_bytes(["Я" * 101 + ",Сергей,,1987-01-01,m,+79160000009,77,да"]))
    assert [(r.field, r.reason) for r in report.rejected] == [
        ("last_name", "Ensure this value has at most 100 characters (it has 101).")
    ]
