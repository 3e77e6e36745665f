"""`waypoint report monthly --region R --month YYYY-MM --out FILE.pdf [--language ru]`: the
monthly report, built as the server (every region, every panel: whoever runs the command
already has the database at hand)."""

import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waypoint.analytics import report
from waypoint.analytics.access import ServerViewer
from waypoint.regions.models import Region


class Command(BaseCommand):
    help = "Write a report of the analytics (monthly: one region or all, one month) as PDF."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["monthly"])
        parser.add_argument("--region", default="", help="a region code; empty: all regions")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--out", required=True, type=Path, help="the PDF file to write")
        parser.add_argument("--language", default="en", choices=["en", "ru"])

    def handle(self, *args, kind, region, month, out, language, **options):
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
            raise CommandError(f"--month must be YYYY-MM, not {month!r}", returncode=2)
        if region and not Region.objects.filter(code=region).exists():
            raise CommandError(f"--region: no region with code {region!r}", returncode=2)
        data = report.render(ServerViewer(), region, month, language)
        try:
            out.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"--out: cannot write {out} ({exc.strerror})") from exc
        self.stdout.write(f"wrote {out} ({len(data) // 1024} KB)")
