"""The REST API: one NinjaAPI that mounts each app's router. Bearer-token or session auth.

Every error is JSON: {"detail": "words"}, or for 422 {"detail": [{"field", "message"}, …]}
whether ninja refused the input against the schema or a service refused it."""

from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    SuspiciousOperation,
    ValidationError,
)
from django.core.signals import got_request_exception
from django.http import Http404
from django.utils.log import log_response
from ninja import NinjaAPI
from ninja.errors import ValidationError as InputError

from waypoint.api.auth import BearerToken, CookieSession
from waypoint.api.document import declare_errors
from waypoint.kit.api import field_name


class WaypointAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        declare_errors(document)
        return document


api = WaypointAPI(
    title="Waypoint API",
    version="1",
    description="Veteran registry, vocational orientation and case management.",
    # The token first: a request that carries one is another system's, whatever cookies it has.
    auth=[BearerToken(), CookieSession()],
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(
        request,
        {
            "detail": [
                {"field": field, "message": str(message)}
                for field, messages in errors.items()
                for message in messages
            ]
        },
        status=422,
    )


@api.exception_handler(InputError)
def on_input_error(request, exc: InputError):
    """ninja's refusals in the same shape as the services' (the field named as the client
    wrote it: without ninja's name for the body parameter), with ninja's `loc` and `type`."""
    return api.create_response(
        request, {"detail": [_input_error(error) for error in exc.errors]}, status=422
    )


def _input_error(error: dict) -> dict:
    source, *place = error["loc"]
    if source == "body":
        place = place[1:]
    return {
        "field": field_name(place) or source,
        "message": error["msg"],
        "loc": [source, *place],
        "type": error["type"],
    }


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": "permission denied"}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc: Http404):
    return api.create_response(request, {"detail": "not found"}, status=404)


@api.exception_handler(Exception)
def on_unexpected_error(request, exc: Exception):
    """A bug: answered in JSON, not with ninja's re-raise into Django's HTML error page, and
    logged with its traceback where Django logs its own (django.request)."""
    if isinstance(exc, SuspiciousOperation | BadRequest):
        raise exc  # Django answers these 400 (api.errors) and logs them as security events
    got_request_exception.send(sender=None, request=request)
    response = api.create_response(request, {"detail": "internal error"}, status=500)
    log_response(
        "%s: %s",
        response.reason_phrase,
        request.path,
        response=response,
        request=request,
        exception=exc,
    )
    return response


def _mount() -> None:
    from waypoint.accounts.api import router as accounts_router
    from waypoint.analytics.api import router as analytics_router
    from waypoint.appeals.api import router as appeals_router
    from waypoint.audit.api import router as audit_router
    from waypoint.cases.api import router as cases_router
    from waypoint.cases.casefile_api import router as casefile_router
    from waypoint.employment.api import router as employment_router
    from waypoint.leadership.api import router as leadership_router
    from waypoint.orientation.api import router as orientation_router
    from waypoint.people.api import router as people_router
    from waypoint.taxonomy.api import router as taxonomy_router
    from waypoint.training.api import router as training_router
    from waypoint.wellbeing.api import router as wellbeing_router

    api.add_router("/", accounts_router)
    api.add_router("/veterans", people_router)
    api.add_router("/audit-events", audit_router)
    api.add_router("/taxonomy", taxonomy_router)
    api.add_router("/", orientation_router)
    api.add_router("/training", training_router)
    api.add_router("/leadership", leadership_router)
    api.add_router("/", employment_router)
    api.add_router("/", cases_router)
    api.add_router("/", casefile_router)
    api.add_router("/appeals", appeals_router)
    api.add_router("/wellbeing", wellbeing_router)
    api.add_router("/analytics", analytics_router)


_mount()
