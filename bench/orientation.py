"""Vocational orientation speed, the ranking core side by side with two baselines.

    .venv/bin/python bench/orientation.py [--home DIR] [--veterans N]

Against full ESCO v1.1.1 when ../shared/data is present (imported into a fresh SQLite database,
or reused from --home), else against a synthetic taxonomy of the same size (3,007 occupations,
13,896 skills, 123,855 relations). Synthetic veterans each hold the skills of one to three
occupations, partly, plus a few random skills, at strengths from 0.3 to 1.

Measured in this process, after warm-up:
- core: OccupationRanker (sparse, row blocks, argpartition) against (a) a plain Python loop per
  occupation over skill sets and (b) dense numpy scoring; the top-10 must be identical;
- single veteran: p50 and p95 of the ranking with explanations for the top 10 (core), and of
  the whole on-demand path (evidence from the database, ranking, explanations; not stored);
- batch: veterans per second, core only and end to end (`orient_all`: read, rank, explain,
  store), and peak resident memory.
The issue's targets: single ≤ 50 ms p95, batch ≥ 2,000 veterans per second.
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[1]
ESCO = ROOT.parent / "shared" / "data" / "esco-1.1.1"


def synthetic_requirements(rng) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    n_occupations, n_skills, n_links = 3007, 13896, 123855
    # Skill popularity is skewed, as in ESCO: a few skills are asked for everywhere.
    popularity = rng.zipf(1.6, n_skills).astype(float)
    popularity /= popularity.sum()
    rows = rng.integers(0, n_occupations, n_links)
    columns = rng.choice(n_skills, n_links, p=popularity)
    essential = rng.random(n_links) < 0.52
    shape = (n_occupations, n_skills)

    def matrix(mask):
        m = sp.csr_matrix((np.ones(mask.sum(), np.float32), (rows[mask], columns[mask])), shape)
        m.data[:] = 1
        return m

    return matrix(essential), matrix(~essential)


def veterans(rng, essential, optional, n: int) -> sp.csr_matrix:
    n_occupations, n_skills = essential.shape
    both = (essential + optional).tocsr()
    rows, columns, values = [], [], []
    for veteran in range(n):
        for occupation in rng.integers(0, n_occupations, rng.integers(1, 4)):
            skills = both.indices[both.indptr[occupation] : both.indptr[occupation + 1]]
            kept = skills[rng.random(len(skills)) < 0.7]
            rows += [veteran] * len(kept)
            columns += kept.tolist()
            values += rng.uniform(0.3, 1.0, len(kept)).tolist()
        extra = rng.integers(0, n_skills, 5)
        rows += [veteran] * 5
        columns += extra.tolist()
        values += rng.uniform(0.3, 1.0, 5).tolist()
    matrix = sp.csr_matrix((np.array(values, np.float32), (rows, columns)), (n, n_skills))
    matrix.sum_duplicates()
    matrix.data = np.minimum(matrix.data, 1)
    return matrix


def python_loop(ranker, skills: sp.csr_matrix, k: int) -> np.ndarray:
    """Baseline (a): for each veteran and each occupation, sum weights over skill sets."""
    essential, optional = _skill_sets(ranker.essential_), _skill_sets(ranker.optional_)
    _held, effective_all = ranker.effective(skills)
    out = np.empty((skills.shape[0], k), dtype=np.int64)
    for v in range(skills.shape[0]):
        row = effective_all[v]
        effective = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        scores = []
        for o in range(len(essential)):
            score = 0.0
            for s, w in essential[o].items():
                score += ranker.essential_weight * w * effective.get(s, 0.0)
            for s, w in optional[o].items():
                score += ranker.optional_weight * w * effective.get(s, 0.0)
            scores.append(score)
        scores = np.array(scores, dtype=np.float32)
        out[v] = np.lexsort((np.arange(len(scores)), -scores))[:k]
    return out


def _skill_sets(matrix: sp.csr_matrix) -> list[dict[int, float]]:
    return [
        dict(zip(matrix.indices[a:b].tolist(), matrix.data[a:b].tolist(), strict=True))
        for a, b in zip(matrix.indptr[:-1], matrix.indptr[1:], strict=True)
    ]


def dense_numpy(ranker, skills: sp.csr_matrix, k: int) -> np.ndarray:
    """Baseline (b): the same sums as dense matrix products, one full block."""
    _held, effective = ranker.effective(skills)
    weights = (
        ranker.essential_weight * ranker.essential_.toarray()
        + ranker.optional_weight * ranker.optional_.toarray()
    )
    scores = effective.toarray() @ weights.T
    return np.lexsort((np.broadcast_to(np.arange(scores.shape[1]), scores.shape), -scores), axis=1)[
        :, :k
    ]


def core_totals_top(ranker, profiles, k):
    scores = ranker.score(profiles)
    # Compare coverage only (the baselines know no demand, pay or preference).
    totals = scores.terms["essential"] + scores.terms["optional"] + scores.terms["transferable"]
    order = np.lexsort((np.broadcast_to(np.arange(totals.shape[1]), totals.shape), -totals), axis=1)
    return order[:, :k]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", help="a WAYPOINT_HOME that already holds ESCO v1.1.1")
    parser.add_argument("--veterans", type=int, default=2000, help="demo veterans end to end")
    arguments = parser.parse_args()
    rng = np.random.default_rng(7)
    figures: dict[str, float] = {}
    have_esco = (ESCO / "ESCO dataset - v1.1.1 - classification - en - csv.zip").exists()

    os.environ["WAYPOINT_HOME"] = arguments.home or tempfile.mkdtemp(prefix="wp-bench-")
    os.environ["WAYPOINT_DEBUG"] = "1"
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from waypoint.matching.orientation import OccupationRanker, Profiles, Requirements
    from waypoint.orientation import profiles as evidence
    from waypoint.orientation import services
    from waypoint.orientation.engine import engine_for
    from waypoint.orientation.models import OrientationRun
    from waypoint.people.demo import build_demo
    from waypoint.people.models import Veteran
    from waypoint.taxonomy import services as taxonomy_services
    from waypoint.taxonomy.models import Taxonomy

    call_command("migrate", verbosity=0)
    if have_esco:
        if not Taxonomy.objects.filter(code="esco").exists():
            taxonomy_services.import_esco(sorted(ESCO.glob("*.zip")))
        if not Taxonomy.objects.get(code="esco").is_active:
            taxonomy_services.activate("esco")
        from waypoint.orientation import engine as engine_module

        engine_module.engine_for()  # built and cached on disk if it was not yet
        engine_module._engines.clear()
        started = time.perf_counter()
        engine = engine_for()  # what a new process does: load from WAYPOINT_HOME/cache
        figures["engine_load_s"] = time.perf_counter() - started
        ranker = engine.ranker
    else:
        essential, optional = synthetic_requirements(rng)
        ranker = OccupationRanker().fit(Requirements(essential, optional))
    figures["occupations"], figures["skills"] = ranker.n_occupations_, ranker.n_skills_

    # Core, side by side with the baselines.
    skills = veterans(rng, ranker.essential_, ranker.optional_, 20_000)
    profiles = Profiles(skills)
    ranker.rank(Profiles(skills[:64]), 10)  # warm-up
    started = time.perf_counter()
    ranker.rank(profiles, 10)
    figures["core_batch_per_s"] = skills.shape[0] / (time.perf_counter() - started)
    sample = skills[:200]
    ours = core_totals_top(ranker, Profiles(sample), 10)
    started = time.perf_counter()
    dense = dense_numpy(ranker, sample, 10)
    figures["dense_numpy_per_s"] = sample.shape[0] / (time.perf_counter() - started)
    loop_sample = skills[:20]
    started = time.perf_counter()
    loop = python_loop(ranker, loop_sample, 10)
    figures["python_loop_per_s"] = loop_sample.shape[0] / (time.perf_counter() - started)
    figures["speedup_vs_dense"] = figures["core_batch_per_s"] / figures["dense_numpy_per_s"]
    figures["speedup_vs_loop"] = figures["core_batch_per_s"] / figures["python_loop_per_s"]
    figures["top10_identical_dense"] = float(np.array_equal(ours, dense))
    figures["top10_identical_loop"] = float(np.array_equal(ours[:20], loop))

    latencies = []
    for v in range(300):
        one = Profiles(skills[v : v + 1])
        started = time.perf_counter()
        scores = ranker.score(one)
        ranking = ranker.rank_scores(scores, 10)
        for o in ranking.indices[0]:
            ranker.explain(one, 0, int(o), scores)
        latencies.append(time.perf_counter() - started)
    figures["core_single_p50_ms"] = statistics.median(latencies) * 1000
    figures["core_single_p95_ms"] = float(np.percentile(latencies, 95)) * 1000

    # End to end through the database, when the taxonomy is real.
    if have_esco:
        if Veteran.objects.count() < arguments.veterans:
            build_demo(veterans=arguments.veterans)
        sample = list(services._veterans_with_evidence()[:200])
        latencies = []
        for veteran in sample:
            started = time.perf_counter()
            fresh = services._veterans_with_evidence().get(pk=veteran.pk)
            services.recommend(engine, evidence.from_registry(engine, [fresh]), 10)
            latencies.append(time.perf_counter() - started)
        figures["single_p50_ms"] = statistics.median(latencies) * 1000
        figures["single_p95_ms"] = float(np.percentile(latencies, 95)) * 1000
        OrientationRun.objects.all().delete()
        started = time.perf_counter()
        done = services.orient_all()
        figures["orient_all_per_s"] = done / (time.perf_counter() - started)
        figures["orient_all_veterans"] = done
    figures["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for name, value in figures.items():
        print(f"{name:28s} {value:12.3f}")
    print("RESULT " + " ".join(f"{name}={value:.3f}" for name, value in figures.items()))


if __name__ == "__main__":
    main()
