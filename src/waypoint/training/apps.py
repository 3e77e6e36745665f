from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "waypoint.training"
    verbose_name = "Training"
