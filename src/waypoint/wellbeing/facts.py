"""The non-diagnostic facade: what other apps may learn from well-being, never an instrument,
an answer, a score or a tier. Other apps import this module (and `worklist`, the care team's
own list) and nothing else of well-being; an import-linter contract keeps it so.

- staff who see the veteran: derived facts ("follow-up due"), nothing at all once screening
  consent is withdrawn;
- the person: which screenings fall due, and when;
- a commander: the duty limitations in force, as `access.notice_as_seen_by_command` shows them;
- any page: which well-being role a user holds (`access` decides).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.wellbeing import access, selectors
from waypoint.wellbeing.access import keeps_records, provides_care, receives_notices
from waypoint.wellbeing.models import Enrolment, Record, Screening, consented

__all__ = [
    "DueScreening",
    "duties_in_force",
    "duties_in_force_count",
    "for_staff",
    "keeps_records",
    "provides_care",
    "receives_notices",
    "screenings_due_for",
]


def for_staff(veteran_id: int) -> list[str]:
    record = Record.objects.filter(veteran_id=veteran_id).filter(consented()).first()
    if record is None:
        return []
    facts = []
    due = record.screenings.filter(
        status__in=[Screening.Status.DUE, Screening.Status.IN_PROGRESS],
        due_on__lte=timezone.localdate(),
    )
    if due.filter(occasion=Screening.Occasion.FOLLOW_UP).exists():
        facts.append(_("well-being follow-up due"))
    elif due.exists():
        facts.append(_("well-being screening due"))
    today = timezone.localdate()
    active = Enrolment.objects.filter(record=record, ended_at=None, starts_on__lte=today).exclude(
        ends_on__lt=today
    )
    if active.exists():
        facts.append(_("enrolled in a support programme"))
    return facts


@dataclass(frozen=True)
class DueScreening:
    """A screening the person may answer: its occasion in words and when it falls due."""

    occasion: str
    due_on: date


def screenings_due_for(
    user, *, until: date | None = None, limit: int | None = None
) -> list[DueScreening]:
    """The open screenings the user may see that fall due by `until` (today by default)."""
    return [
        DueScreening(screening.get_occasion_display(), screening.due_on)
        for screening in selectors.due_screenings(user, until=until, limit=limit)
    ]


def duties_in_force(user, *, limit: int | None = None) -> list[dict[str, Any]]:
    """The notices to the commander's unit still limiting duties today, as command sees them
    (each reading audited)."""
    return [
        access.notice_as_seen_by_command(notice)
        for notice in selectors.notices_for_command(user, in_force=True, limit=limit)
    ]


def duties_in_force_count(user) -> int:
    return selectors.notices_in_force(user)
