"""Analytics keeps no data of its own: every figure is an SQL aggregate over the other apps'
tables. This unmanaged model only carries the permissions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

VIEW_MARKET = "analytics.view_labour_market"
VIEW_OUTCOMES = "analytics.view_outcomes"


class Indicator(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_labour_market", _("Labour market: demand, supply and shortages")),
            ("view_outcomes", _("Programme outcomes (own region unless the scope is all)")),
        ]
