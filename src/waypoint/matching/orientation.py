"""Veterans × occupations: how well each occupation fits, term by term, and why.

Inputs are sparse matrices over one skill axis and one occupation axis of the active taxonomy:

- requirements: occupations × skills, essential and optional (0/1);
- profiles: veterans × skills, the strength of each skill in 0 … 1 (the adapter takes the best
  over its sources: confirmed by a counsellor 1.0, declared, inferred from an occupation held…);
- skill similarity: skills × skills in 0 … 1, from taxonomy relations and label similarity.

A score is the sum of named terms (see TERMS); hard constraints are masks that set a score to
-inf. Pure numpy/scipy: no Django here.
"""

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from waypoint.matching.text import Ranking, top_k

TERMS = ("essential", "optional", "transferable", "demand", "pay", "preference", "specialty")


@dataclass(frozen=True)
class Requirements:
    """What each occupation needs: occupations × skills, 0/1, essential and optional."""

    essential: sp.csr_matrix
    optional: sp.csr_matrix

    def __post_init__(self) -> None:
        if self.essential.shape != self.optional.shape:
            raise ValueError(
                f"essential is occupations × skills {self.essential.shape} but optional is "
                f"{self.optional.shape}"
            )


@dataclass(frozen=True)
class Profiles:
    """A block of veterans. Every field but `skills` is optional (neutral when absent)."""

    skills: sp.csr_matrix  # veterans × skills, strength 0 … 1
    preferred: sp.csr_matrix | None = None  # veterans × occupations, 1 where named
    demand: np.ndarray | None = None  # veterans × occupations, 0 … 1, in accepted regions
    pay: np.ndarray | None = None  # veterans × occupations, -1 … 1, pay against expectation
    excluded: np.ndarray | sp.csr_matrix | None = None  # veterans × occupations, True = ruled out
    # veterans × occupations, 1 where a military specialty leads (the specialty crosswalk)
    specialty: sp.csr_matrix | None = None

    @property
    def n(self) -> int:
        return self.skills.shape[0]


@dataclass(frozen=True)
class Scores:
    total: np.ndarray  # veterans × occupations; -inf where ruled out
    terms: dict[str, np.ndarray] = field(default_factory=dict)  # each veterans × occupations


@dataclass(frozen=True)
class Transfer:
    required: int  # skill position the occupation needs
    held: int  # the veteran's skill that partly covers it
    credit: float  # 0 … transfer_cap


@dataclass(frozen=True)
class Explanation:
    occupation: int
    score: float
    terms: dict[str, float]  # add up to score
    matched: np.ndarray  # skill positions held and required (essential first)
    missing: np.ndarray  # essential skill positions not held
    transfers: list[Transfer]


class OccupationRanker:
    """Rank occupations for veterans.

    Parameters: the weight of each term, how much a similar skill can stand in for a required
    one (transfer_cap < 1: never fully), and how many rows to score at once.
    """

    def __init__(
        self,
        essential_weight: float = 1.0,
        optional_weight: float = 0.35,
        demand_weight: float = 0.15,
        pay_weight: float = 0.1,
        preference_weight: float = 0.2,
        specialty_weight: float = 0.5,
        transfer_cap: float = 0.5,
        block_size: int = 512,
    ) -> None:
        if not 0 <= transfer_cap < 1:
            raise ValueError("transfer_cap must lie in [0, 1): a similar skill never fully covers")
        self.essential_weight = essential_weight
        self.optional_weight = optional_weight
        self.demand_weight = demand_weight
        self.pay_weight = pay_weight
        self.preference_weight = preference_weight
        self.specialty_weight = specialty_weight
        self.transfer_cap = transfer_cap
        self.block_size = block_size

    def fit(
        self, requirements: Requirements, similarity: sp.csr_matrix | None = None
    ) -> "OccupationRanker":
        essential = _binary(requirements.essential)
        optional = _binary(requirements.optional) - _binary(requirements.optional).multiply(
            essential
        )
        n_occupations, n_skills = essential.shape
        # A skill almost every occupation asks for (teamwork) says little about fit: weight
        # each skill by how rare it is among occupations, then normalise each occupation's
        # essential and optional weights to sum to 1.
        used_by = np.asarray((essential + optional).sum(axis=0)).ravel()
        self.skill_weight_ = np.log((1 + n_occupations) / (1 + used_by)).astype(np.float32) + 1
        self.essential_ = _rows_sum_to_one(essential.multiply(self.skill_weight_).tocsr())
        self.optional_ = _rows_sum_to_one(optional.multiply(self.skill_weight_).tocsr())
        self.essential_t_ = self.essential_.T.tocsr()
        self.optional_t_ = self.optional_.T.tocsr()
        if similarity is None:
            similarity = sp.csr_matrix((n_skills, n_skills), dtype=np.float32)
        if similarity.shape != (n_skills, n_skills):
            raise ValueError(
                f"similarity is {similarity.shape}; expected skills × skills "
                f"({n_skills}, {n_skills})"
            )
        similarity = sp.csr_matrix(similarity, dtype=np.float32)
        similarity.setdiag(0)
        similarity.eliminate_zeros()
        self.similarity_ = (similarity.minimum(1) * self.transfer_cap).tocsr()
        self.covered_by_ = self.similarity_.T.tocsr()  # row: a skill; columns: who covers it
        self.n_occupations_, self.n_skills_ = n_occupations, n_skills
        return self

    def _check(self, profiles: Profiles) -> None:
        if profiles.skills.shape[1] != self.n_skills_:
            raise ValueError(
                f"profiles.skills is veterans × {profiles.skills.shape[1]} skills; the ranker "
                f"was fitted on {self.n_skills_}"
            )
        wanted = (profiles.n, self.n_occupations_)
        for name in ("preferred", "demand", "pay", "excluded", "specialty"):
            value = getattr(profiles, name)
            if value is not None and value.shape != wanted:
                raise ValueError(
                    f"profiles.{name} is {value.shape}; expected veterans × occupations {wanted}"
                )

    def effective(self, skills: sp.csr_matrix) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Held skills, and held-or-transferred skills (each at most transfer_cap)."""
        held = sp.csr_matrix(skills, dtype=np.float32)
        held.data = np.clip(held.data, 0, 1)
        transferred = (held @ self.similarity_).tocsr()
        transferred.data = np.minimum(transferred.data, self.transfer_cap)
        return held, held.maximum(transferred).tocsr()

    def score(self, profiles: Profiles) -> Scores:
        """Every veteran × every occupation, with its terms. Memory grows with the block."""
        self._check(profiles)
        terms = {name: np.zeros((profiles.n, self.n_occupations_), np.float32) for name in TERMS}
        for start in range(0, profiles.n, self.block_size):
            rows = slice(start, min(profiles.n, start + self.block_size))
            self._score_block(profiles, rows, terms)
        # Term by term, in TERMS order: the float32 sums the ranking has always used.
        total = np.zeros((profiles.n, self.n_occupations_), np.float32)
        for term in terms.values():
            total += term
        if profiles.excluded is not None:
            excluded = profiles.excluded
            excluded = excluded.toarray() if sp.issparse(excluded) else np.asarray(excluded)
            total[excluded.astype(bool)] = -np.inf
        return Scores(total=total, terms=terms)

    def _score_block(self, profiles: Profiles, rows: slice, terms: dict[str, np.ndarray]) -> None:
        held, effective = self.effective(profiles.skills[rows])
        gained = (effective - held).tocsr()
        terms["essential"][rows] = self.essential_weight * (held @ self.essential_t_).toarray()
        terms["optional"][rows] = self.optional_weight * (held @ self.optional_t_).toarray()
        terms["transferable"][rows] = (
            self.essential_weight * (gained @ self.essential_t_)
            + self.optional_weight * (gained @ self.optional_t_)
        ).toarray()
        if profiles.demand is not None:
            terms["demand"][rows] = self.demand_weight * np.asarray(profiles.demand[rows])
        if profiles.pay is not None:
            terms["pay"][rows] = self.pay_weight * np.clip(np.asarray(profiles.pay[rows]), -1, 1)
        if profiles.preferred is not None:
            terms["preference"][rows] = self.preference_weight * profiles.preferred[rows].toarray()
        if profiles.specialty is not None:
            terms["specialty"][rows] = self.specialty_weight * profiles.specialty[rows].toarray()

    def rank(self, profiles: Profiles, k: int = 10) -> Ranking:
        """Top-k occupations per veteran (positions and totals), best first, deterministic;
        ruled-out occupations never appear (fewer than k are returned then, as -1)."""
        return self.rank_scores(self.score(profiles), k)

    @staticmethod
    def rank_scores(scores: Scores, k: int = 10) -> Ranking:
        ranking = top_k(scores.total, k)
        ranking.indices[~np.isfinite(ranking.scores)] = -1
        return ranking

    def explain(
        self,
        profiles: Profiles,
        veteran: int,
        occupation: int,
        scores: Scores | None = None,
        strength: dict[int, float] | None = None,
    ) -> Explanation:
        """Why one occupation scored what it did for one veteran (a row of `profiles`).
        Pass the block's `scores` (and the row's `strengths()`) when you have them: nothing
        is computed twice then."""
        if scores is None:
            scores = self.score(_row(profiles, veteran))
            veteran_row = 0
        else:
            veteran_row = veteran
        if strength is None:
            strength = strengths(profiles.skills, veteran)
        has = {skill for skill, value in strength.items() if value > 0}
        essential = self._sorted_required(self.essential_, occupation)
        required = essential + self._sorted_required(self.optional_, occupation)
        covered_by = self._covered_by_lists()
        transfers = []
        for skill in required:
            if skill in has:
                continue
            sources = [
                (strength[source] * similarity, source)
                for source, similarity in covered_by[skill]
                if source in has
            ]
            if sources:
                credit, source = max(sources)
                transfers.append(Transfer(skill, source, float(min(credit, self.transfer_cap))))
        return Explanation(
            occupation=occupation,
            score=float(scores.total[veteran_row, occupation]),
            terms={
                name: float(value[veteran_row, occupation]) for name, value in scores.terms.items()
            },
            matched=np.array([s for s in required if s in has], dtype=np.int64),
            missing=np.array([s for s in essential if s not in has], dtype=np.int64),
            transfers=transfers,
        )

    @staticmethod
    def _sorted_required(matrix: sp.csr_matrix, occupation: int) -> list[int]:
        return sorted(
            matrix.indices[matrix.indptr[occupation] : matrix.indptr[occupation + 1]].tolist()
        )

    def _covered_by_lists(self) -> list[list[tuple[int, float]]]:
        """For each skill, the skills that partly cover it, as plain lists (explanations are
        built one pair at a time, where numpy slicing costs more than it saves)."""
        if getattr(self, "covered_by_lists_", None) is None:
            matrix = self.covered_by_
            indices, data = matrix.indices.tolist(), matrix.data.tolist()
            self.covered_by_lists_ = [
                list(zip(indices[a:b], data[a:b], strict=True))
                for a, b in zip(
                    matrix.indptr[:-1].tolist(), matrix.indptr[1:].tolist(), strict=True
                )
            ]
        return self.covered_by_lists_


def strengths(skills: sp.csr_matrix, row: int) -> dict[int, float]:
    """One row of a veterans × skills matrix as {skill position: strength in 0 … 1}."""
    start, end = skills.indptr[row], skills.indptr[row + 1]
    return dict(
        zip(
            skills.indices[start:end].tolist(),
            np.clip(skills.data[start:end], 0, 1).tolist(),
            strict=True,
        )
    )


def _row(profiles: Profiles, veteran: int) -> Profiles:
    one = slice(veteran, veteran + 1)
    return Profiles(
        skills=profiles.skills[one],
        preferred=None if profiles.preferred is None else profiles.preferred[one],
        demand=None if profiles.demand is None else profiles.demand[one],
        pay=None if profiles.pay is None else profiles.pay[one],
        excluded=None if profiles.excluded is None else profiles.excluded[one],
        specialty=None if profiles.specialty is None else profiles.specialty[one],
    )


def _binary(matrix: sp.csr_matrix) -> sp.csr_matrix:
    binary = sp.csr_matrix(matrix, dtype=np.float32)
    binary.data[:] = 1
    binary.eliminate_zeros()
    return binary


def _rows_sum_to_one(matrix: sp.csr_matrix) -> sp.csr_matrix:
    sums = np.asarray(matrix.sum(axis=1)).ravel()
    sums[sums == 0] = 1
    normalised: sp.csr_matrix = (sp.diags(1 / sums) @ matrix).astype(np.float32).tocsr()
    return normalised


def similar_skills(
    vectors: sp.csr_matrix, k: int = 5, threshold: float = 0.5, block_size: int = 1024
) -> sp.csr_matrix:
    """Skills × skills: for each skill its k most similar others (cosine of the rows of
    `vectors`, L2-normalised skills × features) at or above threshold; zero diagonal."""
    n = vectors.shape[0]
    rows, columns, values = [], [], []
    transposed = vectors.T.tocsr()
    for start in range(0, n, block_size):
        block = (vectors[start : start + block_size] @ transposed).toarray()
        np.fill_diagonal(block[:, start : start + block.shape[0]], 0)
        if n <= k:
            best = np.argsort(-block, axis=1)[:, :k]
        else:
            best = np.argpartition(-block, k, axis=1)[:, :k]
        picked = np.take_along_axis(block, best, axis=1)
        keep = picked >= threshold
        rows.append((np.arange(block.shape[0])[:, None] + start).repeat(best.shape[1], 1)[keep])
        columns.append(best[keep])
        values.append(picked[keep])
    if not rows:
        return sp.csr_matrix((n, n), dtype=np.float32)
    return sp.csr_matrix(
        (
            np.concatenate(values).astype(np.float32),
            (np.concatenate(rows), np.concatenate(columns)),
        ),
        shape=(n, n),
    )
