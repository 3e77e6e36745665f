from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "waypoint.regions"
    verbose_name = "Regions"
