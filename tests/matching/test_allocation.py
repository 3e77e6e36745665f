"""Seat allocation: invariants, stability and optimality on small instances."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from waypoint.matching.allocation import (
    ALL_FULL,
    NO_OPTION,
    UNASSIGNED,
    Problem,
    blocking_pairs,
    greedy,
    optimal,
    stable,
)


def problem(lists: list[list[tuple[int, float]]], seats, priority=None) -> Problem:
    indptr = np.cumsum([0] + [len(options) for options in lists])
    cohorts = np.array([c for options in lists for c, _ in options], dtype=np.int64)
    fit = np.array([f for options in lists for _, f in options], dtype=np.float64)
    return Problem(
        indptr=indptr,
        cohorts=cohorts,
        fit=fit,
        seats=np.array(seats, dtype=np.int64),
        priority=np.array(priority or [0] * len(lists), dtype=np.int64),
    )


def test_known_answer():
    # Two veterans want cohort 0 (one seat); the second fits much better there but has a
    # good alternative, the first has none.
    p = problem([[(0, 0.9)], [(0, 1.0), (1, 0.8)], []], seats=[1, 1])
    best = optimal(p, priority_bonus=0)
    assert list(best.assigned) == [0, 1, UNASSIGNED]
    assert best.total_fit == pytest.approx(1.7)
    assert best.reasons(p) == {2: NO_OPTION}
    # Cohort 0 prefers the better fit: the second veteran keeps it, the first is left out.
    fair = stable(p)
    assert list(fair.assigned) == [UNASSIGNED, 0, UNASSIGNED]
    assert blocking_pairs(p, fair) == []
    assert greedy(p).total_fit == pytest.approx(1.0)  # takes 1.0 first, strands the first veteran


def test_priority_wins_a_contested_seat():
    p = problem([[(0, 0.9)], [(0, 0.5)]], seats=[1], priority=[0, 1])
    assert list(stable(p).assigned) == [UNASSIGNED, 0]
    assert list(optimal(p, priority_bonus=0.5).assigned) == [UNASSIGNED, 0]
    assert stable(p).reasons(p) == {0: ALL_FULL}


def test_report_by_group():
    p = problem([[(0, 0.9)], [(0, 0.5)], [(1, 0.4)]], seats=[1, 1])
    allocation = optimal(p)
    assert allocation.by_group(np.array([77, 77, 66])) == {66: (1, 1), 77: (2, 1)}
    assert list(allocation.seats_left) == [0, 0]


def test_inputs_are_checked():
    with pytest.raises(ValueError, match="cohort"):
        problem([[(3, 0.5)]], seats=[1])
    with pytest.raises(ValueError, match="fit"):
        problem([[(0, 1.5)]], seats=[1])
    with pytest.raises(ValueError, match="priority"):
        Problem(np.array([0, 1]), np.array([0]), np.array([0.5]), np.array([1]), np.array([]))


@st.composite
def problems(draw, max_veterans=6, max_cohorts=3):
    n_cohorts = draw(st.integers(1, max_cohorts))
    seats = draw(st.lists(st.integers(0, 2), min_size=n_cohorts, max_size=n_cohorts))
    lists = []
    for _ in range(draw(st.integers(0, max_veterans))):
        chosen = draw(st.lists(st.integers(0, n_cohorts - 1), unique=True, max_size=n_cohorts))
        lists.append([(c, draw(st.sampled_from([0.1, 0.3, 0.5, 0.7, 0.9, 1.0]))) for c in chosen])
    priority = draw(st.lists(st.integers(0, 1), min_size=len(lists), max_size=len(lists)))
    return problem(lists, seats, priority)


def check_invariants(p: Problem, allocation) -> None:
    assert np.all(allocation.seats_left >= 0)
    taken = np.bincount(allocation.assigned[allocation.assigned >= 0], minlength=len(p.seats))
    assert np.all(taken <= p.seats)
    for veteran, option in enumerate(allocation.option):
        if option != UNASSIGNED:
            assert p.indptr[veteran] <= option < p.indptr[veteran + 1]
            assert allocation.assigned[veteran] == p.cohorts[option]


def brute_force_best(p: Problem) -> float:
    choices = [[UNASSIGNED, *range(p.indptr[v], p.indptr[v + 1])] for v in range(p.n_veterans)]
    best = 0.0
    for combination in itertools.product(*choices):
        picked = [o for o in combination if o != UNASSIGNED]
        if np.all(np.bincount(p.cohorts[picked], minlength=len(p.seats)) <= p.seats):
            best = max(best, float(p.fit[picked].sum()))
    return best


@settings(max_examples=150, deadline=None)
@given(p=problems())
def test_every_mode_respects_seats_and_choices(p):
    for allocation in (optimal(p), stable(p), greedy(p)):
        check_invariants(p, allocation)


@settings(max_examples=150, deadline=None)
@given(p=problems())
def test_deferred_acceptance_leaves_no_blocking_pair(p):
    assert blocking_pairs(p, stable(p)) == []


@settings(max_examples=100, deadline=None)
@given(p=problems(max_veterans=5))
def test_optimal_matches_brute_force_and_beats_greedy(p):
    best = optimal(p, priority_bonus=0)
    assert best.total_fit == pytest.approx(brute_force_best(p), abs=1e-3)
    assert best.total_fit >= greedy(p).total_fit - 1e-9
