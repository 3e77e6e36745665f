from django.apps import AppConfig


class OrientationConfig(AppConfig):
    name = "waypoint.orientation"
    verbose_name = "Vocational orientation"
