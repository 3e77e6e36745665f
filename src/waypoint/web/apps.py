from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class WebConfig(AppConfig):
    name = "waypoint.web"
    verbose_name = "Web"

    def ready(self) -> None:
        from waypoint.web import checks  # noqa: F401  (registers the deployment checks)


class WaypointAdminConfig(admin_apps.AdminConfig):
    """Django's admin on Waypoint's site, which has one way to sign in (web.admin_site)."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "waypoint.web.admin_site.WaypointAdminSite"
