"""Bad input is a 4xx naming the field, never a 500: numbers past what a database column holds,
NUL characters, and JSON that is not an object where one is expected. Every operation is
walked from the OpenAPI document, so that a new one is tested without being listed here."""

import functools
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.route_matrix import token_client
from waypoint.api.urls import api
from waypoint.kit.numbers import MAX_BIGINT

HUGE = 2**64
NUL = "a\x00b"


@functools.cache
def _document() -> dict:
    return api.get_openapi_schema(path_prefix="/api/v1")


def _operations():
    for path, operations in _document()["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def _url(path: str, operation: dict, **given) -> str:
    """The path with every parameter filled: `given` ones as given, the rest with 1 or "x"."""
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            name = parameter["name"]
            value = given.get(name, 1 if _is_integer(parameter["schema"]) else "x")
            path = path.replace(f"{{{name}}}", str(value))
    return path


def _is_integer(schema: dict) -> bool:
    return schema.get("type") == "integer" or any(
        option.get("type") == "integer" for option in schema.get("anyOf", [])
    )


def _parameters(kind: str, integer: bool):
    return [
        pytest.param(path, method, parameter["name"], id=f"{method} {path} {parameter['name']}")
        for path, method, operation in _operations()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == kind and _is_integer(parameter["schema"]) == integer
    ]


def _call(client, method: str, url: str, body=None, **query):
    return client.generic(
        method.upper(),
        url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""),
        json.dumps(body) if body is not None else "",
        content_type="application/json",
    )


def _refused(response, field: str) -> None:
    assert response.status_code == 422, (response.status_code, response.content[:300])
    fields = [error["field"] for error in response.json()["detail"]]
    assert field in fields, fields


@pytest.fixture
def client(admin):
    return token_client(admin)


@pytest.mark.parametrize(("path", "method", "name"), _parameters("path", integer=True))
def test_an_id_in_the_path_past_a_bigint_is_422(client, path, method, name):
    operation = _document()["paths"][path][method]
    _refused(_call(client, method, _url(path, operation, **{name: HUGE})), name)


@pytest.mark.parametrize(("path", "method", "name"), _parameters("query", integer=True))
def test_a_number_in_the_query_past_its_column_is_422(client, path, method, name):
    operation = _document()["paths"][path][method]
    _refused(_call(client, method, _url(path, operation), **{name: HUGE}), name)


@pytest.mark.parametrize(("path", "method", "name"), _parameters("query", integer=False))
def test_a_nul_in_the_query_is_422(client, path, method, name):
    operation = _document()["paths"][path][method]
    _refused(_call(client, method, _url(path, operation), **{name: "a%00b"}), name)


@pytest.mark.parametrize(("path", "method", "name"), _parameters("path", integer=False))
def test_a_nul_in_the_path_is_422(client, path, method, name):
    operation = _document()["paths"][path][method]
    _refused(_call(client, method, _url(path, operation, **{name: "a%00b"})), "path")


def _body_fields():
    """(operation, a JSON body field and the value that breaks it) for every body field that
    is an integer or a list of integers, and for every string field."""
    schemas = _document()["components"]["schemas"]
    for path, method, operation in _operations():
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            continue
        schema = content["application/json"]["schema"]
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema
        for name, field in schema.get("properties", {}).items():
            options = field.get("anyOf", [field])
            types = {option.get("type") for option in options}
            items = {option.get("items", {}).get("type") for option in options}
            for kind, value in (("integer", HUGE), ("string", NUL)):
                at = f"{method} {path} {name}"
                if kind in types:
                    yield pytest.param(path, method, {name: value}, name, id=at)
                elif kind in items:
                    yield pytest.param(path, method, {name: [value]}, f"{name}[0]", id=at)


@pytest.mark.parametrize(("path", "method", "body", "field"), list(_body_fields()))
def test_a_huge_number_or_a_nul_in_a_body_is_422(client, path, method, body, field):
    operation = _document()["paths"][path][method]
    _refused(_call(client, method, _url(path, operation), body), field)


def _object_bodies():
    for path, method, operation in _operations():
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" in content:
            yield pytest.param(path, method, id=f"{method} {path}")


@pytest.mark.parametrize(("path", "method"), list(_object_bodies()))
@pytest.mark.parametrize("body", ["a note", 7, [], None], ids=["string", "number", "list", "null"])
def test_a_body_that_is_not_an_object_is_422(client, path, method, body):
    """A JSON string passed for an object whose fields all took their defaults: the note
    PATCH answered 200 and changed nothing."""
    operation = _document()["paths"][path][method]
    response = client.generic(
        method.upper(), _url(path, operation), json.dumps(body), content_type="application/json"
    )
    _refused(response, "body")


def test_the_note_patch_refuses_a_json_string(coordinator, moscow_veteran):
    from waypoint.cases import casefile, services

    case = services.open_case(actor=coordinator, veteran=moscow_veteran)
    note = casefile.add_note(actor=coordinator, case=case, text="Звонок", visibility="team")
    response = token_client(coordinator).patch(
        f"/api/v1/cases/{case.pk}/notes/{note.pk}", '"Звонок"', content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "field": "body",
            "message": "Input should be a JSON object",
            "loc": ["body"],
            "type": "model_type",
        }
    ]


def _lists():
    return [
        pytest.param(path, id=path)
        for path, method, operation in _operations()
        if method == "get"
        and {"limit", "offset"} <= {p["name"] for p in operation.get("parameters", [])}
    ]


@pytest.mark.parametrize("path", _lists())
def test_every_list_pages_up_to_the_largest_offset(path, admin, moscow_veteran):
    """The thirteen paginated lists and the appeals' own: limit and offset are bounded, and the
    bounds themselves are answered (an empty page), not passed to a database that fails."""
    from waypoint.cases import services

    case = services.open_case(actor=admin, veteran=moscow_veteran)
    operation = _document()["paths"][path]["get"]
    url = _url(path, operation, case_id=case.pk)
    client = token_client(admin)
    _refused(_call(client, "get", url, limit=HUGE), "limit")
    _refused(_call(client, "get", url, limit=0), "limit")
    _refused(_call(client, "get", url, offset=HUGE), "offset")
    _refused(_call(client, "get", url, offset=-1), "offset")
    response = _call(client, "get", url, limit=500, offset=MAX_BIGINT)
    assert response.status_code == 200, response.content[:300]
    assert response.json()["items"] == []


def test_the_errors_name_the_field_and_the_rule(client):
    response = client.get(f"/api/v1/veterans?limit={HUGE}&coordinator=%C2%B2")
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "field": "limit",
            "message": "Input should be less than or equal to 500",
            "loc": ["query", "limit"],
            "type": "less_than_equal",
        }
    ]
    response = client.get("/api/v1/veterans?coordinator=%C2%B2")
    assert response.json()["detail"] == [{"field": "coordinator", "message": "a user id or 'me'"}]
    response = client.post(
        "/api/v1/leadership/tracks/1/meetings",
        json.dumps({"held_on": "2026-01-01", "member_ids": [1, HUGE]}),
        content_type="application/json",
    )
    assert response.json()["detail"][0]["field"] == "member_ids[1]"


def test_a_nul_is_refused_whatever_content_type_the_body_claims(coordinator, moscow_veteran):
    """ninja reads a body as JSON whatever its content type says."""
    from waypoint.cases import services

    case = services.open_case(actor=coordinator, veteran=moscow_veteran)
    response = token_client(coordinator).post(
        f"/api/v1/cases/{case.pk}/notes", json.dumps({"text": NUL}), content_type="text/plain"
    )
    _refused(response, "text")


def test_an_upload_past_the_form_limit_still_gets_its_own_answer(
    coordinator, moscow_veteran, settings
):
    """The NUL check streams an upload larger than a form may be, as Django does: the operation
    answers that the file is too large, not a 400 for the body."""
    from waypoint.cases import services

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.WAYPOINT_UPLOAD_MAX_BYTES = 500
    case = services.open_case(actor=coordinator, veteran=moscow_veteran)
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n" + b"x" * 2000, "application/pdf")
    response = token_client(coordinator).post(
        f"/api/v1/cases/{case.pk}/documents", {"file": upload, "title": "Справка"}
    )
    assert response.status_code == 422, response.content
    assert "larger than the limit" in response.json()["detail"][0]["message"]
