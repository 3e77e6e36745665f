from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from waypoint.accounts.services import second_factor_required

SESSION_KEY = "waypoint_second_factor_ok"


class SecondFactorMiddleware:
    """Holds a signed-in person at the TOTP page until they pass it, when it applies to them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.session.get(SESSION_KEY)
            and second_factor_required(user)
            and not self._exempt(request.path)
            and not self._by_token(request)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "second factor required"}, status=403)
            return redirect("web:second_factor")
        return self.get_response(request)

    @staticmethod
    def _by_token(request: HttpRequest) -> bool:
        # The API signs such a request in by its token, never by the session beside it.
        return request.path.startswith("/api/") and request.headers.get(
            "Authorization", ""
        ).startswith("Bearer ")

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = (
            reverse("web:second_factor"),
            reverse("web:logout"),
            reverse("set_language"),
            "/" + settings.STATIC_URL.lstrip("/"),
        )
        return path.startswith(exempt)
