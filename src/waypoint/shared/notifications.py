"""Telling a person something in Waypoint: the one way every app writes a notification, and
a person's reading of their own.

A notice is idempotent through its (person, key): writing it again, from a sweep run twice or
a request repeated, changes nothing. Write notices inside the transaction that made the change
they announce, so that neither is kept without the other.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from waypoint.shared.access import notifications_visible_to
from waypoint.shared.models import Notification

TEXT_MAX_CHARS = Notification._meta.get_field("text").max_length
FIELDS = ("user", "created_at", "kind", "text", "url", "key")


class Notice(NamedTuple):
    """One notification to write. `text` is the English original (gettext_noop): the reader
    sees it in their own language."""

    user_id: int
    kind: str
    text: str
    url: str
    key: str


def notify(recipients: Iterable, *, kind: str, text: str, url: str = "", key: str) -> int:
    """The same notice to each of `recipients` (people or their ids) who has not had it;
    returns how many were written."""
    return send(
        Notice(getattr(person, "pk", person), kind, str(text), url, key) for person in recipients
    )


def send(notices: Iterable[Notice], *, at: datetime | None = None) -> int:
    """Write the notices not given yet (same person, same key); returns how many were written.

    Plain multi-row INSERT … ON CONFLICT DO NOTHING (PostgreSQL and SQLite alike) rather than
    bulk_create: the first deadline sweep over a million tasks writes hundreds of thousands of
    notices, and a model instance each cost half of the sweep's time."""
    quote = connection.ops.quote_name
    created_at = connection.ops.adapt_datetimefield_value(at or timezone.now())
    rows = [
        (user_id, created_at, kind, text[:TEXT_MAX_CHARS], url, key)
        for user_id, kind, text, url, key in notices
    ]
    columns = ", ".join(quote(Notification._meta.get_field(name).column) for name in FIELDS)
    per_statement = min(1_000, (connection.features.max_query_params or 6_000) // len(FIELDS))
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = ", ".join([f"({', '.join(['%s'] * len(FIELDS))})"] * len(chunk))
            cursor.execute(
                # Names come from the model's metadata; values travel as parameters.
                f"INSERT INTO {quote(Notification._meta.db_table)} ({columns})"  # noqa: S608
                f" VALUES {values} ON CONFLICT DO NOTHING",
                [value for row in chunk for value in row],
            )
            written += cursor.rowcount
    return written


def already_notified(key: str, user_ids: Iterable[int]) -> set[int]:
    """Those among `user_ids` who already have the notice with this key."""
    return set(
        Notification.objects.filter(key=key, user_id__in=list(user_ids))
        .values_list("user_id", flat=True)
        .order_by()
    )


def unread_count(user) -> int:
    return notifications_visible_to(user).filter(read_at=None).count()


def mark_read(*, actor, pk: int | None = None) -> int:
    """Mark one of the actor's notifications read, or all of them when no `pk` is given;
    another person's is left alone. Not audited: it is a person's own reading state, not a
    change to anyone's record."""
    unread = notifications_visible_to(actor).filter(read_at=None)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())
