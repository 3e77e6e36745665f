"""/healthz answers 503, with the reason in plain text, when the database cannot take a write:
on SQLite when another connection holds the write lock (a long import did, for minutes), on
PostgreSQL when the probe's row stays locked or the server is read-only."""

import contextlib
import sqlite3

import pytest
from django.db import connection


@contextlib.contextmanager
def write_lock_held_elsewhere():
    """Another connection to the same database holds what a write needs, until the end."""
    if connection.vendor == "sqlite":
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    import psycopg

    params = connection.get_connection_params()
    with psycopg.connect(**params) as other:  # a transaction until the block ends
        other.execute("LOCK TABLE web_healthprobe IN ACCESS EXCLUSIVE MODE")
        yield
        other.rollback()


@contextlib.contextmanager
def read_only_database():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET default_transaction_read_only = on")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA query_only = OFF")
            else:
                cursor.execute("SET default_transaction_read_only = off")


@pytest.mark.django_db(transaction=True)
def test_ok_when_a_write_goes_through(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


@pytest.mark.django_db(transaction=True)
def test_503_while_another_connection_holds_the_write_lock(client, settings):
    settings.WAYPOINT_HEALTHZ_WAIT_MS = 300
    with write_lock_held_elsewhere():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert text.startswith("database refuses writes: no write within 300 ms: ")
    assert ("database is locked" in text) or ("lock timeout" in text)
    assert client.get("/healthz").status_code == 200  # and well again once it is released


@pytest.mark.django_db(transaction=True)
def test_503_when_the_database_is_read_only(client):
    with read_only_database():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert "read" in response.content.decode().lower()  # "readonly" / "read-only"
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_ok_when_another_probe_inserts_the_row_first(client, monkeypatch):
    """Several workers probing a new database each find no row to update; the ones that lose
    the race to insert it still count as a write, not as a refusal."""
    from django.db.models import QuerySet

    from waypoint.web.models import HealthProbe

    assert client.get("/healthz").status_code == 200
    monkeypatch.setattr(QuerySet, "update", lambda queryset, **values: 0)
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
    assert HealthProbe.objects.count() == 1
