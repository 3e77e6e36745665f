"""Free text → taxonomy concepts (occupations or skills), lexically.

Every concept has several labels (preferred, alternative, hidden; in several languages). A
label and a query become TF-IDF vectors of word n-grams and of character n-grams inside
words; a concept scores the best cosine over its labels. That suits short texts (job titles).
A longer text (a sentence of a CV) mentions concepts: there a label scores by how much of it,
in IDF-weighted word stems, the text contains. Pure numpy/scipy: no Django here.
"""

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# Words that carry no meaning of their own in a label or a sentence, English and Russian.
_STOP_WORDS_EN = "a an the and or of to in for with on at by is are be as it its this that these \
you we our your will have has can from who which not all any other such into per"
_STOP_WORDS_RU = "и или в во на по с со к ко для из от до не что как это при о об а но же ли бы"
STOP_WORDS = frozenset(_STOP_WORDS_EN.split()) | frozenset(_STOP_WORDS_RU.split())
STEM_LENGTH = 6


def stems(text: str) -> list[str]:
    """Meaningful words cut to their first letters: a crude stemmer that works in both languages."""
    return [word[:STEM_LENGTH] for word in normalise(text).split() if word not in STOP_WORDS]


def normalise(text: str) -> str:
    """Lower case, no accents, ё → е, punctuation as spaces."""
    text = unicodedata.normalize("NFKD", text.lower().replace("ё", "е"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(_TOKEN.findall(text))


@dataclass(frozen=True)
class Ranking:
    """Top-k concepts per query: positions into the fitted concept array, best first."""

    indices: np.ndarray  # queries × k, int64
    scores: np.ndarray  # queries × k, float32


class LabelMatcher:
    """Rank concepts for free-text queries by their best-matching label.

    Parameters are weights of the two feature families and the character n-gram sizes.
    """

    def __init__(
        self,
        char_ngrams: tuple[int, int] = (3, 5),
        char_weight: float = 1.0,
        word_weight: float = 1.0,
        block_size: int = 512,
        max_feature_share: float = 0.2,
        mention_smoothing: float = 4.0,
        mention_cosine_weight: float = 0.3,
    ) -> None:
        self.char_ngrams = char_ngrams
        self.char_weight = char_weight
        self.word_weight = word_weight
        self.block_size = block_size
        self.max_feature_share = max_feature_share
        self.mention_smoothing = mention_smoothing
        self.mention_cosine_weight = mention_cosine_weight

    def _features(self, text: str) -> list[str]:
        words = normalise(text).split()
        features = [f"w:{word}" for word in words]
        features += [f"b:{a} {b}" for a, b in itertools.pairwise(words)]
        low, high = self.char_ngrams
        for word in words:
            padded = f" {word} "
            for size in range(low, high + 1):
                features.extend(f"c:{padded[i : i + size]}" for i in range(len(padded) - size + 1))
        return features

    def _weight(self, feature: str) -> float:
        return self.char_weight if feature.startswith("c:") else self.word_weight

    def fit(self, labels: Sequence[str], owners: np.ndarray, n_concepts: int) -> "LabelMatcher":
        """Index labels; owners[i] is the concept position (0 … n_concepts-1) of labels[i]."""
        owners = np.asarray(owners, dtype=np.int64)
        if owners.shape != (len(labels),):
            raise ValueError(
                f"owners has shape {owners.shape}; expected ({len(labels)},): one "
                "concept position per label"
            )
        if len(labels) and (owners.min() < 0 or owners.max() >= n_concepts):
            raise ValueError("owners must lie in 0 … n_concepts-1")
        order = np.argsort(owners, kind="stable")
        ordered = [labels[i] for i in order]
        self.owners_ = owners[order]
        self.n_concepts_ = n_concepts
        vocabulary: dict[str, int] = {}
        rows = [self._features(text) for text in ordered]
        for features in rows:
            for feature in features:
                vocabulary.setdefault(feature, len(vocabulary))
        self.vocabulary_ = vocabulary
        counts = self._count(rows)
        document_frequency = np.bincount(counts.indices, minlength=len(vocabulary))
        self.idf_ = (np.log((1 + len(rows)) / (1 + document_frequency)) + 1).astype(np.float32)
        self.column_weight_ = np.array(
            [self._weight(feature) for feature in vocabulary], dtype=np.float32
        )
        # A feature found in more than max_feature_share of all labels ("er ", " s") adds
        # almost nothing to a cosine but makes the product nearly dense: it still counts in
        # each vector's norm, and is left out of the product (measured: 1.6x the speed, same
        # MRR on the title dev set).
        share = document_frequency / max(1, len(rows))
        kept = sp.diags((share <= self.max_feature_share).astype(np.float32))
        label_vectors = (kept @ self._normalise_rows(counts).T).tocsr()
        label_vectors.eliminate_zeros()
        self.labels_ = label_vectors
        # Labels are sorted by owner: each concept's labels form one run of columns.
        self.starts_ = np.searchsorted(self.owners_, np.arange(n_concepts))
        self.has_labels_ = np.isin(np.arange(n_concepts), self.owners_)
        self._fit_stems([stems(text) for text in ordered])
        return self

    def _fit_stems(self, rows: list[list[str]]) -> None:
        vocabulary: dict[str, int] = {}
        for row in rows:
            for stem in row:
                vocabulary.setdefault(stem, len(vocabulary))
        self.stem_vocabulary_ = vocabulary
        present = _binary_rows(rows, vocabulary)
        document_frequency = np.bincount(present.indices, minlength=len(vocabulary))
        idf = (np.log((1 + len(rows)) / (1 + document_frequency)) + 1).astype(np.float32)
        weighted = present.multiply(idf).tocsr()
        self.label_stems_ = weighted.T.tocsr()
        self.label_mass_ = np.asarray(weighted.sum(axis=1), dtype=np.float32).ravel()

    def _count(self, rows: list[list[str]]) -> sp.csr_matrix:
        indptr: list[int] = [0]
        indices: list[int] = []
        for features in rows:
            indices.extend(self.vocabulary_[f] for f in features if f in self.vocabulary_)
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float32)
        matrix = sp.csr_matrix(
            (data, np.array(indices, dtype=np.int64), np.array(indptr)),
            shape=(len(rows), len(self.vocabulary_)),
        )
        matrix.sum_duplicates()
        return matrix

    def _normalise_rows(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        weighted = counts.multiply(self.idf_ * self.column_weight_).tocsr()
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        normalised: sp.csr_matrix = sp.diags(1 / norms) @ weighted
        return normalised

    def vectorise(self, queries: Sequence[str]) -> sp.csr_matrix:
        return self._normalise_rows(self._count([self._features(q) for q in queries]))

    def scores(self, queries: Sequence[str]) -> np.ndarray:
        """Queries × concepts: the best cosine between the query and any label of the concept."""
        vectors = self.vectorise(queries)
        out = np.empty((len(queries), self.n_concepts_), dtype=np.float32)
        for start in range(0, len(queries), self.block_size):
            block = (vectors[start : start + self.block_size] @ self.labels_).toarray()
            best = np.maximum.reduceat(block, np.minimum(self.starts_, block.shape[1] - 1), axis=1)
            best[:, ~self.has_labels_] = 0
            out[start : start + self.block_size] = best
        return out

    def rank(self, queries: Sequence[str], k: int = 10) -> Ranking:
        return top_k(self.scores(queries), k)

    def coverage(self, texts: Sequence[str]) -> np.ndarray:
        """Texts × concepts: the best share of a label's stem weight found in the text.

        The share is smoothed (weight found / (label weight + smoothing)), so a label of
        several rare words found whole beats a single common word.
        """
        present = _binary_rows([stems(text) for text in texts], self.stem_vocabulary_)
        out = np.empty((len(texts), self.n_concepts_), dtype=np.float32)
        denominator = self.label_mass_ + self.mention_smoothing
        step = max(1, self.block_size // 8)  # blocks are texts × every label, dense
        for start in range(0, len(texts), step):
            found = (present[start : start + step] @ self.label_stems_).toarray() / denominator
            best = np.maximum.reduceat(found, np.minimum(self.starts_, found.shape[1] - 1), axis=1)
            best[:, ~self.has_labels_] = 0
            out[start : start + step] = best
        return out

    def mentions(self, texts: Sequence[str]) -> np.ndarray:
        """Texts × concepts for longer texts: coverage (scaled to the text's best) plus a little
        of the whole-text cosine, which breaks ties between equally covered labels."""
        coverage = self.coverage(texts)
        best = coverage.max(axis=1, keepdims=True)
        best[best == 0] = 1
        combined: np.ndarray = coverage / best + self.mention_cosine_weight * self.scores(texts)
        return combined


def _binary_rows(rows: list[list[str]], vocabulary: dict[str, int]) -> sp.csr_matrix:
    indptr, indices = [0], []
    for row in rows:
        indices.extend(sorted({vocabulary[item] for item in row if item in vocabulary}))
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), np.array(indices, dtype=np.int64), indptr),
        shape=(len(rows), len(vocabulary)),
    )


def top_k(scores: np.ndarray, k: int) -> Ranking:
    """Best k columns per row, best first; equal scores in column order (deterministic)."""
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    kth_best = np.take_along_axis(scores, part, axis=1).min(axis=1)
    # Where the k-th score is shared with columns left outside, argpartition chose among
    # them arbitrarily: those rows take a stable full sort instead.
    tied = (scores >= kth_best[:, None]).sum(axis=1) > k
    if tied.any():
        part[tied] = np.argsort(-scores[tied], axis=1, kind="stable")[:, :k]
    part_scores = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -part_scores), axis=1)
    indices = np.take_along_axis(part, order, axis=1).astype(np.int64)
    return Ranking(indices=indices, scores=np.take_along_axis(scores, indices, axis=1))


def carry_over(bridge_scores: np.ndarray, bridge_to_target: np.ndarray, top: int = 3) -> np.ndarray:
    """Scores on a bridge vocabulary carried to a target vocabulary.

    bridge_scores is queries × bridge concepts; bridge_to_target is bridge × target concepts
    (how well each bridge concept matches each target concept). A target concept takes the
    best product over the query's `top` bridge concepts. This is how a Russian text reaches a
    taxonomy labelled in English only: through a small taxonomy labelled in both.
    """
    if bridge_scores.shape[1] != bridge_to_target.shape[0]:
        raise ValueError(
            f"bridge_scores is queries × {bridge_scores.shape[1]} bridge concepts but "
            f"bridge_to_target has {bridge_to_target.shape[0]} bridge rows"
        )
    ranking = top_k(bridge_scores, min(top, bridge_scores.shape[1]))
    carried = np.zeros((bridge_scores.shape[0], bridge_to_target.shape[1]), dtype=np.float32)
    for column in range(ranking.indices.shape[1]):
        np.maximum(
            carried,
            bridge_to_target[ranking.indices[:, column]] * ranking.scores[:, column, None],
            out=carried,
        )
    return carried
