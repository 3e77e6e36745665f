"""Which occupation a military specialty or a civilian job title stands for.

The text matcher suggests one (in the active taxonomy) whenever the text is saved and again
for every record when another taxonomy becomes active; a coordinator can set the occupation
by hand, and that choice is never overwritten.
"""

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.audit.services import record
from waypoint.people.models import CivilianJob, ServiceRecord, Veteran
from waypoint.people.services import _part, _part_model, _require, _require_edit
from waypoint.taxonomy import normalization
from waypoint.taxonomy.models import Occupation

CODED_KINDS = {"service": ServiceRecord, "job": CivilianJob}
BATCH = 2000


def suggest(parts: list[ServiceRecord | CivilianJob]) -> None:
    """Set each part's suggested occupation (not saved: the caller saves)."""
    if not parts:
        return
    found: dict[int, list] = {}
    try:
        # A civilian job is never a military occupation; a specialty may be either.
        for military in (None, False):
            group = [i for i, part in enumerate(parts) if military_filter(part) == military]
            texts = [parts[i].occupation_text for i in group]
            ranked = normalization.normalize(texts, k=1, military=military)
            found.update(zip(group, ranked, strict=True))
    except LookupError:  # no active taxonomy: nothing to suggest from
        found = {}
    for i, part in enumerate(parts):
        candidates = found.get(i, [])
        best = candidates[0] if candidates else None
        part.suggested_occupation_id = best.pk if best else None
        part.suggestion_score = round(best.score, 4) if best else None


def military_filter(part: ServiceRecord | CivilianJob) -> bool | None:
    return False if isinstance(part, CivilianJob) else None


def suggest_all() -> int:
    """Renew every suggestion against the active taxonomy; returns how many rows were seen."""
    seen = 0
    for model in CODED_KINDS.values():
        last = 0
        while True:
            parts = list(model.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
            if not parts:
                break
            suggest(parts)
            with transaction.atomic():
                model.objects.bulk_update(parts, ["suggested_occupation", "suggestion_score"])
            seen += len(parts)
            last = parts[-1].pk
    return seen


def set_occupation(
    *, actor: User, veteran: Veteran, kind: str, pk: int, occupation: Occupation | None
) -> ServiceRecord | CivilianJob:
    """A coordinator's choice of occupation for a specialty or a job; None returns the part to
    the model's suggestion."""
    _require(actor, "people.change_veteran")
    _require_edit(actor, veteran)
    if kind not in CODED_KINDS:
        raise Http404("this section has no occupation")
    part = _part(_part_model(kind), veteran, pk)
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
