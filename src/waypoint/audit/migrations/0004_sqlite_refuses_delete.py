"""SQLite refuses DELETE on audit rows too, as PostgreSQL does since 0002.

Only a whole-database flush by Waypoint's own backend passes (waypoint.kit.sqlite), the
counterpart of PostgreSQL's TRUNCATE.
"""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
WHEN NOT waypoint_flushing()
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_event_no_delete;"


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_alter_auditevent_options")]
    operations = [migrations.RunPython(up, down)]
