"""What every API router shares: ids and numbers a database column can hold, and pages with
limits."""

from typing import Annotated

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from waypoint.kit.numbers import MAX_BIGINT

# The most rows one page of a list may ask for.
MAX_PAGE = 500

Id = Annotated[int, Field(ge=1, le=MAX_BIGINT)]
"""A row's id: a whole number from 1 to MAX_BIGINT, as path, query or body value."""


def field_name(loc) -> str:
    """A field's place in a request as a name: ("items", 0, "name") → `items[0].name`."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else f".{part}" if name else str(part)
    return name


class Pages(LimitOffsetPagination):
    """ninja's limit and offset, bounded: a limit or offset past what a database takes was
    passed to it and failed there (NINJA_PAGINATION_CLASS)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=MAX_BIGINT)
