from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waypoint.accounts.models import User
from waypoint.kit.tabular import TableError
from waypoint.people.import_jobs import ImportBusy, import_veterans
from waypoint.people.importing import COLUMNS


class Command(BaseCommand):
    help = (
        "Import veterans from a .csv or .xlsx file. All rows or none, unless --skip-invalid. "
        "Runs here, in batches, as the import page's worker does. Columns: " + ", ".join(COLUMNS)
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
                job = import_veterans(
                    actor=actor,
                    stream=stream,
                    filename=path.name,
                    dry_run=dry_run,
                    skip_invalid=skip_invalid,
                    encoding=encoding,
                )
        except (TableError, ImportBusy) as exc:
            raise CommandError(str(exc)) from None
        for row in job.rejections.all():
            self.stderr.write(f"line {row.line}: {row.field}: {row.reason}")
        verb = "imported" if job.committed else ("checked" if dry_run else "NOT imported")
        self.stdout.write(
            f"{job.total} rows {verb}: {job.created} new, {job.existing} already "
            f"registered, {job.rejected_lines} rejected (import {job.pk})"
        )
        if job.rejected_lines and not job.committed and not dry_run:
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
