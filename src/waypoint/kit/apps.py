from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class KitConfig(AppConfig):
    name = "waypoint.kit"

    def ready(self) -> None:
        from waypoint.kit import cache

        # After every migrate (the test database's too): a fresh machine needs no extra step.
        post_migrate.connect(
            cache.create_cache_tables,
            # kit has no models, so it gets no post_migrate of its own; contenttypes always does.
            sender=apps.get_app_config("contenttypes"),
            dispatch_uid="waypoint-cache-tables",
        )
