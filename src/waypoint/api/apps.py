from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "waypoint.api"
    verbose_name = "API"
