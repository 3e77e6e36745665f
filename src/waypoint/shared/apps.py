from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharedConfig(AppConfig):
    """What every domain app shares and none owns: notifications to people, the background
    worker and the schedule of its periodic jobs. (Not named `platform`: run from inside
    src/waypoint, as the translation commands are, a `platform` package would hide the
    standard library's.)"""

    name = "waypoint.shared"
    verbose_name = _("Notifications")
