"""Schemathesis against the live application: no request may get a 5xx, and every answer must
be what the OpenAPI document says (status, media type, body). Bounded for CI; bench/api_fuzz.py
runs every phase at length on PostgreSQL."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

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
            # Django's test server answers a kept-alive connection 40 ms late (Nagle against
            # delayed ACKs): a connection per request is five times faster.
            "--header",
            "Connection: close",
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


# The demo world needs the migrations' reference data (stages, task types, the taxonomy),
# which the flush after an earlier transactional test empties: serialized_rollback restores it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_server_error_and_no_schema_violation_for_any_persona(live_server, tmp_path):
    build_world(seed=2026, veterans=40)
    url = f"{live_server.url}/api/v1/openapi.json"
    failed = []
    for persona, phases, examples in RUNS:
        token = issue_api_token(actor=None, user=User.objects.get(username=persona), name="CI")
        report = tmp_path / f"{persona}.json"
        finished = _schemathesis(url, token, phases, examples, report)
        found = json.loads(report.read_text()) if report.exists() else None
        if found is None or found["failures"] or found["errors"]:
            failed.append(f"as {persona}:\n{finished.stdout[-6000:]}{finished.stderr[-2000:]}")
    assert not failed, "\n".join(failed)
