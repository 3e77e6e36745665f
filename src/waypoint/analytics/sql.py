"""SQL building blocks that work the same on PostgreSQL and SQLite: quantiles by window
functions (nearest rank), the length of a JSON array, whole days between two dates, the ISCO
major group of an occupation."""

from collections import defaultdict
from collections.abc import Sequence
from math import ceil

from django.db import connection
from django.db.models import Func, IntegerField, QuerySet
from django.db.models.functions import Substr

QUARTILES = (0.25, 0.5, 0.75)


class JSONArrayLength(Func):
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="json_array_length", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="jsonb_array_length", **extra)


class DaysBetween(Func):
    """Whole days from the second date to the first, on PostgreSQL and SQLite alike."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra
        )


def isco_major(field: str) -> Substr:
    """The first digit of an ISCO-08 unit group: the major group (1 managers … 9 elementary)."""
    return Substr(field, 1, 1)


def quantiles(
    rows: QuerySet, value: str, groups: Sequence[str] = (), points: Sequence[float] = QUARTILES
) -> dict[tuple, dict[float, float]]:
    """Nearest-rank quantiles of `value` per group, computed in the database.

    `rows` is a `.values(*groups, value)` queryset (one row per observation, nulls dropped
    here). The database numbers each group's rows in order and returns only the rows at the
    wanted ranks, so a million observations come back as a handful of numbers.
    """
    inner, params = rows.filter(**{f"{value}__isnull": False}).query.sql_with_params()
    quote = connection.ops.quote_name
    partition = ", ".join(quote(g) for g in groups)
    over = (
        f"PARTITION BY {partition} ORDER BY {quote(value)}"
        if groups
        else (f"ORDER BY {quote(value)}")
    )
    counted = f"COUNT(*) OVER ({'PARTITION BY ' + partition if groups else ''})"
    ranks = " OR ".join(f"rn = CAST(CEIL({p} * n) AS INTEGER)" for p in points)
    if connection.vendor == "sqlite":
        # SQLite has no CEIL before 3.44: ceil(x) = -floor(-x) via integer division.
        ranks = " OR ".join(
            f"rn = (CASE WHEN {p} * n = CAST({p} * n AS INTEGER) THEN CAST({p} * n AS INTEGER)"
            f" ELSE CAST({p} * n AS INTEGER) + 1 END)"
            for p in points
        )
    columns = ", ".join([*(quote(g) for g in groups), quote(value)])
    sql = (
        f"SELECT {columns}, rn, n FROM (SELECT {columns}, "  # noqa: S608 - names quoted, values bound
        f"ROW_NUMBER() OVER ({over}) AS rn, {counted} AS n FROM ({inner}) AS observed) AS ranked "
        f"WHERE {ranks}"
    )
    found: dict[tuple, dict[float, float]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for *key, observed, rank, count in cursor.fetchall():
            for point in points:
                if rank == max(1, ceil(point * count)):
                    found[tuple(key)][point] = observed
    return dict(found)
