"""Reads for appeals: the queue and lists through the read gate (each read audited), the
operator's own log, the veteran search on the hotline page, and the reports' figures."""

from collections.abc import Mapping
from contextlib import suppress
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise

from waypoint.appeals.access import (
    OPERATOR_SEES,
    appeals_counted_for,
    appeals_logged_by,
    appeals_visible_to,
)
from waypoint.appeals.models import Appeal, Topic
from waypoint.audit.services import record
from waypoint.kit.phone import normalize_phone
from waypoint.people.access import veterans_visible_to
from waypoint.people.models import Veteran
from waypoint.people.selectors import veterans_for
from waypoint.regions.models import Region

A = Appeal.Status
OPEN = (A.REGISTERED, A.IN_PROGRESS)
LISTS = ("queue", "mine", "all")


def appeals_for(user, *, shown: str = "all", status: str = "", topic: str = "") -> QuerySet:
    """Appeals the person may see. `queue`: open ones waiting in their organisation's queue;
    `mine`: open ones they took; `all`: every one they may see."""
    found = appeals_visible_to(user).select_related("veteran", "organisation", "region", "taken_by")
    if shown == "queue":
        found = found.filter(organisation_id=user.organisation_id, status__in=OPEN)
    elif shown == "mine":
        found = found.filter(taken_by=user, status__in=OPEN)
    if status:
        found = found.filter(status=status)
    if topic:
        found = found.filter(topic=topic)
    if shown in ("queue", "mine"):
        return found.order_by("due_at", "pk")
    return found


def appeals_shown(
    user, *, shown: str = "all", status: str = "", topic: str = "", limit: int, offset: int = 0
) -> list[Appeal]:
    """One page of `appeals_for`, as shown to the person: showing it is a read, audited."""
    appeals = list(
        appeals_for(user, shown=shown, status=status, topic=topic)[offset : offset + limit]
    )
    audit_list(user, appeals)
    return appeals


def audit_list(user, appeals: list[Appeal]) -> None:
    """A list of appeals shown is a read of each: one event naming them."""
    if appeals:
        record(
            actor=user,
            action="appeals.appeal.list",
            subject=user,
            changes={"shown": [None, [appeal.reference for appeal in appeals]]},
        )


def appeal_for(user, pk: int, *, audit: bool = True) -> Appeal:
    """One appeal, or 404 when it is missing or the person may not see it. Reading it is
    audited."""
    appeal = (
        appeals_visible_to(user)
        .select_related(
            "veteran",
            "organisation__region",
            "region",
            "task",
            "logged_by",
            "taken_by",
            "answered_by",
            "closed_by",
        )
        .filter(pk=pk)
        .first()
    )
    if appeal is None:
        raise Http404("no such appeal")
    if audit:
        record(actor=user, action="appeals.appeal.view", subject=appeal)
    return appeal


def logged_by(user, limit: int = 10) -> list[dict[str, Any]]:
    """What this operator logged lately: the reference, topic, urgency and when, for reading
    the reference out again. Deliberately outside the read gate and never more than these
    fields: the operator sees that they logged an appeal, not what the queue did with it."""
    return list(
        appeals_logged_by(user).order_by("-logged_at", "-pk").values(*OPERATOR_SEES)[:limit]
    )


def just_logged(user, reference: str) -> Appeal | None:
    """The appeal this operator has just logged: its reference, queue and due date to read
    out to the caller."""
    return (
        appeals_logged_by(user)
        .filter(reference=reference[:20])
        .select_related("organisation")
        .first()
    )


def logged_today(user) -> int:
    """How many appeals this operator logged today (their own log, as `logged_by`)."""
    return appeals_logged_by(user).filter(logged_at__gte=_start(timezone.localdate())).count()


def find_veterans(user, q: str, limit: int = 8) -> list[Veteran]:
    """The hotline's search as the operator types: a name, a phone in any usual writing, or
    a registry number, among the veterans the operator may see."""
    q = q.strip()[:100]
    if len(q) < 2 and not q.isdigit():
        return []
    found = Q(pk__in=veterans_for(user, q=q).values("pk"))
    with suppress(ValueError):
        found |= Q(phone=normalize_phone(q))
    return list(
        veterans_visible_to(user)
        .filter(found)
        .select_related("region")
        .order_by("last_name", "first_name", "pk")[:limit]
    )


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def report(user, *, since: date | None = None, until: date | None = None) -> dict[str, Any]:
    """Figures by topic, region and outcome, and how many were answered in time (answered at
    or before the due moment).

    Counts every appeal in the person's scope, psychological ones included, and says nothing
    about any one of them: this is why it counts `appeals_counted_for`, not the read gate.
    """
    appeals = appeals_counted_for(user)
    if since:
        appeals = appeals.filter(logged_at__gte=_start(since))
    if until:
        appeals = appeals.filter(logged_at__lt=_start(until) + timedelta(days=1))
    now = timezone.now()
    figures = {
        "total": Count("pk"),
        "open": Count("pk", filter=Q(status__in=OPEN)),
        "overdue": Count("pk", filter=Q(status__in=OPEN, due_at__lt=now)),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "in_time": Count("pk", filter=Q(answered_at__lte=F("due_at"))),
    }

    def rows(
        key: str, labels: Mapping[str, str | Promise], keep_empty: bool
    ) -> list[dict[str, Any]]:
        counted = {row[key]: row for row in appeals.values(key).annotate(**figures).order_by()}
        out = []
        for code, label in labels.items():
            row = counted.get(code)
            if row is None and not keep_empty:
                continue
            row = row or dict.fromkeys(figures, 0)
            out.append({"key": code, "label": label, **{k: row[k] for k in figures}})
        return [_with_ratio(row) for row in out]

    region_codes = appeals.values_list("region_id", flat=True).distinct()
    regions = {r.code: f"{r.code} {r}" for r in Region.objects.filter(code__in=region_codes)}
    return {
        "by_topic": rows("topic", dict(Topic.choices), keep_empty=True),
        "by_region": rows("region_id", regions, keep_empty=False),
        "by_outcome": rows("outcome_kind", dict(Appeal.Outcome.choices), keep_empty=True),
        "totals": _with_ratio({"key": "", "label": "", **appeals.aggregate(**figures)}),
    }


def report_export(user, *, since: date | None = None, until: date | None = None) -> dict[str, Any]:
    """The reports' figures for their CSV; the export is audited, whichever door asks."""
    figures = report(user, since=since, until=until)
    period = {"since": since, "until": until}
    with transaction.atomic():
        record(
            actor=user,
            action="appeals.report.export",
            subject=user,
            changes={"period": [None, {k: v.isoformat() for k, v in period.items() if v}]},
        )
    return figures


def _with_ratio(row: dict[str, Any]) -> dict[str, Any]:
    answered = row["answered"] or 0
    row["in_time_percent"] = round(100 * row["in_time"] / answered) if answered else None
    return row
