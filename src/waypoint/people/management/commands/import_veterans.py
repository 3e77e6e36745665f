from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waypoint.accounts.models import User
from waypoint.kit.tabular import TableError
from waypoint.people.importing import COLUMNS, import_veterans


class Command(BaseCommand):
    help = (
        "Import veterans from a .csv or .xlsx file. All rows or none, unless --skip-invalid. "
        "Columns: " + ", ".join(COLUMNS)
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid rows even when some are rejected",
        )
        parser.add_argument("--encoding", default="utf-8", help="of a CSV file, e.g. cp1251")
        parser.add_argument(
            "--as",
            dest="username",
            default="",
            help="the importing user (default: the first active superuser)",
        )

    def handle(self, *args, file, dry_run, skip_invalid, encoding, username, **options):
        actor = self._actor(username)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            with path.open("rb") as stream:
                report = import_veterans(
                    actor=actor,
                    stream=stream,
                    filename=path.name,
                    dry_run=dry_run,
                    skip_invalid=skip_invalid,
                    encoding=encoding,
                )
        except TableError as exc:
            raise CommandError(str(exc)) from None
        for row in report.rejected:
            self.stderr.write(f"line {row.line}: {row.field}: {row.reason}")
        verb = "imported" if report.committed else ("checked" if dry_run else "NOT imported")
        self.stdout.write(
            f"{report.total} rows {verb}: {report.created} new, {report.existing} already "
            f"registered, {report.rejected_lines} rejected"
        )
        if report.rejected and not report.committed and not dry_run:
            raise SystemExit(1)

    @staticmethod
    def _actor(username: str) -> User:
        if username:
            actor = User.objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"--as: no active user {username!r}")
            return actor
        actor = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if actor is None:
            raise CommandError("name the importing user with --as USERNAME")
        return actor
