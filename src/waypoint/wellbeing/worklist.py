"""The care team's worklist as other pages show it (the clinician's home): urgent alerts,
screenings awaiting review and screenings due, each row already projected. Read through
selectors, so gated to the care team and audited; the tier is named to them alone (the
section is shown only to those who provide care). Other apps import this and `facts`, never
the well-being models."""

from dataclasses import dataclass
from datetime import date, datetime

from waypoint.wellbeing import selectors


@dataclass(frozen=True)
class Entry:
    veteran_id: int
    veteran_name: str
    screening_id: int
    occasion: str  # in words
    tier: str = ""  # in words; only in the review queue
    when: date | datetime | None = None  # raised, waiting since, or due
    escalated: bool = False


@dataclass(frozen=True)
class Waiting:
    alerts: int
    review: int
    due: int


def waiting(user) -> Waiting:
    counts = selectors.waiting(user)
    return Waiting(counts.alerts, counts.review, counts.due)


def _entry(screening, **extra) -> Entry:
    return Entry(
        veteran_id=screening.record.veteran_id,
        veteran_name=screening.record.veteran.full_name,
        screening_id=screening.pk,
        occasion=screening.get_occasion_display(),
        **extra,
    )


def open_alerts(user, *, limit: int | None = None) -> list[Entry]:
    return [
        _entry(alert.screening, when=alert.raised_at, escalated=alert.escalated_at is not None)
        for alert in selectors.open_alerts(user, limit=limit)
    ]


def awaiting_review(user, *, limit: int | None = None) -> list[Entry]:
    return [
        _entry(screening, tier=screening.get_tier_display(), when=screening.waiting_since)
        for screening in selectors.queue(user, limit=limit)
    ]


def due(user, *, limit: int | None = None) -> list[Entry]:
    return [
        _entry(screening, when=screening.due_on)
        for screening in selectors.due_screenings(user, limit=limit)
    ]
