from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "waypoint.web"
    verbose_name = "Web"
