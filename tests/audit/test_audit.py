import csv
import io
import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from waypoint.audit.models import AppendOnlyError, AuditEvent
from waypoint.audit.services import record


@pytest.fixture
def event(coordinator, moscow_veteran) -> AuditEvent:
    return record(
        actor=coordinator,
        action="people.veteran.update",
        subject=moscow_veteran,
        changes={"address": ["", "x"]},
    )


def test_model_and_queryset_refuse_changes(event):
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_database_refuses_update(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'tampered' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "people.veteran.update"


def test_database_refuses_delete(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite file opened by another program")
def test_another_program_cannot_delete_from_a_sqlite_file(tmp_path):
    import importlib
    import sqlite3

    migration = importlib.import_module("waypoint.audit.migrations.0004_sqlite_refuses_delete")

    raw = sqlite3.connect(tmp_path / "copy.sqlite3")
    raw.execute("CREATE TABLE audit_auditevent (id INTEGER PRIMARY KEY)")
    raw.execute(migration.SQLITE_UP)
    raw.execute("INSERT INTO audit_auditevent VALUES (1)")
    with pytest.raises(sqlite3.OperationalError, match="waypoint_flushing"):
        raw.execute("DELETE FROM audit_auditevent")
    raw.close()


@pytest.mark.django_db(transaction=True)
def test_a_whole_database_flush_still_empties_the_log(coordinator, moscow_veteran):
    record(actor=coordinator, action="people.veteran.view", subject=moscow_veteran)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()


def test_event_carries_request_id_and_address(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    url = reverse("people:veteran_detail", args=[moscow_veteran.pk])
    response = client.get(url, HTTP_X_REQUEST_ID="trace-12345678", REMOTE_ADDR="10.1.2.3")
    assert response["X-Request-ID"] == "trace-12345678"
    event = AuditEvent.objects.get(action="people.veteran.view")
    assert (event.request_id, event.client_address) == ("trace-12345678", "10.1.2.3")
    assert (event.actor, event.veteran_id) == (coordinator, moscow_veteran.pk)
    client.get(url, HTTP_X_REQUEST_ID="bad id with spaces")
    latest = AuditEvent.objects.filter(action="people.veteran.view").first()
    assert latest.request_id != "bad id with spaces"
    assert len(latest.request_id) == 32


def test_audit_page_and_filters(client, auditor, event):
    client.force_login(auditor)
    url = reverse("audit:event_list")
    assert "people.veteran.update" in client.get(url).content.decode()
    assert "people.veteran.update" not in client.get(url, {"action": "accounts."}).content.decode()
    assert client.get(url, {"veteran": event.veteran_id}).context["page"].paginator.count == 1
    assert client.get(url, {"since": "2999-01-01"}).context["page"].paginator.count == 0


def test_audit_page_forbidden_for_coordinator(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("audit:event_list")).status_code == 403
    assert client.get(reverse("audit:event_export")).status_code == 403


def test_export_is_itself_audited(client, auditor, event):
    client.force_login(auditor)
    response = client.get(reverse("audit:event_export"))
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0]["action"] == "people.veteran.update"
    assert json.loads(rows[0]["changes"]) == {"address": ["", "x"]}
    assert AuditEvent.objects.filter(action="audit.export", actor=auditor).count() == 1


def test_admin_is_read_only(client, admin, event):
    client.force_login(admin)
    changelist = client.get(reverse("admin:audit_auditevent_changelist"))
    assert changelist.status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_api_reads_and_refuses_writes(client, auditor, coordinator, event):
    client.force_login(auditor)
    listing = client.get("/api/v1/audit-events").json()
    assert listing["count"] >= 1
    assert client.get(f"/api/v1/audit-events/{event.pk}").json()["action"] == (
        "people.veteran.update"
    )
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"/api/v1/audit-events/{event.pk}")
        assert response.status_code == 405, method
    client.force_login(coordinator)
    assert client.get("/api/v1/audit-events").status_code == 403


def test_export_command(event, tmp_path):
    target = tmp_path / "audit.csv"
    call_command("export_audit", "--output", str(target), "--veteran", str(event.veteran_id))
    assert "people.veteran.update" in target.read_text(encoding="utf-8")
