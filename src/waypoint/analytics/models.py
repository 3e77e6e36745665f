"""Analytics keeps no records of its own: every figure is an SQL aggregate over the other
apps' tables. The unmanaged Indicator carries the permissions; the rollups are derived tables
rebuilt as a whole from those aggregates (analytics.rollups), never edited."""

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


class Rollup(models.Model):
    """When a rollup was last rebuilt; its row is also the lock that keeps two rebuilds of
    the same rollup from running at once."""

    name = models.CharField(max_length=40, primary_key=True)
    refreshed_at = models.DateTimeField(null=True)

    class Meta:
        default_permissions = ()


class PreferredGroup(models.Model):
    """A seeking veteran's stated desired occupation, resolved to its ISCO-08 major group by
    the orientation's normaliser (rebuilt with the supply cells)."""

    veteran = models.ForeignKey("people.Veteran", on_delete=models.CASCADE, related_name="+")
    major = models.CharField(max_length=1)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["veteran", "major"], name="preferred_group_once"),
        ]


class SupplyCell(models.Model):
    """Veterans seeking work per region × ISCO-08 major group among the three best
    recommendations of their latest orientation or their stated desired occupations: the
    supply side of the shortage index."""

    region = models.CharField(max_length=3)
    major = models.CharField(max_length=1, blank=True)  # empty: occupation not coded
    recommended = models.PositiveIntegerField()
    relocating = models.PositiveIntegerField()  # of them, willing to move to another region
    near = models.PositiveIntegerField()  # of them, one short training away

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["region", "major"], name="supply_cell_once"),
        ]
