"""The one way to get analytics tables: permission, the viewer's region scope, then the
tables with small numbers suppressed. Views, exports, the API and the monthly report all
come through here."""

from django.core.exceptions import PermissionDenied

from waypoint.analytics import market, outcomes
from waypoint.analytics.filters import Filters, scoped
from waypoint.analytics.models import VIEW_MARKET, VIEW_OUTCOMES
from waypoint.analytics.tables import Table

PANELS = ("market", "outcomes", "cohorts")
OUTCOME_DIMENSIONS = ("region", "track", "coordinator")
TRAINING_DIMENSIONS = ("programme", "provider")


def allowed_panels(user) -> list[str]:
    panels = []
    if user.has_perm(VIEW_MARKET):
        panels.append("market")
    if user.has_perm(VIEW_OUTCOMES):
        panels += ["outcomes", "cohorts"]
    return panels


def tables(user, filters: Filters, panel: str, by: str = "region") -> list[Table]:
    if panel not in allowed_panels(user):
        raise PermissionDenied
    f = scoped(filters, user)
    if panel == "market":
        demand = market.demand(f)
        found = market.shortage(f)
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
    """One table by its export name, from whichever panel holds it."""
    for panel in allowed_panels(user):
        for by in (*OUTCOME_DIMENSIONS, *TRAINING_DIMENSIONS) if panel == "outcomes" else ("",):
            for candidate in tables(user, filters, panel, by):
                if candidate.name == name:
                    return candidate
    raise PermissionDenied
