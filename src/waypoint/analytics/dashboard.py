"""The one way to get analytics tables: permission, the viewer's region scope, then the
tables with small numbers suppressed. Views, exports, the API and the monthly report all
come through here."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import get_language

from waypoint.analytics import market, outcomes
from waypoint.analytics.filters import Filters, scoped
from waypoint.analytics.models import VIEW_MARKET, VIEW_OUTCOMES
from waypoint.analytics.tables import Table

PANELS = ("market", "outcomes", "cohorts")
OUTCOME_DIMENSIONS = ("region", "track", "coordinator")
TRAINING_DIMENSIONS = ("programme", "provider")


class ServerViewer:
    """The server itself (the monthly report, the worker's warm-up): every panel of every
    region, as an analyst or fund management would open them."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    effective_scope = "all"
    organisation_id = None

    def has_perm(self, permission: str) -> bool:
        return permission.startswith("analytics.")


def allowed_panels(user) -> list[str]:
    panels = []
    if user.has_perm(VIEW_MARKET):
        panels.append("market")
    if user.has_perm(VIEW_OUTCOMES):
        panels += ["outcomes", "cohorts"]
    return panels


@dataclass(frozen=True)
class Figures:
    tables: list[Table]
    computed_at: datetime


def tables(user, filters: Filters, panel: str, by: str = "region") -> list[Table]:
    return figures(user, filters, panel, by).tables


def figures(user, filters: Filters, panel: str, by: str = "region") -> Figures:
    """The panel's tables, from the shared cache when computed in the last refresh interval.
    The key holds everything the figures depend on: panel, dimension, the filters after the
    viewer's scope, and the language of the labels; never the viewer."""
    if panel not in allowed_panels(user):
        raise PermissionDenied
    f = scoped(filters, user)
    minutes = settings.WAYPOINT_ANALYTICS_REFRESH_MINUTES
    if not minutes:
        return Figures(_compute(f, panel, by), timezone.now())
    key = "analytics:" + hashlib.sha256(repr((panel, by, f, get_language())).encode()).hexdigest()
    store = caches["analytics"]
    found = store.get(key)
    if found is None:
        found = Figures(_compute(f, panel, by), timezone.now())
        store.set(key, found, timeout=minutes * 60)
    return found


def _compute(f: Filters, panel: str, by: str) -> list[Table]:
    if panel == "market":
        cells = market.demand_cells(f)
        demand = market.demand(f, cells)
        found = market.shortage(f, cells)
        built = [found["shortage"], found["moves"], demand["group"], demand["region"]]
    elif panel == "outcomes":
        people_by = by if by in OUTCOME_DIMENSIONS else "region"
        training_by = by if by in TRAINING_DIMENSIONS else "programme"
        built = [
            outcomes.placement_outcomes(f, people_by),
            outcomes.training_outcomes(f, training_by),
            outcomes.compliance(f),
        ]
    else:
        built = [outcomes.cohorts(f)]
    return [table.suppressed() for table in built]


def table(user, filters: Filters, name: str) -> Table:
    """One table by its export name, computing only the panel that holds it."""
    panel, by = _holder(name)
    for candidate in tables(user, filters, panel, by):
        if candidate.name == name:
            return candidate
    raise PermissionDenied


def _holder(name: str) -> tuple[str, str]:
    """The panel and dimension whose tables include `name` (see the builders' names)."""
    if name == "cohorts":
        return "cohorts", "region"
    for prefix in ("placement-by-", "training-by-"):
        if name.startswith(prefix):
            return "outcomes", name.removeprefix(prefix)
    if name == "deadline-compliance":
        return "outcomes", "region"
    return "market", "region"
