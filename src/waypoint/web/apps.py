from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class WebConfig(AppConfig):
    name = "waypoint.web"
    verbose_name = _("Web")

    def ready(self) -> None:
        from waypoint.web import checks  # noqa: F401  (registers the deployment checks)


class WaypointAdminConfig(admin_apps.AdminConfig):
    """Django's admin on Waypoint's site, which has one way to sign in (web.admin_site)."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "waypoint.web.admin_site.WaypointAdminSite"


class WaypointTasksConfig(TasksAppConfig):
    """The background tasks' table, under a name the service section shows in Russian too."""

    default = False  # named in INSTALLED_APPS in place of django_tasks_db
    verbose_name = _("Background tasks")
