"""`waypoint taxonomy SUBCOMMAND`: import, list and activate occupation/skill taxonomies."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waypoint.taxonomy import services
from waypoint.taxonomy.sources import SourceError


class Command(BaseCommand):
    help = "Occupation and skill taxonomies: import-esco, import-onet, list, activate."

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
        commands.add_parser("load-starter", help="(re)load the taxonomy bundled with Waypoint")
        commands.add_parser("list", help="the taxonomies in the database")
        activate = commands.add_parser("activate", help="use this taxonomy for matching")
        activate.add_argument("code")

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

    def handle_import_onet(self, path, skills, **options):
        self._import(lambda progress: services.import_onet(path, skills, progress))

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
