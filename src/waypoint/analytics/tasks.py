"""Background work: compute the landing panels for the all-regions audiences ahead of them,
so the first visitor after each refresh interval does not wait (enqueued by `waypoint
worker`)."""

from django.tasks import task

from waypoint.analytics import dashboard
from waypoint.analytics.filters import Filters


class _Everyone:
    """Sees every panel of every region: what an analyst or fund management would open."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    effective_scope = "all"
    organisation_id = None

    def has_perm(self, permission: str) -> bool:
        return permission.startswith("analytics.")


@task(backend="database")
def warm_dashboards() -> dict:
    warmed = 0
    for panel in dashboard.PANELS:
        dashboard.figures(_Everyone(), Filters(), panel)
        warmed += 1
    return {"panels": warmed}
