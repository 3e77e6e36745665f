"""Writes a parsed taxonomy release into the database: one transaction, upsert by URI.

Concepts (occupations, skills, skill groups) keep their ids across re-imports because other
tables point at them; labels and relations belong to the taxonomy alone and are replaced.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from waypoint.taxonomy.models import (
    IscoGroup,
    Occupation,
    OccupationLabel,
    OccupationSkill,
    Skill,
    SkillGroup,
    SkillLabel,
    SkillRelation,
    Taxonomy,
)
from waypoint.taxonomy.okz import okz_name

BATCH = 5000
Progress = Callable[[str, int], None]


@dataclass
class ParsedRelease:
    """A release in plain Python values, validated, ready to write."""

    code: str
    name: str
    version: str
    source: str
    isco_groups: dict[str, dict[str, str]] = field(default_factory=dict)  # code → {lang: label}
    occupations: dict[str, dict] = field(default_factory=dict)  # uri → model field values
    skills: dict[str, dict] = field(default_factory=dict)
    skill_groups: dict[str, dict] = field(default_factory=dict)
    # (uri, language, kind, text)
    occupation_labels: list[tuple[str, str, str, str]] = field(default_factory=list)
    skill_labels: list[tuple[str, str, str, str]] = field(default_factory=list)
    occupation_parents: dict[str, str] = field(default_factory=dict)  # child uri → parent uri
    occupation_skills: dict[tuple[str, str], str] = field(default_factory=dict)
    skill_relations: set[tuple[str, str, str]] = field(default_factory=set)
    skill_group_members: set[tuple[str, str]] = field(default_factory=set)  # (skill, group)
    relations_read: int = 0
    essential_read: int = 0
    dangling_relations: list[int] = field(default_factory=list)  # lines, not stored


@dataclass
class ImportSummary:
    taxonomy: str
    occupations: int
    skills: int
    skill_groups: int
    occupation_skill_relations: int
    relations_not_stored: int
    essential: int
    optional: int
    skill_skill_relations: int
    labels: int
    isco_groups: int
    created: int
    updated: int


def _noop(step: str, count: int) -> None:
    return None


def write_release(release: ParsedRelease, progress: Progress = _noop) -> ImportSummary:
    with transaction.atomic():
        taxonomy, _created = Taxonomy.objects.update_or_create(
            code=release.code,
            defaults={
                "name": release.name,
                "version": release.version,
                "source": release.source[:300],
                "imported_at": timezone.now(),
            },
        )
        if not Taxonomy.objects.filter(is_active=True).exists():
            taxonomy.is_active = True
            taxonomy.save(update_fields=["is_active"])
        _write_isco(release.isco_groups)
        progress("ISCO groups", len(release.isco_groups))
        occupations, occ_new, occ_old = _upsert(Occupation, taxonomy, release.occupations)
        progress("occupations", len(occupations))
        skills, skill_new, skill_old = _upsert(Skill, taxonomy, release.skills)
        progress("skills", len(skills))
        groups, group_new, group_old = _upsert(SkillGroup, taxonomy, release.skill_groups)
        _write_parents(occupations, release.occupation_parents)
        labels = _replace_labels(taxonomy, occupations, skills, release)
        progress("labels", labels)
        _replace_relations(taxonomy, occupations, skills, groups, release)
        progress("relations", len(release.occupation_skills) + len(release.skill_relations))
    essential = release.essential_read or sum(
        1 for kind in release.occupation_skills.values() if kind == "essential"
    )
    return ImportSummary(
        taxonomy=str(taxonomy),
        occupations=len(release.occupations),
        skills=len(release.skills),
        skill_groups=len(release.skill_groups),
        occupation_skill_relations=release.relations_read or len(release.occupation_skills),
        relations_not_stored=len(release.dangling_relations),
        essential=essential,
        optional=(release.relations_read or len(release.occupation_skills)) - essential,
        skill_skill_relations=len(release.skill_relations),
        labels=labels,
        isco_groups=len(release.isco_groups),
        created=occ_new + skill_new + group_new,
        updated=occ_old + skill_old + group_old,
    )


def _write_isco(groups: dict[str, dict[str, str]]) -> None:
    existing = {group.code: group for group in IscoGroup.objects.all()}
    for code in sorted(groups, key=len):
        labels = groups[code]
        group = existing.get(code) or IscoGroup(code=code)
        group.label_en = labels.get("en") or group.label_en or code
        # ОКЗ names every ISCO-08 group; a release's own Russian label only fills a gap.
        group.label_ru = okz_name(code) or labels.get("ru") or group.label_ru
        group.parent_id = code[:-1] if len(code) > 1 and code[:-1] in existing else None
        group.save()
        existing[code] = group


def _upsert(model, taxonomy: Taxonomy, rows: dict[str, dict]) -> tuple[dict[str, int], int, int]:
    """Create new concepts and update changed ones; returns uri → id and the two counts.

    Unchanged rows are left alone, so re-importing the same release writes no concept rows.
    """
    fields = sorted({name for values in rows.values() for name in values})
    known = {
        values["uri"]: values
        for values in model.objects.filter(taxonomy=taxonomy).values("pk", "uri", *fields)
    }
    fresh = [
        model(taxonomy=taxonomy, uri=uri, **values)
        for uri, values in rows.items()
        if uri not in known
    ]
    model.objects.bulk_create(fresh, batch_size=BATCH)
    changed = [
        model(pk=known[uri]["pk"], taxonomy=taxonomy, uri=uri, **values)
        for uri, values in rows.items()
        if uri in known and any(known[uri][name] != value for name, value in values.items())
    ]
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=500)
    ids = dict(model.objects.filter(taxonomy=taxonomy).values_list("uri", "pk"))
    return ids, len(fresh), len(changed)


def _write_parents(occupations: dict[str, int], parents: dict[str, str]) -> None:
    updates = [
        Occupation(pk=occupations[child], parent_id=occupations.get(parent))
        for child, parent in parents.items()
        if child in occupations
    ]
    Occupation.objects.bulk_update(updates, ["parent"], batch_size=BATCH)


def _replace_labels(taxonomy, occupations, skills, release: ParsedRelease) -> int:
    OccupationLabel.objects.filter(occupation__taxonomy=taxonomy).delete()
    SkillLabel.objects.filter(skill__taxonomy=taxonomy).delete()
    occupation_labels = [
        OccupationLabel(
            occupation_id=occupations[uri], language=language, kind=kind, text=text[:400]
        )
        for uri, language, kind, text in release.occupation_labels
        if uri in occupations
    ]
    skill_labels = [
        SkillLabel(skill_id=skills[uri], language=language, kind=kind, text=text[:400])
        for uri, language, kind, text in release.skill_labels
        if uri in skills
    ]
    OccupationLabel.objects.bulk_create(occupation_labels, batch_size=BATCH)
    SkillLabel.objects.bulk_create(skill_labels, batch_size=BATCH)
    return len(occupation_labels) + len(skill_labels)


def _replace_relations(taxonomy, occupations, skills, groups, release: ParsedRelease) -> None:
    OccupationSkill.objects.filter(occupation__taxonomy=taxonomy).delete()
    SkillRelation.objects.filter(source__taxonomy=taxonomy).delete()
    Skill.groups.through.objects.filter(skill__taxonomy=taxonomy).delete()
    OccupationSkill.objects.bulk_create(
        [
            OccupationSkill(
                occupation_id=occupations[occupation], skill_id=skills[skill], relation=relation
            )
            for (occupation, skill), relation in release.occupation_skills.items()
        ],
        batch_size=BATCH,
    )
    SkillRelation.objects.bulk_create(
        [
            SkillRelation(source_id=skills[source], target_id=skills[target], kind=kind)
            for source, target, kind in release.skill_relations
        ],
        batch_size=BATCH,
    )
    through = Skill.groups.through
    through.objects.bulk_create(
        [
            through(skill_id=skills[skill], skillgroup_id=groups[group])
            for skill, group in release.skill_group_members
            if skill in skills and group in groups
        ],
        batch_size=BATCH,
    )
