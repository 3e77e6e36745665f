from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WellbeingConfig(AppConfig):
    name = "waypoint.wellbeing"
    verbose_name = _("Psychological well-being")

    def ready(self) -> None:
        from waypoint.people.signals import consent_withdrawn
        from waypoint.wellbeing.defaults import seed_risk_rules
        from waypoint.wellbeing.services import cancel_open_screenings

        post_migrate.connect(seed_risk_rules, sender=self, dispatch_uid="waypoint-risk-rules")
        consent_withdrawn.connect(
            cancel_open_screenings, dispatch_uid="waypoint-wellbeing-consent-withdrawn"
        )
