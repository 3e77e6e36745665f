"""Russian names for occupations, skills and ISCO-08 groups, whatever the active taxonomy.

A concept's Russian name (Concept.label_ru) comes from the strongest source that has one:

1. imported: a label file an organisation imported (ImportedLabel, `taxonomy import-labels`);
2. release: the taxonomy's own Russian preferred label (the starter taxonomy has one for
   every concept; ESCO 1.1.1 and O*NET have none);
3. carried: the Russian preferred label of the starter concept the concept corresponds to.

The correspondence (carry-over rule): an English label of the starter concept and an English
label (preferred or alternative, not hidden) of the concept are the same words, compared as
a key (lower case, ё as е, punctuation and "a/an/the/of/and/to/in/for/on/with" left out, a
plural -s or -ies read as singular, word order ignored). Which labels met decides whether
that is enough, because the starter's Russian preferred label translates its English
preferred label and not every synonym:
- the starter's preferred label with the concept's preferred label: enough;
- the starter's preferred label with an alternative label of the concept: enough for a
  skill; an occupation must also share its ISCO-08 sub-major group (2 digits);
- an alternative label of the starter concept: only for an occupation in the same ISCO-08
  unit group (4 digits); never for a skill.
When several starter concepts match one concept, the strongest match wins, then the longest
shared ISCO-08 prefix, then the starter file's order. Text similarity short of equality is
not used: a wrong Russian name is worse than none, and none has a fallback (display.py).

ISCO-08 groups are named as in ОКЗ (okz.py).

refresh() derives label_ru for every concept of a taxonomy; services calls it after every
import and activation, and after a label file is imported. It writes only what changed.
"""

import re
from collections import Counter, defaultdict

from django.db import transaction

from waypoint.taxonomy.models import (
    ImportedLabel,
    Occupation,
    OccupationLabel,
    RussianSource,
    Skill,
    SkillLabel,
    Taxonomy,
)
from waypoint.taxonomy.okz import name_isco_groups
from waypoint.taxonomy.starter import CODE as STARTER_CODE

LANGUAGE = "ru"
BATCH = 2000
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STOP = frozenset(["a", "an", "the", "of", "and", "to", "in", "for", "on", "with"])
PREFERRED, ALTERNATIVE = "preferred", "alternative"
STRENGTH = {  # (the starter concept's label, the concept's label)
    (PREFERRED, PREFERRED): 3,
    (PREFERRED, ALTERNATIVE): 2,
    (ALTERNATIVE, PREFERRED): 1,
    (ALTERNATIVE, ALTERNATIVE): 1,
}


def label_key(text: str) -> str:
    """The words of a label as the carry-over rule compares them."""
    words = []
    for word in _WORD.findall(text.lower().replace("ё", "е")):
        if word in _STOP:
            continue
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.append(word)
    return " ".join(sorted(words))


def _kinds(kind: str):
    if kind == ImportedLabel.Kind.OCCUPATION:
        return Occupation, OccupationLabel, "occupation"
    return Skill, SkillLabel, "skill"


def _english_keys(label_model, owner: str, taxonomy: Taxonomy) -> dict[int, list[tuple[str, str]]]:
    """concept id → [(key, kind)] of its English preferred and alternative labels."""
    keys: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rows = label_model.objects.filter(
        **{f"{owner}__taxonomy": taxonomy},
        language="en",
        kind__in=(PREFERRED, ALTERNATIVE),
    ).values_list(f"{owner}_id", "kind", "text")
    for concept, kind, text in rows.iterator(chunk_size=20_000):
        key = label_key(text)
        if key:
            keys[concept].append((key, kind))
    return keys


def _russian_preferred(label_model, owner: str, taxonomy: Taxonomy) -> dict[int, str]:
    found: dict[int, str] = {}
    rows = (
        label_model.objects.filter(
            **{f"{owner}__taxonomy": taxonomy}, language=LANGUAGE, kind=PREFERRED
        )
        .order_by("pk")
        .values_list(f"{owner}_id", "text")
    )
    for concept, text in rows:
        found.setdefault(concept, text)
    return found


def _shared_prefix(a: str, b: str) -> int:
    length = 0
    while length < min(len(a), len(b)) and a[length] == b[length]:
        length += 1
    return length


def carried(taxonomy: Taxonomy, kind: str, starter: Taxonomy | None = None) -> dict[int, str]:
    """concept id → the Russian name carried over from the starter taxonomy (module doc)."""
    starter = starter or Taxonomy.objects.filter(code=STARTER_CODE).first()
    if starter is None or starter.pk == taxonomy.pk:
        return {}
    _model, label_model, owner = _kinds(kind)
    russian = _russian_preferred(label_model, owner, starter)
    source_keys = _english_keys(label_model, owner, starter)
    target_keys = _english_keys(label_model, owner, taxonomy)
    isco: dict[int, str] = {}
    if kind == ImportedLabel.Kind.OCCUPATION:
        isco = dict(
            Occupation.objects.filter(taxonomy__in=(starter, taxonomy)).values_list(
                "pk", "isco_group"
            )
        )
    by_key: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for concept, keys in source_keys.items():
        if concept in russian:
            for key, label_kind in keys:
                by_key[key].add((concept, label_kind))
    best: dict[int, tuple] = {}
    for concept, keys in target_keys.items():
        for key, target_kind in keys:
            for source, source_kind in by_key.get(key, ()):
                strength = STRENGTH[(source_kind, target_kind)]
                shared = _shared_prefix(isco.get(source, ""), isco.get(concept, ""))
                if kind == ImportedLabel.Kind.OCCUPATION:
                    accepted = strength == 3 or (strength == 2 and shared >= 2) or shared == 4
                else:
                    accepted = strength >= 2
                if not accepted:
                    continue
                rank = (strength, shared, -source)
                if concept not in best or rank > best[concept][0]:
                    best[concept] = (rank, russian[source])
    return {concept: text for concept, (_rank, text) in best.items()}


def refresh(taxonomy: Taxonomy) -> dict[str, Counter]:
    """Derive every concept's Russian name anew; returns {kind: Counter(source → concepts)}
    ("" counts the concepts left without one)."""
    counts: dict[str, Counter] = {}
    starter = Taxonomy.objects.filter(code=STARTER_CODE).first()
    with transaction.atomic():
        for kind in ImportedLabel.Kind.values:
            model, label_model, owner = _kinds(kind)
            imported = dict(
                ImportedLabel.objects.filter(
                    taxonomy=taxonomy, kind=kind, language=LANGUAGE
                ).values_list("uri", "preferred")
            )
            release = _russian_preferred(label_model, owner, taxonomy)
            carry = carried(taxonomy, kind, starter)
            changed = []
            tally: Counter = Counter()
            for pk, uri, label, source in model.objects.filter(taxonomy=taxonomy).values_list(
                "pk", "uri", "label_ru", "label_ru_source"
            ):
                if uri in imported:
                    new = (imported[uri], RussianSource.IMPORTED)
                elif pk in release:
                    new = (release[pk], RussianSource.RELEASE)
                elif pk in carry:
                    new = (carry[pk], RussianSource.CARRIED)
                else:
                    new = ("", "")
                new = (new[0][:300], str(new[1]))
                tally[new[1]] += 1
                if (label, source) != new:
                    changed.append(model(pk=pk, label_ru=new[0], label_ru_source=new[1]))
            model.objects.bulk_update(changed, ["label_ru", "label_ru_source"], batch_size=BATCH)
            counts[kind] = tally
    return counts


def refresh_all() -> dict[str, dict[str, Counter]]:
    """Every taxonomy (after the starter taxonomy changed, every carried name may have)."""
    name_isco_groups()
    return {taxonomy.code: refresh(taxonomy) for taxonomy in Taxonomy.objects.all()}
