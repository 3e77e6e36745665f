"""Django's SQLite backend, plus what append-only tables need to tell a flush from a delete.

A trigger refuses DELETE on an append-only table unless `waypoint_flushing()` is true, which
it is only while Django flushes the whole database (`waypoint flush`, test teardown): the
SQLite counterpart of PostgreSQL's TRUNCATE, which row triggers do not see. Any other
connection to the file (the sqlite3 shell, another program) has no such function, so its
DELETE fails too.
"""

from django.db.backends.sqlite3 import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def execute_sql_flush(self, sql_list):
        self.connection.flushing = True
        try:
            super().execute_sql_flush(sql_list)
        finally:
            self.connection.flushing = False


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    flushing = False

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.create_function("waypoint_flushing", 0, lambda: int(self.flushing))
        return connection
