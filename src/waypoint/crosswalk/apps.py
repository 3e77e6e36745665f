from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_bundled_catalogue(sender, **kwargs) -> None:
    """Keep the bundled specialties in step with the installed package after every migrate
    (entries an administrator changed or added are left alone)."""
    from waypoint.crosswalk.catalogue import load_bundled

    load_bundled()


class CrosswalkConfig(AppConfig):
    name = "waypoint.crosswalk"
    verbose_name = _("Military specialty crosswalk")

    def ready(self) -> None:
        post_migrate.connect(
            load_bundled_catalogue, sender=self, dispatch_uid="waypoint-load-crosswalk"
        )
