from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_regions(sender, **kwargs) -> None:
    """Reference data, upserted after every migrate (and after a test flush empties it)."""
    if sender.name != "waypoint.regions":
        return
    from waypoint.regions.data import REGIONS
    from waypoint.regions.models import Region

    existing = set(Region.objects.values_list("code", flat=True))
    Region.objects.bulk_create(
        [
            Region(code=code, name_ru=ru, name_en=en, federal_district=district)
            for code, ru, en, district in REGIONS
            if code not in existing
        ]
    )


class RegionsConfig(AppConfig):
    name = "waypoint.regions"
    verbose_name = _("Regions")

    def ready(self) -> None:
        post_migrate.connect(load_regions, sender=self, dispatch_uid="waypoint-load-regions")
