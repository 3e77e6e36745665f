import numpy as np
import pytest

from waypoint.matching import semantic
from waypoint.matching.semantic import Encoder, SemanticIndex

# A toy encoder: each known word is a direction, a text the sum of its words' directions.
# "caregiver" points where "nurse" does: the meaning no n-gram sees.
MEANINGS = {
    "nurse": [1, 0, 0],
    "caregiver": [1, 0, 0.2],
    "truck": [0, 1, 0],
    "driver": [0, 0.8, 0.2],
    "welder": [0, 0, 1],
}


def _encode(texts: list[str]) -> np.ndarray:
    out = np.zeros((len(texts), 3), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in semantic.words(text):
            out[row] += MEANINGS.get(word, [0, 0, 0])
    return out


TOY = Encoder("toy", _encode, _encode)


@pytest.fixture(scope="module")
def index() -> SemanticIndex:
    labels = ["nurse", "caregiver", "truck driver", "lorry driver", "welder"]
    return SemanticIndex().fit(labels, ["nurse", "truck driver", "welder"], TOY)


def test_a_query_lands_on_the_concept_its_words_mean(index):
    similarity = index.similarity(["Caregiver (night shift)"], np.array([[0, 1, 2]]))
    assert similarity.shape == (1, 3)
    assert similarity[0].argmax() == 0


def test_similarity_is_a_cosine_and_a_text_without_known_words_is_zero(index):
    similarity = index.similarity(["truck driver", "xyz qqq"], np.array([[1, 0], [1, 0]]))
    assert 0.98 < similarity[0, 0] <= 1.0 + 1e-6
    assert np.all(similarity[1] == 0)


def test_the_switch_keeps_matching_lexical(monkeypatch):
    monkeypatch.setenv(semantic.SWITCH, "0")
    assert semantic.load_encoder() is None
