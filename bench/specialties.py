"""Military specialty → civilian occupations: top-5 hit rates on the dev set, with the
crosswalk and without it (the baseline), on the starter taxonomy and on ESCO v1.1.1.

    .venv/bin/python bench/specialties.py [--home DIR] [--input FILE.csv] [--misses]

Imports ESCO v1.1.1 from ../shared/data into a fresh SQLite database (or reuses --home if it
holds one, as bench/eval_text.py does), then ranks each description through the path of
`waypoint orient --profile FILE.json --json --top 5` with {"military_specialties": [text]}.
A description hits when one of the top 5 occupations is in one of its acceptable ISCO-08
groups (column `isco`, codes separated by semicolons; a shorter code accepts every unit group
under it). The input defaults to tests/orientation/specialties.csv (columns language, text,
isco). The baseline switches every crosswalk entry off. The last line is
`RESULT ru_top5=… en_top5=… ru_top5_baseline=… en_top5_baseline=…` on ESCO, followed by the
same figures on the starter taxonomy (starter_…).
"""

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

from esco_home import ESCO, prepare

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "orientation" / "specialties.csv"
TOP = 5


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    for row in rows:
        row["wanted"] = [code.strip() for code in row["isco"].split(";") if code.strip()]
    return rows


def ranked(rows: list[dict], what_if) -> list[tuple[bool, list]]:
    """Each row's top 5, and whether one of them is in a wanted group."""
    out = []
    for row in rows:
        top = what_if({"military_specialties": [row["text"]]}, TOP)[:TOP]
        out.append((any(r.isco_group.startswith(tuple(row["wanted"])) for r in top), top))
    return out


def measure(rows: list[dict], taxonomy: str, show_misses: bool) -> dict[str, float]:
    from waypoint.crosswalk.models import Specialty
    from waypoint.orientation import services
    from waypoint.taxonomy import services as taxonomies

    taxonomies.activate(taxonomy)
    active = list(Specialty.objects.filter(is_active=True).values_list("pk", flat=True))
    figures: dict[str, float] = {}
    try:
        for suffix, on in (("_baseline", False), ("", True)):
            Specialty.objects.filter(pk__in=active).update(is_active=on)
            started = time.perf_counter()
            found = ranked(rows, services.what_if)
            figures[f"{taxonomy}_seconds{suffix}"] = time.perf_counter() - started
            for language in ("ru", "en"):
                mine = [
                    hit
                    for row, (hit, _top) in zip(rows, found, strict=True)
                    if row["language"] == language
                ]
                if mine:
                    figures[f"{language}_top5{suffix}"] = statistics.mean(mine)
                    figures[f"{language}_items"] = len(mine)
            if show_misses and on:
                for row, (hit, top) in zip(rows, found, strict=True):
                    if not hit:
                        labels = "; ".join(f"{r.label} [{r.isco_group}]" for r in top)
                        print(f"miss ({taxonomy}) {row['text']!r} want {row['isco']}: {labels}")
    finally:
        Specialty.objects.filter(pk__in=active).update(is_active=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", help="a WAYPOINT_HOME that already holds ESCO v1.1.1")
    parser.add_argument("--input", type=Path, default=DEV, help="columns language, text, isco")
    parser.add_argument("--misses", action="store_true", help="print the descriptions missed")
    arguments = parser.parse_args()
    if not ESCO.exists():
        sys.exit(f"{ESCO} is absent")
    prepare(arguments.home)
    rows = read(arguments.input)
    esco = measure(rows, "esco", arguments.misses)
    starter = measure(rows, "starter", arguments.misses)
    for name, value in {**esco, **{f"starter_{k}": v for k, v in starter.items()}}.items():
        print(f"{name:32s} {value:10.3f}")
    keys = ("ru_top5", "en_top5", "ru_top5_baseline", "en_top5_baseline")
    result = " ".join(f"{key}={esco[key]:.3f}" for key in keys if key in esco)
    result += " " + " ".join(f"starter_{key}={starter[key]:.3f}" for key in keys if key in starter)
    print("RESULT " + result)


if __name__ == "__main__":
    main()
