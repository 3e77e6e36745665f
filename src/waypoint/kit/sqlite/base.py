"""Django's SQLite backend, plus what append-only tables need to tell a flush from a delete.

A trigger refuses DELETE on an append-only table unless `waypoint_flushing()` is true, which
it is only while Django flushes the whole database (`waypoint flush`, test teardown): the
SQLite counterpart of PostgreSQL's TRUNCATE, which row triggers do not see. Any other
connection to the file (the sqlite3 shell, another program) has no such function, so its
DELETE fails too.

And what Russian text needs of case-insensitive lookups (`iexact`, `icontains`, `istartswith`,
`iendswith`): SQLite's LIKE folds only ASCII, so "повар" did not find "Повар". Both sides are
folded by `waypoint_fold()` (waypoint.kit.folding: case, and ё read as е).
"""

from django.db.backends.sqlite3 import base, operations

from waypoint.kit.folding import fold

FOLDED_LOOKUPS = ("iexact", "icontains", "istartswith", "iendswith")


def _fold(value):
    return fold(value) if isinstance(value, str) else value


class DatabaseOperations(operations.DatabaseOperations):
    def lookup_cast(self, lookup_type, internal_type=None):
        if lookup_type in FOLDED_LOOKUPS:
            return "waypoint_fold(%s)"
        return super().lookup_cast(lookup_type, internal_type)

    def execute_sql_flush(self, sql_list):
        self.connection.flushing = True
        try:
            super().execute_sql_flush(sql_list)
        finally:
            self.connection.flushing = False


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    flushing = False
    operators = {
        **base.DatabaseWrapper.operators,
        **{lookup: "LIKE waypoint_fold(%s) ESCAPE '\\'" for lookup in FOLDED_LOOKUPS},
    }

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.create_function("waypoint_flushing", 0, lambda: int(self.flushing))
        connection.create_function("waypoint_fold", 1, _fold, deterministic=True)
        return connection
