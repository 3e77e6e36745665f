"""Django's error views, answered in JSON under /api/ and as Django's pages everywhere else.

The API's own operations answer their errors through the handlers in api/urls.py; these views
cover what happens before an operation is found or outside one: an unknown path, a CSRF
failure in Django's middleware, an error in a middleware.
"""

from django.http import JsonResponse
from django.views import csrf, defaults

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request, exception):
    if is_api(request):
        return JsonResponse({"detail": "bad request"}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        return JsonResponse({"detail": "permission denied"}, status=403)
    return defaults.permission_denied(request, exception)


def not_found(request, exception):
    if is_api(request):
        return JsonResponse({"detail": "not found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return JsonResponse({"detail": "internal error"}, status=500)
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    if is_api(request):
        return JsonResponse({"detail": "CSRF check failed"}, status=403)
    return csrf.csrf_failure(request, reason)


class JsonMethodNotAllowed:
    """ninja answers a method an API path does not take with an HTML 405; the API's is JSON,
    with the Allow header kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or not is_api(request):
            return response
        answer = JsonResponse({"detail": "method not allowed"}, status=405)
        if response.has_header("Allow"):
            answer["Allow"] = response["Allow"]
        return answer
