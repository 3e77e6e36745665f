"""`waypoint import-vacancies FILE [--source NAME] [--encoding cp1251]`."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waypoint.employment.importing import VacancyFileError, import_vacancies

SHOWN = 50


class Command(BaseCommand):
    help = (
        "Import vacancies from the national job portal's open data (JSON with vacancies[]) or "
        "CSV: one transaction, idempotent by source id, bad records reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="trudvsem", help="where the ids come from")
        parser.add_argument("--encoding", default="utf-8")

    def handle(self, *args, file, source, encoding, **options):
        started = time.monotonic()

        def progress(read: int) -> None:
            if self.stderr.isatty():
                self.stderr.write(f"\r{read:,} records read", ending="")

        try:
            report = import_vacancies(file, source=source, encoding=encoding, progress=progress)
        except (VacancyFileError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: {exc}; nothing was imported") from None
        for number, field, rule in report.rejected[:SHOWN]:
            self.stderr.write(f"record {number}: {field}: {rule}")
        if len(report.rejected) > SHOWN:
            self.stderr.write(f"… and {len(report.rejected) - SHOWN:,} more rejected records")
        self.stdout.write(
            f"{report.read:,} records read: {report.created:,} vacancies new, {report.updated:,} "
            f"updated, {len(report.rejected):,} rejected; {report.employers_created:,} new "
            f"employers; in {time.monotonic() - started:.1f} s"
        )
