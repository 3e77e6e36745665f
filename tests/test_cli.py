"""The `waypoint` command as a newcomer meets it: help without any configuration, a missing
setting named in one line, and `--demo` to run any command on the demo's database."""

import subprocess
import sys
import tempfile


def waypoint(*args, home=None, database_url=None):
    # Never the developer's own data directory: the embedded default writes its keys there.
    home = home or tempfile.mkdtemp()
    env = {"PATH": "/usr/bin:/bin", "WAYPOINT_HOME": str(home)}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "waypoint", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=home,
    )


def test_help_lists_waypoint_commands_without_configuration():
    for args in [(), ("--help",), ("help",)]:
        done = waypoint(*args)
        assert done.returncode == 0, done.stderr
        assert "--demo" in done.stdout
        for command in ("import-veterans", "orient", "report", "serve", "worker"):
            assert f"  {command} " in done.stdout
        assert "Traceback" not in done.stderr


def test_a_commands_help_needs_no_configuration():
    done = waypoint("report", "--help")
    assert done.returncode == 0, done.stderr
    assert "--month" in done.stdout


def test_a_missing_setting_is_one_line_naming_it(tmp_path):
    done = waypoint("check", home=tmp_path, database_url="postgres://db.example.org/waypoint")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().startswith("waypoint: WAYPOINT_SECRET_KEY is not set")


def test_commands_work_after_the_demo_without_any_variable(tmp_path):
    done = waypoint("--demo", "migrate", "--verbosity", "0", home=tmp_path)
    assert done.returncode == 0, done.stderr
    from waypoint.web.management.commands.demo import REPORT_EXAMPLE

    report = waypoint("--demo", *REPORT_EXAMPLE.split(), home=tmp_path)
    assert report.returncode == 0, report.stderr
    # Without --demo the embedded default needs no keys either: they were generated once.
    check = waypoint("check", home=tmp_path)
    assert check.returncode == 0, check.stderr
    assert (tmp_path / "keys.json").exists()


def test_demo_flag_runs_a_command_on_the_demo_database(tmp_path):
    done = waypoint("--demo", "migrate", "--verbosity", "0", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "demo.sqlite3").exists()
    assert not (tmp_path / "waypoint.sqlite3").exists()
