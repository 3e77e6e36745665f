"""The dashboard's filters, parsed and checked in one place, and the viewer's scope: a regional
branch sees its own region whatever the filter says."""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.analytics.access import region_held_to
from waypoint.kit.numbers import whole_number
from waypoint.regions.models import Region

GROUPS = tuple("0123456789")


@dataclass(frozen=True)
class Filters:
    region: str = ""  # region code; empty: every region in the viewer's scope
    group: str = ""  # ISCO major group digit; empty: all
    sector: str = ""  # employer sector; empty: all
    since: date | None = None
    until: date | None = None
    months: int = 3  # veterans in training who finish within this many months

    @property
    def start(self) -> date:
        return self.since or self.end - timedelta(days=365)

    @property
    def end(self) -> date:
        return self.until or timezone.localdate()

    def query(self) -> str:
        values = {
            "region": self.region,
            "group": self.group,
            "sector": self.sector,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "months": "" if self.months == 3 else str(self.months),
        }
        return urlencode({k: v for k, v in values.items() if v})


def _date(raw: str, field: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({field: [_("a date as YYYY-MM-DD")]}) from None


def parse(data) -> Filters:
    """Filters from a query string; a bad value is refused naming the field and the rule."""
    errors: dict[str, list[str]] = {}
    region = data.get("region", "").strip()
    if region and not Region.objects.filter(code=region).exists():
        errors["region"] = [_("no region with this code")]
    group = data.get("group", "").strip()
    if group and group not in GROUPS:
        errors["group"] = [_("an ISCO-08 major group: one digit 0-9")]
    sector = data.get("sector", "").strip()
    if sector and sector not in ("private", "state", "municipal"):
        errors["sector"] = [_("private, state or municipal")]
    try:
        since, until = _date(data.get("since", ""), "since"), _date(data.get("until", ""), "until")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        since = until = None
    if since and until and since > until:
        errors["until"] = [_("the period ends before it starts")]
    raw_months = data.get("months", "").strip() or "3"
    months = whole_number(raw_months) or 0
    if not 1 <= months <= 24:
        errors["months"] = [_("a whole number of months from 1 to 24")]
    if errors:
        raise ValidationError(errors)
    return Filters(region, group, sector, since, until, months)


def scoped(filters: Filters, user) -> Filters:
    """The filters as the viewer may have them: held to a region by analytics.access."""
    region = region_held_to(user)
    return filters if region is None else replace(filters, region=region)
