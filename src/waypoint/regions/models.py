from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from waypoint.regions.data import MOSCOW, TIME_ZONES


def name_field() -> str:
    """The column of a region's name in the interface's language, for values_list and
    order_by."""
    return "name_ru" if (get_language() or "en").startswith("ru") else "name_en"


class Region(models.Model):
    """A federal subject of Russia (or "abroad"), keyed by its official two-digit code."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    federal_district = models.CharField(_("federal district"), max_length=5, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return getattr(self, name_field())

    @property
    def time_zone(self) -> str:
        return TIME_ZONES.get(self.code, MOSCOW)
