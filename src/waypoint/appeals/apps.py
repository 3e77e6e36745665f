from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "waypoint.appeals"
    verbose_name = "Hotline appeals"
