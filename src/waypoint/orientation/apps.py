from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrientationConfig(AppConfig):
    name = "waypoint.orientation"
    verbose_name = _("Vocational orientation")

    def ready(self) -> None:
        from waypoint.orientation import tasks
        from waypoint.people.signals import veterans_imported
        from waypoint.taxonomy.signals import taxonomy_activated

        veterans_imported.connect(tasks.after_veterans_imported, dispatch_uid="orientation.import")
        taxonomy_activated.connect(
            tasks.after_taxonomy_activated, dispatch_uid="orientation.taxonomy"
        )
