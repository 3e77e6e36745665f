"""The PostgreSQL database a benchmark runs on: DATABASE_URL when set, otherwise a scratch
database created on the local server (postgres@127.0.0.1:5432) and dropped afterwards."""

import os
import subprocess

ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def create(prefix: str) -> tuple[str, str | None]:
    """The database URL to use, and the scratch database to drop afterwards (if any)."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"], None
    name = f"{prefix}_{os.getpid()}"
    subprocess.run(["psql", ADMIN_URL, "-qc", f"CREATE DATABASE {name}"], check=True)
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name, name


def drop(name: str | None) -> None:
    if name:
        # FORCE: this process may still hold a connection, even after a failed setup.
        drop = f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        subprocess.run(["psql", ADMIN_URL, "-qc", drop], check=False)
