import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waypoint.audit.exports import csv_rows
from waypoint.audit.selectors import events_for


class _Operator:
    """Whoever runs the command already has shell access to every row of the database."""

    is_authenticated = True
    effective_scope = "all"

    def has_perm(self, permission: str) -> bool:
        return True


class Command(BaseCommand):
    help = "Write audit events as CSV (UTF-8), oldest first."

    def add_arguments(self, parser):
        parser.add_argument("--since", default="", help="first local day, YYYY-MM-DD")
        parser.add_argument("--until", default="", help="last local day, YYYY-MM-DD")
        parser.add_argument("--veteran", default="", help="only events about this veteran id")
        parser.add_argument("--output", default="-", help="file to write; - for stdout")

    def handle(self, *args, since, until, veteran, output, **options):
        for name, value in (("--since", since), ("--until", until)):
            if value:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise CommandError(
                        f"{name} must be a date as YYYY-MM-DD, not {value!r}"
                    ) from None
        events = events_for(_Operator(), since=since, until=until, veteran=veteran)
        lines = csv_rows(events.order_by("at", "id"))
        if output == "-":
            sys.stdout.writelines(lines)
            return
        with Path(output).open("w", encoding="utf-8", newline="") as stream:
            stream.writelines(lines)
