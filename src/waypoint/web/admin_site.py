from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class WaypointAdminSite(admin.AdminSite):
    """Django's admin, signed into only through the site's own sign-in page.

    The admin's login form would be a second way in, around the throttle's message and the
    second factor's enrolment; it sends people to the one sign-in page instead.

    It is for rare cases: the routine work (accounts, roles, organisations, routing) has the
    product's own pages under /manage/.
    """

    site_header = _("Waypoint: service section")
    site_title = _("Waypoint")
    index_title = _("Service section: rare cases")

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Signed in but not admin staff: sending them to sign in again would loop.
            raise PermissionDenied
        return redirect_to_login(
            request.GET.get("next") or reverse("admin:index"), login_url=reverse("web:login")
        )
