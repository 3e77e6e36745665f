"""Adapter between the taxonomy tables and the text matcher in matching/.

A fitted matcher is kept per process for each (taxonomy, kind, import time): it is built on
first use and rebuilt when the taxonomy is re-imported.
"""

from dataclasses import dataclass
from threading import Lock

import numpy as np

from waypoint.matching.text import LabelMatcher, top_k
from waypoint.taxonomy.models import Occupation, OccupationLabel, Skill, SkillLabel, Taxonomy

OCCUPATIONS = "occupations"
SKILLS = "skills"
SPAN_WORDS = 4
SENTENCES_PER_BLOCK = 32


@dataclass(frozen=True)
class Candidate:
    uri: str
    label: str
    score: float


@dataclass(frozen=True)
class _Index:
    matcher: LabelMatcher
    uris: list[str]
    names: list[str]


_cache: dict[tuple, _Index] = {}
_lock = Lock()


def active_taxonomy() -> Taxonomy:
    taxonomy = Taxonomy.objects.filter(is_active=True).first()
    if taxonomy is None:
        raise LookupError("no taxonomy is active; run `waypoint taxonomy load-starter`")
    return taxonomy


def _index(taxonomy: Taxonomy, kind: str) -> _Index:
    key = (taxonomy.pk, kind, taxonomy.imported_at)
    with _lock:
        if key not in _cache:
            if len(_cache) > 8:
                _cache.clear()
            _cache[key] = _build(taxonomy, kind)
        return _cache[key]


def _build(taxonomy: Taxonomy, kind: str) -> _Index:
    model, label_model, owner = (
        (Occupation, OccupationLabel, "occupation_id")
        if kind == OCCUPATIONS
        else (Skill, SkillLabel, "skill_id")
    )
    concepts = list(
        model.objects.filter(taxonomy=taxonomy)
        .order_by("pk")
        .values_list("pk", "uri", "preferred_label")
    )
    position = {pk: i for i, (pk, _uri, _name) in enumerate(concepts)}
    labels = label_model.objects.filter(**{f"{owner}__in": position}).values_list(owner, "text")
    texts, owners = [], []
    for concept, text in labels.iterator(chunk_size=20_000):
        texts.append(text)
        owners.append(position[concept])
    matcher = LabelMatcher(char_ngrams=(2, 4)).fit(
        texts, np.array(owners, dtype=np.int64), len(concepts)
    )
    return _Index(
        matcher, [uri for _pk, uri, _name in concepts], [name for _pk, _uri, name in concepts]
    )


def _candidates(index: _Index, scores: np.ndarray, k: int) -> list[list[Candidate]]:
    ranking = top_k(scores, k)
    return [
        [
            Candidate(index.uris[i], index.names[i], float(score))
            for i, score in zip(row, row_scores, strict=True)
            if score > 0
        ]
        for row, row_scores in zip(ranking.indices, ranking.scores, strict=True)
    ]


def normalize(texts: list[str], k: int = 10, taxonomy: Taxonomy | None = None):
    """Free-text job titles, specialties or CV lines → ranked occupations."""
    index = _index(taxonomy or active_taxonomy(), OCCUPATIONS)
    return _candidates(index, index.matcher.scores(texts), k)


def extract_skills(texts: list[str], k: int = 10, taxonomy: Taxonomy | None = None):
    """Sentences → ranked skills: each skill scores its best match over short word spans."""
    index = _index(taxonomy or active_taxonomy(), SKILLS)
    results: list[list[Candidate]] = []
    for start in range(0, len(texts), SENTENCES_PER_BLOCK):
        block = texts[start : start + SENTENCES_PER_BLOCK]
        spans: list[str] = []
        starts: list[int] = []
        for text in block:
            starts.append(len(spans))
            spans.extend(_spans(text))
        span_scores = index.matcher.scores(spans)
        best = np.maximum.reduceat(span_scores, np.array(starts), axis=0)
        results.extend(_candidates(index, best, k))
    return results


def _spans(text: str) -> list[str]:
    words = text.split()
    pieces = {
        " ".join(words[i : i + size])
        for size in range(1, SPAN_WORDS + 1)
        for i in range(len(words) - size + 1)
    }
    pieces.add(text if text.strip() else "-")
    return sorted(pieces)
