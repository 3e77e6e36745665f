"""Every view and API operation declares who may call it; a test fails any that does not.

`public` — anyone, signed in or not. `signed_in` — anyone signed in; the view narrows by
object (a veteran sees only their own record). `requires(p, ...)` — signed in and holding
every named permission, else 403.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse

PUBLIC = "public"
SIGNED_IN = "signed_in"


def public(view: Callable) -> Callable:
    view.access = PUBLIC  # type: ignore[attr-defined]
    return view


def signed_in(view: Callable) -> Callable:
    return requires()(view)


def requires(*permissions: str) -> Callable[[Callable], Callable]:
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "not signed in"}, status=401)
                return redirect_to_login(request.get_full_path())
            if not all(user.has_perm(permission) for permission in permissions):
                raise PermissionDenied(", ".join(permissions))
            return view(request, *args, **kwargs)

        guarded.access = permissions or SIGNED_IN  # type: ignore[attr-defined]
        return guarded

    return decorate
