"""The one way to get analytics tables: permission and the viewer's region scope (both from
analytics.access), then the tables with small numbers suppressed. Views, exports, the API,
the monthly report and the worker's warm-up all come through here."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import get_language

from waypoint.analytics import market, outcomes, timeliness
from waypoint.analytics.access import audience, panels_visible_to
from waypoint.analytics.filters import Filters, scoped
from waypoint.analytics.tables import Table

PANELS = ("overview", "market", "outcomes", "cohorts")
OUTCOME_DIMENSIONS = ("region", "track", "coordinator")
TRAINING_DIMENSIONS = ("programme", "provider")
# Every table by its export name, with the panel that holds it.
TABLES = {
    "key-figures": "overview",
    "trend-by-month": "overview",
    "shortage": "market",
    "promising-moves": "market",
    "demand-by-occupation-group": "market",
    "demand-by-isco-group": "market",
    "demand-by-occupation": "market",
    "demand-by-region": "market",
    "demand-by-sector": "market",
    **{f"placement-by-{by}": "outcomes" for by in OUTCOME_DIMENSIONS},
    **{f"training-by-{by}": "outcomes" for by in TRAINING_DIMENSIONS},
    "deadline-compliance": "outcomes",
    "cohorts": "cohorts",
}


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
    if panel not in panels_visible_to(user):
        raise PermissionDenied
    if panel == "overview":
        by = audience(user)  # each audience's overview answers its own first question
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
    if panel == "overview":
        cells = market.demand_cells(f)
        built = [outcomes.headline(f, cells), outcomes.trend(f)]
        # The table behind the audience's second chart: where labour is short, where
        # placement works, whose caseload moves.
        if by == "analyst":
            built.append(market.shortage(f, cells)["shortage"])
        else:
            built.append(
                outcomes.placement_outcomes(f, "region" if by == "fund" else "coordinator")
            )
    elif panel == "market":
        cells = market.demand_cells(f)
        demand = market.demand(f, cells)
        found = market.shortage(f, cells)
        built = [
            found["shortage"],
            found["moves"],
            demand["group"],
            demand["isco"],
            demand["occupation"],
            demand["region"],
            demand["sector"],
        ]
    elif panel == "outcomes":
        people_by = by if by in OUTCOME_DIMENSIONS else "region"
        training_by = by if by in TRAINING_DIMENSIONS else "programme"
        built = [
            outcomes.placement_outcomes(f, people_by),
            outcomes.training_outcomes(f, training_by),
            timeliness.compliance(f),
        ]
    else:
        built = [outcomes.cohorts(f)]
    return [table.suppressed() for table in built]


def table(user, filters: Filters, name: str) -> Table:
    """One table by its export name, computing only the panel that holds it."""
    return table_figures(user, filters, name).tables[0]


def table_figures(user, filters: Filters, name: str) -> Figures:
    """One table by its export name with the time its panel was computed; an unknown name is
    refused like a forbidden one."""
    panel = TABLES.get(name)
    if panel is None:
        raise PermissionDenied
    by = name.rpartition("-by-")[2] if panel == "outcomes" and "-by-" in name else "region"
    found = figures(user, filters, panel, by)
    return Figures([t for t in found.tables if t.name == name], found.computed_at)
