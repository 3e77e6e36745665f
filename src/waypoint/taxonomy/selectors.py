"""Reads for the taxonomy browser and API. Taxonomies are public reference data
(taxonomy.access); who may see which veteran is decided by people.access."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from waypoint.taxonomy.models import (
    IscoGroup,
    Occupation,
    OccupationSkill,
    Skill,
    SkillRelation,
    Taxonomy,
)

RELATED = 12
ESSENTIAL = OccupationSkill.Relation.ESSENTIAL
OPTIONAL = OccupationSkill.Relation.OPTIONAL


@dataclass(frozen=True)
class OccupationView:
    occupation: Occupation
    isco_path: list[IscoGroup]  # major group first, unit group last
    essential: list[Skill]
    optional: list[Skill]
    same_group: list[Occupation]
    sharing_skills: list[tuple[Occupation, int]]  # with the number of essential skills shared
    broader: Occupation | None
    narrower: list[Occupation]


@dataclass(frozen=True)
class SkillView:
    skill: Skill
    essential_for: list[Occupation]
    optional_for: list[Occupation]
    broader: list[Skill]
    narrower: list[Skill]
    related: list[Skill]


def active_taxonomy() -> Taxonomy | None:
    return Taxonomy.objects.filter(is_active=True).first()


def occupations_in_group(taxonomy: Taxonomy, isco: str) -> QuerySet[Occupation]:
    return Occupation.objects.filter(taxonomy=taxonomy, isco_group__startswith=isco)


def major_groups(taxonomy: Taxonomy) -> list[tuple[IscoGroup, int]]:
    counts = {
        code: count
        for code, count in Occupation.objects.filter(taxonomy=taxonomy)
        .exclude(isco_group="")
        .values_list("isco_group")
        .annotate(count=Count("pk"))
        .values_list("isco_group", "count")
    }
    by_major: dict[str, int] = {}
    for code, count in counts.items():
        by_major[code[0]] = by_major.get(code[0], 0) + count
    groups = IscoGroup.objects.filter(code__in=by_major)
    return [(group, by_major[group.code]) for group in groups]


def isco_path(code: str) -> list[IscoGroup]:
    groups = IscoGroup.objects.in_bulk([code[:length] for length in range(1, len(code) + 1)])
    return [groups[key] for key in sorted(groups, key=len)]


def occupation_view(occupation: Occupation) -> OccupationView:
    links = (
        OccupationSkill.objects.filter(occupation=occupation)
        .select_related("skill")
        .order_by("skill__preferred_label")
    )
    essential = [link.skill for link in links if link.relation == ESSENTIAL]
    optional = [link.skill for link in links if link.relation == OPTIONAL]
    siblings = Occupation.objects.filter(taxonomy_id=occupation.taxonomy_id).exclude(
        pk=occupation.pk
    )
    same_group = (
        list(siblings.filter(isco_group=occupation.isco_group)[:RELATED])
        if occupation.isco_group
        else []
    )
    sharing = (
        siblings.filter(
            skill_links__skill__in=[skill.pk for skill in essential],
            skill_links__relation=ESSENTIAL,
        )
        .annotate(shared=Count("skill_links"))
        .order_by("-shared", "preferred_label")[:RELATED]
    )
    return OccupationView(
        occupation=occupation,
        isco_path=isco_path(occupation.isco_group) if occupation.isco_group else [],
        essential=essential,
        optional=optional,
        same_group=same_group,
        sharing_skills=[(other, other.shared) for other in sharing],
        broader=occupation.parent,
        narrower=list(occupation.children.order_by("preferred_label")),
    )


def skill_view(skill: Skill) -> SkillView:
    links = (
        OccupationSkill.objects.filter(skill=skill)
        .select_related("occupation")
        .order_by("occupation__preferred_label")
    )
    relations = SkillRelation.objects.filter(Q(source=skill) | Q(target=skill)).select_related(
        "source", "target"
    )
    broader_links = [r for r in relations if r.kind == SkillRelation.Kind.BROADER]
    broader = [r.target for r in broader_links if r.source_id == skill.pk]
    narrower = [r.source for r in broader_links if r.target_id == skill.pk]
    related = [
        r.target if r.source_id == skill.pk else r.source
        for r in relations
        if r.kind != SkillRelation.Kind.BROADER
    ]
    return SkillView(
        skill=skill,
        essential_for=[link.occupation for link in links if link.relation == ESSENTIAL],
        optional_for=[link.occupation for link in links if link.relation == OPTIONAL],
        broader=broader,
        narrower=narrower,
        related=sorted(related, key=lambda other: other.preferred_label),
    )
