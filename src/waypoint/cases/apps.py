from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "waypoint.cases"
    verbose_name = "Cases"
