import json
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext, gettext_noop

from waypoint.api.errors import is_api
from waypoint.kit.api import field_name

NUL = "\x00"
# In English for the API, in the person's language for a page.
RULE = gettext_noop("NUL characters are not allowed")

Loc = tuple[str | int, ...]


class RefuseNulCharacters:
    """Refuses a request with a NUL character in its path, query, form or JSON body.

    PostgreSQL's text columns cannot hold one, so a NUL that reached a query or a row failed in
    the database driver (500) wherever a value is used unchecked. No person types one; the
    answer names the field: 422 with the API's error shape under /api/, 400 for a page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        loc = next(_nul_locations(request), None)
        if loc is None:
            return self.get_response(request)
        field = field_name(loc[1:]) or loc[0]
        if is_api(request):
            return JsonResponse(
                {"detail": [{"field": field, "message": RULE, "loc": list(loc)}]}, status=422
            )
        return HttpResponseBadRequest(
            f"{field}: {gettext(RULE)}", content_type="text/plain; charset=utf-8"
        )


def _nul_locations(request: HttpRequest) -> Iterator[Loc]:
    """Where a NUL is, as ninja's `loc` gives it: ("query", "q"), ("body", "items", 0, "name")."""
    if NUL in request.path_info:
        yield ("path",)
    yield from (("query", name) for name in _in_query_dict(request.GET))
    # A body past this is an upload, which Django streams: neither a JSON body nor a form's
    # fields may be that large (DATA_UPLOAD_MAX_MEMORY_SIZE).
    small = _length(request) <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if small:
            # Read whole before the form is parsed, the body stays readable: an API operation
            # reads a JSON body whatever content type the client claimed.
            request.body  # noqa: B018
        try:
            form, files = request.POST, request.FILES
        except MultiPartParserError:
            return  # not a form: the view answers that
        yield from (("form", name) for name in _in_query_dict(form))
        yield from (
            ("form", name)
            for name, upload in files.items()
            if NUL in name or NUL in (upload.name or "")
        )
    # ninja reads a body as JSON whatever its content type; JSON writes NUL as \u0000 (a raw
    # one is not JSON), so parse only a body that may hold one.
    elif small and b"\\u0000" in request.body:
        try:
            data = json.loads(request.body)
        except ValueError:
            return  # not JSON: the operation answers that
        yield from (("body", *loc) for loc in _in_json(data, ()))


def _length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _in_query_dict(data) -> Iterator[str]:
    for name, values in data.lists():
        if NUL in name or any(NUL in value for value in values):
            yield name


def _in_json(value, at: Loc) -> Iterator[Loc]:
    if isinstance(value, str):
        if NUL in value:
            yield at
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield from _in_json(item, (*at, position))
    elif isinstance(value, dict):
        for name, item in value.items():
            if NUL in name:
                yield (*at, name)
            else:
                yield from _in_json(item, (*at, name))
