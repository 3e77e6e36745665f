from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "waypoint.taxonomy"
    verbose_name = "Taxonomy"
