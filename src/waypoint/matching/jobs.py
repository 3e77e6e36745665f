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

from typing import Self

import numpy as np
import scipy.sparse as sp

from waypoint.matching import job_search
from waypoint.matching.job_inputs import (
    ACCEPTED_REGION,
    LOCATIONS,
    PAY_CAP,
    REASONS,
    REMOTE_ONLY,
    STRENGTH_STEP,
    TERMS,
    JobExplanation,
    Seekers,
    Vacancies,
)
from waypoint.matching.job_kernels import (
    LOCATION_VALUE,
    NOWHERE,
    Prepared,
    constant_terms,
    gather,
    location,
    pay_term,
    row_entries,
    top_k_columns,
)

__all__ = [
    "ACCEPTED_REGION",
    "LOCATIONS",
    "PAY_CAP",
    "REASONS",
    "REMOTE_ONLY",
    "STRENGTH_STEP",
    "TERMS",
    "JobExplanation",
    "Seekers",
    "Vacancies",
    "VacancyMatcher",
]


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
        self.everything_ = job_search.vacancy_subset(self, np.arange(n))
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

    def _prepare(self, seekers: Seekers) -> Prepared:
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
        return Prepared(
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

    def _score_pairs(self, prepared: Prepared, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        owner, skill, _ = row_entries(self.required_, cols)
        strength = gather(prepared.skills, rows[owner], skill)
        coverage = np.bincount(owner, weights=strength, minlength=len(rows)).astype(np.float32)
        occupation = self.occupation_[cols]
        coded = occupation >= 0
        fit = np.zeros(len(rows), dtype=np.float32)
        fit[coded] = gather(prepared.fit, rows[coded], occupation[coded])
        accepted = gather(prepared.regions, rows, self.region_[cols]).astype(bool)
        constant = constant_terms(
            self.weights_,
            prepared,
            rows,
            self.region_[cols],
            self.remote_[cols],
            self.conflicts_[cols],
            self.quota_[cols],
            self.salary_known_[cols],
            accepted,
        )
        pay = pay_term(self.weights_, self.salary_[cols], prepared.pay_factor[rows])
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
        return job_search.top_vacancies(self, self._prepare(seekers), k)

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
        found, best = top_k_columns(scores[:, None], k)
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
            fit = float(gather(prepared.fit, np.zeros(1, np.int64), np.array([occupation]))[0])
        accepted = bool(prepared.regions[0, self.region_[vacancy]])
        where = int(
            location(
                same_home=np.array(self.region_[vacancy] == prepared.region[0]),
                remote=np.array(self.remote_[vacancy]),
                accepts_remote=prepared.accepts_remote[0],
                accepted=np.array(accepted),
                relocate=prepared.relocate[0],
            )
        )
        if prepared.remote_only[0] and not self.remote_[vacancy]:
            where = NOWHERE
        reason = None
        if self.conflicts_[vacancy] & prepared.limitations[0]:
            reason = "limitations"
        elif prepared.remote_only[0] and not self.remote_[vacancy]:
            reason = "remote_only"
        elif where == NOWHERE:
            reason = "region"
        w = self.weights_
        pay = 0.0
        if self.salary_known_[vacancy] and prepared.salary_known[0]:
            pay = float(
                (pay_term(self.weights_, self.salary_[cols], prepared.pay_factor) - w["pay"])[0]
            )
        terms = {
            "fit": fit,
            "coverage": float(coverage_sum * self.coverage_weight_[vacancy]),
            "location": float(w["location"] * LOCATION_VALUE[where]),
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
            location=LOCATIONS[where] if where != NOWHERE else None,
            reason=reason,
            strengths={s: strength[s] for s in matched.tolist()},
        )
