from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from waypoint.api.urls import api

urlpatterns = [
    path("", include("waypoint.web.urls")),
    # Before people: its "veterans/<pk>/<kind>/add/" would take "orientation/add/".
    path("", include("waypoint.orientation.urls")),
    path("", include("waypoint.people.urls")),
    path("", include("waypoint.audit.urls")),
    path("", include("waypoint.taxonomy.urls")),
    path("", include("waypoint.training.urls")),
    path("", include("waypoint.employment.urls")),
    path("", include("waypoint.leadership.urls")),
    path("", include("waypoint.cases.urls")),
    path("", include("waypoint.shared.urls")),
    path("", include("waypoint.appeals.urls")),
    path("", include("waypoint.wellbeing.urls")),
    path("", include("waypoint.analytics.urls")),
    path("", include("waypoint.accounts.urls")),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

# JSON under /api/, Django's pages everywhere else.
handler400 = "waypoint.api.errors.bad_request"
handler403 = "waypoint.api.errors.permission_denied"
handler404 = "waypoint.api.errors.not_found"
handler500 = "waypoint.api.errors.server_error"
