"""`waypoint taxonomy SUBCOMMAND`: import, list and activate occupation/skill taxonomies."""

import csv
import json as json_module
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waypoint.taxonomy import label_files, normalization, russian, services
from waypoint.taxonomy.sources import SourceError


def _read_column(path: Path, column: str) -> list[str]:
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        if column not in (reader.fieldnames or []):
            raise CommandError(
                f"{path}: no column {column!r}; columns: " + ", ".join(reader.fieldnames or [])
            )
        return [row[column] or "" for row in reader]


class Command(BaseCommand):
    help = (
        "Occupation and skill taxonomies: import-esco, import-onet, load-starter, list, "
        "activate, normalize, extract-skills, import-labels, export-labels, name-in-russian."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        esco = commands.add_parser("import-esco", help="import the official ESCO CSV download")
        esco.add_argument(
            "paths",
            nargs="+",
            type=Path,
            help="the language pack zip(s) and the relations zip, or folders",
        )
        onet = commands.add_parser("import-onet", help="import the O*NET text database")
        onet.add_argument("path", type=Path, help="db_XX_X_text folder or zip")
        onet.add_argument(
            "--skills",
            type=Path,
            default=None,
            help="an O*NET Skills.txt to use when the database lacks one",
        )
        for name, about in (
            ("normalize", "free text → ranked occupations"),
            ("extract-skills", "sentences → ranked skills"),
        ):
            text = commands.add_parser(name, help=about)
            text.add_argument("text", nargs="?", help="one text (or use --input)")
            text.add_argument("--top", type=int, default=10)
            text.add_argument("--json", action="store_true", help="print JSON")
            text.add_argument("--input", type=Path, help="a CSV file with a column of texts")
            text.add_argument("--column", help="the column of --input to read")
            text.add_argument("--output", type=Path, help="CSV to write: row,rank,uri,score")
        commands.add_parser("load-starter", help="(re)load the taxonomy bundled with Waypoint")
        commands.add_parser("list", help="the taxonomies in the database")
        activate = commands.add_parser("activate", help="use this taxonomy for matching")
        activate.add_argument("code")
        for name, about in (
            ("import-labels", "import a label file: an organisation's own names (CSV)"),
            ("export-labels", "write every concept with its name so far, to extend and import"),
        ):
            labels = commands.add_parser(name, help=about)
            labels.add_argument("file", type=Path)
            labels.add_argument("--language", default="ru", help="the labels' language (ru)")
            labels.add_argument("--taxonomy", default="esco", help="taxonomy code (esco)")
        commands.add_parser(
            "name-in-russian",
            help="derive the Russian names of every taxonomy's concepts and ISCO-08 groups anew",
        )

    def handle(self, *args, subcommand, **options):
        handler = getattr(self, "handle_" + subcommand.replace("-", "_"))
        handler(**options)

    def _progress(self):
        if not sys.stderr.isatty():
            return services.silent
        started = time.monotonic()

        def report(step: str, count: int) -> None:
            self.stderr.write(f"  {time.monotonic() - started:6.1f} s  {step}: {count:,}")

        return report

    def _import(self, run) -> None:
        started = time.monotonic()
        try:
            summary = run(self._progress())
        except SourceError as exc:
            raise CommandError(f"{exc}. Nothing was written.") from None
        seconds = time.monotonic() - started
        relations = (
            f"{summary.occupation_skill_relations:,} occupation-skill relations "
            f"({summary.essential:,} essential, {summary.optional:,} optional)"
        )
        if summary.relations_not_stored:
            relations += (
                f" of which {summary.relations_not_stored:,} name an occupation "
                "that the language pack does not describe and are not stored"
            )
        self.stdout.write(
            f"{summary.taxonomy}: {summary.occupations:,} occupations, {summary.skills:,} "
            f"skills, {relations}, {summary.skill_skill_relations:,} skill-skill relations, "
            f"{summary.labels:,} labels, {summary.isco_groups:,} ISCO groups; "
            f"{summary.created:,} new, {summary.updated:,} updated, in {seconds:.1f} s"
        )

    def handle_import_esco(self, paths, **options):
        self._import(lambda progress: services.import_esco(paths, progress))
        self._warm_up()

    def _warm_up(self) -> None:
        """Fit the active taxonomy's text index now, so that the next command starts fast."""
        started = time.monotonic()
        taxonomy = normalization.active_taxonomy()
        normalization.warm_up(taxonomy)
        self.stdout.write(f"text index of {taxonomy} ready in {time.monotonic() - started:.1f} s")

    def handle_import_onet(self, path, skills, **options):
        self._import(lambda progress: services.import_onet(path, skills, progress))

    def handle_normalize(self, **options):
        self._text(normalization.normalize, **options)

    def handle_extract_skills(self, **options):
        self._text(normalization.extract_skills, **options)

    def _text(self, run, *, text, top, json, input, column, output, **options):
        if top < 1:
            raise CommandError("--top must be at least 1")
        try:
            if input is None:
                if not text:
                    raise CommandError("give a TEXT or --input FILE.csv --column NAME")
                self._print(text, run([text], top)[0], json)
                return
            if not column or not output:
                raise CommandError("--input needs --column NAME and --output FILE.csv")
            texts = _read_column(input, column)
            results = run(texts, top)
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        with output.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(["row", "rank", "uri", "score"])
            for row, candidates in enumerate(results):
                for rank, candidate in enumerate(candidates, start=1):
                    writer.writerow([row, rank, candidate.uri, f"{candidate.score:.6f}"])
        self.stderr.write(f"{len(texts):,} rows → {output}")

    def _print(self, text, candidates, as_json: bool) -> None:
        if as_json:
            self.stdout.write(
                json_module.dumps(
                    {
                        "text": text,
                        "candidates": [
                            {
                                "rank": rank,
                                "uri": c.uri,
                                "label": c.label,
                                "score": round(c.score, 6),
                            }
                            for rank, c in enumerate(candidates, start=1)
                        ],
                    },
                    ensure_ascii=False,
                )
            )
            return
        for rank, candidate in enumerate(candidates, start=1):
            self.stdout.write(
                f"{rank:3d}  {candidate.score:.3f}  {candidate.label}  <{candidate.uri}>"
            )

    def handle_load_starter(self, **options):
        self._import(services.load_starter)

    def handle_list(self, **options):
        for taxonomy, occupations, skills in services.taxonomies_with_counts():
            mark = "*" if taxonomy.is_active else " "
            self.stdout.write(
                f"{mark} {taxonomy.code:<10} {taxonomy}  "
                f"{occupations:,} occupations, {skills:,} skills"
            )

    def handle_activate(self, code, **options):
        try:
            taxonomy = services.activate(code)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{taxonomy} is now used for matching.")
        self._warm_up()

    def handle_import_labels(self, file, language, taxonomy, **options):
        try:
            summary = label_files.import_label_file(
                actor=None, path=file, taxonomy_code=taxonomy, language=language
            )
        except label_files.LabelFileError as exc:
            raise CommandError(f"{file}: {exc}. Nothing was written.") from None
        self.stdout.write(
            f"{summary.taxonomy}: {summary.rows:,} labels read ({summary.created:,} new, "
            f"{summary.updated:,} changed, {summary.unchanged:,} unchanged), "
            f"{summary.blank:,} rows without a label of their own left as they were"
        )
        self._names(summary.taxonomy, summary.names)

    def handle_export_labels(self, file, language, taxonomy, **options):
        try:
            with file.open("w", encoding="utf-8", newline="") as stream:
                count = label_files.export_labels(stream, taxonomy, language)
        except label_files.LabelFileError as exc:
            file.unlink(missing_ok=True)
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{count:,} concepts → {file}")

    def handle_name_in_russian(self, **options):
        for code, counts in russian.refresh_all().items():
            self._names(code, counts)

    def _names(self, taxonomy, counts) -> None:
        for kind, tally in counts.items():
            total = sum(tally.values())
            named = total - tally.get("", 0)
            sources = ", ".join(
                f"{source} {count:,}" for source, count in sorted(tally.items()) if source
            )
            self.stdout.write(
                f"{taxonomy}: {named:,} of {total:,} {kind}s named in Russian ({sources or 'none'})"
            )
