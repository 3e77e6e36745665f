"""Settings refuse unsafe configurations; a production configuration passes the deploy check."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

WAYPOINT = Path(sys.executable).with_name("waypoint")


def run(env_overrides: dict, *args: str, tmp_path: Path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("WAYPOINT_") and key != "DATABASE_URL"
    }
    env["WAYPOINT_HOME"] = str(tmp_path / "home")
    env.update(env_overrides)
    return subprocess.run(
        [str(WAYPOINT), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


SERVER_DATABASE = {"DATABASE_URL": "postgres://waypoint@db.example.org:5432/waypoint"}


def test_refuses_to_start_without_a_secret_key(tmp_path):
    result = run(SERVER_DATABASE, "check", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "WAYPOINT_SECRET_KEY is not set" in result.stderr


def test_refuses_the_development_key_in_production(tmp_path):
    from waypoint.settings import DEVELOPMENT_SECRET_KEY

    result = run(
        {**SERVER_DATABASE, "WAYPOINT_SECRET_KEY": DEVELOPMENT_SECRET_KEY},
        "check",
        tmp_path=tmp_path,
    )
    assert result.returncode != 0
    assert "development key" in result.stderr


def test_refuses_to_start_without_a_data_key(tmp_path):
    result = run(
        {**SERVER_DATABASE, "WAYPOINT_SECRET_KEY": secrets.token_urlsafe(50)},
        "check",
        tmp_path=tmp_path,
    )
    assert result.returncode != 0
    assert "WAYPOINT_DATA_KEYS is not set" in result.stderr


def test_debug_runs_without_a_key_and_creates_home(tmp_path):
    result = run({"WAYPOINT_DEBUG": "1"}, "check", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "home").is_dir()


def test_the_embedded_default_generates_its_keys_once_and_keeps_them(tmp_path):
    first = run({}, "check", tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    keys = tmp_path / "home" / "keys.json"
    assert keys.stat().st_mode & 0o777 == 0o600
    written = keys.read_text()
    again = run({}, "check", tmp_path=tmp_path)
    assert again.returncode == 0, again.stderr
    assert keys.read_text() == written
    warned = run({}, "check", "--deploy", tmp_path=tmp_path)
    assert "waypoint.W001" in warned.stdout + warned.stderr


def test_a_server_database_gets_no_generated_keys(tmp_path):
    result = run(SERVER_DATABASE, "check", tmp_path=tmp_path)
    assert result.returncode != 0
    assert not (tmp_path / "home" / "keys.json").exists()


def test_unknown_language_is_refused(tmp_path):
    result = run({"WAYPOINT_DEBUG": "1", "WAYPOINT_LANGUAGE": "xx"}, "check", tmp_path=tmp_path)
    assert "WAYPOINT_LANGUAGE must be one of" in result.stderr


def test_production_configuration_passes_the_deploy_check(tmp_path):
    result = run(
        {
            "WAYPOINT_SECRET_KEY": secrets.token_urlsafe(50),
            "WAYPOINT_DATA_KEYS": Fernet.generate_key().decode(),
            "WAYPOINT_ALLOWED_HOSTS": "waypoint.example.org",
            "WAYPOINT_EMAIL_HOST": "smtp.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
