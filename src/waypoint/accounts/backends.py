from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from waypoint.accounts.services import client_address, login_locked


class ThrottledModelBackend(ModelBackend):
    """The password is not even tried while a name or an address is locked out.

    Here rather than in a form, so that every way of signing in (the site's page, the
    admin's, a future one) goes through the same throttle.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        name = username if username is not None else kwargs.get("username")
        if name and login_locked(name, client_address(request)):
            # authenticate() stops at PermissionDenied and counts it as one more failure.
            raise PermissionDenied("sign-in locked")
        return super().authenticate(request, username=username, password=password, **kwargs)
