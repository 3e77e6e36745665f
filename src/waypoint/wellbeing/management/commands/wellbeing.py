"""`waypoint wellbeing score|instruments|export-questionnaire|import-questionnaire|rotate-key`.

score                 exact scoring of answers (also works without settings; see cli.py)
instruments           every instrument loaded, with its source and licence (checks the files)
export-questionnaire  an instrument as a FHIR R4 Questionnaire (JSON on stdout or --output)
import-questionnaire  add an organisation's instrument from a Questionnaire Waypoint exported
rotate-key            reseal every sealed field with the newest key of WAYPOINT_DATA_KEYS
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waypoint.wellbeing import exchange, fhir, instruments, keys, scorecli
from waypoint.wellbeing.scoring import ScoringError


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        scorecli.build_parser(commands.add_parser("score", help="score answers"))
        commands.add_parser("instruments", help="list and check the instruments")
        export = commands.add_parser("export-questionnaire", help="FHIR Questionnaire")
        export.add_argument("instrument")
        export.add_argument("--output", type=Path)
        imported = commands.add_parser("import-questionnaire", help="add an instrument")
        imported.add_argument("file", type=Path)
        commands.add_parser("rotate-key", help="reseal with the newest data key")

    def handle(self, *args, action, **options):
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except (instruments.InstrumentError, ScoringError, fhir.FhirError) as exc:
            raise CommandError(str(exc), returncode=2) from exc

    def _score(self, instrument, answers, sex, json, **options):
        self.stdout.write(scorecli.run(instrument, answers, sex, json))

    def _instruments(self, **options):
        for instrument in instruments.all_instruments().values():
            self.stdout.write(
                f"{instrument.id:10} {instrument.name:10} {len(instrument.items):3} items  "
                f"{instrument.source}  {instrument.licence[:60]}"
            )

    def _export_questionnaire(self, instrument, output, **options):
        text = json.dumps(
            fhir.questionnaire(instruments.get(instrument)), ensure_ascii=False, indent=2
        )
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text)

    def _import_questionnaire(self, file, **options):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{file}: not a readable JSON file ({exc})", returncode=2) from exc
        path = exchange.import_questionnaire(data, name=file.name)
        self.stdout.write(f"added {path}")

    def _rotate_key(self, **options):
        counts = keys.rotate()
        self.stdout.write(
            "resealed " + ", ".join(f"{name}: {count}" for name, count in counts.items())
        )
