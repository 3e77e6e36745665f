from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

# Printed after the demo is built and tested to run as printed (tests/test_cli.py).
REPORT_EXAMPLE = "report monthly --month 2026-11 --out report.pdf"


class Command(BaseCommand):
    help = (
        "Build a fresh demo on its own SQLite database (WAYPOINT_HOME/demo.sqlite3): demo "
        "users for every role and synthetic veterans, then serve it on 127.0.0.1:8000."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="build the demo and exit")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--veterans", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, no_serve, port, veterans, seed, **options):
        from waypoint.people.demo import DEMO_PASSWORD
        from waypoint.web.demo import build_world

        database = settings.DATABASES["default"]
        if connection.vendor != "sqlite" or not str(database["NAME"]).endswith("demo.sqlite3"):
            raise CommandError("run the demo as `waypoint demo`: it uses its own SQLite file")
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(database["NAME"]) + suffix).unlink(missing_ok=True)
        call_command("migrate", verbosity=0)
        logins, oriented = build_world(seed=seed, veterans=veterans)
        self.stdout.write(f"Demo database: {database['NAME']}")
        self.stdout.write(
            f"{veterans} synthetic veterans ({oriented} with ranked occupations). "
            f"Sign in with password: {DEMO_PASSWORD}"
        )
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.role}: {login.organisation}")
        self.stdout.write(
            "Other commands run on this demo with --demo, for example: "
            f"waypoint --demo {REPORT_EXAMPLE}"
        )
        if not no_serve:
            # One process: the demo is one person's SQLite file, which takes one writer at a
            # time whatever the number of workers, and Ctrl+C stops it the same on every system.
            call_command("serve", port=port, workers=1)
