"""What every API router shares: numbers a database column can hold, request bodies that must
be JSON objects, the error answers, pages with limits, and files described by their media type.
"""

from copy import copy
from typing import Annotated

from ninja import Field
from ninja import Schema as NinjaSchema
from ninja.pagination import LimitOffsetPagination
from ninja.schema import DjangoGetter
from pydantic import create_model, model_validator
from pydantic_core import PydanticCustomError

from waypoint.kit.numbers import MAX_BIGINT

# The most rows one page of a list may ask for.
MAX_PAGE = 500

Id = Annotated[int, Field(ge=1, le=MAX_BIGINT)]
"""A row's id: a whole number from 1 to MAX_BIGINT, as path, query or body value."""


class Schema(NinjaSchema):
    """ninja's Schema, refusing JSON that is not an object where an object is expected.

    ninja reads a schema's fields off any value by attribute, so that an answer can be built
    from a model instance. A request body of "text", 1 or [] then passed as an object whose
    fields all took their defaults: `PATCH /cases/{id}/notes/{id}` with a JSON string answered
    200 and changed nothing. Every API schema derives from this one.
    """

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        # ninja's own validator runs first and wraps the value in its attribute reader.
        value = data._obj if isinstance(data, DjangoGetter) else data
        if value is None or isinstance(value, str | bytes | int | float | list):
            raise PydanticCustomError("model_type", "Input should be a JSON object")
        return data


class Message(Schema):
    """An error or a refusal in words: 400, 401, 403, 404, 429, 500."""

    detail: str


class FieldError(Schema):
    field: str = Field(description="the field at fault: `name`, `items[0].name`, or `body`")
    message: str = Field(description="the rule it breaks")
    loc: list[str | int] | None = Field(
        None, description="where the field is: path, query, body or form, then the field"
    )
    type: str | None = Field(None, description="the kind of error, for programs")


class Invalid(Schema):
    """422: the input breaks the rules named here."""

    detail: list[FieldError]


def patch_of(schema: type[Schema], *, name: str) -> type[Schema]:
    """`schema` for a PATCH: every field may be left out, and only a field `schema` lets be null
    may be null (ninja's PatchDict let every field be null, and a null reached a NOT NULL column:
    500). Read the changes with `payload.dict(exclude_unset=True)`."""
    fields = {}
    for key, field in schema.model_fields.items():
        optional = copy(field)
        # Left out, the field is not in the changes; the default is never used, nor documented.
        optional.default = None
        optional.json_schema_extra = _without_default
        fields[key] = (field.annotation, optional)
    return create_model(name, __base__=Schema, __doc__=schema.__doc__, **fields)


def _without_default(found: dict) -> None:
    found.pop("default", None)


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


def file_answer(*media_types: str, description: str) -> dict:
    """The `openapi_extra` of an operation that answers a file (declare `response={200: None}`),
    so that the document gives its media type instead of JSON."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {
            200: {"description": description, "content": dict.fromkeys(media_types, binary)}
        }
    }
