"""Which name of an occupation, skill or ISCO-08 group is shown: one rule for every page,
the career plan (page and PDF) and the API.

English: the English preferred label. Russian: the concept's Russian name (label_ru, see
russian.py); an occupation without one shows the ОКЗ name of its ISCO-08 unit group with the
English label after it; a skill without one shows its English label, marked lang="en".
The English label stays one click away: in HTML it is a hidden span (class "term-en",
lang="en") that the "EN" switch in the page header reveals; never a tooltip, which would put
English on a Russian screen.
"""

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.translation import get_language

from waypoint.taxonomy.models import IscoGroup, Occupation, Skill
from waypoint.taxonomy.okz import okz_name


def _russian(language: str | None) -> bool:
    return (language or get_language() or "en").startswith("ru")


@dataclass(frozen=True)
class Term:
    english: str
    russian: str = ""
    isco_group: str = ""
    language: str | None = None  # None: the active language when shown

    @property
    def in_russian(self) -> bool:
        return _russian(self.language)

    @property
    def group(self) -> str:
        """The ОКЗ name standing in for a missing Russian name (Russian interface only)."""
        if self.in_russian and not self.russian:
            return okz_name(self.isco_group)
        return ""

    @property
    def text(self) -> str:
        """Plain text, for a PDF, an API answer or a page title."""
        if not self.in_russian:
            return self.english
        if self.russian:
            return self.russian
        return f"{self.group} ({self.english})" if self.group else self.english

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> str:
        if not self.in_russian:
            return str(format_html("{}", self.english))
        if self.russian:
            return str(
                format_html(
                    '<span class="term">{}<span class="term-en" lang="en"> ({})</span></span>',
                    self.russian,
                    self.english,
                )
            )
        if self.group:
            return str(
                format_html(
                    '<span class="term">{} <span lang="en">({})</span></span>',
                    self.group,
                    self.english,
                )
            )
        return str(format_html('<span class="term" lang="en">{}</span>', self.english))


def term(thing, language: str | None = None) -> Term:
    """The Term of an Occupation, Skill or IscoGroup, or of a dict as stored in orientation
    results and career plans (label or label_en, label_ru, isco_group)."""
    if isinstance(thing, Term):
        return thing
    if isinstance(thing, IscoGroup):
        return Term(thing.label_en, thing.label_ru or okz_name(thing.code), "", language)
    if isinstance(thing, dict):
        return Term(
            thing.get("label_en") or thing.get("label") or "",
            thing.get("label_ru") or "",
            thing.get("isco_group") or "",
            language,
        )
    return Term(
        getattr(thing, "preferred_label", None) or getattr(thing, "label", "") or str(thing),
        getattr(thing, "label_ru", "") or "",
        getattr(thing, "isco_group", "") or "",
        language,
    )


def names(model, pks) -> dict[int, tuple[str, str]]:
    """id → (Russian name, ISCO-08 group) of occupations or skills, in one query."""
    fields = ("pk", "label_ru", "isco_group") if model is Occupation else ("pk", "label_ru")
    rows = model.objects.filter(pk__in=set(pks)).values_list(*fields)
    return {row[0]: (row[1], row[2] if len(row) > 2 else "") for row in rows}


def candidates(found, model) -> list[dict]:
    """Search candidates (normalization.Candidate) as dicts that term() names."""
    known = names(model, [c.pk for c in found])
    return [
        {
            "pk": c.pk,
            "uri": c.uri,
            "label": c.label,
            "score": c.score,
            "label_ru": known.get(c.pk, ("", ""))[0],
            "isco_group": known.get(c.pk, ("", ""))[1],
        }
        for c in found
    ]


def skill_names_by_uri(taxonomy_id: int | None, uris) -> dict[str, str]:
    uris = set(uris)
    if not uris:
        return {}
    query = Skill.objects.filter(uri__in=uris).exclude(label_ru="")
    if taxonomy_id is not None:
        query = query.filter(taxonomy_id=taxonomy_id)
    return dict(query.values_list("uri", "label_ru"))


def name_results(items: list[dict], taxonomy_id: int | None = None) -> list[dict]:
    """Give orientation results (dicts of a run) the Russian names of their occupation and
    skills, in place; returns them."""
    skills = [
        s
        for item in items
        for s in (
            *item.get("matched", []),
            *item.get("missing", []),
            *(part for t in item.get("transfers", []) for part in (t["required"], t["held"])),
        )
    ]
    russian = skill_names_by_uri(taxonomy_id, (s["uri"] for s in skills))
    for skill in skills:
        skill["label_ru"] = russian.get(skill["uri"], "")
    occupations = names(Occupation, [item["occupation_id"] for item in items])
    for item in items:
        item["label_ru"] = occupations.get(item["occupation_id"], ("", ""))[0]
    return items
