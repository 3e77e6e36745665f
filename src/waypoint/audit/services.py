import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from waypoint.audit import access
from waypoint.audit.context import current
from waypoint.audit.models import AuditEvent
from waypoint.audit.selectors import events_for

REDACTED = "[redacted]"


def record(
    *,
    actor,
    action: str,
    subject: models.Model,
    changes: dict[str, list[Any]] | None = None,
    veteran_id: int | None = None,
) -> AuditEvent:
    """Append one audit event. Call it inside the transaction that makes the change."""
    event = build(
        actor=actor, action=action, subject=subject, changes=changes, veteran_id=veteran_id
    )
    event.save()
    return event


def record_bulk(*, actor, action: str, model: type[models.Model], counts: dict[str, Any]):
    """One event for a write over many rows of one table (a sweep, an import, a resealing):
    the subject is the table, the changes are its counts. Call it inside the transaction."""
    return record(
        actor=actor,
        action=action,
        subject=ContentType.objects.get_for_model(model),
        changes={name: [None, value] for name, value in counts.items()},
    )


def build(
    *,
    actor,
    action: str,
    subject: models.Model,
    changes: dict[str, list[Any]] | None = None,
    veteran_id: int | None = None,
) -> AuditEvent:
    """One audit event, not yet appended: for a writer that saves many rows at once and
    appends their events with record_all, in the same transaction."""
    context = current.get()
    if veteran_id is None:
        veteran_id = getattr(subject, "audited_veteran_id", None)
    return AuditEvent(
        at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_username=actor.get_username() if actor is not None else "",
        action=action,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        veteran_id=veteran_id,
        changes=changes or {},
        request_id=context.request_id,
        client_address=context.client_address,
    )


def record_all(events: list[AuditEvent]) -> None:
    """Append events made by build(). Call it inside the transaction that makes the changes."""
    AuditEvent.objects.bulk_create(events)


def plain(value: Any) -> Any:
    """A JSON-safe form of a field value for the changes column."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [plain(item) for item in value]
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """Current values of the named fields; foreign keys as ids, without a query."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        values[name] = plain(getattr(instance, getattr(field, "attname", name)))
    return values


def diff(
    before: dict[str, Any], after: dict[str, Any], *, redact: bool = False
) -> dict[str, list[Any]]:
    """Fields whose value changed as {field: [old, new]}; health data keeps only the names."""
    changed = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old != new:
            changed[name] = [REDACTED, REDACTED] if redact else [old, new]
    return changed


def export_events(*, actor, filters: dict[str, str]) -> QuerySet[AuditEvent]:
    """The events an auditor takes out of the system, oldest first; the export is itself in
    the log (who, which filters, how many) before a line leaves."""
    if not access.may_export(actor):
        raise PermissionDenied
    events = events_for(actor, **filters).order_by("at", "id")
    with transaction.atomic():
        record(
            actor=actor,
            action="audit.export",
            subject=actor,
            changes={
                "filters": [None, {k: v for k, v in filters.items() if v}],
                "count": [None, events.count()],
            },
        )
    return events
