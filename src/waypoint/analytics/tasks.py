"""Background work (enqueued by `waypoint worker` every refresh interval): rebuild the
rollups, then compute each audience's landing panels ahead of them, in every interface
language, so that the first visitor after a refresh does not wait: the all-regions panels
for analysts and fund management, and each fund branch's own region."""

from django.conf import settings
from django.tasks import task
from django.utils import translation

from waypoint.accounts.models import Organisation
from waypoint.analytics import dashboard, rollups
from waypoint.analytics.access import ServerViewer
from waypoint.analytics.filters import Filters
from waypoint.shared import schedule

# What a branch opens: its overview, then the tabs.
BRANCH_PANELS = ("overview", "outcomes", "market", "cohorts")


@schedule.every(minutes=lambda: settings.WAYPOINT_ANALYTICS_REFRESH_MINUTES)
@task(backend="database")
def warm_dashboards() -> dict:
    rollups.refresh_supply()
    analyst, fund, branch = (ServerViewer(kind) for kind in ("analyst", "fund", "branch"))
    regions = (
        Organisation.objects.filter(kind=Organisation.Kind.FUND_BRANCH)
        .values_list("region_id", flat=True)
        .distinct()
        .order_by("region_id")
    )
    wanted = [(analyst, Filters(), panel) for panel in dashboard.PANELS]
    wanted.append((fund, Filters(), "overview"))
    wanted += [
        (branch if panel == "overview" else analyst, Filters(region=region), panel)
        for region in regions
        for panel in BRANCH_PANELS
    ]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for viewer, filters, panel in wanted:
                dashboard.figures(viewer, filters, panel)
    return {"panels": len(wanted) * len(settings.LANGUAGES)}
