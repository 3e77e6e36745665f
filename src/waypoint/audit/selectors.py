from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from waypoint.audit.access import events_visible_to
from waypoint.audit.models import AuditEvent
from waypoint.kit.numbers import whole_number


def _parse_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def events_for(
    user,
    *,
    since: str = "",
    until: str = "",
    actor: str = "",
    action: str = "",
    veteran: str = "",
    subject_type: str = "",
) -> QuerySet[AuditEvent]:
    """Events this person may read; dates are local calendar days, inclusive."""
    events = events_visible_to(user)
    zone = timezone.get_current_timezone()
    if start := _parse_date(since):
        events = events.filter(at__gte=datetime.combine(start, time.min, zone))
    if end := _parse_date(until):
        events = events.filter(at__lt=datetime.combine(end + timedelta(days=1), time.min, zone))
    if actor:
        events = events.filter(actor_username__iexact=actor.strip())
    if action:
        events = events.filter(action__startswith=action.strip())
    if (veteran_id := whole_number(veteran.strip())) is not None:
        events = events.filter(veteran_id=veteran_id)
    if subject_type:
        events = events.filter(subject_type=subject_type.strip())
    return events


FILTERS = ("since", "until", "actor", "action", "veteran", "subject_type")
