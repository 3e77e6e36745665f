"""Title normalisation speed, the product's path beside its lexical part alone, interleaved.

    .venv/bin/python bench/title_speed.py --home DIR [--rounds 5]

DIR is a WAYPOINT_HOME where ESCO v1.1.1 is imported and its indexes cached (run
bench/eval_text.py --home DIR once). Each round times, one right after the other, the
lexical path (the indexes without their semantic part: the code before the sentence encoder)
and the full path: a batch of the 15,463 dev titles and 300 single titles. The two see the
same machine load (this machine is shared); the best round of each is reported, as the figure
least disturbed by other processes, with the median beside it.
"""

import argparse
import csv
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
TITLES = ROOT.parent / "shared" / "data" / "eval" / "job-titles-dev.csv"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    os.environ["WAYPOINT_HOME"] = arguments.home
    os.environ["WAYPOINT_DEBUG"] = "1"
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.settings")
    import django

    django.setup()
    from eval_text import lexical_only

    from waypoint.taxonomy import normalization
    from waypoint.taxonomy.models import Taxonomy

    esco = Taxonomy.objects.get(code="esco")
    normalization.warm_up(esco)
    with TITLES.open(encoding="utf-8") as stream:
        titles = [row["vacancyTitle"] for row in csv.DictReader(stream)]
    runs: dict[str, list[float]] = {}

    def timed(name: str) -> None:
        started = time.perf_counter()
        normalization.normalize(titles, k=10, taxonomy=esco)
        runs.setdefault(f"{name}batch_per_s", []).append(
            len(titles) / (time.perf_counter() - started)
        )
        single = []
        for title in titles[:300]:
            started = time.perf_counter()
            normalization.normalize([title], k=10, taxonomy=esco)
            single.append(time.perf_counter() - started)
        runs.setdefault(f"{name}single_ms", []).append(statistics.median(single) * 1000)

    for _round in range(arguments.rounds):
        with lexical_only(normalization):
            timed("lexical_title_")
        timed("title_")
    figures = {}
    for name, values in runs.items():
        best = max(values) if name.endswith("per_s") else min(values)
        figures[name] = best
        figures[f"{name}_median"] = statistics.median(values)
    for name, value in figures.items():
        print(f"{name:32s} {value:10.3f}")
    print("RESULT " + " ".join(f"{name}={value:.3f}" for name, value in figures.items()))


if __name__ == "__main__":
    main()
