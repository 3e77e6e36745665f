from django.apps import AppConfig


class KitConfig(AppConfig):
    name = "waypoint.kit"
