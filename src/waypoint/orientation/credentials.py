"""What a document a veteran holds stands for in the active taxonomy: a driving licence, or a
course completed (its certificate).

A licence is proof, not a claim: the skill that names it (the starter taxonomy's "category C
driving licence") is held outright, and so are the skills its exam tested (driving that class
of vehicle, ESCO's "manoeuvre heavy trucks", road traffic rules). A category also stands for
the ones the law lets it drive (CE includes C, C includes C1, …). Skills are found by their
labels in whatever taxonomy is active, never by id, so the starter taxonomy, ESCO and O*NET
all work, and a label a taxonomy lacks is simply not used.
"""

import re
from dataclasses import dataclass

from django.db.models import Q

from waypoint.orientation.engine import Engine
from waypoint.people.validators import normalize_licences
from waypoint.taxonomy.models import Skill, SkillLabel

DOCUMENT = 1.0  # the skill that names the licence, or a skill a completed course taught
TESTED = 0.8  # what the licence exam tested

# What the exam for every category tests, and what the practical test on the road adds.
ROAD_RULES = (
    "road traffic regulations",
    "road traffic laws",
    "rules of the road",
    "obey traffic rules",
    "interpret traffic signals",
    "правила дорожного движения",
)
ON_THE_ROAD = ("drive vehicles", "drive in urban areas", "park vehicles", "parallel park vehicles")
TRAILER = ("drive with a trailer", "tow trailers")
TWO_WHEELS = ("drive two-wheeled vehicles", "ride motorcycles")
TRUCKS = ("drive trucks", "drive lorries", "operate heavy goods vehicles")
# Driving skills by category, in the wording of some taxonomy (English or Russian labels).
VEHICLE_SKILLS = {
    "A": TWO_WHEELS,
    "A1": TWO_WHEELS,
    "M": ("drive two-wheeled vehicles",),
    "B": ("drive a car", "drive passenger vehicles"),
    "B1": (),
    "BE": TRAILER,
    "C": (*TRUCKS, "manoeuvre heavy trucks"),
    "C1": TRUCKS,
    "CE": (
        "drive articulated vehicles",
        "drive tractor-trailers",
        "drive semi-trailer trucks",
        *TRAILER,
    ),
    "C1E": TRAILER,
    "D": ("drive buses", "transport passengers by bus", "manoeuvre bus"),
    "D1": ("drive a minibus", "drive route taxis"),
    "DE": TRAILER,
    "D1E": TRAILER,
    "TM": ("drive trams", "operate tram controls"),
    "TB": ("drive trolleybuses", "operate trolleybuses"),
}
NO_ROAD_TEST = {"M", "TM", "TB"}
# The categories a category lets its holder drive too (Federal Law 196-FZ, article 25).
INCLUDES = {
    "C": ("C1",),
    "CE": ("C", "C1", "C1E"),
    "C1E": ("C1",),
    "D": ("D1",),
    "DE": ("D", "D1", "D1E"),
    "D1E": ("D1",),
    "BE": ("B",),
    "A": ("A1",),
}
# "category C driving licence", "driving licence category C", "права категории C", …
LICENCE_LABEL = re.compile(
    r"categor(?:y|ies)\s+(?P<a>[a-z0-9]{1,3})\s+driv(?:ing|er'?s)\s+licen[cs]e"
    r"|driv(?:ing|er'?s)\s+licen[cs]e,?\s+(?:of\s+)?categor(?:y|ies)\s+(?P<b>[a-z0-9]{1,3})\b"
    r"|(?:удостоверени\w*|права)\s+категори\w*\s+«?(?P<c>[a-zа-я0-9]{1,3})»?(?![\w])",
    re.IGNORECASE,
)
_LOOKALIKES = str.maketrans("АВСЕМТ", "ABCEMT")


@dataclass(frozen=True)
class Covered:
    """What one document stands for: skill positions with their strength."""

    skills: dict[int, float]


def categories(raw: list[str]) -> dict[str, list[str]]:
    """Each category held → itself and the ones it includes (CE → CE, C, C1, C1E); a category
    the law does not know is left out (the registry refuses one on input)."""
    held: dict[str, list[str]] = {}
    for part in raw:
        category = part.strip().upper().translate(_LOOKALIKES)
        if category in VEHICLE_SKILLS and category not in held:
            held[category] = [category, *INCLUDES.get(category, ())]
    return held


def check(raw: list[str]) -> list[str]:
    """Categories as typed (a what-if profile), normalised; ValidationError for an unknown one."""
    text = normalize_licences(",".join(raw))
    return text.split(",") if text else []


def licence(engine: Engine, category: str) -> Covered:
    """The skills one licence category (as held, without the ones it includes) stands for."""
    memo = engine.memo
    key = ("credential-licence", category)
    if key not in memo:
        named = _licence_skills(engine).get(category, set())
        tested = set(ROAD_RULES) | set(VEHICLE_SKILLS.get(category, ()))
        if category not in NO_ROAD_TEST:
            tested |= set(ON_THE_ROAD)
        skills = dict.fromkeys(_by_wording(engine, tested), TESTED)
        skills.update(dict.fromkeys(named, DOCUMENT))
        memo[key] = Covered(skills)
    return memo[key]


def _licence_skills(engine: Engine) -> dict[str, set[int]]:
    """Category → positions of the skills whose label names that licence."""
    memo = engine.memo
    if "credential-licence-skills" not in memo:
        found: dict[str, set[int]] = {}
        rows = list(
            SkillLabel.objects.filter(skill__taxonomy_id=engine.taxonomy_id)
            .filter(
                Q(text__icontains="licen")
                | Q(text__icontains="удостоверени")
                | Q(text__icontains="права")
            )
            .values_list("skill_id", "text")
        ) + list(
            Skill.objects.filter(taxonomy_id=engine.taxonomy_id)
            .filter(Q(preferred_label__icontains="licen") | Q(preferred_label__icontains="права"))
            .values_list("pk", "preferred_label")
        )
        for pk, text in rows:
            match = LICENCE_LABEL.search(text)
            position = engine.skill_position.get(pk)
            if match is None or position is None:
                continue
            category = next(g for g in match.groups() if g).upper().translate(_LOOKALIKES)
            if category in VEHICLE_SKILLS:
                found.setdefault(category, set()).add(position)
        memo["credential-licence-skills"] = found
    return memo["credential-licence-skills"]


def _by_wording(engine: Engine, wordings: set[str]) -> set[int]:
    """Positions of the skills with one of these labels (any language, any kind of label)."""
    memo = engine.memo
    key = ("credential-wordings", frozenset(wordings))
    if key not in memo:
        lowered = sorted({w.lower() for w in wordings})
        pks = set(
            SkillLabel.objects.filter(
                skill__taxonomy_id=engine.taxonomy_id, text__in=lowered
            ).values_list("skill_id", flat=True)
        ) | set(
            Skill.objects.filter(
                taxonomy_id=engine.taxonomy_id, preferred_label__in=lowered
            ).values_list("pk", flat=True)
        )
        memo[key] = {engine.skill_position[pk] for pk in pks if pk in engine.skill_position}
    return memo[key]


def course_skills(engine: Engine, skill_pks: list[int]) -> Covered:
    """A completed course: the skills it taught, held as a certificate says."""
    return Covered(
        {engine.skill_position[pk]: DOCUMENT for pk in skill_pks if pk in engine.skill_position}
    )


def completed_courses(veteran) -> list[tuple[str, list[int]]]:
    """(programme title, skill ids taught) for each course the veteran completed."""
    from waypoint.training.models import Enrolment

    enrolments = [e for e in veteran.enrolments.all() if e.status == Enrolment.Status.COMPLETED]
    return [
        (e.cohort.programme.title, [s.pk for s in e.cohort.programme.skills.all()])
        for e in enrolments
    ]


def covered_uris(engine: Engine, veteran) -> set[str]:
    """Skill URIs the veteran's documents (licences, completed courses) and confirmed skills
    stand for now: never missing, never something to train for."""
    positions: set[int] = set()
    for included in categories(veteran.licence_categories).values():
        for category in included:
            positions |= set(licence(engine, category).skills)
    for _title, skills in completed_courses(veteran):
        positions |= set(course_skills(engine, skills).skills)
    for declared in veteran.skills.all():
        if declared.confirmed_at and declared.suggested_skill_id in engine.skill_position:
            positions.add(engine.skill_position[declared.suggested_skill_id])
    return {engine.skill_uris[p] for p in positions}


def covered_now(veteran) -> set[str]:
    """covered_uris in the active taxonomy (none when no taxonomy is active)."""
    from waypoint.orientation.engine import engine_for

    try:
        engine = engine_for()
    except LookupError:
        return set()
    return covered_uris(engine, veteran)
