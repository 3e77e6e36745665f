"""Training seats for veterans: who gets which cohort.

Each veteran lists acceptable cohorts in order of preference, each with a fit score; each
cohort has a number of seats; some veterans belong to a priority group (disability, long
wait). Two ways to decide, both pure numpy plus OR-Tools:

- `optimal`: the greatest total fit (priority adds a bonus), as a min-cost flow;
- `stable`: veteran-proposing deferred acceptance, cohorts preferring priority, then fit;
  nobody would rather have a seat that would rather have them.

Results are proposals: a coordinator confirms them.
"""

from dataclasses import dataclass

import numpy as np

UNASSIGNED = -1
NO_OPTION = "no acceptable programme"
ALL_FULL = "every acceptable cohort is full"
COST_SCALE = 10_000  # min-cost flow needs integer costs: fits to 1e-4


@dataclass(frozen=True)
class Problem:
    """Veterans' acceptable cohorts as a ragged array in CSR layout, best first."""

    indptr: np.ndarray  # veterans + 1
    cohorts: np.ndarray  # per option: the cohort (0 … n_cohorts-1)
    fit: np.ndarray  # per option: 0 … 1
    seats: np.ndarray  # per cohort
    priority: np.ndarray  # per veteran: 0 none, higher first

    def __post_init__(self) -> None:
        n = len(self.indptr) - 1
        if n < 0 or self.indptr[0] != 0 or np.any(np.diff(self.indptr) < 0):
            raise ValueError("indptr must start at 0 and never decrease (veterans + 1 entries)")
        if self.indptr[-1] != len(self.cohorts) or len(self.fit) != len(self.cohorts):
            raise ValueError("cohorts and fit need one entry per option (indptr[-1])")
        if len(self.priority) != n:
            raise ValueError(f"priority has {len(self.priority)} entries for {n} veterans")
        if len(self.cohorts) and (self.cohorts.min() < 0 or self.cohorts.max() >= len(self.seats)):
            raise ValueError("every option must name a cohort in 0 … len(seats)-1")
        if np.any(self.seats < 0):
            raise ValueError("seats cannot be negative")
        if len(self.fit) and (np.any(self.fit < 0) or np.any(self.fit > 1)):
            raise ValueError("fit must lie in 0 … 1")

    @property
    def n_veterans(self) -> int:
        return len(self.indptr) - 1

    @property
    def owners(self) -> np.ndarray:
        """The veteran of each option."""
        return np.repeat(np.arange(self.n_veterans), np.diff(self.indptr))

    @property
    def ranks(self) -> np.ndarray:
        """Each option's place in its veteran's list (0 = first choice)."""
        ranks: np.ndarray = np.arange(len(self.cohorts)) - np.repeat(
            self.indptr[:-1], np.diff(self.indptr)
        )
        return ranks


@dataclass(frozen=True)
class Allocation:
    assigned: np.ndarray  # per veteran: cohort or UNASSIGNED
    option: np.ndarray  # per veteran: index into Problem.cohorts, or UNASSIGNED
    total_fit: float
    seats_left: np.ndarray  # per cohort

    def reasons(self, problem: Problem) -> dict[int, str]:
        """Why each unassigned veteran got nothing."""
        empty = np.diff(problem.indptr) == 0
        return {
            int(v): NO_OPTION if empty[v] else ALL_FULL
            for v in np.flatnonzero(self.assigned == UNASSIGNED)
        }

    def by_group(self, groups: np.ndarray) -> dict[int, tuple[int, int]]:
        """For each group value (region, priority): (veterans, assigned)."""
        out = {}
        for group in np.unique(groups):
            members = groups == group
            out[int(group)] = (int(members.sum()), int((self.assigned[members] >= 0).sum()))
        return out


def _result(problem: Problem, option: np.ndarray) -> Allocation:
    assigned = np.full(len(option), UNASSIGNED, dtype=np.int64)
    assigned[option >= 0] = problem.cohorts[option[option >= 0]]
    taken = np.bincount(assigned[assigned >= 0], minlength=len(problem.seats))
    total = float(problem.fit[option[option >= 0]].sum())
    return Allocation(assigned, option, total, problem.seats - taken)


def optimal(problem: Problem, priority_bonus: float = 0.25) -> Allocation:
    """The greatest total of fit (+ priority_bonus × priority) over assigned veterans.

    Min-cost flow: source → each veteran (1) → each acceptable cohort (1, cost -fit) → sink
    (seats); and each veteran → sink directly at no gain, so that leaving someone out is
    allowed but never chosen while a seat they accept is free.
    """
    from ortools.graph.python import min_cost_flow

    n, m, k = problem.n_veterans, len(problem.seats), len(problem.cohorts)
    source, sink = n + m, n + m + 1
    owners = problem.owners
    gain = problem.fit + priority_bonus * problem.priority[owners]
    costs = -np.rint(gain * COST_SCALE).astype(np.int64)
    start = np.concatenate([np.full(n, source), owners, np.arange(n), n + np.arange(m)])
    end = np.concatenate([np.arange(n), n + problem.cohorts, np.full(n, sink), np.full(m, sink)])
    capacity = np.concatenate([np.ones(n + k + n, np.int64), problem.seats.astype(np.int64)])
    cost = np.concatenate([np.zeros(n, np.int64), costs, np.zeros(n + m, np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(start, end, capacity, cost)
    supplies = np.zeros(n + m + 2, np.int64)
    supplies[source], supplies[sink] = n, -n
    flow.set_nodes_supplies(np.arange(n + m + 2), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    flows = flow.flows(np.arange(n, n + k))
    option = np.full(n, UNASSIGNED, dtype=np.int64)
    chosen = np.flatnonzero(flows > 0)
    option[owners[chosen]] = chosen
    return _result(problem, option)


def stable(problem: Problem) -> Allocation:
    """Veteran-proposing deferred acceptance, in rounds: every free veteran proposes to their
    next choice; each cohort keeps its best proposals up to its seats (priority, then fit,
    then the lower veteran number) and releases the rest."""
    n = problem.n_veterans
    owners = problem.owners
    lengths = np.diff(problem.indptr)
    next_choice = np.zeros(n, dtype=np.int64)
    held = np.zeros(0, dtype=np.int64)  # options currently held by cohorts
    free = np.flatnonzero(lengths > 0)
    while len(free):
        proposals = problem.indptr[free] + next_choice[free]
        next_choice[free] += 1
        candidates = np.concatenate([held, proposals])
        cohort = problem.cohorts[candidates]
        veteran = owners[candidates]
        # Sort by cohort, then by the cohort's preference: priority, fit, veteran number.
        order = np.lexsort((veteran, -problem.fit[candidates], -problem.priority[veteran], cohort))
        cohort_sorted = cohort[order]
        first = np.searchsorted(cohort_sorted, cohort_sorted, side="left")
        place = np.arange(len(order)) - first
        keep = place < problem.seats[cohort_sorted]
        held = candidates[order[keep]]
        rejected = owners[candidates[order[~keep]]]
        free = rejected[next_choice[rejected] < lengths[rejected]]
    option = np.full(n, UNASSIGNED, dtype=np.int64)
    option[owners[held]] = held
    return _result(problem, option)


def greedy(problem: Problem) -> Allocation:
    """Baseline: options by fit, best first, each taken while its cohort has a seat."""
    owners = problem.owners
    order = np.lexsort((np.arange(len(problem.fit)), -problem.fit))
    seats = problem.seats.astype(np.int64).copy()
    option = np.full(problem.n_veterans, UNASSIGNED, dtype=np.int64)
    for candidate in order.tolist():
        veteran, cohort = owners[candidate], problem.cohorts[candidate]
        if option[veteran] == UNASSIGNED and seats[cohort] > 0:
            option[veteran] = candidate
            seats[cohort] -= 1
    return _result(problem, option)


def blocking_pairs(problem: Problem, allocation: Allocation) -> list[tuple[int, int]]:
    """(veteran, option) pairs that would both rather be together: empty when stable."""
    owners, ranks = problem.owners, problem.ranks
    current_rank = np.full(problem.n_veterans, np.iinfo(np.int64).max)
    placed = allocation.option >= 0
    current_rank[placed] = ranks[allocation.option[placed]]

    def key(option: int) -> tuple[float, float, int]:
        veteran = owners[option]
        return (-problem.priority[veteran], -problem.fit[option], veteran)

    worst: dict[int, tuple[float, float, int]] = {}
    for option in allocation.option[placed].tolist():
        cohort = int(problem.cohorts[option])
        worst[cohort] = max(worst.get(cohort, key(option)), key(option))
    pairs = []
    for option in range(len(problem.cohorts)):
        veteran, cohort = int(owners[option]), int(problem.cohorts[option])
        if ranks[option] >= current_rank[veteran] or problem.seats[cohort] == 0:
            continue
        if allocation.seats_left[cohort] > 0 or key(option) < worst[cohort]:
            pairs.append((veteran, option))
    return pairs
