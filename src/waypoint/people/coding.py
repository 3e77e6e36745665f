"""What the free text of a record stands for in the active taxonomy.

A military specialty and a civilian job title stand for an occupation; a job's duties mention
skills; a declared skill is a taxonomy skill. The text matcher suggests these whenever the text
is saved, and again for every record when another taxonomy becomes active, so that batch work
(orientation for everyone) never waits for text matching. A coordinator can set the occupation
by hand, and that choice is never overwritten.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import User
from waypoint.audit.services import record, record_bulk
from waypoint.people import access
from waypoint.people.models import CivilianJob, DeclaredSkill, ServiceRecord, Veteran
from waypoint.people.services import part_model, part_of, require, require_edit
from waypoint.taxonomy import normalization
from waypoint.taxonomy.models import Occupation

CODED_KINDS = {"service": ServiceRecord, "job": CivilianJob}
BATCH = 2000
DUTY_SKILLS = 8
DUTY_SKILL_MIN_SHARE = 0.5  # of the sentence's best skill
SKILL_MIN_SCORE = 0.3


def suggest(parts: list) -> None:
    """Set what each part's text stands for (not saved: the caller saves)."""
    coded = [part for part in parts if isinstance(part, ServiceRecord | CivilianJob)]
    skills = [part for part in parts if isinstance(part, DeclaredSkill)]
    try:
        _suggest_occupations(coded)
        _suggest_duty_skills([part for part in coded if isinstance(part, CivilianJob)])
        _suggest_skills(skills)
    except LookupError:  # no active taxonomy: nothing to suggest from
        for part in coded:
            part.suggested_occupation_id, part.suggestion_score = None, None
            if isinstance(part, CivilianJob):
                part.duty_skills = []
        for part in skills:
            part.suggested_skill_id = None


def _suggest_occupations(parts: list[ServiceRecord | CivilianJob]) -> None:
    # A civilian job is never a military occupation; a specialty may be either.
    for military in (None, False):
        group = [part for part in parts if military_filter(part) == military]
        if not group:
            continue
        found = normalization.normalize(
            [part.occupation_text for part in group], k=1, military=military
        )
        for part, candidates in zip(group, found, strict=True):
            best = candidates[0] if candidates else None
            part.suggested_occupation_id = best.pk if best else None
            part.suggestion_score = round(best.score, 4) if best else None


def _suggest_duty_skills(jobs: list[CivilianJob]) -> None:
    with_duties = [job for job in jobs if job.duties.strip()]
    for job in jobs:
        job.duty_skills = []
    if not with_duties:
        return
    found = normalization.mentioned_skills(
        [job.duties for job in with_duties], k=DUTY_SKILLS, min_share=DUTY_SKILL_MIN_SHARE
    )
    for job, skills in zip(with_duties, found, strict=True):
        job.duty_skills = [[pk, strength] for pk, strength in skills]


def _suggest_skills(skills: list[DeclaredSkill]) -> None:
    if not skills:
        return
    found = normalization.search_skills([skill.name for skill in skills], k=1)
    for skill, candidates in zip(skills, found, strict=True):
        best = candidates[0] if candidates and candidates[0].score >= SKILL_MIN_SCORE else None
        skill.suggested_skill_id = best.pk if best else None


def military_filter(part: ServiceRecord | CivilianJob) -> bool | None:
    return False if isinstance(part, CivilianJob) else None


DERIVED_FIELDS = {
    ServiceRecord: ["suggested_occupation", "suggestion_score"],
    CivilianJob: ["suggested_occupation", "suggestion_score", "duty_skills"],
    DeclaredSkill: ["suggested_skill"],
}


def suggest_all() -> int:
    """Renew every suggestion against the active taxonomy; returns how many rows were seen."""
    seen = 0
    for model, fields in DERIVED_FIELDS.items():
        last = 0
        while True:
            parts = list(model.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
            if not parts:
                break
            suggest(parts)
            with transaction.atomic():
                model.objects.bulk_update(parts, fields)
            seen += len(parts)
            last = parts[-1].pk
    with transaction.atomic():
        record_bulk(
            actor=None,
            action="people.coding.suggest_all",
            model=ServiceRecord,
            counts={"parts_seen": seen},
        )
    return seen


def set_occupation(
    *, actor: User, veteran: Veteran, kind: str, pk: int, occupation: Occupation | None
) -> ServiceRecord | CivilianJob:
    """A coordinator's choice of occupation for a specialty or a job; None returns the part to
    the model's suggestion."""
    require(access.may_code_occupations(actor), access.CHANGE)
    require_edit(actor, veteran)
    if kind not in CODED_KINDS:
        raise Http404("this section has no occupation")
    part = part_of(part_model(kind), veteran, pk)
    if occupation is not None and military_filter(part) is False and occupation.is_military:
        # The same rule the matcher's suggestions follow.
        raise ValidationError({"occupation": [_("a civilian job is not a military occupation")]})
    before = part.occupation_id
    with transaction.atomic():
        part.occupation = occupation
        part.occupation_set_by = actor if occupation else None
        part.occupation_set_at = timezone.now() if occupation else None
        part.save(update_fields=["occupation", "occupation_set_by", "occupation_set_at"])
        record(
            actor=actor,
            action=f"people.{part._meta.model_name}.set_occupation",
            subject=part,
            changes={"occupation": [before, part.occupation_id]},
        )
    return part
