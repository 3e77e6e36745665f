"""The audit log as CSV (UTF-8 with BOM), one line at a time: the page's export and the
`export_audit` command write the same columns."""

import csv
import json
from collections.abc import Iterator

from django.db.models import QuerySet

from waypoint.audit.models import AuditEvent

EXPORT_COLUMNS = [
    "id",
    "at",
    "actor_username",
    "action",
    "subject_type",
    "subject_id",
    "veteran_id",
    "changes",
    "request_id",
    "client_address",
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(events: QuerySet[AuditEvent]) -> Iterator[str]:
    """The export, one CSV line at a time (the log can be large)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(EXPORT_COLUMNS)
    for event in events.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                event.pk,
                event.at.isoformat(),
                event.actor_username,
                event.action,
                event.subject_type,
                event.subject_id,
                event.veteran_id or "",
                json.dumps(event.changes, ensure_ascii=False),
                event.request_id,
                event.client_address or "",
            ]
        )
