"""`waypoint orient`: rank civilian occupations for one veteran, for everyone, or for a what-if
profile in a JSON file."""

import json
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from waypoint.orientation import services
from waypoint.people.models import Veteran


class Command(BaseCommand):
    help = (
        "Vocational orientation: --veteran ID (stored), --all (stored, in batches), or "
        "--profile FILE.json (not stored; keys in docs/orientation.md)."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--veteran", type=int, help="a veteran's number")
        which.add_argument("--all", action="store_true", help="every new or active veteran")
        which.add_argument("--profile", type=Path, help="a what-if profile as a JSON object")
        parser.add_argument("--top", type=int, default=services.TOP)
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--batch", type=int, default=services.BATCH)

    def handle(self, *args, veteran, all, profile, top, json, batch, **options):
        if not 1 <= top <= 100:
            raise CommandError("--top must lie between 1 and 100")
        try:
            if profile is not None:
                results = services.as_dicts(services.what_if(_read(profile), top))
            elif veteran is not None:
                found = Veteran.objects.filter(pk=veteran).first()
                if found is None:
                    raise CommandError(f"no veteran number {veteran}")
                results = services.results_of(services.orient_one(found, top))
            else:
                self._all(top, batch)
                return
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from None
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        self._print(results, json)

    def _all(self, top: int, batch: int) -> None:
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        started = time.monotonic()
        total = Veteran.objects.filter(status__in=services.ORIENTED_STATUSES).count()

        def progress(done: int) -> None:
            if self.stderr.isatty():
                self.stderr.write(f"\r{done:,} / {total:,} veterans", ending="")

        done = services.orient_all(k=top, batch=batch, progress=progress)
        seconds = time.monotonic() - started
        if self.stderr.isatty():
            self.stderr.write("")
        self.stdout.write(
            f"{done:,} veterans oriented in {seconds:.1f} s ({done / max(seconds, 1e-9):,.0f}/s)"
        )

    def _print(self, results: list[dict], as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(results, ensure_ascii=False))
            return
        for item in results:
            self.stdout.write(
                f"{item['rank']:3d}  {item['score']:.3f}  {item['label']}  "
                f"[ISCO {item['isco_group']}]  <{item['uri']}>"
            )
            if item["missing"]:
                missing = ", ".join(skill["label"] for skill in item["missing"])
                self.stdout.write(f"       missing: {missing}")


def _read(path: Path) -> object:
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(f"{path}: not JSON ({exc})") from None


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {' '.join(m)}" for field, m in exc.message_dict.items())
    return "; ".join(exc.messages)
