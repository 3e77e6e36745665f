"""The ranking core on a small hand-made taxonomy with answers worked out by hand."""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from waypoint.matching.orientation import OccupationRanker, Profiles, Requirements

# skills
DRIVE, RULES, TACHO, FIRST_AID, CPR, NETWORKS, RADIO, TEAMWORK = range(8)
# occupations
TRUCK, PARAMEDIC, NETWORK_TECH, DISPATCHER = range(4)
ESSENTIAL = {
    TRUCK: [DRIVE, RULES],
    PARAMEDIC: [FIRST_AID],
    NETWORK_TECH: [NETWORKS],
    DISPATCHER: [RADIO, RULES],
}
OPTIONAL = {
    TRUCK: [TACHO, TEAMWORK],
    PARAMEDIC: [CPR, TEAMWORK],
    NETWORK_TECH: [RADIO, TEAMWORK],
    DISPATCHER: [TEAMWORK],
}


def matrix(rows: dict[int, list[int]], shape=(4, 8)) -> sp.csr_matrix:
    dense = np.zeros(shape, dtype=np.float32)
    for row, columns in rows.items():
        dense[row, columns] = 1
    return sp.csr_matrix(dense)


def profile(*rows: dict[int, float]) -> sp.csr_matrix:
    dense = np.zeros((len(rows), 8), dtype=np.float32)
    for i, skills in enumerate(rows):
        for skill, strength in skills.items():
            dense[i, skill] = strength
    return sp.csr_matrix(dense)


@pytest.fixture(scope="module")
def ranker() -> OccupationRanker:
    similarity = sp.csr_matrix(([0.8], ([RADIO], [NETWORKS])), shape=(8, 8))
    return OccupationRanker().fit(Requirements(matrix(ESSENTIAL), matrix(OPTIONAL)), similarity)


def test_every_essential_skill_ranks_the_occupation_first(ranker):
    profiles = Profiles(profile({DRIVE: 1, RULES: 1}))
    assert ranker.rank(profiles, 4).indices[0, 0] == TRUCK
    explanation = ranker.explain(profiles, 0, TRUCK)
    assert list(explanation.matched) == [DRIVE, RULES]
    assert list(explanation.missing) == []


def test_removing_an_essential_skill_moves_it_and_names_exactly_that_skill(ranker):
    full = ranker.score(Profiles(profile({DRIVE: 1, RULES: 1}))).total[0]
    partial = Profiles(profile({DRIVE: 1}))
    assert ranker.score(partial).total[0, TRUCK] < full[TRUCK]
    assert list(ranker.explain(partial, 0, TRUCK).missing) == [RULES]


def test_a_ruled_out_occupation_is_never_recommended(ranker):
    excluded = np.zeros((1, 4), dtype=bool)
    excluded[0, TRUCK] = True
    ranking = ranker.rank(Profiles(profile({DRIVE: 1, RULES: 1}), excluded=excluded), 4)
    assert TRUCK not in ranking.indices[0]
    assert ranking.indices[0, -1] == -1  # only three occupations are left


def test_a_confirmed_skill_outweighs_an_inferred_one(ranker):
    profiles = Profiles(profile({FIRST_AID: 1.0, NETWORKS: 0.6}))
    assert ranker.rank(profiles, 2).indices[0, 0] == PARAMEDIC


def test_a_similar_skill_covers_part_of_a_required_one_never_all(ranker):
    profiles = Profiles(profile({RADIO: 1}))
    scores = ranker.score(profiles)
    assert 0 < scores.terms["transferable"][0, NETWORK_TECH] < ranker.essential_weight
    explanation = ranker.explain(profiles, 0, NETWORK_TECH)
    assert [(t.required, t.held) for t in explanation.transfers] == [(NETWORKS, RADIO)]
    assert explanation.transfers[0].credit == pytest.approx(0.4)
    assert list(explanation.missing) == [NETWORKS]


def test_rare_skills_weigh_more_than_common_ones(ranker):
    # TEAMWORK is optional for all four occupations, TACHO for one.
    assert ranker.skill_weight_[TACHO] > ranker.skill_weight_[TEAMWORK]


def test_demand_pay_and_preference_terms(ranker):
    preferred = sp.csr_matrix(([1.0], ([0], [DISPATCHER])), shape=(1, 4))
    demand = np.array([[0.0, 0.0, 0.0, 1.0]], dtype=np.float32)
    pay = np.array([[0.0, 0.0, 0.0, -2.0]], dtype=np.float32)
    scores = ranker.score(Profiles(profile({}), preferred=preferred, demand=demand, pay=pay))
    assert scores.terms["preference"][0, DISPATCHER] == pytest.approx(ranker.preference_weight)
    assert scores.terms["demand"][0, DISPATCHER] == pytest.approx(ranker.demand_weight)
    assert scores.terms["pay"][0, DISPATCHER] == pytest.approx(-ranker.pay_weight)  # clipped


def test_the_order_is_the_same_run_after_run(ranker):
    profiles = Profiles(profile({TEAMWORK: 1}, {}, {RULES: 0.5}))
    first = ranker.rank(profiles, 4)
    for _ in range(3):
        again = ranker.rank(profiles, 4)
        assert np.array_equal(first.indices, again.indices)


def test_shapes_are_checked(ranker):
    with pytest.raises(ValueError, match="skills"):
        ranker.score(Profiles(sp.csr_matrix((1, 5), dtype=np.float32)))
    with pytest.raises(ValueError, match="veterans × occupations"):
        ranker.score(Profiles(profile({}), demand=np.zeros((1, 3))))
    with pytest.raises(ValueError, match="never fully"):
        OccupationRanker(transfer_cap=1.0)


strengths = st.dictionaries(st.integers(0, 7), st.floats(0.05, 1.0), max_size=8)


@settings(max_examples=60, deadline=None)
@given(before=strengths, skill=st.integers(0, 7), strength=st.floats(0.05, 1.0))
def test_adding_a_skill_never_lowers_coverage(ranker, before, skill, strength):
    after = dict(before)
    after[skill] = max(strength, before.get(skill, 0))
    old, new = (ranker.score(Profiles(profile(p))).terms for p in (before, after))
    for term in ("essential", "optional"):
        assert np.all(new[term] >= old[term] - 1e-6)
    assert np.all(
        new["essential"] + new["transferable"] + new["optional"]
        >= old["essential"] + old["transferable"] + old["optional"] - 1e-6
    )


@settings(max_examples=60, deadline=None)
@given(skills=strengths, occupation=st.integers(0, 3))
def test_scores_are_finite_and_explanations_add_up(ranker, skills, occupation):
    profiles = Profiles(profile(skills))
    total = ranker.score(profiles).total
    assert np.all(np.isfinite(total))
    explanation = ranker.explain(profiles, 0, occupation)
    assert sum(explanation.terms.values()) == pytest.approx(explanation.score, abs=1e-5)
    assert explanation.score == pytest.approx(float(total[0, occupation]), abs=1e-6)


def test_similar_skills_keeps_the_closest_above_the_threshold():
    from waypoint.matching.orientation import similar_skills

    vectors = sp.csr_matrix(
        np.array([[1, 0, 0], [0.9, 0.1, 0], [0, 0, 1], [0, 1, 0]], dtype=np.float32)
    )
    vectors = sp.csr_matrix(vectors.multiply(1 / np.sqrt(vectors.multiply(vectors).sum(1))))
    similarity = similar_skills(vectors, k=1, threshold=0.5)
    assert similarity[0, 1] > 0.9
    assert similarity[1, 0] > 0.9
    assert similarity[2].nnz == 0  # nothing close enough
    assert similarity.diagonal().sum() == 0
