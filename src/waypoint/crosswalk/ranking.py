"""The crosswalk at work: specialty texts → catalogue entries → the active taxonomy's civilian
occupations and skills, as evidence for orientation.

An entry names ISCO-08 unit groups and English skill labels, so it applies to whichever
taxonomy is active. In an engine it becomes:
- the civilian occupations of its unit groups: each gets the ranking's `specialty` term
  ("your specialty X leads to this occupation");
- anchors: in each of its first ANCHOR_GROUPS groups the taxonomy has, the occupation whose
  labels read most like the entry's names; their skills count as practised, as those of an
  occupation a specialty stands for always did (MILITARY weights), without making them
  occupations held;
- its skill labels, found in the taxonomy, at SKILL strength.
Resolved once per engine and catalogue revision; the catalogue is matched in process, so
ranking everyone costs one match per distinct text.
"""

from dataclasses import dataclass
from threading import Lock

import numpy as np
from django.db.models import Count, Max

from waypoint.crosswalk.models import Specialty
from waypoint.matching.specialties import SpecialtyMatcher
from waypoint.taxonomy import normalization

ANCHOR_GROUPS = 2
ANCHOR_CANDIDATES = 200
SKILL = 0.6
SKILL_MIN_SCORE = 0.35


@dataclass(frozen=True)
class Entry:
    key: str
    name: str
    names_en: list[str]
    isco: list[str]
    skills: list[str]


@dataclass(frozen=True)
class Found:
    """One entry a text names."""

    entry: Entry
    score: float
    name: str  # the catalogue name that matched


@dataclass(frozen=True)
class Catalogue:
    revision: tuple
    entries: list[Entry]
    matcher: SpecialtyMatcher


@dataclass(frozen=True)
class Resolved:
    """An entry in one engine's taxonomy (positions on the engine's axes)."""

    occupations: np.ndarray
    anchors: list[int]
    skills: list[int]


_catalogue: Catalogue | None = None
_lock = Lock()


def _revision() -> tuple:
    found = Specialty.objects.filter(is_active=True).aggregate(n=Count("pk"), at=Max("updated_at"))
    return (found["n"], found["at"])


def catalogue() -> Catalogue:
    """The active entries with a fitted matcher, rebuilt when an entry changes."""
    global _catalogue
    revision = _revision()
    with _lock:
        if _catalogue is None or _catalogue.revision != revision:
            entries, names, owners = [], [], []
            for specialty in Specialty.objects.filter(is_active=True).order_by("key"):
                for name in specialty.names:
                    names.append(name)
                    owners.append(len(entries))
                entries.append(
                    Entry(
                        specialty.key,
                        specialty.first_name,
                        specialty.names_en.split(";") if specialty.names_en else [],
                        specialty.isco_list,
                        specialty.skill_list,
                    )
                )
            matcher = SpecialtyMatcher().fit(names, np.array(owners, np.int64), len(entries))
            _catalogue = Catalogue(revision, entries, matcher)
        return _catalogue


def match(texts: list[str]) -> list[list[Found]]:
    """The entries each specialty text names (none: the crosswalk does not know it)."""
    if not texts:
        return []
    current = catalogue()
    if not current.entries:
        return [[] for _text in texts]
    return [
        [Found(current.entries[m.entry], m.score, m.name) for m in matches]
        for matches in current.matcher.match(texts)
    ]


def resolve(engine, entry: Entry) -> Resolved:
    """An entry on an engine's axes, computed once per engine and catalogue revision."""
    key = ("crosswalk", catalogue().revision, entry.key)
    if key not in engine.memo:
        engine.memo[key] = _resolve(engine, entry)
    return engine.memo[key]


def _resolve(engine, entry: Entry) -> Resolved:
    groups = np.array(engine.isco_groups, dtype=object)
    civilian = ~engine.military
    occupations = np.flatnonzero(np.isin(groups, entry.isco) & civilian)
    taxonomy = _taxonomy(engine)
    anchors = []
    queries = [name.strip() for name in entry.names_en if name.strip()] or [entry.name]
    ranked = normalization.normalize(
        queries, k=ANCHOR_CANDIDATES, taxonomy=taxonomy, military=False
    )
    best: dict[int, float] = {}
    for candidates in ranked:
        for candidate in candidates:
            position = engine.occupation_position.get(candidate.pk)
            if position is not None:
                best[position] = max(best.get(position, 0.0), candidate.score)
    for group in entry.isco:
        in_group = [p for p in occupations.tolist() if engine.isco_groups[p] == group]
        if in_group:
            anchors.append(max(in_group, key=lambda p: (best.get(p, 0.0), -p)))
        if len(anchors) == ANCHOR_GROUPS:
            break
    skills = []
    if entry.skills:
        found = normalization.search_skills(entry.skills, k=1, taxonomy=taxonomy)
        for candidates in found:
            if candidates and candidates[0].score >= SKILL_MIN_SCORE:
                position = engine.skill_position.get(candidates[0].pk)
                if position is not None and position not in skills:
                    skills.append(position)
    return Resolved(occupations, anchors, skills)


def _taxonomy(engine):
    from waypoint.taxonomy.models import Taxonomy

    return Taxonomy.objects.get(pk=engine.taxonomy_id)


def add_evidence(engine, evidence, text: str, found: list[Found], weights, source: str) -> None:
    """What the entries a specialty text names bring to one veteran's evidence: the
    occupations they lead to (evidence.leads_to) and the skills practised."""
    essential, optional = weights
    for one in found:
        resolved = resolve(engine, one.entry)
        for occupation in resolved.occupations.tolist():
            texts = evidence.leads_to.setdefault(occupation, [])
            if text not in texts:
                texts.append(text)
        for anchor in resolved.anchors:
            for skill in engine.essential_of[anchor].tolist():
                evidence.add(skill, essential, source)
            for skill in engine.optional_of[anchor].tolist():
                evidence.add(skill, optional, source)
        for skill in resolved.skills:
            evidence.add(skill, SKILL, source)
