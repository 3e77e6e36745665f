"""Background work: compute the landing panels for the all-regions audiences ahead of them,
so the first visitor after each refresh interval does not wait (enqueued by `waypoint
worker`)."""

from django.tasks import task

from waypoint.analytics import dashboard
from waypoint.analytics.filters import Filters


@task(backend="database")
def warm_dashboards() -> dict:
    warmed = 0
    for panel in dashboard.PANELS:
        dashboard.figures(dashboard.ServerViewer(), Filters(), panel)
        warmed += 1
    return {"panels": warmed}
