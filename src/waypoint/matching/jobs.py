"""Veterans × vacancies: the two-sided job match, exact top-k under hard constraints.

A pair's score is the sum of named terms (see TERMS), each weighted:

- fit: the veteran's orientation fit (0 … 1) for the vacancy's occupation; 0 when the vacancy
  has no occupation code or the occupation is not in the veteran's (sparse) fit row;
- coverage: the veteran's mean skill strength over the vacancy's required skills; 0 when the
  vacancy lists none, so that such a vacancy competes on fit alone;
- location: 1 in the home region, 1 for a remote vacancy when the veteran accepts remote work,
  0.5 in a region the veteran also accepts, 0 anywhere else for a veteran willing to relocate;
- pay: (salary − expected) / expected clipped to −1 … 0.5; 0 when either side is unknown;
- quota: 1 when the vacancy's openings are reserved for veterans.

Hard constraints set the score to -inf: a vacancy out of reach (another region, not remote or
not acceptable remotely, no relocation), a non-remote vacancy for a veteran who works remotely
only, and a vacancy that cannot accommodate one of the veteran's work limitations.

Arithmetic is exact by construction so that every path (row blocks, a single veteran, a single
vacancy, explicit pairs) gives bit-identical float32 scores: skill strengths are rounded to
multiples of STRENGTH_STEP, which makes every coverage sum exact in any order, and each score
is composed by the same float32 operations in the same order. Pure numpy/scipy: no Django.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Self

import numpy as np
import scipy.sparse as sp

TERMS = ("fit", "coverage", "location", "pay", "quota")
LOCATIONS = ("home", "remote", "accepted_region", "relocation")
REASONS = ("limitations", "remote_only", "region")
REMOTE_ONLY = 3  # seekers.remote: 0 on-site only, 1 hybrid fine, 2 remote preferred, 3 only
STRENGTH_STEP = 1 / 1024  # sums of up to 2**13 such strengths are exact in float32
PAY_CAP = 0.5
ACCEPTED_REGION = 0.5
_DENSE_GATHER_LIMIT = 1 << 24  # cells: below it a lookup densifies the rows it needs
_GROUP_ROWS = 64  # rows per group when bounding the k-th score from below

_HOME, _REMOTE, _ACCEPTED, _RELOCATION, _NOWHERE = range(5)
_LOCATION_VALUE = np.array([1.0, 1.0, ACCEPTED_REGION, 0.0, 0.0], dtype=np.float32)


@dataclass(frozen=True)
class Vacancies:
    """n vacancies; every array has one entry per vacancy (a row of `skills`)."""

    occupation: np.ndarray  # int32, position on the occupation axis, -1 when not coded
    skills: sp.csr_matrix  # vacancies × skills, nonzero where required (rows may be empty)
    region: np.ndarray  # int32 region position (0 … n_regions-1)
    remote: np.ndarray  # bool: can be done remotely
    salary_max: np.ndarray  # float32, NaN when unknown (the adapter passes max, else min)
    quota: np.ndarray  # bool: openings reserved for veterans
    conflicts: np.ndarray  # uint16 bitmask: work-limitation codes it cannot accommodate

    def __post_init__(self) -> None:
        n = self.skills.shape[0]
        for name in ("occupation", "region", "remote", "salary_max", "quota", "conflicts"):
            _check_vector("vacancies", name, getattr(self, name), n, "vacancies × skills")
        if n and self.occupation.min() < -1:
            raise ValueError("vacancies.occupation must be -1 (not coded) or a position ≥ 0")
        if n and self.region.min() < 0:
            raise ValueError("vacancies.region must be a region position ≥ 0")
        if np.any(np.asarray(self.salary_max) < 0):
            raise ValueError("vacancies.salary_max must be ≥ 0 or NaN (unknown)")

    @property
    def n(self) -> int:
        return int(self.skills.shape[0])


@dataclass(frozen=True)
class Seekers:
    """m veterans; every array has one entry per veteran (a row of `fit`)."""

    fit: sp.csr_matrix  # veterans × occupations, orientation fit 0 … 1 (top occupations only)
    skills: sp.csr_matrix  # veterans × skills, strength 0 … 1
    region: np.ndarray  # int32 home region position
    regions: sp.csr_matrix  # veterans × regions, nonzero where they would also work
    relocate: np.ndarray  # bool: willing to relocate anywhere
    remote: np.ndarray  # int8: 0 on-site only, 1 hybrid fine, 2 remote preferred, 3 remote only
    expected_salary: np.ndarray  # float32, NaN when unknown
    limitations: np.ndarray  # uint16 bitmask of the veteran's work limitations

    def __post_init__(self) -> None:
        m = self.fit.shape[0]
        axes = "veterans × occupations"
        for name in ("skills", "regions"):
            value = getattr(self, name)
            if value.ndim != 2 or value.shape[0] != m:
                raise ValueError(
                    f"seekers.{name} is veterans × {name} {value.shape} but seekers.fit is "
                    f"{axes} {self.fit.shape}: both need one row per veteran"
                )
        for name in ("region", "relocate", "remote", "expected_salary", "limitations"):
            _check_vector("seekers", name, getattr(self, name), m, "veterans × occupations")
        if m and (self.remote.min() < 0 or self.remote.max() > REMOTE_ONLY):
            raise ValueError("seekers.remote must be 0 (on-site), 1 (hybrid), 2 or 3 (remote only)")
        if m and self.region.min() < 0:
            raise ValueError("seekers.region must be a region position ≥ 0")
        if np.any(np.asarray(self.expected_salary) <= 0):
            raise ValueError("seekers.expected_salary must be > 0 or NaN (unknown)")
        for name in ("fit", "skills"):
            data = getattr(self, name).data
            if data.size and not (np.all(np.isfinite(data)) and data.min() >= 0):
                raise ValueError(f"seekers.{name} values must be finite and ≥ 0")

    @property
    def n(self) -> int:
        return int(self.fit.shape[0])

    def take(self, rows: np.ndarray | list[int] | slice) -> "Seekers":
        """The veterans at `rows`, as a new Seekers (row order kept)."""
        index = np.arange(self.n)[rows]
        return Seekers(
            fit=self.fit[index],
            skills=self.skills[index],
            region=self.region[index],
            regions=self.regions[index],
            relocate=self.relocate[index],
            remote=self.remote[index],
            expected_salary=self.expected_salary[index],
            limitations=self.limitations[index],
        )


@dataclass(frozen=True)
class JobExplanation:
    """Why one vacancy scored what it did for one veteran.

    `terms` hold each weighted contribution; they add up to `score` (to float32 rounding) when
    the pair is admissible. When it is not, `score` is -inf, `reason` says why (one of
    REASONS, the first that applies) and `terms` show what the pair would have scored.
    """

    seeker: int
    vacancy: int
    score: float
    terms: dict[str, float]
    matched: np.ndarray  # skill positions required and held, ascending
    missing: np.ndarray  # skill positions required and not held, ascending
    location: str | None  # one of LOCATIONS, None when out of reach
    reason: str | None = None
    strengths: dict[int, float] = field(default_factory=dict)  # matched skill → strength


@dataclass(frozen=True)
class _Prepared:
    """Seekers as the scoring kernels use them (weights folded in, strengths rounded)."""

    fit: sp.csr_matrix  # fit_weight × fit, float32, canonical
    skills: sp.csr_matrix  # strengths rounded to STRENGTH_STEP, float32, canonical
    regions: sp.csr_matrix  # bool, canonical
    region: np.ndarray
    relocate: np.ndarray
    accepts_remote: np.ndarray
    remote_only: np.ndarray
    limitations: np.ndarray
    pay_factor: np.ndarray  # pay_weight / expected salary, 0 when unknown
    salary_known: np.ndarray


@dataclass(frozen=True)
class _Subset:
    """A sorted set of vacancies, with what the block kernel needs about them, on compact
    axes: only the skills, occupations and kinds these vacancies have."""

    vacancies: np.ndarray  # ascending
    skills: np.ndarray  # the skill positions some vacancy here requires, ascending
    required: sp.csr_matrix | None  # vacancies × `skills`; None: coverage comes precomputed
    coverage_weight: np.ndarray
    occupations: np.ndarray  # the coded occupations present, ascending
    occupation: np.ndarray  # per vacancy: position in `occupations`, len(occupations) if none
    salary: np.ndarray  # 0 where unknown
    kinds: np.ndarray  # the distinct vacancy kinds present
    kind: np.ndarray  # per vacancy: position in `kinds`


class VacancyMatcher:
    """Rank vacancies for veterans, and veterans for a vacancy, by one score function.

    Default weights: fit (0.45) and coverage (0.35) carry 80 % of the score because they are
    about the work itself: the occupation the veteran is oriented to, and the skills the
    employer asks for. Location (0.1) only orders vacancies that are all within reach (reach
    itself is a hard constraint); pay (0.05) and quota (0.05) break near-ties: pay is often
    unknown and a stated expectation is soft, and a reserved opening is a plus but not a
    reason to propose unsuitable work. The pay term lies in −0.05 … 0.025 with the defaults.

    `block` is the most veteran × vacancy pairs scored at once: memory grows by about
    10 bytes a pair, per thread. `n_jobs` threads score blocks side by side; scipy's sparse
    product holds the GIL, so two threads gain about 1.6× (the rest of a block runs in numpy
    without it). Results do not depend on either.
    """

    def __init__(
        self,
        fit_weight: float = 0.45,
        coverage_weight: float = 0.35,
        location_weight: float = 0.1,
        pay_weight: float = 0.05,
        quota_weight: float = 0.05,
        block: int = 1 << 22,
        n_jobs: int = 1,
    ) -> None:
        self.fit_weight = fit_weight
        self.coverage_weight = coverage_weight
        self.location_weight = location_weight
        self.pay_weight = pay_weight
        self.quota_weight = quota_weight
        self.block = block
        self.n_jobs = n_jobs

    def fit(self, vacancies: Vacancies) -> Self:
        """Index the vacancies: required skills, regions, and vacancy kinds (everything a
        constant term depends on)."""
        weights = np.array([getattr(self, f"{name}_weight") for name in TERMS], dtype=np.float64)
        if not (np.all(np.isfinite(weights)) and np.all(weights >= 0)):
            raise ValueError(
                f"weights must be finite and ≥ 0, got {dict(zip(TERMS, weights, strict=True))}"
            )
        if self.block < 1:
            raise ValueError("block must be ≥ 1 (pairs scored at once)")
        n = vacancies.n
        required = sp.csr_matrix(vacancies.skills, dtype=np.float32, copy=True)
        required.sum_duplicates()
        required.eliminate_zeros()
        required.data[:] = 1
        counts = np.diff(required.indptr)
        self.required_ = required
        self.n_vacancies_, self.n_skills_ = n, int(required.shape[1])
        self.weights_ = {name: np.float32(w) for name, w in zip(TERMS, weights, strict=True)}
        with np.errstate(divide="ignore"):
            self.coverage_weight_ = np.where(
                counts > 0, np.float32(self.coverage_weight) / np.maximum(counts, 1), 0
            ).astype(np.float32)
        self.occupation_ = np.asarray(vacancies.occupation, dtype=np.int64)
        self.n_coded_occupations_ = int(self.occupation_.max(initial=-1)) + 1
        self.region_ = np.asarray(vacancies.region, dtype=np.int64)
        self.n_regions_ = int(self.region_.max(initial=-1)) + 1
        self.remote_ = np.asarray(vacancies.remote, dtype=bool)
        self.quota_ = np.asarray(vacancies.quota, dtype=bool)
        self.conflicts_ = np.asarray(vacancies.conflicts, dtype=np.uint16)
        salary = np.asarray(vacancies.salary_max, dtype=np.float32)
        self.salary_known_ = ~np.isnan(salary)
        self.salary_ = np.where(self.salary_known_, salary, 0).astype(np.float32)
        # Vacancies by region (ascending within each), all and on-site only, and the remote ones.
        order = np.lexsort((np.arange(n), self.region_))
        self.by_region_ = order
        self.region_start_ = np.searchsorted(self.region_[order], np.arange(self.n_regions_ + 1))
        onsite = order[~self.remote_[order]]
        self.onsite_by_region_ = onsite
        self.onsite_start_ = np.searchsorted(self.region_[onsite], np.arange(self.n_regions_ + 1))
        self.remote_vacancies_ = np.flatnonzero(self.remote_)
        coded = np.lexsort((np.arange(n), self.occupation_))
        coded = coded[self.occupation_[coded] >= 0]
        self.by_occupation_ = coded
        self.occupation_start_ = np.searchsorted(
            self.occupation_[coded], np.arange(self.n_coded_occupations_ + 1)
        )
        # A vacancy's kind fixes every term that does not depend on skills, occupation or
        # salary: region, remote, conflicts, quota, whether the salary is known.
        classes, conflict_class = np.unique(self.conflicts_, return_inverse=True)
        code = self.region_ * 2 + self.remote_
        code = (code * len(classes) + conflict_class.ravel()) * 4
        code += self.quota_ * 2 + self.salary_known_
        kinds, self.kind_ = np.unique(code, return_inverse=True)
        self.kind_ = self.kind_.ravel()
        first = np.zeros(len(kinds), dtype=np.int64)
        first[self.kind_[::-1]] = np.arange(n)[::-1]
        self.kind_region_ = self.region_[first]
        self.kind_remote_ = self.remote_[first]
        self.kind_conflicts_ = self.conflicts_[first]
        self.kind_quota_ = self.quota_[first]
        self.kind_salary_known_ = self.salary_known_[first]
        self.everything_ = self._subset(np.arange(n))
        return self

    # Checks and preparation

    def _check(self, seekers: Seekers) -> None:
        if not hasattr(self, "required_"):
            raise RuntimeError("call fit(vacancies) first")
        if seekers.skills.shape[1] != self.n_skills_:
            raise ValueError(
                f"seekers.skills is veterans × skills {seekers.skills.shape} but "
                f"vacancies.skills has {self.n_skills_} skills: both need the same skill axis"
            )
        if seekers.fit.shape[1] < self.n_coded_occupations_:
            raise ValueError(
                f"seekers.fit is veterans × occupations {seekers.fit.shape} but "
                f"vacancies.occupation uses positions up to {self.n_coded_occupations_ - 1}"
            )
        n_regions = seekers.regions.shape[1]
        if n_regions < self.n_regions_ or (seekers.n and seekers.region.max() >= n_regions):
            raise ValueError(
                f"seekers.regions is veterans × regions {seekers.regions.shape} but "
                f"vacancies.region uses positions up to {self.n_regions_ - 1} and "
                f"seekers.region up to {int(seekers.region.max(initial=-1))}"
            )

    def _prepare(self, seekers: Seekers) -> _Prepared:
        # Occupations and regions no vacancy has can never count: leave them out once here.
        fit = sp.csr_matrix(seekers.fit, dtype=np.float32)[:, : self.n_coded_occupations_]
        fit = sp.csr_matrix(fit, copy=True)
        fit.sum_duplicates()
        fit.data = (self.weights_["fit"] * fit.data).astype(np.float32)
        fit.eliminate_zeros()
        skills = sp.csr_matrix(seekers.skills, dtype=np.float32, copy=True)
        skills.sum_duplicates()
        skills.data = (np.rint(np.clip(skills.data, 0, 1) / STRENGTH_STEP) * STRENGTH_STEP).astype(
            np.float32
        )
        skills.eliminate_zeros()
        regions = sp.csr_matrix(seekers.regions, dtype=bool)[:, : self.n_regions_]
        regions = sp.csr_matrix(regions, copy=True)
        regions.sum_duplicates()
        regions.eliminate_zeros()
        expected = np.asarray(seekers.expected_salary, dtype=np.float64)
        known = ~np.isnan(expected)
        with np.errstate(divide="ignore", invalid="ignore"):
            pay_factor = np.where(known, float(self.pay_weight) / expected, 0)
        remote = np.asarray(seekers.remote, dtype=np.int64)
        return _Prepared(
            fit=fit,
            skills=skills,
            regions=regions,
            region=np.asarray(seekers.region, dtype=np.int64),
            relocate=np.asarray(seekers.relocate, dtype=bool),
            accepts_remote=remote >= 1,
            remote_only=remote == REMOTE_ONLY,
            limitations=np.asarray(seekers.limitations, dtype=np.uint16),
            pay_factor=pay_factor.astype(np.float32),
            salary_known=known,
        )

    # The constant part: location, quota, the pay offset, the hard constraints

    def _constant(
        self,
        prepared: _Prepared,
        veterans: np.ndarray,
        region: np.ndarray,
        remote: np.ndarray,
        conflicts: np.ndarray,
        quota: np.ndarray,
        salary_known: np.ndarray,
        accepted: np.ndarray,
    ) -> np.ndarray:
        """Location + quota − pay_weight (both salaries known), -inf where inadmissible.

        Vacancy arguments and `veterans` broadcast against each other (the same float32
        operations whether the shape is pairs or kinds × veterans)."""
        where = _location(
            same_home=region == prepared.region[veterans],
            remote=remote,
            accepts_remote=prepared.accepts_remote[veterans],
            accepted=accepted,
            relocate=prepared.relocate[veterans],
        )
        admissible = where != _NOWHERE
        admissible &= remote | ~prepared.remote_only[veterans]
        admissible &= (conflicts & prepared.limitations[veterans]) == 0
        w = self.weights_
        value = w["location"] * _LOCATION_VALUE[where]
        value = value + w["quota"] * quota.astype(np.float32)
        both_known = salary_known & prepared.salary_known[veterans]
        value = value - w["pay"] * both_known.astype(np.float32)
        return np.where(admissible, value, np.float32(-np.inf)).astype(np.float32)

    def _pay(self, salary: np.ndarray, pay_factor: np.ndarray) -> np.ndarray:
        """pay_weight × min(salary / expected, 1 + PAY_CAP): the pay term before its offset."""
        cap = self.weights_["pay"] * np.float32(1 + PAY_CAP)
        pay: np.ndarray = np.minimum(salary * pay_factor, cap)
        return pay

    # Pairs

    def score_pairs(
        self, seekers: Seekers, rows: np.ndarray | list[int], cols: np.ndarray | list[int]
    ) -> np.ndarray:
        """Scores (float32, -inf when inadmissible) of the pairs (rows[i], cols[i]): veteran
        positions in `seekers`, vacancy positions in the fitted vacancies."""
        self._check(seekers)
        rows, cols = self._check_pairs(seekers, rows, cols)
        return self._score_pairs(self._prepare(seekers), rows, cols)

    def _check_pairs(
        self, seekers: Seekers, rows: np.ndarray | list[int], cols: np.ndarray | list[int]
    ) -> tuple[np.ndarray, np.ndarray]:
        rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        if rows.shape != cols.shape or rows.ndim != 1:
            raise ValueError(f"rows {rows.shape} and cols {cols.shape}: two equal 1-D arrays")
        if rows.size and (rows.min() < 0 or rows.max() >= seekers.n):
            raise ValueError(f"rows are veteran positions 0 … {seekers.n - 1}")
        if cols.size and (cols.min() < 0 or cols.max() >= self.n_vacancies_):
            raise ValueError(f"cols are vacancy positions 0 … {self.n_vacancies_ - 1}")
        return rows, cols

    def _score_pairs(self, prepared: _Prepared, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        owner, skill, _ = _rows(self.required_, cols)
        strength = _gather(prepared.skills, rows[owner], skill)
        coverage = np.bincount(owner, weights=strength, minlength=len(rows)).astype(np.float32)
        occupation = self.occupation_[cols]
        coded = occupation >= 0
        fit = np.zeros(len(rows), dtype=np.float32)
        fit[coded] = _gather(prepared.fit, rows[coded], occupation[coded])
        accepted = _gather(prepared.regions, rows, self.region_[cols]).astype(bool)
        constant = self._constant(
            prepared,
            rows,
            self.region_[cols],
            self.remote_[cols],
            self.conflicts_[cols],
            self.quota_[cols],
            self.salary_known_[cols],
            accepted,
        )
        pay = self._pay(self.salary_[cols], prepared.pay_factor[rows])
        total: np.ndarray = coverage * self.coverage_weight_[cols]
        total += fit
        total += constant
        total += pay
        return total

    # Ranking

    def top_vacancies(self, seekers: Seekers, k: int = 20) -> tuple[np.ndarray, np.ndarray]:
        """Each veteran's k best admissible vacancies: (veterans × k int64 positions,
        veterans × k float32 scores), best first, ties to the lower position; -1 and -inf
        pad a row with fewer than k admissible vacancies.

        Exact: the same as scoring every pair with score_pairs and sorting. Each veteran is
        scored only against the vacancies that can be within reach: home region, accepted
        regions, remote vacancies. A veteran willing to relocate is first scored against
        those and every vacancy of an occupation in their fit row; any other vacancy is far
        (location 0) with no fit, so scores at most far_bound. Where the k-th score beats that
        bound the list is complete; otherwise the veteran is scored against every vacancy."""
        self._check(seekers)
        if k < 1:
            raise ValueError("k must be ≥ 1")
        prepared = self._prepare(seekers)
        if seekers.n == 1:
            return self._top_one(prepared, k)
        indices, scores = self._rank(prepared, self._jobs(prepared, near_only=True), k)
        mobile = np.flatnonzero(prepared.relocate & ~prepared.remote_only)
        if len(mobile) == 0:
            return indices, scores
        far = self._far_bound(prepared)
        floor = scores[:, -1].copy()
        # A far vacancy of occupation o scores at most fit(o) + far: only where that reaches
        # the k-th near score can it enter the list, and only its scores above that count.
        fit = prepared.fit[mobile]
        owner = mobile[np.repeat(np.arange(len(mobile)), np.diff(fit.indptr))]
        reaches = fit.data + far[owner] >= floor[owner]
        owner, occupation = owner[reaches], fit.indices[reaches].astype(np.int64)
        start = self.occupation_start_
        jobs = [
            (owner[members], self.by_occupation_[start[o] : start[o + 1]])
            for o, members in _groups(occupation)
        ]
        partials = self._partials(prepared, jobs, k, floor)
        partials.append((np.arange(seekers.n), indices, scores))
        _merge(partials, indices, scores, k)
        unsure = mobile[~(scores[mobile, -1] > far[mobile])]
        if len(unsure):
            everything = [(unsure, np.arange(self.n_vacancies_))]
            found, best = self._rank(prepared, everything, k)
            indices[unsure], scores[unsure] = found[unsure], best[unsure]
        return indices, scores

    def _far_bound(self, prepared: _Prepared) -> np.ndarray:
        """Per veteran: the most a vacancy can score with no fit and location 0. Coverage is
        a mean of strengths, so at most the strongest; pay adds at most PAY_CAP. The margin
        covers float32 rounding (a few 1e-8 on scores near 1)."""
        strongest = np.zeros(len(prepared.region), dtype=np.float64)
        if prepared.skills.nnz:
            strongest[:] = prepared.skills.max(axis=1).toarray().ravel()
        bound = self.coverage_weight * strongest + self.quota_weight + self.pay_weight * PAY_CAP
        bound_with_margin: np.ndarray = bound + 1e-6
        return bound_with_margin

    def _rank(
        self, prepared: _Prepared, jobs: list[tuple[np.ndarray, np.ndarray]], k: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k over the union of each veteran's jobs (veterans × k, -1 / -inf padding)."""
        m = len(prepared.region)
        indices = np.full((m, k), -1, dtype=np.int64)
        scores = np.full((m, k), -np.inf, dtype=np.float32)
        _merge(self._partials(prepared, jobs, k), indices, scores, k)
        return indices, scores

    def _partials(
        self,
        prepared: _Prepared,
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
            subset = self._subset(vacancies)
            rows = max(1, self.block // len(vacancies))
            tasks += [(veterans[i : i + rows], subset) for i in range(0, len(veterans), rows)]

        def run(task: tuple[np.ndarray, _Subset]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            veterans, subset = task
            scores = self._score_block(prepared, veterans, subset)
            found, best = _top_k_columns(scores, k, None if floor is None else floor[veterans])
            valid = found >= 0
            found[valid] = subset.vacancies[found[valid]]
            return veterans, found, best

        if self.n_jobs > 1 and len(tasks) > 1:
            with ThreadPoolExecutor(self.n_jobs) as pool:
                return list(pool.map(run, tasks))
        return [run(task) for task in tasks]

    def _top_one(self, prepared: _Prepared, k: int) -> tuple[np.ndarray, np.ndarray]:
        """One veteran: every reachable vacancy in one pass, no copy of requirement rows."""
        reach = [vacancies for veterans, vacancies in self._jobs(prepared) if len(veterans)]
        vacancies = np.sort(np.concatenate(reach)) if len(reach) > 1 else reach[0]
        subset = self._subset(vacancies, with_required=False)
        dense = prepared.skills.toarray().reshape(-1, 1)
        if len(vacancies) * 4 > self.n_vacancies_:
            coverage = (self.required_ @ dense)[vacancies]
        else:
            coverage = self.required_[vacancies] @ dense
        scores = self._score_block(prepared, np.zeros(1, dtype=np.int64), subset, coverage)
        found, best = _top_k_columns(scores, k)
        found[found >= 0] = vacancies[found[found >= 0]]
        return found, best

    def _jobs(
        self, prepared: _Prepared, near_only: bool = False
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """(veterans, vacancies) pairs of sets that together cover every pair that can be
        admissible; a veteran's lists from several jobs are merged. With `near_only`,
        veterans willing to relocate get only what is near (home, accepted regions, remote)."""
        everyone = np.arange(len(prepared.region))
        remote_only = prepared.remote_only
        jobs = [(everyone[remote_only], self.remote_vacancies_)]
        if near_only:
            local = everyone[~remote_only]
        else:
            local = everyone[~prepared.relocate & ~remote_only]
            jobs.append((everyone[prepared.relocate & ~remote_only], np.arange(self.n_vacancies_)))
        key = prepared.region[local] * 2 + prepared.accepts_remote[local]
        for value, members in _groups(key):
            jobs.append((local[members], self._reach(value // 2, remote=bool(value % 2))))
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
                vacancies = self.onsite_by_region_[
                    self.onsite_start_[r] : self.onsite_start_[r + 1]
                ]
            else:
                vacancies = self.by_region_[self.region_start_[r] : self.region_start_[r + 1]]
            jobs.append((owner[members], vacancies))
        return jobs

    def _reach(self, region: int, remote: bool) -> np.ndarray:
        """Vacancies in `region`, plus every remote vacancy when `remote`; ascending."""
        if region >= self.n_regions_:
            home = np.zeros(0, dtype=np.int64)
        else:
            home = self.by_region_[self.region_start_[region] : self.region_start_[region + 1]]
        if not remote:
            return home
        elsewhere = self.remote_vacancies_[self.region_[self.remote_vacancies_] != region]
        # Two ascending runs: a stable sort merges them in linear time.
        return np.sort(np.concatenate([home, elsewhere]), kind="stable")

    def _subset(self, vacancies: np.ndarray, with_required: bool = True) -> _Subset:
        if len(vacancies) == self.n_vacancies_ and hasattr(self, "everything_"):
            return self.everything_
        kinds, kind = _compact(self.kind_[vacancies], len(self.kind_region_))
        occupation = self.occupation_[vacancies]
        coded = occupation >= 0
        occupations, position = _compact(occupation[coded], self.n_coded_occupations_)
        occupation = np.full(len(vacancies), len(occupations), dtype=np.int64)
        occupation[coded] = position
        skills, required = np.zeros(0, dtype=np.int64), None
        if with_required:
            owner, columns, _ = _rows(self.required_, vacancies)
            skills, columns = _compact(columns, self.n_skills_)
            indptr = np.zeros(len(vacancies) + 1, dtype=np.int64)
            np.cumsum(np.bincount(owner, minlength=len(vacancies)), out=indptr[1:])
            required = sp.csr_matrix(
                (np.ones(len(columns), np.float32), columns, indptr),
                shape=(len(vacancies), len(skills)),
            )
        return _Subset(
            vacancies=vacancies,
            skills=skills,
            required=required,
            coverage_weight=self.coverage_weight_[vacancies],
            occupations=occupations,
            occupation=occupation,
            salary=self.salary_[vacancies],
            kinds=kinds,
            kind=kind,
        )

    def _score_block(
        self,
        prepared: _Prepared,
        veterans: np.ndarray,
        subset: _Subset,
        coverage: np.ndarray | None = None,
    ) -> np.ndarray:
        """Vacancies × veterans scores (vacancy-major: every gather copies whole rows).
        `coverage`, when given, holds the sums of held strengths over required skills."""
        b = len(veterans)
        if coverage is None:
            if subset.required is None:
                raise ValueError("a subset without requirements needs its coverage given")
            coverage = subset.required @ _dense_columns(prepared.skills, veterans, subset.skills)
        scores: np.ndarray = coverage
        scores *= subset.coverage_weight[:, None]
        dense_fit = _dense_columns(prepared.fit, veterans, subset.occupations, extra_row=True)
        # mode='clip' (the indices are valid): 'raise' would buffer the output, 3x slower.
        buffer = np.take(dense_fit, subset.occupation, axis=0, mode="clip")
        scores += buffer
        kinds = subset.kinds
        owner, region, _ = _rows(prepared.regions, veterans)
        accepted = np.zeros((self.n_regions_, b), dtype=bool)
        accepted[region, owner] = True
        constant = self._constant(
            prepared,
            veterans[None, :],
            self.kind_region_[kinds][:, None],
            self.kind_remote_[kinds][:, None],
            self.kind_conflicts_[kinds][:, None],
            self.kind_quota_[kinds][:, None],
            self.kind_salary_known_[kinds][:, None],
            accepted[self.kind_region_[kinds]],
        )
        np.take(constant, subset.kind, axis=0, out=buffer, mode="clip")
        scores += buffer
        np.multiply.outer(subset.salary, prepared.pay_factor[veterans], out=buffer)
        np.minimum(buffer, self.weights_["pay"] * np.float32(1 + PAY_CAP), out=buffer)
        scores += buffer
        return scores

    def top_candidates(
        self, seekers: Seekers, vacancy: int, k: int = 20
    ) -> tuple[np.ndarray, np.ndarray]:
        """The k veterans (positions in `seekers`) that score best for one vacancy, with their
        scores: best first, ties to the lower position, -1 and -inf as padding."""
        self._check(seekers)
        if not 0 <= vacancy < self.n_vacancies_:
            raise ValueError(f"vacancy is a vacancy position 0 … {self.n_vacancies_ - 1}")
        if k < 1:
            raise ValueError("k must be ≥ 1")
        rows = np.arange(seekers.n)
        scores = self._score_pairs(self._prepare(seekers), rows, np.full(seekers.n, vacancy))
        found, best = _top_k_columns(scores[:, None], k)
        return found[0], best[0]

    def explain(self, seekers: Seekers, seeker: int, vacancy: int) -> JobExplanation:
        """The terms, skills and location behind one pair's score."""
        self._check(seekers)
        rows, cols = self._check_pairs(seekers, [seeker], [vacancy])
        prepared = self._prepare(seekers.take([seeker]))
        score = float(self._score_pairs(prepared, np.zeros(1, dtype=np.int64), cols)[0])
        required = self.required_.indices[
            self.required_.indptr[vacancy] : self.required_.indptr[vacancy + 1]
        ]
        held = prepared.skills
        strength = dict(zip(held.indices.tolist(), held.data.tolist(), strict=True))
        matched = np.array([s for s in required.tolist() if s in strength], dtype=np.int64)
        missing = np.setdiff1d(required, matched).astype(np.int64)
        coverage_sum = np.float32(sum(strength[s] for s in matched.tolist()))
        occupation = int(self.occupation_[vacancy])
        fit = 0.0
        if occupation >= 0:
            fit = float(_gather(prepared.fit, np.zeros(1, np.int64), np.array([occupation]))[0])
        accepted = bool(prepared.regions[0, self.region_[vacancy]])
        where = int(
            _location(
                same_home=np.array(self.region_[vacancy] == prepared.region[0]),
                remote=np.array(self.remote_[vacancy]),
                accepts_remote=prepared.accepts_remote[0],
                accepted=np.array(accepted),
                relocate=prepared.relocate[0],
            )
        )
        if prepared.remote_only[0] and not self.remote_[vacancy]:
            where = _NOWHERE
        reason = None
        if self.conflicts_[vacancy] & prepared.limitations[0]:
            reason = "limitations"
        elif prepared.remote_only[0] and not self.remote_[vacancy]:
            reason = "remote_only"
        elif where == _NOWHERE:
            reason = "region"
        w = self.weights_
        pay = 0.0
        if self.salary_known_[vacancy] and prepared.salary_known[0]:
            pay = float((self._pay(self.salary_[cols], prepared.pay_factor) - w["pay"])[0])
        terms = {
            "fit": fit,
            "coverage": float(coverage_sum * self.coverage_weight_[vacancy]),
            "location": float(w["location"] * _LOCATION_VALUE[where]),
            "pay": pay,
            "quota": float(w["quota"] * np.float32(self.quota_[vacancy])),
        }
        return JobExplanation(
            seeker=int(rows[0]),
            vacancy=int(vacancy),
            score=score,
            terms=terms,
            matched=matched,
            missing=missing,
            location=LOCATIONS[where] if where != _NOWHERE else None,
            reason=reason,
            strengths={s: strength[s] for s in matched.tolist()},
        )


def _check_vector(owner: str, name: str, value: np.ndarray, n: int, axes: str) -> None:
    shape = np.shape(value)
    if shape != (n,):
        matrix = "skills" if owner == "vacancies" else "fit"
        raise ValueError(
            f"{owner}.{name} has shape {shape} but {owner}.{matrix} has {n} rows ({axes}): "
            f"one entry per {'vacancy' if owner == 'vacancies' else 'veteran'}"
        )


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


def _compact(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values (ascending, all in 0 … size-1) and each value's place among them."""
    present = np.zeros(size, dtype=bool)
    present[values] = True
    place = np.cumsum(present) - 1
    return np.flatnonzero(present), place[values]


def _rows(matrix: sp.csr_matrix, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stored entries of some rows of a CSR matrix: (place in `rows`, column, value).
    Plain numpy: scipy's row indexing costs more than this on small blocks."""
    starts = matrix.indptr[rows]
    counts = matrix.indptr[rows + 1] - starts
    owner = np.repeat(np.arange(len(rows)), counts)
    positions = np.arange(len(owner)) + np.repeat(starts - np.cumsum(counts) + counts, counts)
    return owner, matrix.indices[positions], matrix.data[positions]


def _dense_columns(
    matrix: sp.csr_matrix, rows: np.ndarray, columns: np.ndarray, extra_row: bool = False
) -> np.ndarray:
    """matrix[rows][:, columns] transposed and dense (columns × rows, float32), plus a row of
    zeros when `extra_row`; `columns` ascending."""
    owner, column, value = _rows(matrix, rows)
    place = np.minimum(np.searchsorted(columns, column), max(len(columns) - 1, 0))
    kept = columns[place] == column if len(columns) else np.zeros(len(column), dtype=bool)
    dense = np.zeros((len(columns) + extra_row, len(rows)), dtype=np.float32)
    dense[place[kept], owner[kept]] = value[kept]
    return dense


def _location(
    same_home: np.ndarray,
    remote: np.ndarray,
    accepts_remote: np.ndarray,
    accepted: np.ndarray,
    relocate: np.ndarray,
) -> np.ndarray:
    """The best way a vacancy is within reach (_HOME … _RELOCATION), _NOWHERE if none."""
    where = np.where(relocate, _RELOCATION, _NOWHERE)
    where = np.where(accepted, _ACCEPTED, where)
    where = np.where(remote & accepts_remote, _REMOTE, where)
    best: np.ndarray = np.where(same_home, _HOME, where)
    return best


def _gather(matrix: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """matrix[rows[i], cols[i]] for every i, as float64 (0 where not stored). `matrix` must be
    canonical (sorted indices, no duplicates)."""
    if len(rows) == 0:
        return np.zeros(0, dtype=np.float64)
    unique, inverse = np.unique(rows, return_inverse=True)
    if len(unique) * matrix.shape[1] <= _DENSE_GATHER_LIMIT:
        dense: np.ndarray = matrix[unique].toarray()
        picked: np.ndarray = dense[inverse.ravel(), cols].astype(np.float64)
        return picked
    if matrix.nnz == 0:
        return np.zeros(len(rows), dtype=np.float64)
    # Stored entries as sorted keys row × n_cols + col; each wanted key found by bisection.
    n_cols = np.int64(matrix.shape[1])
    stored = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
    keys = stored * n_cols + matrix.indices
    wanted = rows * n_cols + cols
    position = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    found = keys[position] == wanted
    return np.where(found, matrix.data[position], 0).astype(np.float64)


def _top_k_columns(
    scores: np.ndarray, k: int, floor: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Per column of an items × queries matrix: the k best rows (best first, ties to the lower
    row) and their scores, as queries × k; -1 and -inf where a row is -inf, missing or below
    the column's `floor`.

    Exact without sorting whole columns: split the rows into at least 4k groups; the k-th
    largest group maximum is at most the k-th largest score, so every row of the top k scores
    at least that much. Only those rows (about k of them per column) are sorted."""
    n, q = scores.shape
    lowest = np.float32(-np.finfo(np.float32).max)
    if n >= 4 * k:
        size = min(_GROUP_ROWS, n // (4 * k))
        groups = n // size
        maxima = scores[: groups * size].reshape(groups, size, q).max(axis=1)
        threshold = np.partition(maxima, groups - k, axis=0)[groups - k]
        threshold = np.maximum(threshold, lowest)
    else:
        threshold = np.full(q, lowest, dtype=np.float32)
    if floor is not None:
        threshold = np.maximum(threshold, floor)
    flat = np.flatnonzero(scores >= threshold)
    rows, columns = np.divmod(flat, q)
    values = scores.ravel()[flat]
    order = np.lexsort((rows, -values, columns))
    rows, columns, values = rows[order], columns[order], values[order]
    place = np.arange(len(rows)) - np.searchsorted(columns, columns)
    kept = place < k
    found = np.full((q, k), -1, dtype=np.int64)
    best = np.full((q, k), -np.inf, dtype=np.float32)
    found[columns[kept], place[kept]] = rows[kept]
    best[columns[kept], place[kept]] = values[kept]
    return found, best


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
