"""Schemathesis against the live application: no request may get a 5xx, and every answer must
be what the OpenAPI document says (status, media type, body). Bounded for CI; bench/api_fuzz.py
runs every phase at length on PostgreSQL against `waypoint serve`."""

import json
import subprocess
import sys
import threading
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections

from waypoint.accounts.models import User
from waypoint.accounts.services import issue_api_token
from waypoint.web.demo import build_world

CHECKS = (
    "not_a_server_error",
    "response_schema_conformance",
    "status_code_conformance",
    "content_type_conformance",
)
# The administrator reaches nearly every operation past its permission check: the coverage
# phase (each parameter's boundaries and the values just outside them) runs as them; the
# fuzzing phase runs as every main persona, whose permissions lead down other paths.
RUNS = [
    ("admin", "examples,coverage,fuzzing", 4),
    *(
        (persona, "fuzzing", 4)
        for persona in (
            "coordinator",
            "counsellor",
            "clinician",
            "employer",
            "analyst",
            "veteran",
            "operator",
        )
    ),
]


def _schemathesis(url: str, token: str, phases: str, examples: int, report: Path):
    return subprocess.run(
        [
            str(Path(sys.executable).with_name("st")),
            "run",
            url,
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            ",".join(CHECKS),
            "--phases",
            phases,
            "--max-examples",
            str(examples),
            "--seed",
            "2026",
            "--workers",
            "1",
            "--generation-database",
            "none",
            "--no-color",
            "--report",
            "json",
            "--report-json-path",
            str(report),
        ],
        cwd=report.parent,  # schemathesis keeps a cache of its findings where it runs
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        """Every 4xx would be a line."""


@pytest.fixture
def live_app(db):
    """The application over HTTP, on this test's database connection and inside its
    transaction: the server reads what the test wrote, and all of it is rolled back after.

    pytest-django's live_server needs a transactional database that it flushes after the test,
    which empties the migrations' reference data (regions, stages, task types) for every
    transactional test that runs after this one, and its server answers a kept-alive connection
    40 ms late. One request at a time, as schemathesis sends them (--workers 1).
    """
    connection = connections[DEFAULT_DB_ALIAS]
    application = WSGIHandler()

    def on_the_test_connection(environ, start_response):
        connections[DEFAULT_DB_ALIAS] = connection
        return application(environ, start_response)

    # As Django's test client does: closing "old" connections would end the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    connection.inc_thread_sharing()
    server = make_server("127.0.0.1", 0, on_the_test_connection, WSGIServer, _Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        connection.dec_thread_sharing()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_no_server_error_and_no_schema_violation_for_any_persona(live_app, tmp_path):
    build_world(seed=2026, veterans=40)
    url = f"{live_app}/api/v1/openapi.json"
    failed = []
    for persona, phases, examples in RUNS:
        token = issue_api_token(actor=None, user=User.objects.get(username=persona), name="CI")
        report = tmp_path / f"{persona}.json"
        finished = _schemathesis(url, token, phases, examples, report)
        found = json.loads(report.read_text()) if report.exists() else None
        if found is None or found["failures"] or found["errors"]:
            failed.append(f"as {persona}:\n{finished.stdout[-6000:]}{finished.stderr[-2000:]}")
    assert not failed, "\n".join(failed)
