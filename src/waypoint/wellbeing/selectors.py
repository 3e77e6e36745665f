"""Reads, each behind a read gate of wellbeing.access and each audited: who read what, when."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, IntegerField, Max, Prefetch, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.audit.services import build, record_all
from waypoint.audit.services import record as audit
from waypoint.wellbeing import access
from waypoint.wellbeing.models import (
    TIER_RANK,
    Alert,
    CareTeam,
    CommandNotice,
    Record,
    Response,
    Screening,
    Tier,
)

QUEUE_TIERS = [Tier.URGENT, Tier.HIGH, Tier.MODERATE, Tier.LOW]


def record_for(user: User, veteran_id: int, *, action: str = "wellbeing.record.view") -> Record:
    record = (
        access.records_visible_to(user)
        .select_related("veteran", "care_team__organisation")
        .filter(veteran_id=veteran_id)
        .first()
    )
    if record is None:
        raise Http404
    audit(actor=user, action=action, subject=record)
    return record


def own_record(user: User) -> Record | None:
    record = access.records_visible_to(user).filter(veteran__account=user).first()
    if record is not None:
        audit(actor=user, action="wellbeing.record.view", subject=record)
    return record


def _one(rows, pk: int, user: User, action: str):
    """One row of a person's records the user may see, its reading audited; else 404."""
    found = rows.filter(pk=pk).first()
    if found is None:
        raise Http404
    audit(actor=user, action=action, subject=found)
    return found


def screening_for(user: User, screening_id: int) -> Screening:
    rows = access.screenings_visible_to(user).select_related("record__veteran", "record__care_team")
    return _one(rows, screening_id, user, "wellbeing.screening.view")


def response_for(user: User, response_id: int) -> Response:
    rows = access.responses_visible_to(user).select_related("screening__record__veteran")
    return _one(rows, response_id, user, "wellbeing.response.view")


def alert_for(user: User, alert_id: int) -> Alert:
    rows = access.alerts_visible_to(user).select_related("screening__record")
    return _one(rows, alert_id, user, "wellbeing.alert.view")


def _team_audit(user: User, action: str) -> None:
    # Without an organisation this finds no team: every team belongs to one.
    team = CareTeam.objects.filter(organisation_id=user.organisation_id).first()  # type: ignore[misc]
    if team is not None:
        audit(actor=user, action=action, subject=team)


def _awaiting_review(user: User) -> QuerySet[Screening]:
    return (
        access.screenings_visible_to(user)
        .filter(tier__in=QUEUE_TIERS, review=None)
        .exclude(status=Screening.Status.CANCELLED)
    )


def queue(user: User, *, limit: int | None = None) -> list[Screening]:
    """Screenings with a risk found and no review yet: the most urgent tier first, then the
    longest waiting (the first `limit` of them)."""
    rank = Case(
        *[When(tier=tier, then=Value(TIER_RANK[tier])) for tier in QUEUE_TIERS],
        default=Value(9),
        output_field=IntegerField(),
    )
    screenings: list[Screening] = list(
        _awaiting_review(user)
        .annotate(rank=rank, waiting_since=Max("responses__submitted_at"))
        .select_related("record__veteran")
        .order_by("rank", "waiting_since", "pk")[:limit]
    )
    _team_audit(user, "wellbeing.queue.view")
    return screenings


def _due(user: User, until: date | None) -> QuerySet[Screening]:
    return access.screenings_visible_to(user).filter(
        status__in=[Screening.Status.DUE, Screening.Status.IN_PROGRESS],
        due_on__lte=until or timezone.localdate(),
    )


def due_screenings(
    user: User,
    *,
    record: Record | None = None,
    until: date | None = None,
    limit: int | None = None,
) -> list[Screening]:
    """Open screenings due by `until` (today by default) that the person may see: all of
    them, or one record's; the first `limit` by date."""
    due = _due(user, until)
    if record is not None:
        due = due.filter(record=record)
    return list(due.select_related("record__veteran").order_by("due_on", "pk")[:limit])


def _open_alerts(user: User) -> QuerySet[Alert]:
    return access.alerts_visible_to(user).filter(acknowledged_at=None)


def open_alerts(
    user: User, *, record: Record | None = None, limit: int | None = None
) -> list[Alert]:
    """Unacknowledged alerts the person may see: all of them, or one record's; the first
    `limit`, oldest first."""
    alerts = _open_alerts(user)
    if record is not None:
        alerts = alerts.filter(screening__record=record)
    return list(
        alerts.select_related("screening__record__veteran", "assigned_to", "escalated_to").order_by(
            "raised_at", "pk"
        )[:limit]
    )


@dataclass(frozen=True)
class Waiting:
    """How much of a care team's work waits: the counts behind the first rows a list shows."""

    alerts: int
    review: int
    due: int


def waiting(user: User) -> Waiting:
    return Waiting(
        alerts=_open_alerts(user).count(),
        review=_awaiting_review(user).count(),
        due=_due(user, None).count(),
    )


def trend(record: Record) -> list[Response]:
    """A person's scored results over time, the current version of each (charts.for_responses
    draws one chart per instrument)."""
    return list(
        Response.objects.filter(
            screening__record=record, superseded_by__isnull=True, total__isnull=False
        ).order_by("submitted_at", "pk")
    )


def history(record: Record) -> list[Screening]:
    """The person's screenings with an answer, newest first, each with the current version of
    its responses in `current` (in the order they were given)."""
    screenings = list(
        record.screenings.exclude(responses=None)
        .distinct()
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=Response.objects.filter(superseded_by__isnull=True).order_by("pk"),
                to_attr="current",
            )
        )
    )
    for screening in screenings:
        # Both are the pages' own attributes: `current` from the prefetch, `answered_at` here.
        screening.answered_at = screening.completed_at or max(  # type: ignore[attr-defined]
            response.submitted_at for response in screening.current
        )
    return sorted(
        screenings,
        key=lambda s: (s.answered_at, s.pk),  # type: ignore[attr-defined]
        reverse=True,
    )


def _notices(user: User) -> QuerySet[CommandNotice]:
    return access.notices_visible_to_command(user)


def notices_for_command(
    user: User, *, in_force: bool = False, limit: int | None = None
) -> list[CommandNotice]:
    """What a commander reads: the notices to their unit, newest first (with `in_force`, only
    those still limiting duties; at most `limit`), each reading audited. A notice is a
    disclosure already made; it stays readable after the person withdraws screening consent."""
    notices = _notices(user)
    if in_force:
        notices = notices.filter(limitations_until__gte=timezone.localdate())
    shown = list(notices.select_related("record__veteran").order_by("-issued_at", "-pk")[:limit])
    record_all([build(actor=user, action="wellbeing.notice.view", subject=n) for n in shown])
    return shown


def notices_in_force(user: User) -> int:
    """How many notices to the commander's unit still limit someone's duties today."""
    return _notices(user).filter(limitations_until__gte=timezone.localdate()).count()
