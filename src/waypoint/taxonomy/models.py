"""Occupations and skills from ESCO, O*NET or the bundled starter taxonomy.

Several taxonomies can coexist; exactly one is active for matching. Concepts keep their
source URI, so a re-import updates them in place and ids stay stable for everything that
points at them.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Taxonomy(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    version = models.CharField(_("version"), max_length=30, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active for matching"), default=False)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_taxonomy"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}".strip()


class IscoGroup(models.Model):
    """ISCO-08 group (major 1 digit … unit 4 digits); shared by every taxonomy."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    label_en = models.CharField(_("label (English)"), max_length=300)
    label_ru = models.CharField(_("label (Russian)"), max_length=300, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("ISCO-08 group")
        verbose_name_plural = _("ISCO-08 groups")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        if get_language() == "ru":
            from waypoint.taxonomy.okz import okz_name

            return self.label_ru or okz_name(self.code) or self.label_en
        return self.label_en


class RussianSource(models.TextChoices):
    """Where a concept's Russian name comes from, strongest first (see taxonomy/russian.py)."""

    IMPORTED = "imported", _("imported label file")
    RELEASE = "release", _("the taxonomy itself")
    CARRIED = "carried", _("carried over from the starter taxonomy")


class Concept(models.Model):
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="+")
    uri = models.CharField(_("URI"), max_length=200)
    preferred_label = models.CharField(_("preferred label"), max_length=300)
    descriptions = models.JSONField(_("description by language"), default=dict, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.preferred_label

    @property
    def description(self) -> str:
        return self.descriptions.get(get_language() or "en") or self.descriptions.get("en", "")


class RussianNamed(models.Model):
    """The name shown in the Russian interface, derived by taxonomy.russian.refresh(): never
    written by an importer of the taxonomy itself, so a re-import keeps it."""

    label_ru = models.CharField(_("Russian name"), max_length=300, blank=True)
    label_ru_source = models.CharField(
        _("Russian name from"), max_length=10, choices=RussianSource.choices, blank=True
    )

    class Meta:
        abstract = True


class Occupation(Concept, RussianNamed):
    code = models.CharField(_("code"), max_length=60, blank=True)
    isco_group = models.CharField(_("ISCO-08 unit group"), max_length=4, blank=True, db_index=True)
    regulated_note = models.CharField(_("regulated profession"), max_length=300, blank=True)
    is_military = models.BooleanField(_("military occupation"), default=False)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["preferred_label"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        constraints = [models.UniqueConstraint(fields=["taxonomy", "uri"], name="occupation_uri")]


class SkillGroup(Concept):
    code = models.CharField(_("code"), max_length=60, blank=True)

    class Meta:
        ordering = ["preferred_label"]
        verbose_name = _("skill group")
        verbose_name_plural = _("skill groups")
        constraints = [models.UniqueConstraint(fields=["taxonomy", "uri"], name="skillgroup_uri")]


# ESCO's reuse levels, in words (a free field: an importer may bring another value).
REUSE_LEVELS = {
    "transversal": _("transversal"),
    "cross-sector": _("cross-sector"),
    "sector-specific": _("sector-specific"),
    "occupation-specific": _("occupation-specific"),
}


class Skill(Concept, RussianNamed):
    class Type(models.TextChoices):
        KNOWLEDGE = "knowledge", _("knowledge")
        SKILL = "skill/competence", _("skill or competence")

    skill_type = models.CharField(_("type"), max_length=20, choices=Type.choices, blank=True)
    reuse_level = models.CharField(_("reuse level"), max_length=30, blank=True)
    is_digital = models.BooleanField(_("digital"), default=False)
    is_green = models.BooleanField(_("green"), default=False)
    is_transversal = models.BooleanField(_("transversal"), default=False)
    is_language = models.BooleanField(_("language"), default=False)
    groups = models.ManyToManyField(SkillGroup, blank=True, related_name="skills")

    class Meta:
        ordering = ["preferred_label"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [models.UniqueConstraint(fields=["taxonomy", "uri"], name="skill_uri")]

    @property
    def reuse_level_display(self) -> str:
        return str(REUSE_LEVELS.get(self.reuse_level, self.reuse_level))


class LabelKind(models.TextChoices):
    PREFERRED = "preferred", _("preferred")
    ALTERNATIVE = "alternative", _("alternative")
    HIDDEN = "hidden", _("hidden")


class OccupationLabel(models.Model):
    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="labels")
    language = models.CharField(max_length=8)
    kind = models.CharField(max_length=12, choices=LabelKind.choices)
    text = models.CharField(max_length=400)

    class Meta:
        indexes = [models.Index(fields=["language", "text"], name="occupationlabel_text")]


class SkillLabel(models.Model):
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="labels")
    language = models.CharField(max_length=8)
    kind = models.CharField(max_length=12, choices=LabelKind.choices)
    text = models.CharField(max_length=400)

    class Meta:
        indexes = [models.Index(fields=["language", "text"], name="skilllabel_text")]


class OccupationSkill(models.Model):
    class Relation(models.TextChoices):
        ESSENTIAL = "essential", _("essential")
        OPTIONAL = "optional", _("optional")

    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="occupation_links")
    relation = models.CharField(max_length=10, choices=Relation.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occupation", "skill"], name="occupation_skill_once")
        ]


class SkillRelation(models.Model):
    """Skill → skill: ESCO's essential/optional links, and broader (parent) skills."""

    class Kind(models.TextChoices):
        ESSENTIAL = "essential", _("essential")
        OPTIONAL = "optional", _("optional")
        BROADER = "broader", _("broader")

    source = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="relations_out")
    target = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="skill_relation_once")
        ]


class ImportedLabel(models.Model):
    """A name an organisation gave a concept in a label file (waypoint taxonomy
    import-labels). Kept by URI, apart from the taxonomy's own labels, so that re-importing
    the taxonomy keeps it; it wins over every other source of a Russian name."""

    class Kind(models.TextChoices):
        OCCUPATION = "occupation", _("occupation")
        SKILL = "skill", _("skill")

    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    uri = models.CharField(_("URI"), max_length=200)
    language = models.CharField(max_length=8)
    preferred = models.CharField(_("preferred label"), max_length=300)
    alternatives = models.JSONField(_("alternative labels"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("imported label")
        verbose_name_plural = _("imported labels")
        constraints = [
            models.UniqueConstraint(
                fields=["taxonomy", "kind", "uri", "language"], name="imported_label_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.uri} [{self.language}] {self.preferred}"
