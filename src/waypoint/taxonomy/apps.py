from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_starter_taxonomy(sender, **kwargs) -> None:
    """Keep the bundled taxonomy in step with the installed package after every migrate (a
    deployment step, unaudited like the migrations)."""
    from waypoint.taxonomy.services import load_starter

    load_starter(audited=False)


class TaxonomyConfig(AppConfig):
    name = "waypoint.taxonomy"
    verbose_name = _("Taxonomy")

    def ready(self) -> None:
        post_migrate.connect(
            load_starter_taxonomy, sender=self, dispatch_uid="waypoint-load-starter"
        )
