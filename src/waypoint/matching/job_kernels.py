"""The float32 kernels of the job match and the sparse-row helpers they gather with.

Every scoring path (row blocks, a single veteran, a single vacancy, explicit pairs) composes
these same operations in the same order: that is what makes their scores bit-identical.
Internal to waypoint.matching.jobs.
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from waypoint.matching.job_inputs import ACCEPTED_REGION, PAY_CAP

_DENSE_GATHER_LIMIT = 1 << 24  # cells: below it a lookup densifies the rows it needs
_GROUP_ROWS = 64  # rows per group when bounding the k-th score from below

HOME, REMOTE, ACCEPTED, RELOCATION, NOWHERE = range(5)
LOCATION_VALUE = np.array([1.0, 1.0, ACCEPTED_REGION, 0.0, 0.0], dtype=np.float32)


@dataclass(frozen=True)
class Prepared:
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
class Subset:
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


def constant_terms(
    weights: dict[str, np.float32],
    prepared: Prepared,
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
    where = location(
        same_home=region == prepared.region[veterans],
        remote=remote,
        accepts_remote=prepared.accepts_remote[veterans],
        accepted=accepted,
        relocate=prepared.relocate[veterans],
    )
    admissible = where != NOWHERE
    admissible &= remote | ~prepared.remote_only[veterans]
    admissible &= (conflicts & prepared.limitations[veterans]) == 0
    value = weights["location"] * LOCATION_VALUE[where]
    value = value + weights["quota"] * quota.astype(np.float32)
    both_known = salary_known & prepared.salary_known[veterans]
    value = value - weights["pay"] * both_known.astype(np.float32)
    return np.where(admissible, value, np.float32(-np.inf)).astype(np.float32)


def pay_term(
    weights: dict[str, np.float32], salary: np.ndarray, pay_factor: np.ndarray
) -> np.ndarray:
    """pay_weight × min(salary / expected, 1 + PAY_CAP): the pay term before its offset."""
    cap = weights["pay"] * np.float32(1 + PAY_CAP)
    term: np.ndarray = np.minimum(salary * pay_factor, cap)
    return term


def compact(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values (ascending, all in 0 … size-1) and each value's place among them."""
    present = np.zeros(size, dtype=bool)
    present[values] = True
    place = np.cumsum(present) - 1
    return np.flatnonzero(present), place[values]


def row_entries(
    matrix: sp.csr_matrix, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stored entries of some rows of a CSR matrix: (place in `rows`, column, value).
    Plain numpy: scipy's row indexing costs more than this on small blocks."""
    starts = matrix.indptr[rows]
    counts = matrix.indptr[rows + 1] - starts
    owner = np.repeat(np.arange(len(rows)), counts)
    positions = np.arange(len(owner)) + np.repeat(starts - np.cumsum(counts) + counts, counts)
    return owner, matrix.indices[positions], matrix.data[positions]


def dense_columns(
    matrix: sp.csr_matrix, rows: np.ndarray, columns: np.ndarray, extra_row: bool = False
) -> np.ndarray:
    """matrix[rows][:, columns] transposed and dense (columns × rows, float32), plus a row of
    zeros when `extra_row`; `columns` ascending."""
    owner, column, value = row_entries(matrix, rows)
    place = np.minimum(np.searchsorted(columns, column), max(len(columns) - 1, 0))
    kept = columns[place] == column if len(columns) else np.zeros(len(column), dtype=bool)
    dense = np.zeros((len(columns) + extra_row, len(rows)), dtype=np.float32)
    dense[place[kept], owner[kept]] = value[kept]
    return dense


def location(
    same_home: np.ndarray,
    remote: np.ndarray,
    accepts_remote: np.ndarray,
    accepted: np.ndarray,
    relocate: np.ndarray,
) -> np.ndarray:
    """The best way a vacancy is within reach (HOME … RELOCATION), NOWHERE if none."""
    where = np.where(relocate, RELOCATION, NOWHERE)
    where = np.where(accepted, ACCEPTED, where)
    where = np.where(remote & accepts_remote, REMOTE, where)
    best: np.ndarray = np.where(same_home, HOME, where)
    return best


def gather(matrix: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
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


def top_k_columns(
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
