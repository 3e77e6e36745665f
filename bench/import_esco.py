"""ESCO v1.1.1 import time on SQLite and PostgreSQL, first import and re-import, against the
issue's target of 60 s. Run from the repository root:

    .venv/bin/python bench/import_esco.py

Needs ../shared/data/esco-1.1.1 and PostgreSQL on 127.0.0.1:5432 (skipped when unreachable).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 60.0
ESCO = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "esco-1.1.1"
WAYPOINT = str(Path(sys.executable).with_name("waypoint"))


def run(env: dict, *args: str) -> float:
    started = time.monotonic()
    subprocess.run([WAYPOINT, *args], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def measure(name: str, database_url: str | None, home: str) -> dict[str, float]:
    env = {**os.environ, "WAYPOINT_DEBUG": "1", "WAYPOINT_HOME": home}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    run(env, "migrate", "-v0")
    zips = [str(path) for path in sorted(ESCO.glob("*.zip"))]
    first = run(env, "taxonomy", "import-esco", *zips)
    again = run(env, "taxonomy", "import-esco", *zips)
    print(
        f"{name:10s} first import {first:6.1f} s   re-import {again:6.1f} s   "
        f"target {TARGET_SECONDS:.0f} s   ratio target/first {TARGET_SECONDS / first:.1f}x"
    )
    return {
        f"{name}_first_s": first,
        f"{name}_reimport_s": again,
        f"{name}_ratio": TARGET_SECONDS / first,
    }


def main() -> None:
    if not ESCO.exists():
        sys.exit(f"{ESCO} is absent")
    figures: dict[str, float] = {}
    home = tempfile.mkdtemp(prefix="waypoint-bench-")
    try:
        figures |= measure("sqlite", None, home)
        database = f"waypoint_bench_{os.getpid()}"
        created = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-qc",
                f"CREATE DATABASE {database}",
            ],
            check=False,
        )
        if created.returncode == 0:
            try:
                url = f"postgres://postgres@127.0.0.1:5432/{database}"
                figures |= measure("postgres", url, home)
            finally:
                subprocess.run(
                    [
                        "psql",
                        "-h",
                        "127.0.0.1",
                        "-U",
                        "postgres",
                        "-d",
                        "postgres",
                        "-qc",
                        f"DROP DATABASE {database}",
                    ],
                    check=False,
                )
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print("RESULT " + " ".join(f"{key}={value:.2f}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
