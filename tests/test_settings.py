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


def test_refuses_to_start_without_a_secret_key(tmp_path):
    result = run({}, "check", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "WAYPOINT_SECRET_KEY is not set" in result.stderr


def test_refuses_the_development_key_in_production(tmp_path):
    from waypoint.settings import DEVELOPMENT_SECRET_KEY

    result = run({"WAYPOINT_SECRET_KEY": DEVELOPMENT_SECRET_KEY}, "check", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "development key" in result.stderr


def test_refuses_to_start_without_a_data_key(tmp_path):
    result = run({"WAYPOINT_SECRET_KEY": secrets.token_urlsafe(50)}, "check", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "WAYPOINT_DATA_KEYS is not set" in result.stderr


def test_debug_runs_without_a_key_and_creates_home(tmp_path):
    result = run({"WAYPOINT_DEBUG": "1"}, "check", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "home").is_dir()


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
