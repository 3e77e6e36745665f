"""The OpenAPI document's error answers: what each operation can answer besides success."""

from ninja.openapi.schema import REF_TEMPLATE

from waypoint.kit.api import Invalid, Message

NOT_JSON = (400, "The body is not JSON", Message)
NO_CREDENTIALS = (401, "No session and no valid bearer token", Message)
REFUSED = (
    403,
    "Not permitted: a permission or scope, or a session's CSRF token or second factor",
    Message,
)
MISSING = (404, "Nothing with this id that you may see (missing and forbidden alike)", Message)
INVALID = (422, "Input that breaks a rule; each entry names the field and the rule", Invalid)


def declare_errors(document: dict) -> None:
    """Adds the error answers each operation can give and that it does not declare itself:
    400 where it reads a JSON body, 401 and 403 where a caller signs in, 404 where the path
    names a record, and 422 everywhere (a NUL character is refused in any part of a request,
    web.middleware)."""
    schemas = document["components"]["schemas"]
    for model in (Message, Invalid):
        found = model.model_json_schema(ref_template=REF_TEMPLATE)
        schemas.update(found.pop("$defs", {}))
        schemas[model.__name__] = found
    for path, operations in document["paths"].items():
        for operation in operations.values():
            answers = [INVALID]
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                answers.append(NOT_JSON)
            if operation.get("security"):
                answers += [NO_CREDENTIALS, REFUSED]
            if "{" in path:
                answers.append(MISSING)
            responses = operation["responses"]
            for status, description, model in answers:
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": REF_TEMPLATE.format(model=model.__name__)}
                            }
                        },
                    },
                )
