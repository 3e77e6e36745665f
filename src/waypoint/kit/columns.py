"""What a database column can hold, checked before the write: a value out of range becomes a
message naming the field and the rule, not a database error half-way through a batch."""

from decimal import Decimal

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _


def integer_range(field: models.Field) -> tuple[int, int]:
    """The values the field's column holds on every supported database.

    PostgreSQL's ranges (the base ones) are the narrower: SQLite stores any 64-bit integer in
    any integer column, so a file that imports on SQLite must fit PostgreSQL too.
    """
    return BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]


def integer_problem(value: int | Decimal, field: models.Field) -> str | None:
    """Why the column cannot hold the whole number, or None. A decimal is compared as it is,
    so that a huge one is never turned into an integer first."""
    low, high = integer_range(field)
    if not low <= value <= high:
        return _("must be between %(low)s and %(high)s") % {"low": low, "high": high}
    return None


def nul_problem(value: str) -> str | None:
    """PostgreSQL refuses NUL characters in text (SQLite keeps them): refuse them everywhere."""
    if "\x00" in value:
        return _("contains a NUL character (code 0), which text cannot hold")
    return None


def text_problem(value: str, field: models.Field) -> str | None:
    """Why the column cannot hold the text, or None. A text longer than the column is refused,
    not cut: cutting an id could make two records one."""
    problem = nul_problem(value)
    if problem is None and field.max_length is not None and len(value) > field.max_length:
        problem = _("at most %(limit)s characters (this one has %(length)s)") % {
            "limit": field.max_length,
            "length": len(value),
        }
    return problem
