"""Adapter between the taxonomy tables and the text matcher in matching/.

A fitted matcher is kept per process for each (taxonomy, kind, import time): it is built on
first use and rebuilt when the taxonomy is re-imported. Fitting ESCO's 100,000 skill labels
takes seconds, so a fitted index is also kept on disk under WAYPOINT_HOME/cache and loaded
from there by the next process (a fraction of a second).

A taxonomy labelled in English only (ESCO) is reached from Russian text through the bundled
starter taxonomy, which is labelled in both: the text is matched to starter concepts, and
their English labels carry the score over (matching.text.carry_over). Direct matches keep
the upper hand: a carried score counts at CARRIED_WEIGHT of its value.
"""

from dataclasses import dataclass, replace
from pathlib import Path
from threading import Lock

import numpy as np
from django.db import connection

from waypoint.kit import cache
from waypoint.matching.semantic import SemanticIndex, encoder_name, load_encoder
from waypoint.matching.text import LabelMatcher, carry_over, top_k
from waypoint.taxonomy.models import Occupation, OccupationLabel, Skill, SkillLabel, Taxonomy
from waypoint.taxonomy.starter import CODE as STARTER_CODE

OCCUPATIONS = "occupations"
SKILLS = "skills"
CARRIED_WEIGHT = 0.9
DOCUMENT_WEIGHT = 0.5
MENTION_DOCUMENT_WEIGHT = 1.0
TEXTS_PER_BLOCK = 1024
INDEX_FORMAT = 5  # raise when _Index, LabelMatcher or SemanticIndex change shape
# The sentence encoder re-orders the lexical top SEMANTIC_POOL: a candidate loses
# SEMANTIC_WEIGHT × (how far its meaning lies below the closest candidate's). Measured on the
# title dev set: MRR rose with the weight up to 4 and fell after; 3 is kept on the safe side.
SEMANTIC_POOL = 50
SEMANTIC_WEIGHT = 3.0
# Sentences → skills, each sentence encoded whole: measured on the TECH and HOUSE dev sets
# (136 sentences), R-precision@5 at weights 2/4/6/8/12 was 0.68/0.72/0.72/0.74/0.72 (TECH) and
# 0.52/0.56/0.57/0.57/0.56 (HOUSE); 6 sits on the plateau, MRR highest there for HOUSE.
MENTION_SEMANTIC_WEIGHT = 6.0
# Below this many concepts an index stays lexical: the starter taxonomy's labels were written
# for it, and encoding costs seconds at every fit (tests fit it often).
SEMANTIC_MIN_CONCEPTS = 1000
BRIDGE_LANGUAGE = "en"


@dataclass(frozen=True)
class Candidate:
    pk: int
    uri: str
    label: str
    score: float


@dataclass(frozen=True)
class _Index:
    matcher: LabelMatcher
    pks: list[int]
    uris: list[str]
    names: list[str]
    military: np.ndarray  # bool per concept (always False for skills)
    # One document per concept (every label and the description), words only: it finds the
    # concept from words its labels lack ("AWS" → software developer).
    documents: LabelMatcher
    # starter concepts × this taxonomy's concepts, when this taxonomy is not the starter
    bridge: np.ndarray | None = None
    starter: "_Index | None" = None
    # Concepts' meaning (occupations of a large taxonomy, when the encoder is installed)
    semantic: SemanticIndex | None = None

    def scores(self, texts: list[str]) -> np.ndarray:
        """Texts × concepts for short texts (titles, names), in 0 … 1: lexical."""
        scores = self.matcher.scores(texts)
        scores += DOCUMENT_WEIGHT * self.documents.scores(texts)
        return scores / (1 + DOCUMENT_WEIGHT)

    def mentions(self, texts: list[str]) -> np.ndarray:
        """Texts × concepts for sentences: labels they contain, and how close they read to
        each concept's description."""
        return self.matcher.mentions(texts) + MENTION_DOCUMENT_WEIGHT * self.documents.scores(texts)

    def by_meaning(self, scores: np.ndarray, texts: list[str], read: str) -> np.ndarray:
        """The final scores (lexical, and carried over the bridge) re-ordered by meaning,
        where this index has its semantic part: titles by static word vectors, sentences
        ("mentions") encoded whole."""
        if self.semantic is None or not len(texts):
            return scores
        if read == "scores":
            if not self.semantic.has_word_vectors:
                return scores
            return _reorder(scores, SEMANTIC_WEIGHT, self.semantic.similarity, texts)
        encoder = load_encoder()
        if encoder is None or encoder.name != self.semantic.encoder_:
            return scores

        def similarity(texts, candidates):
            return self.semantic.sentence_similarity(texts, candidates, encoder)

        return _reorder(scores, MENTION_SEMANTIC_WEIGHT, similarity, texts)


def _reorder(scores: np.ndarray, weight: float, similarity, texts: list[str]) -> np.ndarray:
    """Only the lexical top SEMANTIC_POOL keep a score, re-ordered by meaning
    (similarity(texts, candidates) → cosines); a candidate never rises above its lexical
    score, and one with no lexical match stays out."""
    pool = top_k(scores, min(SEMANTIC_POOL, scores.shape[1]))
    meaning = similarity(texts, pool.indices)
    adjusted = pool.scores + weight * (meaning - meaning.max(axis=1, keepdims=True))
    adjusted = np.maximum(adjusted, 1e-3 * pool.scores)
    out = np.zeros_like(scores)
    np.put_along_axis(out, pool.indices, adjusted.astype(scores.dtype), axis=1)
    return out


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
            _cache[key] = _load_or_build(taxonomy, kind)
        return _cache[key]


def cache_version(taxonomy: Taxonomy) -> str:
    """What a derived index of this taxonomy depends on. The database is part of it: pks
    differ between databases sharing a WAYPOINT_HOME."""
    database = f"{connection.vendor}:{connection.settings_dict['NAME']}"
    return f"{database}|{taxonomy.pk}|{taxonomy.imported_at}"


def _cache_kind(taxonomy: Taxonomy, kind: str) -> str:
    return f"text-{taxonomy.code}-{kind}"


def _index_version(taxonomy: Taxonomy) -> str:
    return f"{cache_version(taxonomy)}|{INDEX_FORMAT}|{encoder_name() or 'lexical'}"


def _load_or_build(taxonomy: Taxonomy, kind: str) -> "_Index":
    return cache.load_or_build(
        _cache_kind(taxonomy, kind), _index_version(taxonomy), lambda: _build(taxonomy, kind)
    )


def _cache_path(taxonomy: Taxonomy, kind: str) -> Path:
    return cache.path_for(_cache_kind(taxonomy, kind), _index_version(taxonomy))


def skill_index(taxonomy: Taxonomy) -> _Index:
    """The fitted skill index (its document vectors tell which skills read alike)."""
    return _index(taxonomy, SKILLS)


def warm_up(taxonomy: Taxonomy) -> None:
    """Fit (or load) both indexes of a taxonomy now, e.g. right after importing it."""
    for kind in (OCCUPATIONS, SKILLS):
        _index(taxonomy, kind)


def _models(kind: str):
    if kind == OCCUPATIONS:
        return Occupation, OccupationLabel, "occupation_id"
    return Skill, SkillLabel, "skill_id"


def _labels(concepts: list[tuple], kind: str, **filters) -> tuple[list[str], np.ndarray]:
    _model, label_model, owner = _models(kind)
    position = {pk: i for i, (pk, _uri, _name) in enumerate(concepts)}
    labels = label_model.objects.filter(**{f"{owner}__in": position}, **filters).values_list(
        owner, "text"
    )
    texts, owners = [], []
    for concept, text in labels.iterator(chunk_size=20_000):
        texts.append(text)
        owners.append(position[concept])
    return texts, np.array(owners, dtype=np.int64)


def _build(taxonomy: Taxonomy, kind: str) -> _Index:
    model, label_model, owner = _models(kind)
    concepts = list(
        model.objects.filter(taxonomy=taxonomy)
        .order_by("pk")
        .values_list("pk", "uri", "preferred_label")
    )
    military = np.zeros(len(concepts), dtype=bool)
    if kind == OCCUPATIONS:
        military_pks = set(
            Occupation.objects.filter(taxonomy=taxonomy, is_military=True).values_list(
                "pk", flat=True
            )
        )
        military = np.array([pk in military_pks for pk, _uri, _name in concepts], dtype=bool)
    texts, owners = _labels(concepts, kind)
    matcher = LabelMatcher(char_ngrams=(2, 4)).fit(texts, owners, len(concepts))
    documents = LabelMatcher(char_weight=0.0).fit(
        _documents(model, taxonomy, concepts, texts, owners),
        np.arange(len(concepts)),
        len(concepts),
    )
    speaks_russian = label_model.objects.filter(
        **{f"{owner.removesuffix('_id')}__taxonomy": taxonomy, "language": "ru"}
    ).exists()
    starter = None
    starter_taxonomy = Taxonomy.objects.filter(code=STARTER_CODE).first()
    if not speaks_russian and starter_taxonomy is not None and starter_taxonomy != taxonomy:
        starter = _build(starter_taxonomy, kind)
    index = _Index(
        matcher,
        [pk for pk, _uri, _name in concepts],
        [uri for _pk, uri, _name in concepts],
        [name for _pk, _uri, name in concepts],
        military,
        documents,
        semantic=_semantic(kind, concepts, texts),
    )
    if starter is None:
        return index
    english, english_owners = _labels(
        list(zip(starter.pks, starter.uris, starter.names, strict=True)),
        kind,
        language=BRIDGE_LANGUAGE,
    )
    bridge = np.zeros((len(starter.pks), len(concepts)), dtype=np.float32)
    if english:
        np.maximum.at(bridge, english_owners, index.scores(english))
    return replace(index, bridge=bridge, starter=starter)


def _semantic(kind: str, concepts: list[tuple], texts: list[str]) -> SemanticIndex | None:
    """Occupations get word vectors too (titles are matched by them); skills only their
    preferred labels' vectors (sentences are encoded whole)."""
    if len(concepts) < SEMANTIC_MIN_CONCEPTS:
        return None
    encoder = load_encoder()
    if encoder is None:
        return None
    names = [name for _pk, _uri, name in concepts]
    return SemanticIndex().fit(texts, names, encoder, word_vectors=kind == OCCUPATIONS)


def _documents(model, taxonomy: Taxonomy, concepts: list[tuple], texts, owners) -> list[str]:
    words: list[list[str]] = [[] for _concept in concepts]
    for text, owner in zip(texts, owners, strict=True):
        words[owner].append(text)
    descriptions = dict(model.objects.filter(taxonomy=taxonomy).values_list("pk", "descriptions"))
    for position, (pk, _uri, _name) in enumerate(concepts):
        words[position].extend((descriptions.get(pk) or {}).values())
    return [" ".join(parts) for parts in words]


def _candidates(index: _Index, scores: np.ndarray, k: int) -> list[list[Candidate]]:
    ranking = top_k(scores, k)
    return [
        [
            Candidate(index.pks[i], index.uris[i], index.names[i], float(score))
            for i, score in zip(row, row_scores, strict=True)
            if score > 0
        ]
        for row, row_scores in zip(ranking.indices, ranking.scores, strict=True)
    ]


def _with_bridge(index: _Index, scores: np.ndarray, starter_scores) -> np.ndarray:
    if index.bridge is None or not len(scores):
        return scores
    carried = carry_over(starter_scores, index.bridge)
    return np.maximum(scores, CARRIED_WEIGHT * carried)


def normalize(
    texts: list[str],
    k: int = 10,
    taxonomy: Taxonomy | None = None,
    military: bool | None = None,
):
    """Free-text job titles, specialties or CV lines → ranked occupations; military=False
    keeps to civilian occupations (a civilian job is never a military one), True to military."""
    return _search(texts, k, taxonomy, OCCUPATIONS, military)


def search_skills(texts: list[str], k: int = 10, taxonomy: Taxonomy | None = None):
    """Short texts (a skill's name, as typed) → ranked skills."""
    return _search(texts, k, taxonomy, SKILLS)


def search_occupations(query: str, k: int = 10, military: bool | None = None):
    """Occupations for what someone typed in a search box: none for an empty query or
    while no taxonomy is active."""
    query = query.strip()
    if not query:
        return []
    try:
        return normalize([query], k=k, military=military)[0]
    except LookupError:
        return []


def _search(
    texts: list[str],
    k: int,
    taxonomy: Taxonomy | None,
    kind: str,
    military: bool | None = None,
    read: str = "scores",
):
    """`read` is the _Index method that scores a block: "scores" for short texts,
    "mentions" for sentences."""
    index = _index(taxonomy or active_taxonomy(), kind)
    excluded = None if military is None else index.military != military
    results: list[list[Candidate]] = []
    # In blocks, so that memory grows with the block and not with the number of texts.
    for start in range(0, len(texts), TEXTS_PER_BLOCK):
        block = texts[start : start + TEXTS_PER_BLOCK]
        scores = getattr(index, read)(block)
        if index.starter is not None:
            scores = _with_bridge(index, scores, getattr(index.starter, read)(block))
        scores = index.by_meaning(scores, block, read)
        if excluded is not None:
            scores[:, excluded] = 0  # candidates need a positive score
        results.extend(_candidates(index, scores, k))
    return results


def extract_skills(texts: list[str], k: int = 10, taxonomy: Taxonomy | None = None):
    """Sentences (of a CV, a vacancy, a service record) → the skills they mention, ranked."""
    return _search(texts, k, taxonomy, SKILLS, read="mentions")


def mentioned_skills(
    texts: list[str], k: int = 8, min_share: float = 0.5, taxonomy: Taxonomy | None = None
) -> list[list[tuple[int, float]]]:
    """The skills each sentence clearly mentions, as (skill id, strength relative to the
    sentence's best, 0 … 1): those scoring at least min_share of the best."""
    out = []
    for candidates in extract_skills(texts, k=k, taxonomy=taxonomy):
        best = candidates[0].score if candidates else 0
        out.append(
            [(c.pk, round(c.score / best, 4)) for c in candidates if c.score >= min_share * best]
        )
    return out
