from django.apps import AppConfig


class LeadershipConfig(AppConfig):
    name = "waypoint.leadership"
    verbose_name = "Leadership track"
