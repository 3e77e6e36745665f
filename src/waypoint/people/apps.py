from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "waypoint.people"
    verbose_name = _("People")

    def ready(self) -> None:
        from waypoint.taxonomy.signals import taxonomy_activated

        taxonomy_activated.connect(_renew_occupation_suggestions, dispatch_uid="people.coding")


def _renew_occupation_suggestions(sender, taxonomy, **kwargs) -> None:
    from waypoint.people.coding import suggest_all

    suggest_all()
