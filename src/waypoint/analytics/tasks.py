"""Background work (enqueued by `waypoint worker` every refresh interval): rebuild the
rollups, then compute each audience's landing panels ahead of them, in every interface
language, so that the first visitor after a refresh does not wait: the all-regions panels
for analysts and fund management, and each fund branch's own region."""

from django.conf import settings
from django.tasks import task
from django.utils import translation

from waypoint.accounts.models import Organisation
from waypoint.analytics import dashboard, rollups
from waypoint.analytics.filters import Filters

# What a branch opens: its overview (whose chart reads outcomes by coordinator), then tabs.
BRANCH_PANELS = (
    ("overview", "region"),
    ("outcomes", "coordinator"),
    ("outcomes", "region"),
    ("market", "region"),
    ("cohorts", "region"),
)


@task(backend="database")
def warm_dashboards() -> dict:
    rollups.refresh_supply()
    viewer = dashboard.ServerViewer()
    branches = (
        Organisation.objects.filter(kind=Organisation.Kind.FUND_BRANCH)
        .values_list("region_id", flat=True)
        .distinct()
        .order_by("region_id")
    )
    wanted = [(Filters(), panel, "region") for panel in dashboard.PANELS]
    wanted += [(Filters(region=region), *shown) for region in branches for shown in BRANCH_PANELS]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for filters, panel, by in wanted:
                dashboard.figures(viewer, filters, panel, by)
    return {"panels": len(wanted) * len(settings.LANGUAGES)}
