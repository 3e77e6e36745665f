"""/api/v1/taxonomy: search, occupations, skills, and free-text understanding.

`label` is in the language asked for: `?lang=en|ru`, else the request's language
(Accept-Language, the language cookie), else English. In Russian it follows the interface's
rule (taxonomy/display.py); `label_en` is always the English preferred label."""

from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Field, Query, Router

from waypoint.accounts.access import signed_in
from waypoint.kit.api import Id, Schema
from waypoint.taxonomy import access, display, normalization, selectors
from waypoint.taxonomy.models import Occupation, Skill

router = Router(tags=["taxonomy"])
MAX_TEXTS = 1000
MAX_TEXT_LENGTH = 2000


class CandidateOut(Schema):
    id: int
    uri: str
    label: str
    label_en: str
    score: float


class TextsIn(Schema):
    texts: list[str] = Field(min_length=1, max_length=MAX_TEXTS)
    top: int = Field(10, ge=1, le=50)


class TextResult(Schema):
    text: str
    candidates: list[CandidateOut]


class ConceptRef(Schema):
    id: int
    uri: str
    label: str
    label_en: str


class OccupationOut(Schema):
    id: int
    uri: str
    label: str
    label_en: str
    code: str
    isco_group: str
    description: str
    regulated_note: str
    is_military: bool
    labels: list[str]
    essential_skills: list[ConceptRef]
    optional_skills: list[ConceptRef]
    broader: ConceptRef | None
    narrower: list[ConceptRef]
    same_isco_group: list[ConceptRef]


class SkillOut(Schema):
    id: int
    uri: str
    label: str
    label_en: str
    skill_type: str
    reuse_level: str
    description: str
    collections: list[str]
    labels: list[str]
    essential_for: list[ConceptRef]
    optional_for: list[ConceptRef]
    broader: list[ConceptRef]
    narrower: list[ConceptRef]
    related: list[ConceptRef]


Language = Literal["en", "ru"] | None
LANG = Query(None, description="language of `label`; default: the request's language")


def _ref(concept) -> dict:
    return {
        "id": concept.pk,
        "uri": concept.uri,
        "label": display.term(concept).text,
        "label_en": concept.preferred_label,
    }


def _labels(concept) -> list[str]:
    return sorted({label.text for label in concept.labels.exclude(kind="hidden")})


def _candidates(found, model) -> list[dict]:
    return [
        {
            "id": c["pk"],
            "uri": c["uri"],
            "label": display.term(c).text,
            "label_en": c["label"],
            "score": round(c["score"], 6),
        }
        for c in display.candidates(found, model)
    ]


def _check(texts: list[str]) -> None:
    for position, text in enumerate(texts):
        if len(text) > MAX_TEXT_LENGTH:
            raise ValidationError({f"texts[{position}]": [f"at most {MAX_TEXT_LENGTH} characters"]})


def _active(run, texts: list[str], top: int, model, lang: Language) -> list[dict]:
    _check(texts)
    try:
        found = run(texts, top)
    except LookupError as exc:
        raise ValidationError({"taxonomy": [str(exc)]}) from None
    with translation.override(lang or translation.get_language()):
        return [
            {"text": text, "candidates": _candidates(candidates, model)}
            for text, candidates in zip(texts, found, strict=True)
        ]


@router.get("/search", response=list[CandidateOut], summary="Occupations or skills for a query")
@signed_in
def search(
    request,
    q: str = Query(..., min_length=1, max_length=200),
    kind: Literal["occupations", "skills"] = "occupations",
    limit: int = Query(10, ge=1, le=50),
    lang: Language = LANG,
):
    if kind == "occupations":
        return _active(normalization.normalize, [q], limit, Occupation, lang)[0]["candidates"]
    return _active(normalization.search_skills, [q], limit, Skill, lang)[0]["candidates"]


@router.get("/occupations/{occupation_id}", response=OccupationOut, summary="One occupation")
@signed_in
def occupation(request, occupation_id: Id, lang: Language = LANG):
    view = selectors.occupation_view(
        get_object_or_404(access.occupations_visible_to(request.user), pk=occupation_id)
    )
    found = view.occupation
    with translation.override(lang or translation.get_language()):
        return _occupation(view, found)


def _occupation(view, found) -> dict:
    return {
        **_ref(found),
        "code": found.code,
        "isco_group": found.isco_group,
        "description": found.description,
        "regulated_note": found.regulated_note,
        "is_military": found.is_military,
        "labels": _labels(found),
        "essential_skills": [_ref(skill) for skill in view.essential],
        "optional_skills": [_ref(skill) for skill in view.optional],
        "broader": _ref(view.broader) if view.broader else None,
        "narrower": [_ref(other) for other in view.narrower],
        "same_isco_group": [_ref(other) for other in view.same_group],
    }


@router.get("/skills/{skill_id}", response=SkillOut, summary="One skill")
@signed_in
def skill(request, skill_id: Id, lang: Language = LANG):
    view = selectors.skill_view(
        get_object_or_404(access.skills_visible_to(request.user), pk=skill_id)
    )
    found = view.skill
    with translation.override(lang or translation.get_language()):
        return _skill(view, found)


def _skill(view, found) -> dict:
    flags = ("is_digital", "is_green", "is_transversal", "is_language")
    return {
        **_ref(found),
        "skill_type": found.skill_type,
        "reuse_level": found.reuse_level,
        "description": found.description,
        "collections": [flag.removeprefix("is_") for flag in flags if getattr(found, flag)],
        "labels": _labels(found),
        "essential_for": [_ref(other) for other in view.essential_for],
        "optional_for": [_ref(other) for other in view.optional_for],
        "broader": [_ref(other) for other in view.broader],
        "narrower": [_ref(other) for other in view.narrower],
        "related": [_ref(other) for other in view.related],
    }


@router.post(
    "/normalize",
    response=list[TextResult],
    summary="Job titles, military specialties or CV lines → ranked occupations",
)
@signed_in
def normalize(request, payload: TextsIn, lang: Language = LANG):
    return _active(normalization.normalize, payload.texts, payload.top, Occupation, lang)


@router.post(
    "/extract-skills",
    response=list[TextResult],
    summary="Sentences of a CV, a vacancy or a service record → the skills they mention",
)
@signed_in
def extract_skills(request, payload: TextsIn, lang: Language = LANG):
    return _active(normalization.extract_skills, payload.texts, payload.top, Skill, lang)
