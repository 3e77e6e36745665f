"""A veteran's evidence (skills with strength and provenance, preferences, constraints), from
the database or from a what-if JSON profile, turned into rows for the ranking core."""

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from waypoint.crosswalk import ranking as crosswalk
from waypoint.matching.orientation import Profiles
from waypoint.orientation import credentials, market, rules
from waypoint.orientation.engine import Engine
from waypoint.orientation.models import Feedback
from waypoint.people.models import WorkLimitation
from waypoint.taxonomy import normalization

# How strongly each source vouches for a skill (the best source wins).
CONFIRMED = 1.0
DECLARED = 0.8
LICENCE = credentials.TESTED  # what a licence's exam tested (the licence itself: 1.0)
JOB = (0.7, 0.35)  # essential, optional skills of an occupation held in civilian life
MILITARY = (0.6, 0.3)  # essential, optional skills of the occupation a specialty stands for
DUTIES = 0.6  # times the relative strength the text matcher gave

PROFILE_KEYS = {
    "military_specialties",
    "civilian_jobs",
    "duties",
    "skills",
    "education_level",
    "region",
    "limitations",
    "desired_occupations",
    "licences",
}


@dataclass
class Evidence:
    """Everything known about one veteran that bears on fit."""

    strength: dict[int, float] = field(default_factory=dict)  # skill position → 0 … 1
    sources: dict[int, list[str]] = field(default_factory=dict)
    preferred: set[int] = field(default_factory=set)  # occupation positions
    excluded: set[int] = field(default_factory=set)  # occupation positions rejected by people
    ruled_out: np.ndarray | None = None  # bool per occupation, from rules (apply_constraints)
    held: set[int] = field(default_factory=set)  # occupations practised (military or civilian)
    # occupation position → the specialties (as written) that lead to it (the crosswalk)
    leads_to: dict[int, list[str]] = field(default_factory=dict)
    education_level: int | None = None
    limitations: list[str] = field(default_factory=list)
    regions: list[str] | None = None  # where they would work; None: anywhere
    expected_salary: float | None = None

    def add(self, skill: int, strength: float, source: str) -> None:
        if strength <= 0:
            return
        self.strength[skill] = max(strength, self.strength.get(skill, 0.0))
        listed = self.sources.setdefault(skill, [])
        if source not in listed:
            listed.append(source)

    def add_occupation(
        self, engine: Engine, occupation: int, weights: tuple[float, float], source: str
    ) -> None:
        self.held.add(occupation)
        essential, optional = weights
        for skill in engine.essential_of[occupation].tolist():
            self.add(skill, essential, source)
        for skill in engine.optional_of[occupation].tolist():
            self.add(skill, optional, source)


def apply_constraints(engine: Engine, evidence: Evidence) -> None:
    """Rule out what the veteran cannot do (see rules.py); kept as a mask beside the
    occupations excluded one by one (rejected by the veteran's team)."""
    mask = engine.military.copy()
    for code in evidence.limitations:
        mask |= _limitation_mask(engine, code)
    if evidence.education_level is not None:
        mask |= _education_mask(engine, evidence.education_level)
    regulated = engine.regulated.copy()
    regulated[list(evidence.held)] = False
    evidence.ruled_out = mask | regulated


def _limitation_mask(engine: Engine, code: str) -> np.ndarray:
    masks = engine.memo
    key = ("limitation", code)
    if key not in masks:
        masks[key] = np.array(
            [
                rules.ruled_out_by_limitations(isco, [code]) is not None
                for isco in engine.isco_groups
            ],
            dtype=bool,
        )
    return masks[key]


def _education_mask(engine: Engine, level: int) -> np.ndarray:
    masks = engine.memo
    key = ("education", level)
    if key not in masks:
        masks[key] = np.array(
            [rules.out_of_reach(isco, level) for isco in engine.isco_groups], dtype=bool
        )
    return masks[key]


def to_profiles(engine: Engine, evidences: list[Evidence]) -> Profiles:
    rows, columns, values = [], [], []
    preferred_rows, preferred_columns = [], []
    specialty_rows, specialty_columns = [], []
    excluded = np.zeros((len(evidences), len(engine.occupation_pks)), dtype=bool)
    for row, evidence in enumerate(evidences):
        rows.extend([row] * len(evidence.strength))
        columns.extend(evidence.strength)
        values.extend(evidence.strength.values())
        preferred_rows.extend([row] * len(evidence.preferred))
        preferred_columns.extend(evidence.preferred)
        specialty_rows.extend([row] * len(evidence.leads_to))
        specialty_columns.extend(evidence.leads_to)
        if evidence.ruled_out is not None:
            excluded[row] = evidence.ruled_out
        if evidence.excluded:
            excluded[row, list(evidence.excluded)] = True
    shape = (len(evidences), len(engine.skill_pks))
    demand, pay = _market_terms(engine, evidences)
    return Profiles(
        skills=sp.csr_matrix((np.array(values, np.float32), (rows, columns)), shape=shape),
        preferred=sp.csr_matrix(
            (np.ones(len(preferred_rows), np.float32), (preferred_rows, preferred_columns)),
            shape=excluded.shape,
        ),
        demand=demand,
        pay=pay,
        excluded=excluded,
        specialty=sp.csr_matrix(
            (np.ones(len(specialty_rows), np.float32), (specialty_rows, specialty_columns)),
            shape=excluded.shape,
        ),
    )


def _market_terms(engine: Engine, evidences: list[Evidence]):
    """Demand and pay per veteran and occupation from open vacancies (None: no vacancies)."""
    labour = market.market_for(engine)
    if not labour.openings:
        return None, None
    n = len(engine.occupation_pks)
    demand = np.stack([labour.demand(e.regions, n) for e in evidences]) if evidences else None
    pay = (
        np.stack([labour.pay(e.regions, e.expected_salary, n) for e in evidences])
        if evidences
        else None
    )
    return demand, pay


def add_documents(
    engine: Engine, evidence: Evidence, licences: list[str], courses: list[tuple[str, list[int]]]
) -> None:
    """Driving licences and completed courses: the skills they stand for (credentials.py)."""
    for held, included in credentials.categories(licences).items():
        for category in included:
            for skill, strength in credentials.licence(engine, category).skills.items():
                evidence.add(skill, strength, source_label("licence", held))
    for title, skills in courses:
        for skill, strength in credentials.course_skills(engine, skills).skills.items():
            evidence.add(skill, strength, source_label("certificate", title))


def _taxonomy(engine: Engine):
    from waypoint.taxonomy.models import Taxonomy

    return Taxonomy.objects.get(pk=engine.taxonomy_id)


def from_registry(engine: Engine, veterans: list) -> list[Evidence]:
    """What the registry knows about each veteran. Text was read when it was saved
    (people.coding), so this does no text matching but for desired occupations."""
    desired = {
        veteran.pk: [
            text.strip()
            for text in getattr(getattr(veteran, "preferences", None), "desired_occupations", "")
            .replace(";", "\n")
            .replace(",", "\n")
            .splitlines()
            if text.strip()
        ]
        for veteran in veterans
    }
    found = _occupations_named(engine, [t for values in desired.values() for t in values])
    specialties = sorted({s.specialty for v in veterans for s in v.service_records.all()})
    crosswalked = dict(zip(specialties, crosswalk.match(specialties), strict=True))
    evidences = []
    for veteran in veterans:
        evidence = Evidence()
        for service in veteran.service_records.all():
            source = source_label("military_specialties", service.specialty)
            entries = crosswalked[service.specialty]
            crosswalk.add_evidence(engine, evidence, service.specialty, entries, MILITARY, source)
            # The crosswalk stands in for the taxonomy's guess, never for a coordinator's choice.
            occupation = engine.occupation_position.get(
                service.occupation_id or (None if entries else service.suggested_occupation_id)
            )
            if occupation is not None:
                evidence.add_occupation(engine, occupation, MILITARY, source)
        for job in veteran.civilian_jobs.all():
            occupation = engine.occupation_position.get(
                job.occupation_id or job.suggested_occupation_id
            )
            if occupation is not None:
                evidence.add_occupation(
                    engine,
                    occupation,
                    JOB,
                    source_label("civilian_jobs", job.title),
                )
            for skill_pk, strength in job.duty_skills:
                position = engine.skill_position.get(skill_pk)
                if position is not None:
                    evidence.add(
                        position,
                        DUTIES * strength,
                        _("duties at %(job)s") % {"job": job.title},
                    )
        for declared in veteran.skills.all():
            position = engine.skill_position.get(declared.suggested_skill_id)
            if position is None:
                continue
            if declared.confirmed_at:
                evidence.add(position, CONFIRMED, source_label("confirmed", declared.name))
            else:
                evidence.add(position, DECLARED, source_label("declared", declared.name))
        add_documents(
            engine, evidence, veteran.licence_categories, credentials.completed_courses(veteran)
        )
        levels = [rules.ISCED.get(e.level) for e in veteran.education.all()]
        levels = [level for level in levels if level is not None]
        evidence.education_level = max(levels) if levels else None
        limitation = getattr(veteran, "work_limitation", None)
        evidence.limitations = list(limitation.restrictions) if limitation else []
        wishes = getattr(veteran, "preferences", None)
        if wishes is None:
            evidence.regions = [veteran.region_id]
        elif not wishes.willing_to_relocate:
            evidence.regions = [veteran.region_id, *(r.pk for r in wishes.regions.all())]
        evidence.expected_salary = wishes.expected_salary if wishes else None
        evidence.preferred |= {found[text] for text in desired[veteran.pk] if text in found}
        for feedback in veteran.orientation_feedback.all():
            position = engine.occupation_position.get(feedback.occupation_id)
            if position is None:
                continue
            if feedback.decision == Feedback.Decision.REJECTED:
                evidence.excluded.add(position)
            elif feedback.decision == Feedback.Decision.ADDED:
                evidence.preferred.add(position)
        apply_constraints(engine, evidence)
        evidences.append(evidence)
    return evidences


def from_json(engine: Engine, data: object) -> Evidence:
    """A what-if profile (see docs/orientation.md for the keys); every key is optional."""
    if not isinstance(data, dict):
        raise ValidationError({"profile": [_("a JSON object is expected")]})
    unknown = sorted(set(data) - PROFILE_KEYS)
    if unknown:
        raise ValidationError({key: [_("unknown key")] for key in unknown})
    texts = {
        key: _text_list(data, key)
        for key in (
            "military_specialties",
            "civilian_jobs",
            "skills",
            "desired_occupations",
            "limitations",
            "licences",
        )
    }
    duties = data.get("duties", "")
    if not isinstance(duties, str):
        raise ValidationError({"duties": [_("free text is expected")]})
    level = data.get("education_level")
    if level is not None and (
        not isinstance(level, int) or isinstance(level, bool) or not 0 <= level <= 8
    ):
        raise ValidationError({"education_level": [_("an ISCED level from 0 to 8 is expected")]})
    region = data.get("region", "")
    if not isinstance(region, str):
        raise ValidationError({"region": [_("a federal-subject code such as 77 is expected")]})
    if region:
        from waypoint.regions.models import Region

        if not Region.objects.filter(code=region).exists():
            raise ValidationError(
                {"region": [_("no federal subject has code %(code)s") % {"code": region}]}
            )
    unknown_limitations = sorted(set(texts["limitations"]) - set(WorkLimitation.Restriction.values))
    if unknown_limitations:
        raise ValidationError(
            {
                "limitations": [
                    _("unknown limitation code: %(codes)s")
                    % {"codes": ", ".join(unknown_limitations)}
                ]
            }
        )
    taxonomy = _taxonomy(engine)
    evidence = Evidence(
        education_level=level,
        limitations=texts["limitations"],
        regions=[region] if region else None,
    )
    specialties = texts["military_specialties"]
    crosswalked = crosswalk.match(specialties)
    for text, entries in zip(specialties, crosswalked, strict=True):
        source = source_label("military_specialties", text)
        crosswalk.add_evidence(engine, evidence, text, entries, MILITARY, source)
    texts["military_specialties"] = [
        t for t, e in zip(specialties, crosswalked, strict=True) if not e
    ]
    for key, weights, military in (
        ("military_specialties", MILITARY, None),
        ("civilian_jobs", JOB, False),
    ):
        found = normalization.normalize(texts[key], k=1, taxonomy=taxonomy, military=military)
        for text, candidates in zip(texts[key], found, strict=True):
            if candidates:
                position = engine.occupation_position[candidates[0].pk]
                evidence.add_occupation(engine, position, weights, source_label(key, text))
    if duties.strip():
        (mentioned,) = normalization.mentioned_skills([duties], taxonomy=taxonomy)
        for skill_pk, strength in mentioned:
            evidence.add(engine.skill_position[skill_pk], DUTIES * strength, _("duties"))
    for text in texts["skills"]:
        position = engine.uri_position.get(text)
        if position is None:
            found = normalization.search_skills([text], k=1, taxonomy=taxonomy)[0]
            position = engine.skill_position.get(found[0].pk) if found else None
        if position is not None:
            evidence.add(position, DECLARED, source_label("declared", text))
    try:
        licences = credentials.check(texts["licences"])
    except ValidationError as error:
        raise ValidationError({"licences": error.messages}) from None
    add_documents(engine, evidence, licences, [])
    evidence.preferred |= set(_occupations_named(engine, texts["desired_occupations"]).values())
    apply_constraints(engine, evidence)
    return evidence


def source_label(kind: str, text: str) -> str:
    """Where a skill came from, as shown beside it in an explanation."""
    labels = {
        "military_specialties": _("military specialty: %(text)s"),
        "civilian_jobs": _("civilian job: %(text)s"),
        "confirmed": _("confirmed: %(text)s"),
        "declared": _("declared: %(text)s"),
        "licence": _("driving licence %(text)s"),
        "certificate": _("course completed: %(text)s"),
    }
    return labels[kind] % {"text": text}


def _occupations_named(engine: Engine, texts: list[str]) -> dict[str, int]:
    """Desired occupations as typed → occupation positions (civilian ones only)."""
    taxonomy = _taxonomy(engine)
    found = normalization.normalize(texts, k=1, taxonomy=taxonomy, military=False)
    return {
        text: engine.occupation_position[candidates[0].pk]
        for text, candidates in zip(texts, found, strict=True)
        if candidates
    }


def _text_list(data: dict, key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError({key: [_("a list of texts is expected")]})
    return [item.strip() for item in value if item.strip()]
