"""The OpenAPI document at /api/v1/openapi.json tells the truth about every operation."""

import typing
from collections import defaultdict

import pytest
from pydantic import BaseModel

from waypoint.api.urls import api
from waypoint.kit.api import Invalid, Message
from waypoint.kit.numbers import MAX_BIGINT

DOCUMENT = "/api/v1/openapi.json"
ERRORS = {"401", "403", "404", "422"}


@pytest.fixture(scope="module")
def document():
    return api.get_openapi_schema(path_prefix="/api/v1")


def _operations():
    api.urls  # noqa: B018  (building the urls binds every router)
    for _, router in api._routers:
        for path_view in router.path_operations.values():
            yield from path_view.operations


def _models(annotation, found: dict[str, set[type]]) -> None:
    """Every pydantic model an annotation reaches, by the name the document gives it."""
    wrapped = getattr(annotation, "_wrapped_model", None)  # ninja's PatchDict
    if wrapped is not None:
        annotation = wrapped
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found[annotation.__name__]:
            return
        found[annotation.__name__].add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _models(argument, found)


def test_every_schema_name_stands_for_one_model(document):
    """ninja files every model under its class name: two classes of one name (ScoreOut of
    well-being and of leadership) made one description for both, wrong for half of them."""
    found: dict[str, set[type]] = defaultdict(set)
    for error in (Message, Invalid):  # every operation's error answers (api.document)
        _models(error, found)
    for operation in _operations():
        for model in operation.models:  # path, query and body parameters
            for field in model.model_fields.values():
                _models(field.annotation, found)
        for response in operation.response_models.values():
            if isinstance(response, type) and issubclass(response, BaseModel):
                _models(response.model_fields["response"].annotation, found)
    shared = {
        name: sorted(f"{m.__module__}.{m.__qualname__}" for m in models)
        for name, models in found.items()
        if len(models) > 1
    }
    assert shared == {}, shared
    assert set(document["components"]["schemas"]) <= set(found), "the walk missed a model"


def test_no_two_operations_share_an_id(document):
    ids = [op["operationId"] for ops in document["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))


def _operations_in(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", path, operation


def test_every_operation_documents_its_errors(document):
    """401 and 403 where a caller signs in, 404 where the path names a record, 422 always; each
    with the error shape it is answered in."""
    missing = []
    for name, path, operation in _operations_in(document):
        expected = {"422"}
        if operation.get("security"):
            expected |= {"401", "403"}
        if "{" in path:
            expected.add("404")
        declared = {str(status) for status in operation["responses"]}
        missing += [f"{name}: {status}" for status in sorted(expected - declared)]
    assert missing == []
    veterans = document["paths"]["/api/v1/veterans"]
    assert veterans["get"]["responses"][422]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Invalid"
    }
    assert veterans["post"]["responses"][401]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Message"
    }
    assert "401" not in {
        str(s) for s in document["paths"]["/api/v1/appeals/status"]["get"]["responses"]
    }


def test_files_are_described_by_their_media_type(document, client, coordinator, moscow_veteran):
    from tests.route_matrix import token_client
    from waypoint.orientation import plans

    pdf = document["paths"]["/api/v1/veterans/{veteran_id}/plans/{version}/pdf"]["get"]
    assert set(pdf["responses"][200]["content"]) == {"application/pdf"}
    download = document["paths"]["/api/v1/cases/{case_id}/documents/{document_id}"]["get"]
    assert "application/json" not in download["responses"][200]["content"]
    assert "image/png" in download["responses"][200]["content"]
    plan = plans.save_plan(actor=coordinator, veteran=moscow_veteran)
    response = token_client(coordinator).get(
        f"/api/v1/veterans/{moscow_veteran.pk}/plans/{plan.version}/pdf"
    )
    assert response["Content-Type"] in pdf["responses"][200]["content"]


def _integers(schema, schemas, at, seen=frozenset()):
    """Every integer a request schema holds, with where it is."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name not in seen:
            yield from _integers(schemas[name], schemas, at, seen | {name})
        return
    for option in schema.get("anyOf", []):
        yield from _integers(option, schemas, at, seen)
    if schema.get("type") == "integer":
        yield at, schema
    if "items" in schema:
        yield from _integers(schema["items"], schemas, f"{at}[]", seen)
    for name, inner in schema.get("properties", {}).items():
        yield from _integers(inner, schemas, f"{at}.{name}", seen)


def _bounded(integer: dict) -> bool:
    return integer.get("minimum", -1) >= 0 and integer.get("maximum", MAX_BIGINT + 1) <= MAX_BIGINT


def test_every_integer_a_request_carries_is_bounded(document):
    """A number past what its column holds failed in the database driver (500). Ids are
    kit.api.Id; every other integer names its range."""
    schemas = document["components"]["schemas"]
    unbounded = []
    for name, _, operation in _operations_in(document):
        places = [(f"{p['in']} {p['name']}", p["schema"]) for p in operation.get("parameters", [])]
        for media in operation.get("requestBody", {}).get("content", {}).values():
            places.append(("body", media["schema"]))
        for place, schema in places:
            unbounded += [
                f"{name} {at}"
                for at, found in _integers(schema, schemas, place)
                if not _bounded(found)
            ]
    assert unbounded == []


def test_the_document_is_served(client):
    response = client.get(DOCUMENT)
    assert response.status_code == 200
    assert "ScoringOut" in response.json()["components"]["schemas"]
