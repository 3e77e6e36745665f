"""A case's records: notes and their visibility levels and edit window, documents (upload
checks, storage with a checksum, audited and permission-checked download) and the timeline."""

import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from tests.conftest import make_organisation, make_user
from waypoint.accounts.models import Organisation, User
from waypoint.appeals import services as appeals
from waypoint.audit.models import AppendOnlyError, AuditEvent
from waypoint.audit.services import record
from waypoint.cases import access, casefile, services
from waypoint.cases.models import Document, Note, Visibility
from waypoint.people import services as people
from waypoint.people.selectors import veteran_for

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def with_permission(user: User, *names: str) -> User:
    for name in names:
        app, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app, codename=codename)
        )
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached per instance


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def case(coordinator, moscow_veteran):
    return services.open_case(actor=coordinator, veteran=moscow_veteran)


@pytest.fixture
def branch_colleague(moscow_branch) -> User:
    """Staff of the case's organisation who see cases but do not manage them."""
    return with_permission(
        make_user("call_centre_operator", moscow_branch, scope=User.Scope.REGION),
        "cases.view_case",
    )


@pytest.fixture
def outsider(db) -> User:
    """Staff of another Moscow organisation who see the case (the veteran is in their region)
    but are neither its team nor its organisation."""
    centre = make_organisation(
        name="Employment centre, Moscow", kind=Organisation.Kind.EMPLOYMENT_CENTRE
    )
    return with_permission(
        make_user("call_centre_operator", centre, scope=User.Scope.REGION), "cases.view_case"
    )


def _notes(coordinator, case) -> dict[str, Note]:
    return {
        level: casefile.add_note(
            actor=coordinator, case=case, text=f"Заметка ({level})", visibility=level
        )
        for level in Visibility.values
    }


def _visible_levels(user, case) -> set[str]:
    return set(casefile.notes_for(user, case).values_list("visibility", flat=True))


# --- notes ----------------------------------------------------------------------------------


def test_note_visibility_per_level(
    case, coordinator, counsellor, admin, branch_colleague, outsider, other_coordinator
):
    _notes(coordinator, case)
    everything = set(Visibility.values)
    assert _visible_levels(coordinator, case) == everything
    assert _visible_levels(counsellor, case) == everything  # may manage: the team
    assert _visible_levels(admin, case) == everything  # supervises everywhere
    assert _visible_levels(branch_colleague, case) == {"organisation", "case"}
    assert _visible_levels(outsider, case) == {"case"}
    assert _visible_levels(other_coordinator, case) == set()


def test_the_team_level_is_may_manage_as_a_query(
    case, coordinator, counsellor, admin, branch_colleague, outsider, other_coordinator
):
    team_note = casefile.add_note(actor=coordinator, case=case, text="Только команде")
    for user in (counsellor, admin, branch_colleague, outsider, other_coordinator):
        reads = access.notes_visible_to(user).filter(pk=team_note.pk).exists()
        assert reads == access.may_manage(user, case), user


def test_notes_are_written_by_those_who_see_the_case(case, other_coordinator, operator):
    with pytest.raises(PermissionDenied):
        casefile.add_note(actor=other_coordinator, case=case, text="Чужой случай")
    with pytest.raises(PermissionDenied):
        casefile.add_note(actor=operator, case=case, text="Нет права")


def test_a_note_is_audited_without_its_words(case, coordinator):
    note = casefile.add_note(
        actor=coordinator, case=case, text="Сказал, что болеет", visibility="team"
    )
    event = AuditEvent.objects.get(action="cases.note.add")
    assert event.subject_id == str(note.pk)
    assert event.veteran_id == case.veteran_id
    assert "болеет" not in str(event.changes)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"text": "   "}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"visibility": "all"}, "visibility"),
    ],
)
def test_a_bad_note_names_the_field(case, coordinator, values, field):
    with pytest.raises(ValidationError) as caught:
        casefile.add_note(actor=coordinator, case=case, **({"text": "ok"} | values))
    assert field in caught.value.message_dict


def test_the_author_corrects_a_note_within_ten_minutes_then_never(case, coordinator, counsellor):
    note = casefile.add_note(actor=coordinator, case=case, text="Встреча в среду")
    with pytest.raises(PermissionDenied):
        casefile.edit_note(actor=counsellor, note=note, text="Встреча в четверг")
    edited = casefile.edit_note(
        actor=coordinator, note=note, text="Встреча в четверг", visibility="case"
    )
    assert edited.text == "Встреча в четверг"
    assert edited.visibility == "case"
    assert edited.edited_at is not None
    event = AuditEvent.objects.get(action="cases.note.edit")
    assert event.changes["visibility"] == ["team", "case"]

    Note.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    note.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        casefile.edit_note(actor=coordinator, note=note, text="Встреча в пятницу")
    assert "new note" in caught.value.message_dict["text"][0]
    note.text = "обход сервиса"
    with pytest.raises(AppendOnlyError):
        note.save()
    note.refresh_from_db()
    assert note.text == "Встреча в четверг"


def test_note_pages_and_api(client, case, coordinator, counsellor):
    client.force_login(coordinator)
    response = client.post(
        f"/cases/{case.pk}/notes/", {"text": "Позвонил", "visibility": "organisation"}
    )
    assert response.status_code == 302
    note = Note.objects.get()
    section = client.get(f"/cases/{case.pk}/notes/", headers={"HX-Request": "true"})
    assert section.status_code == 200
    assert "Позвонил" in section.content.decode()
    assert b"<html" not in section.content  # the section alone for htmx
    assert client.get(f"/cases/{case.pk}/notes/{note.pk}/edit/").status_code == 200
    answer = client.patch(
        f"/api/v1/cases/{case.pk}/notes/{note.pk}",
        {"text": "Позвонил дважды"},
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert answer.json()["text"] == "Позвонил дважды"
    created = client.post(
        f"/api/v1/cases/{case.pk}/notes", {"text": ""}, content_type="application/json"
    )
    assert created.status_code == 422
    assert created.json()["detail"][0]["field"] == "text"
    client.force_login(counsellor)
    assert client.get(f"/cases/{case.pk}/notes/{note.pk}/edit/").status_code == 403
    Note.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    client.force_login(coordinator)
    assert client.get(f"/cases/{case.pk}/notes/{note.pk}/edit/").status_code == 302
    late = client.patch(
        f"/api/v1/cases/{case.pk}/notes/{note.pk}",
        {"text": "Позвонил трижды"},
        content_type="application/json",
    )
    assert late.status_code == 422
    assert late.json()["detail"][0]["field"] == "text"
    client.force_login(counsellor)
    listed = client.get(f"/api/v1/cases/{case.pk}/notes").json()
    assert [item["id"] for item in listed["items"]] == [note.pk]


def test_the_case_page_loads_the_record_sections(client, case, coordinator):
    client.force_login(coordinator)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    for name in ("notes", "documents", "timeline", "referrals"):
        assert f'hx-get="/cases/{case.pk}/{name}/"' in page


# --- documents ------------------------------------------------------------------------------


def _docx(*, real: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        if real:
            package.writestr("[Content_Types].xml", "<Types/>")
            package.writestr("word/document.xml", "<w:document/>")
        else:
            package.writestr("payload.exe", b"MZ\x90\x00")
    return buffer.getvalue()


def _upload(case, actor, name: str, content: bytes, **options) -> Document:
    return casefile.upload_document(
        actor=actor, case=case, upload=SimpleUploadedFile(name, content), **options
    )


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("справка.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "Windows program"),
        ("notes.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "Linux program"),
        ("notes.txt", b"#!/bin/sh\nrm -rf /\n", "script"),
        ("photo.png", b"MZ" + b"\x00" * 32, "Windows program"),
        ("cv.docx", _docx(real=False), "not a valid DOCX package"),
        ("cv.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "not a valid DOCX"),
        ("table.xlsx", _docx(), "not a valid XLSX package"),
        ("letter.odt", _docx(), "not a valid ODT package"),
        ("scan.jpg", PDF, "not a JPEG file"),
        ("notes.txt", b"\x00\x01\x02binary", "not plain text"),
        ("setup.exe", b"MZ", "only PDF, JPEG, PNG, DOCX, XLSX, ODT and TXT"),
        ("README", b"hello", "only PDF"),
    ],
)
def test_uploads_whose_content_is_not_what_the_name_says_are_refused(
    case, coordinator, media, name, content, words
):
    with pytest.raises(ValidationError) as caught:
        _upload(case, coordinator, name, content)
    message = caught.value.message_dict["file"][0]
    assert words in message
    assert not Document.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*")) if media.exists() else True


def test_a_file_over_the_limit_is_refused(case, coordinator, settings):
    settings.WAYPOINT_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as caught:
        _upload(case, coordinator, "big.pdf", PDF + b"x" * 100)
    assert "larger than the limit" in caught.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as caught:
        _upload(case, coordinator, "empty.txt", b"")
    assert "empty" in caught.value.message_dict["file"][0]


def test_a_good_pdf_is_kept_on_disk_with_its_checksum(case, coordinator, media):
    document = _upload(case, coordinator, "Справка о службе.pdf", PDF, visibility="case")
    assert document.kind == "pdf"
    assert document.size == len(PDF)
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.filename == "Справка о службе.pdf"
    stored = media / document.file.name
    assert stored.read_bytes() == PDF
    assert "Справка" not in document.file.name  # stored under a random name
    event = AuditEvent.objects.get(action="cases.document.upload")
    assert event.changes["sha256"] == [None, document.sha256]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cv.docx", _docx()),
        ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 16),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16),
        ("заметки.txt", "Привет, мир\n".encode("cp1251")),
        ("notes.txt", "Привет\tмир\r\n".encode()),
    ],
)
def test_real_documents_of_each_type_are_accepted(case, coordinator, name, content):
    assert _upload(case, coordinator, name, content).size == len(content)


def test_download_is_permission_checked_and_audited_every_time(
    client, case, coordinator, branch_colleague, other_coordinator
):
    document = _upload(case, coordinator, "справка.pdf", PDF)  # the team only
    url = f"/cases/{case.pk}/documents/{document.pk}/download/"
    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    client.force_login(coordinator)
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
    downloads = AuditEvent.objects.filter(action="cases.document.download")
    assert downloads.count() == 2
    assert {event.actor_id for event in downloads} == {coordinator.pk}
    for stranger in (branch_colleague, other_coordinator):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
        assert client.get(f"/api/v1/cases/{case.pk}/documents/{document.pk}").status_code == 404
    assert downloads.count() == 2
    with pytest.raises(PermissionDenied):
        casefile.read_document(actor=branch_colleague, document=document)


def test_a_tampered_file_is_not_served(client, case, coordinator, media):
    document = _upload(case, coordinator, "справка.pdf", PDF)
    (media / document.file.name).write_bytes(PDF.replace(b"Catalog", b"Katalog"))
    client.force_login(coordinator)
    response = client.get(f"/cases/{case.pk}/documents/{document.pk}/download/")
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="cases.document.download").exists()


def test_document_api_uploads_multipart_and_downloads(client, case, coordinator):
    client.force_login(coordinator)
    url = f"/api/v1/cases/{case.pk}/documents"
    refused = client.post(url, {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00")})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "file"
    created = client.post(
        url,
        {"file": SimpleUploadedFile("справка.pdf", PDF), "title": "Справка", "visibility": "case"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["visibility"] == "case"
    download = client.get(f"{url}/{body['id']}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="cases.document.download").count() == 1
    assert client.get(url).json()["items"][0]["title"] == "Справка"


def test_document_page_upload(client, case, coordinator):
    client.force_login(coordinator)
    url = f"/cases/{case.pk}/documents/"
    upload = SimpleUploadedFile("справка.pdf", PDF)
    assert client.post(url, {"file": upload, "visibility": "team"}).status_code == 302
    section = client.post(
        url,
        {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90"), "visibility": "team"},
        headers={"HX-Request": "true"},
    )
    assert section.status_code == 200
    assert "Windows program" in section.content.decode()
    assert Document.objects.count() == 1


# --- timeline -------------------------------------------------------------------------------


def test_the_timeline_tells_every_modules_writes_without_reads(
    case, coordinator, moscow_veteran, branch_colleague
):
    people.save_part(
        actor=coordinator,
        veteran=moscow_veteran,
        kind="skill",
        values={"name": "вождение", "level": "basic"},
    )
    people.give_consent(
        actor=coordinator, veteran=moscow_veteran, purpose="health_data", channel="phone"
    )
    people.set_work_limitation(
        actor=coordinator, veteran=moscow_veteran, values={"disability_group": "3"}
    )
    veteran_for(coordinator, moscow_veteran.pk)  # a read: people.veteran.view
    casefile.add_note(actor=coordinator, case=case, text="Для команды", visibility="team")
    casefile.add_note(actor=coordinator, case=case, text="Для всех", visibility="case")
    _upload(case, coordinator, "справка.pdf", PDF, visibility="organisation")

    entries = casefile.timeline(coordinator, case)
    labels = [entry.label for entry in entries]
    assert labels[-1] == "Case opened"
    assert "Consent given" in labels
    assert "Work limitations recorded" in labels
    assert "Skill: added" in labels  # another module's write, labelled from its model
    assert not any("view" in label for label in labels)
    assert [entry.at for entry in entries] == sorted((e.at for e in entries), reverse=True)
    health = next(e for e in entries if e.label == "Work limitations recorded")
    assert health.detail == ""  # never the fields, never the values
    notes = [entry.detail for entry in entries if entry.kind == "note"]
    assert notes == ["Для всех", "Для команды"]
    assert [e.kind for e in entries].count("document") == 1
    assert [e.kind for e in entries].count("note") == 2  # once each, not again from the audit

    seen_by_colleague = casefile.timeline(branch_colleague, case)
    assert [e.detail for e in seen_by_colleague if e.kind == "note"] == ["Для всех"]
    assert [e.kind for e in seen_by_colleague].count("document") == 1
    # No permission to see work limitations: the event is not shown at all.
    assert "Work limitations recorded" not in [e.label for e in seen_by_colleague]


def test_the_timeline_starts_when_the_case_opened(case, coordinator, moscow_veteran):
    AuditEvent.objects.create(
        at=case.opened_at - timedelta(days=3),
        actor=coordinator,
        action="people.veteran.update",
        subject_type="people.veteran",
        subject_id=str(moscow_veteran.pk),
        veteran_id=moscow_veteran.pk,
        changes={"phone": ["+7", "+8"]},
    )
    assert [e.label for e in casefile.timeline(coordinator, case)] == ["Case opened"]


def test_timeline_names_stages_and_hides_other_values(case, coordinator):
    services.move(actor=coordinator, case=case, stage=services.Stage.objects.get(code="assessment"))
    moved = casefile.timeline(coordinator, case)[0]
    assert moved.label == "Case moved on"
    assert moved.detail == "stage: Intake → Assessment"
    with translation.override("ru"):
        assert casefile.timeline(coordinator, case)[0].detail == "этап: Приём → Оценка"
    record(
        actor=coordinator,
        action="people.veteran.update",
        subject=case.veteran,
        changes={"phone": ["+79160000001", "+79160000002"]},
    )
    updated = casefile.timeline(coordinator, case)[0]
    assert updated.detail == "phone"


def test_a_call_for_psychological_help_never_shows_on_the_case(
    case, coordinator, operator, clinician
):
    def call(topic: str):
        return appeals.log_appeal(
            actor=operator,
            caller_kind="veteran",
            veteran=case.veteran,
            topic=topic,
            description="Плохо спит, просит записать к психологу.",
            contact_channel="phone",
        )

    private = call("psychological")
    appeals.take(actor=clinician, appeal=private)
    call("employment")
    labels = [entry.label for entry in casefile.timeline(coordinator, case)]
    assert labels.count("Hotline appeal logged") == 1  # the employment one
    assert "Hotline appeal taken" not in labels


def test_timeline_names_a_relation_by_its_model_and_the_leadership_steps(case, coordinator):
    """A change of a relation without a name of its own reads as the related model's name;
    the leadership track's steps have labels of their own (not "Кандидатура: cohort")."""
    record(
        actor=coordinator,
        action="leadership.candidacy.cohort",
        subject=case.veteran,
        changes={},
    )
    with translation.override("ru"):
        entry = casefile.timeline(coordinator, case)[0]
    assert entry.label == "Управленческий трек: в потоке или в резерве"
    record(
        actor=coordinator,
        action="cases.case.transfer",
        subject=case,
        changes={"created_by": [None, coordinator.pk]},  # a relation with no name of its own
    )
    assert casefile.timeline(coordinator, case)[0].detail == "user"
    with translation.override("ru"):
        assert casefile.timeline(coordinator, case)[0].detail == "пользователь"


def test_timeline_says_how_many_occupations_a_ranking_ranked(case, coordinator):
    """An orientation run's change is a count, not a field: it reads in words, in Russian too
    (it showed the raw key "occupations")."""
    record(
        actor=coordinator,
        action="orientation.run",
        subject=case.veteran,
        changes={"occupations": [None, 24]},
    )
    with translation.override("ru"):
        entry = casefile.timeline(coordinator, case)[0]
    assert entry.detail == "профессий в рейтинге: 24"


def test_timeline_page_and_api(client, case, coordinator, other_coordinator):
    casefile.add_note(actor=coordinator, case=case, text="Первая встреча", visibility="case")
    client.force_login(coordinator)
    page = client.get(f"/cases/{case.pk}/timeline/")
    assert page.status_code == 200
    assert "Первая встреча" in page.content.decode()
    items = client.get(f"/api/v1/cases/{case.pk}/timeline").json()
    assert [item["kind"] for item in items] == ["note", "event"]
    assert items[0]["note_id"] is not None
    assert client.get(f"/api/v1/cases/{case.pk}/timeline?limit=0").status_code == 422
    client.force_login(other_coordinator)
    assert client.get(f"/cases/{case.pk}/timeline/").status_code == 404
    assert client.get(f"/api/v1/cases/{case.pk}/timeline").status_code == 404
