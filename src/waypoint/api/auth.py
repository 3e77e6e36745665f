from django.conf import settings
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from waypoint.accounts.services import user_for_token


class BearerToken(HttpBearer):
    """`Authorization: Bearer wp_...` for other agencies' systems (`waypoint create-api-token`)."""

    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class CookieSession(APIKeyCookie):
    """The browser's signed-in session, with Django's CSRF check.

    ninja's own SessionAuth checks CSRF before it looks for a session and fails the request
    there, so a bearer token after it was never tried. Here the check applies only to a
    request that a session signs in: that is the request a forged form could ride on; one
    without a session has nothing to forge and falls through to the next method.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        if not request.user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request):
            raise HttpError(403, "CSRF check failed")
        return request.user
