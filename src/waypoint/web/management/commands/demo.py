from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


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
        from waypoint.appeals.demo import build_appeals_demo
        from waypoint.cases.demo import build_cases_demo
        from waypoint.employment.demo import build_employment_demo
        from waypoint.leadership.demo import build_leadership_demo
        from waypoint.orientation.services import orient_all
        from waypoint.people.demo import DEMO_PASSWORD, build_demo
        from waypoint.training.demo import build_training_demo
        from waypoint.wellbeing.demo import build_wellbeing_demo

        database = settings.DATABASES["default"]
        if connection.vendor != "sqlite" or not str(database["NAME"]).endswith("demo.sqlite3"):
            raise CommandError("run the demo as `waypoint demo`: it uses its own SQLite file")
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(database["NAME"]) + suffix).unlink(missing_ok=True)
        call_command("migrate", verbosity=0)
        logins = build_demo(seed=seed, veterans=veterans)
        build_training_demo(seed=seed)
        build_employment_demo(seed=seed)
        build_leadership_demo(seed=seed)
        build_cases_demo(seed=seed)
        build_appeals_demo(seed=seed)
        build_wellbeing_demo(seed=seed)
        oriented = orient_all()
        self.stdout.write(f"Demo database: {database['NAME']}")
        self.stdout.write(
            f"{veterans} synthetic veterans ({oriented} with ranked occupations). "
            f"Sign in with password: {DEMO_PASSWORD}"
        )
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.role}: {login.organisation}")
        if not no_serve:
            call_command("serve", port=port)
