"""API fuzzing: schemathesis, every phase, over the whole API as eight personas, against a live
server on a demo world in PostgreSQL.

    .venv/bin/python bench/api_fuzz.py [--examples N] [--veterans N] [--seed N] [--keep]

With DATABASE_URL set, that database is migrated and used; otherwise a scratch database is
created on the local server (postgres@127.0.0.1:5432) and dropped afterwards.

The world is the demo's (`waypoint demo`: a user for every role, synthetic veterans with
service records, cases, tasks, notes, referrals, vacancies, applications, placements,
training, the leadership track, appeals and well-being screenings). The server is `waypoint
serve` in production settings (DEBUG off). Each persona (coordinator, counsellor, clinician,
employer, analyst, admin, veteran, operator) gets a bearer token, and schemathesis runs the
examples, coverage, fuzzing and stateful phases against the OpenAPI document with its checks
not_a_server_error, response_schema_conformance, status_code_conformance and
content_type_conformance, up to N examples per operation and phase. The personas run one
after the other on the same world, so each meets what the others' requests left.

Each failure is printed with the operation and the persona. The last line is
`RESULT cases=… server_errors=… schema_violations=… seconds=…`: test cases generated, failures
of not_a_server_error, failures of the three conformance checks, and the time fuzzing took.
"""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import scratch_db

ROOT = Path(__file__).resolve().parents[1]
PERSONAS = (
    "coordinator",
    "counsellor",
    "clinician",
    "employer",
    "analyst",
    "admin",
    "veteran",
    "operator",
)
CHECKS = (
    "not_a_server_error",
    "response_schema_conformance",
    "status_code_conformance",
    "content_type_conformance",
)
SERVER_ERROR = "ST101"  # schemathesis's code for a failure of not_a_server_error


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=25, help="per operation and phase")
    parser.add_argument("--veterans", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    return parser.parse_args()


def environment(database_url: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "waypoint.settings",
        "WAYPOINT_HOME": tempfile.mkdtemp(prefix="wp-bench-api-fuzz-"),
        "WAYPOINT_DEBUG": "0",
        "WAYPOINT_HTTPS": "0",
        "WAYPOINT_SECRET_KEY": secrets.token_urlsafe(50),
        "WAYPOINT_DATA_KEYS": Fernet.generate_key().decode(),
        "WAYPOINT_ALLOWED_HOSTS": "127.0.0.1",
    }


def build_world(arguments: argparse.Namespace) -> dict[str, str]:
    """Migrates, builds the demo, and returns a bearer token per persona."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from waypoint.accounts.models import User
    from waypoint.accounts.services import issue_api_token
    from waypoint.web.demo import build_world as build_demo_world

    call_command("migrate", verbosity=0)
    _, oriented = build_demo_world(seed=arguments.seed, veterans=arguments.veterans)
    print(f"demo world: {arguments.veterans} veterans, {oriented} with ranked occupations")
    tokens = {
        persona: issue_api_token(
            actor=None, user=User.objects.get(username=persona), name="api fuzz bench"
        )
        for persona in PERSONAS
    }
    connections.close_all()
    return tokens


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    """`waypoint serve`, its log (every 4xx is a line) in a file: a pipe nobody reads fills up
    and stops the server."""
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "waypoint", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"the server did not start:\n{log.read_text()}")


def fuzz(url: str, persona: str, token: str, arguments, report: Path) -> dict:
    command = [
        str(Path(sys.executable).with_name("st")),
        "run",
        url,
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        ",".join(CHECKS),
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(arguments.examples),
        "--seed",
        str(arguments.seed),
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--no-color",
        "--report",
        "json",
        "--report-json-path",
        str(report),
    ]
    # In the scratch home: schemathesis keeps a cache of its findings where it runs.
    finished = subprocess.run(
        command, cwd=report.parent, capture_output=True, text=True, check=False
    )
    if not report.exists():
        raise SystemExit(f"schemathesis failed as {persona}:\n{finished.stdout}\n{finished.stderr}")
    found = json.loads(report.read_text())
    if found["failures"]:
        # The terminal report has the failing request as a curl command for each failure.
        print(finished.stdout)
    return found


def main() -> None:
    arguments = parse()
    sys.stdout.reconfigure(line_buffering=True)  # progress as it happens, also into a file
    database_url, scratch = scratch_db.create("wp_bench_api_fuzz")
    env = environment(database_url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    server = None
    try:
        started = time.perf_counter()
        tokens = build_world(arguments)
        print(f"built the world in {time.perf_counter() - started:.0f} s")
        port = free_port()
        reports = Path(env["WAYPOINT_HOME"])
        server = serve(env, port, reports / "server.log")
        url = f"http://127.0.0.1:{port}/api/v1/openapi.json"
        cases = server_errors = violations = 0
        started = time.perf_counter()
        for persona in PERSONAS:
            begun = time.perf_counter()
            found = fuzz(url, persona, tokens[persona], arguments, reports / f"{persona}.json")
            generated = found["test_cases"]["generated"]
            errors = sum(f["count"] for f in found["failures"] if f["code"] == SERVER_ERROR)
            others = sum(f["count"] for f in found["failures"] if f["code"] != SERVER_ERROR)
            cases, server_errors, violations = (
                cases + generated,
                server_errors + errors,
                violations + others,
            )
            for failure in found["failures"]:
                where = ", ".join(failure["operations"])
                print(f"  {persona}: {failure['title']} ({failure['count']}): {where}")
            for error in found["errors"]:
                print(f"  {persona}: could not test: {error['title']} ({error['count']})")
            print(
                f"{persona}: {generated} cases, {errors} server errors, {others} schema "
                f"violations in {time.perf_counter() - begun:.0f} s"
            )
        seconds = time.perf_counter() - started
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not arguments.keep:
            scratch_db.drop(scratch)
    print(
        f"RESULT cases={cases} server_errors={server_errors} "
        f"schema_violations={violations} seconds={seconds:.0f}"
    )


if __name__ == "__main__":
    main()
