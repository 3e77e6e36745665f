from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "waypoint.employment"
    verbose_name = "Employment"
