"""`waypoint crosswalk SUBCOMMAND`: the military specialty crosswalk."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waypoint.crosswalk import catalogue, ranking


class Command(BaseCommand):
    help = (
        "Military specialty crosswalk: import FILE.csv (transactional, idempotent; columns "
        "in docs/orientation.md), export [--output FILE.csv], match TEXT …"
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        loading = commands.add_parser("import", help="create or update entries from a CSV file")
        loading.add_argument("path", type=Path)
        export = commands.add_parser("export", help="every entry as CSV, in the import format")
        export.add_argument("--output", type=Path, help="a file to write (default: stdout)")
        match = commands.add_parser("match", help="which entries specialty texts name")
        match.add_argument("texts", nargs="+")

    def handle(self, *args, subcommand, **options):
        if subcommand == "import":
            self._import(options["path"])
        elif subcommand == "export":
            self._export(options["output"])
        else:
            for text, found in zip(options["texts"], ranking.match(options["texts"]), strict=True):
                entries = [
                    {"key": f.entry.key, "name": f.name, "score": round(f.score, 3)}
                    | {"isco": f.entry.isco}
                    for f in found
                ]
                self.stdout.write(
                    json.dumps({"text": text, "entries": entries}, ensure_ascii=False)
                )

    def _import(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not UTF-8 ({exc})") from None
        try:
            summary = catalogue.import_csv(text, name=path.name)
        except catalogue.CatalogueError as exc:
            raise CommandError("nothing imported:\n" + "\n".join(exc.problems)) from None
        self.stdout.write(
            f"{len(summary.created)} created, {len(summary.updated)} updated, "
            f"{summary.unchanged} unchanged"
        )

    def _export(self, output: Path | None) -> None:
        if output is None:
            catalogue.export_csv(sys.stdout)
            return
        with output.open("w", encoding="utf-8", newline="") as stream:
            count = catalogue.export_csv(stream)
        self.stdout.write(f"{count} entries written to {output}")
