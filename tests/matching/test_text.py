import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from waypoint.matching.text import LabelMatcher, carry_over, normalise, stems, top_k

LABELS = [
    "truck driver",
    "lorry driver",
    "водитель грузовика",
    "welder",
    "сварщик",
    "security guard",
    "охранник",
    "nurse",
]
OWNERS = np.array([0, 0, 0, 1, 1, 2, 2, 3])


@pytest.fixture(scope="module")
def matcher() -> LabelMatcher:
    # Every feature in the product: on eight labels, "driver" is a frequent feature.
    return LabelMatcher(max_feature_share=1.0).fit(LABELS, OWNERS, 5)


def test_normalise():
    assert normalise("  Водитель-ЭКСПЕДИТОР (ёлка), Café!") == "водитель экспедитор елка cafe"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Truck Driver (m/f)", 0),
        ("водитель грузовика кат. С", 0),
        ("Welder / fitter", 1),
        ("сварщики", 1),
        ("ночной охранник", 2),
        ("registered nurse", 3),
    ],
)
def test_known_answers(matcher, query, expected):
    assert matcher.rank([query], k=1).indices[0, 0] == expected


def test_a_concept_scores_its_best_label(matcher):
    scores = matcher.scores(["lorry driver"])
    assert scores[0, 0] == pytest.approx(1.0, abs=1e-5)
    assert scores[0, 4] == 0  # concept without labels


def test_shapes_are_checked():
    with pytest.raises(ValueError, match="one concept position per label"):
        LabelMatcher().fit(["a", "b"], np.array([0]), 1)
    with pytest.raises(ValueError, match="n_concepts"):
        LabelMatcher().fit(["a"], np.array([3]), 2)


def test_blocks_do_not_change_the_answer():
    queries = ["driver", "guard", "nurse", "welding", "охрана"] * 7
    small = LabelMatcher(block_size=4).fit(LABELS, OWNERS, 5).scores(queries)
    large = LabelMatcher(block_size=1024).fit(LABELS, OWNERS, 5).scores(queries)
    np.testing.assert_allclose(small, large)


@given(
    st.lists(
        st.lists(st.floats(0, 1, allow_nan=False, width=32), min_size=6, max_size=6),
        min_size=1,
        max_size=8,
    ),
    st.integers(1, 6),
)
def test_top_k_matches_a_full_sort(rows, k):
    scores = np.array(rows, dtype=np.float32)
    ranking = top_k(scores, k)
    for row, indices in zip(scores, ranking.indices, strict=True):
        expected = sorted(range(len(row)), key=lambda column: (-row[column], column))[:k]
        assert list(indices) == expected


def test_deterministic(matcher):
    first = matcher.rank(["driver guard"], k=3)
    second = matcher.rank(["driver guard"], k=3)
    np.testing.assert_array_equal(first.indices, second.indices)


def test_stems_drop_stop_words_and_cut_long_words():
    assert stems("Management of the warehouse и склад") == ["manage", "wareho", "склад"]


def test_coverage_prefers_a_label_found_whole():
    matcher = LabelMatcher().fit(
        ["first aid", "aid", "drive a truck", "java"], np.array([0, 1, 2, 3]), 5
    )
    scores = matcher.coverage(["gave first aid and drove a truck daily"])[0]
    assert scores[0] > scores[1] > 0  # both words of "first aid" beat the one word "aid"
    assert scores[2] > 0  # "drove" and "drive" share no stem, "truck" still counts
    assert scores[3] == 0  # absent
    assert scores[4] == 0  # a concept without labels


def test_mentions_rank_skills_named_in_a_sentence(matcher):
    scores = matcher.mentions(["experience as a welder and as a security guard"])[0]
    assert set(np.argsort(-scores)[:2]) == {1, 2}


def test_carry_over_takes_the_best_product_through_the_bridge():
    bridge_scores = np.array([[0.9, 0.1, 0.0], [0.0, 0.0, 0.0]], dtype=np.float32)
    bridge_to_target = np.array([[0.5, 1.0], [1.0, 0.0], [0.2, 0.2]], dtype=np.float32)
    carried = carry_over(bridge_scores, bridge_to_target, top=2)
    assert np.allclose(carried, [[0.45, 0.9], [0.0, 0.0]])
    with pytest.raises(ValueError, match="bridge rows"):
        carry_over(bridge_scores, bridge_to_target[:2])
