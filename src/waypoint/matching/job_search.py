"""Each veteran's top k vacancies, exactly, scoring only the vacancies that can be within
reach, and the vacancy-major block kernel it runs (see VacancyMatcher.top_vacancies).
Internal to waypoint.matching.jobs.
"""

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from waypoint.matching.job_inputs import PAY_CAP
from waypoint.matching.job_kernels import (
    Prepared,
    Subset,
    compact,
    constant_terms,
    dense_columns,
    row_entries,
    top_k_columns,
)

if TYPE_CHECKING:
    from waypoint.matching.jobs import VacancyMatcher


def top_vacancies(
    matcher: "VacancyMatcher", prepared: Prepared, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """VacancyMatcher.top_vacancies on prepared seekers; see its docstring."""
    if len(prepared.region) == 1:
        return _top_one(matcher, prepared, k)
    indices, scores = _rank(matcher, prepared, _jobs(matcher, prepared, near_only=True), k)
    mobile = np.flatnonzero(prepared.relocate & ~prepared.remote_only)
    if len(mobile) == 0:
        return indices, scores
    far = _far_bound(matcher, prepared)
    floor = scores[:, -1].copy()
    # A far vacancy of occupation o scores at most fit(o) + far: only where that reaches
    # the k-th near score can it enter the list, and only its scores above that count.
    fit = prepared.fit[mobile]
    owner = mobile[np.repeat(np.arange(len(mobile)), np.diff(fit.indptr))]
    reaches = fit.data + far[owner] >= floor[owner]
    owner, occupation = owner[reaches], fit.indices[reaches].astype(np.int64)
    start = matcher.occupation_start_
    jobs = [
        (owner[members], matcher.by_occupation_[start[o] : start[o + 1]])
        for o, members in _groups(occupation)
    ]
    partials = _partials(matcher, prepared, jobs, k, floor)
    partials.append((np.arange(len(prepared.region)), indices, scores))
    _merge(partials, indices, scores, k)
    unsure = mobile[~(scores[mobile, -1] > far[mobile])]
    if len(unsure):
        everything = [(unsure, np.arange(matcher.n_vacancies_))]
        found, best = _rank(matcher, prepared, everything, k)
        indices[unsure], scores[unsure] = found[unsure], best[unsure]
    return indices, scores


def _far_bound(matcher: "VacancyMatcher", prepared: Prepared) -> np.ndarray:
    """Per veteran: the most a vacancy can score with no fit and location 0. Coverage is
    a mean of strengths, so at most the strongest; pay adds at most PAY_CAP. The margin
    covers float32 rounding (a few 1e-8 on scores near 1)."""
    strongest = np.zeros(len(prepared.region), dtype=np.float64)
    if prepared.skills.nnz:
        strongest[:] = prepared.skills.max(axis=1).toarray().ravel()
    bound = (
        matcher.coverage_weight * strongest + matcher.quota_weight + matcher.pay_weight * PAY_CAP
    )
    bound_with_margin: np.ndarray = bound + 1e-6
    return bound_with_margin


def _rank(
    matcher: "VacancyMatcher", prepared: Prepared, jobs: list[tuple[np.ndarray, np.ndarray]], k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k over the union of each veteran's jobs (veterans × k, -1 / -inf padding)."""
    m = len(prepared.region)
    indices = np.full((m, k), -1, dtype=np.int64)
    scores = np.full((m, k), -np.inf, dtype=np.float32)
    _merge(_partials(matcher, prepared, jobs, k), indices, scores, k)
    return indices, scores


def _partials(
    matcher: "VacancyMatcher",
    prepared: Prepared,
    jobs: list[tuple[np.ndarray, np.ndarray]],
    k: int,
    floor: np.ndarray | None = None,
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Each job's top-k, block by block: (veterans, vacancy positions, scores); with
    `floor` (per veteran), only scores at or above it."""
    tasks = []
    for veterans, vacancies in jobs:
        if len(vacancies) == 0 or len(veterans) == 0:
            continue
        subset = vacancy_subset(matcher, vacancies)
        rows = max(1, matcher.block // len(vacancies))
        tasks += [(veterans[i : i + rows], subset) for i in range(0, len(veterans), rows)]

    def run(task: tuple[np.ndarray, Subset]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        veterans, subset = task
        scores = score_block(matcher, prepared, veterans, subset)
        found, best = top_k_columns(scores, k, None if floor is None else floor[veterans])
        valid = found >= 0
        found[valid] = subset.vacancies[found[valid]]
        return veterans, found, best

    if matcher.n_jobs > 1 and len(tasks) > 1:
        with ThreadPoolExecutor(matcher.n_jobs) as pool:
            return list(pool.map(run, tasks))
    return [run(task) for task in tasks]


def _top_one(
    matcher: "VacancyMatcher", prepared: Prepared, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """One veteran: every reachable vacancy in one pass, no copy of requirement rows."""
    reach = [vacancies for veterans, vacancies in _jobs(matcher, prepared) if len(veterans)]
    vacancies = np.sort(np.concatenate(reach)) if len(reach) > 1 else reach[0]
    subset = vacancy_subset(matcher, vacancies, with_required=False)
    dense = prepared.skills.toarray().reshape(-1, 1)
    if len(vacancies) * 4 > matcher.n_vacancies_:
        coverage = (matcher.required_ @ dense)[vacancies]
    else:
        coverage = matcher.required_[vacancies] @ dense
    scores = score_block(matcher, prepared, np.zeros(1, dtype=np.int64), subset, coverage)
    found, best = top_k_columns(scores, k)
    found[found >= 0] = vacancies[found[found >= 0]]
    return found, best


def _jobs(
    matcher: "VacancyMatcher", prepared: Prepared, near_only: bool = False
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(veterans, vacancies) pairs of sets that together cover every pair that can be
    admissible; a veteran's lists from several jobs are merged. With `near_only`,
    veterans willing to relocate get only what is near (home, accepted regions, remote)."""
    everyone = np.arange(len(prepared.region))
    remote_only = prepared.remote_only
    jobs = [(everyone[remote_only], matcher.remote_vacancies_)]
    if near_only:
        local = everyone[~remote_only]
    else:
        local = everyone[~prepared.relocate & ~remote_only]
        jobs.append((everyone[prepared.relocate & ~remote_only], np.arange(matcher.n_vacancies_)))
    key = prepared.region[local] * 2 + prepared.accepts_remote[local]
    for value, members in _groups(key):
        jobs.append((local[members], _reach(matcher, value // 2, remote=bool(value % 2))))
    # Accepted regions other than home: on-site vacancies there, or all of them for those
    # who do not accept remote work (their remote vacancies elsewhere are out of reach).
    regions = prepared.regions[local]
    owner = local[np.repeat(np.arange(len(local)), np.diff(regions.indptr))]
    region = regions.indices.astype(np.int64)
    keep = region != prepared.region[owner]
    owner, region = owner[keep], region[keep]
    for value, members in _groups(region * 2 + prepared.accepts_remote[owner]):
        r = value // 2
        if value % 2:
            vacancies = matcher.onsite_by_region_[
                matcher.onsite_start_[r] : matcher.onsite_start_[r + 1]
            ]
        else:
            vacancies = matcher.by_region_[matcher.region_start_[r] : matcher.region_start_[r + 1]]
        jobs.append((owner[members], vacancies))
    return jobs


def _reach(matcher: "VacancyMatcher", region: int, remote: bool) -> np.ndarray:
    """Vacancies in `region`, plus every remote vacancy when `remote`; ascending."""
    if region >= matcher.n_regions_:
        home = np.zeros(0, dtype=np.int64)
    else:
        home = matcher.by_region_[matcher.region_start_[region] : matcher.region_start_[region + 1]]
    if not remote:
        return home
    elsewhere = matcher.remote_vacancies_[matcher.region_[matcher.remote_vacancies_] != region]
    # Two ascending runs: a stable sort merges them in linear time.
    return np.sort(np.concatenate([home, elsewhere]), kind="stable")


def vacancy_subset(
    matcher: "VacancyMatcher", vacancies: np.ndarray, with_required: bool = True
) -> Subset:
    """The vacancies at `vacancies` (ascending) as score_block takes them; all of them are
    compacted once, at fit."""
    if len(vacancies) == matcher.n_vacancies_ and hasattr(matcher, "everything_"):
        return matcher.everything_
    kinds, kind = compact(matcher.kind_[vacancies], len(matcher.kind_region_))
    occupation = matcher.occupation_[vacancies]
    coded = occupation >= 0
    occupations, position = compact(occupation[coded], matcher.n_coded_occupations_)
    occupation = np.full(len(vacancies), len(occupations), dtype=np.int64)
    occupation[coded] = position
    skills, required = np.zeros(0, dtype=np.int64), None
    if with_required:
        owner, columns, _ = row_entries(matcher.required_, vacancies)
        skills, columns = compact(columns, matcher.n_skills_)
        indptr = np.zeros(len(vacancies) + 1, dtype=np.int64)
        np.cumsum(np.bincount(owner, minlength=len(vacancies)), out=indptr[1:])
        required = sp.csr_matrix(
            (np.ones(len(columns), np.float32), columns, indptr),
            shape=(len(vacancies), len(skills)),
        )
    return Subset(
        vacancies=vacancies,
        skills=skills,
        required=required,
        coverage_weight=matcher.coverage_weight_[vacancies],
        occupations=occupations,
        occupation=occupation,
        salary=matcher.salary_[vacancies],
        kinds=kinds,
        kind=kind,
    )


def score_block(
    matcher: "VacancyMatcher",
    prepared: Prepared,
    veterans: np.ndarray,
    subset: Subset,
    coverage: np.ndarray | None = None,
) -> np.ndarray:
    """Vacancies × veterans scores (vacancy-major: every gather copies whole rows).
    `coverage`, when given, holds the sums of held strengths over required skills."""
    b = len(veterans)
    if coverage is None:
        if subset.required is None:
            raise ValueError("a subset without requirements needs its coverage given")
        coverage = subset.required @ dense_columns(prepared.skills, veterans, subset.skills)
    scores: np.ndarray = coverage
    scores *= subset.coverage_weight[:, None]
    dense_fit = dense_columns(prepared.fit, veterans, subset.occupations, extra_row=True)
    # mode='clip' (the indices are valid): 'raise' would buffer the output, 3x slower.
    buffer = np.take(dense_fit, subset.occupation, axis=0, mode="clip")
    scores += buffer
    kinds = subset.kinds
    owner, region, _ = row_entries(prepared.regions, veterans)
    accepted = np.zeros((matcher.n_regions_, b), dtype=bool)
    accepted[region, owner] = True
    constant = constant_terms(
        matcher.weights_,
        prepared,
        veterans[None, :],
        matcher.kind_region_[kinds][:, None],
        matcher.kind_remote_[kinds][:, None],
        matcher.kind_conflicts_[kinds][:, None],
        matcher.kind_quota_[kinds][:, None],
        matcher.kind_salary_known_[kinds][:, None],
        accepted[matcher.kind_region_[kinds]],
    )
    np.take(constant, subset.kind, axis=0, out=buffer, mode="clip")
    scores += buffer
    np.multiply.outer(subset.salary, prepared.pay_factor[veterans], out=buffer)
    np.minimum(buffer, matcher.weights_["pay"] * np.float32(1 + PAY_CAP), out=buffer)
    scores += buffer
    return scores


def _groups(key: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """Each distinct value of `key` with the positions that hold it (ascending)."""
    if len(key) == 0:
        return []
    order = np.argsort(key, kind="stable")
    values, starts = np.unique(key[order], return_index=True)
    ends = np.append(starts[1:], len(order))
    return [
        (int(value), order[start:end])
        for value, start, end in zip(values.tolist(), starts.tolist(), ends.tolist(), strict=True)
    ]


def _merge(
    partials: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    indices: np.ndarray,
    scores: np.ndarray,
    k: int,
) -> None:
    """Fill each veteran's row with the best k of their partial top-k lists."""
    if not partials:
        return
    veterans = np.concatenate([p[0] for p in partials])
    found = np.concatenate([p[1] for p in partials])
    best = np.concatenate([p[2] for p in partials])
    times = np.bincount(veterans, minlength=len(indices))
    once = times[veterans] == 1
    indices[veterans[once]] = found[once]
    scores[veterans[once]] = best[once]
    if once.all():
        return
    owner = np.repeat(veterans[~once], k)
    found, best = found[~once].ravel(), best[~once].ravel()
    keep = found >= 0
    owner, found, best = owner[keep], found[keep], best[keep]
    order = np.lexsort((found, -best, owner))
    owner, found, best = owner[order], found[order], best[order]
    # The same pair from two jobs has the same score: the copies sit side by side.
    first = np.ones(len(owner), dtype=bool)
    first[1:] = (owner[1:] != owner[:-1]) | (found[1:] != found[:-1])
    owner, found, best = owner[first], found[first], best[first]
    place = np.arange(len(owner)) - np.searchsorted(owner, owner)
    top = place < k
    indices[owner[top], place[top]] = found[top]
    scores[owner[top], place[top]] = best[top]
