import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waypoint.accounts.models import User
from waypoint.accounts.roles import ROLES
from waypoint.people.demo import build_demo
from waypoint.people.models import Consent, Veteran, WorkLimitation

WAYPOINT = Path(sys.executable).with_name("waypoint")


def test_build_demo(db):
    logins = build_demo(veterans=40)
    roles = {
        group for user in User.objects.all() for group in user.groups.values_list("name", flat=True)
    }
    assert roles == {role.code for role in ROLES}
    assert len({login.username for login in logins}) == len(logins)
    assert Veteran.objects.count() == 40
    assert Veteran.objects.values("region").distinct().count() >= 4
    with_consent = Veteran.objects.filter(consents__purpose="personal_data").distinct()
    assert with_consent.count() == 40
    for limitation in WorkLimitation.objects.all():
        assert Consent.objects.filter(veteran=limitation.veteran, purpose="health_data").exists()
    assert Veteran.objects.filter(account__username="veteran").count() == 1


def test_demo_command_builds_and_exits(tmp_path):
    env = {**os.environ, "WAYPOINT_HOME": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [str(WAYPOINT), "demo", "--no-serve", "--veterans", "30"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "coordinator" in result.stdout
    assert (tmp_path / "demo.sqlite3").exists()
    again = subprocess.run(
        [str(WAYPOINT), "demo", "--no-serve", "--veterans", "30"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 0, again.stderr


def test_createadmin(db, monkeypatch, capsys):
    monkeypatch.setenv("WAYPOINT_ADMIN_PASSWORD", "a-long-admin-passphrase")
    call_command("createadmin", "chief", "--organisation", "Фонд, центральный аппарат")
    chief = User.objects.get(username="chief")
    assert chief.is_superuser
    assert chief.has_perm("people.view_veteran")
    assert chief.password.startswith("argon2")
    with pytest.raises(CommandError, match="taken"):
        call_command("createadmin", "chief")


def test_create_api_token(coordinator, capsys):
    call_command("create_api_token", coordinator.username, "--name", "sync")
    assert capsys.readouterr().out.startswith("wp_")
    with pytest.raises(CommandError, match="no active user"):
        call_command("create_api_token", "nobody", "--name", "sync")


def test_dashes_map_to_commands(tmp_path):
    env = {**os.environ, "WAYPOINT_HOME": str(tmp_path)}
    result = subprocess.run(
        [str(WAYPOINT), "import-veterans", "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert "consent_personal_data" in result.stdout
    result = subprocess.run(
        [str(WAYPOINT), "manage", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
