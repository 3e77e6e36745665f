"""Whether the database takes a write now, for /healthz (load balancers, monitoring).

A site whose database answers reads but refuses writes is down for its users (no sign-in, no
session, no audit event), so the probe writes: one row, in a short transaction that may wait
for a lock no longer than WAYPOINT_HEALTHZ_WAIT_MS. On SQLite the wait is for the one write
lock of the whole database (held, say, by a long import); on PostgreSQL for the probe's row,
and a read-only server (a standby after a failover) refuses the write outright.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from waypoint.web.models import HealthProbe

SQLITE_DEFAULT_TIMEOUT_S = 5.0  # Python's sqlite3 waits this long unless told otherwise


def wait_ms() -> int:
    return settings.WAYPOINT_HEALTHZ_WAIT_MS


def write_refused() -> str | None:
    """Why the database did not take a write within wait_ms(), or None when it did."""
    wait = wait_ms()
    try:
        with _sqlite_waits_at_most(wait), transaction.atomic():
            if connection.vendor == "postgresql":
                # For this transaction only (is_local); a statement may take a little longer
                # than the lock wait, so that a lock reports itself as such.
                limits = {"lock_timeout": wait, "statement_timeout": 2 * wait}
                with connection.cursor() as cursor:
                    for setting, milliseconds in limits.items():
                        cursor.execute(
                            "SELECT set_config(%s, %s, true)", [setting, f"{milliseconds}ms"]
                        )
            now = timezone.now()
            if not HealthProbe.objects.filter(pk=1).update(checked_at=now):
                # The first probes of a new database, from several workers at once, may each
                # find no row: one inserts it, the others update it, and none fails.
                HealthProbe.objects.bulk_create(
                    [HealthProbe(pk=1, checked_at=now)],
                    update_conflicts=True,
                    unique_fields=["id"],
                    update_fields=["checked_at"],
                )
    except DatabaseError as exc:
        return str(exc).strip() or type(exc).__name__
    return None


@contextmanager
def _sqlite_waits_at_most(milliseconds: int):
    """SQLite waits for its lock when the transaction begins, for the connection's busy
    timeout (20 s in production): shorten it for the probe alone."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    configured = connection.settings_dict["OPTIONS"].get("timeout", SQLITE_DEFAULT_TIMEOUT_S)
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(configured * 1000)}")
