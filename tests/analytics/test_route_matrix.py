"""Analytics: aggregates for the analyst (all regions), fund management (admin) and the
regional branches (coordinators, held to their region); nobody else. Everyone signed in may
ask which tables they may read."""

from tests.route_matrix import cells, each, endpoint, page

ANALYSTS = each(("admin", "coordinator", "other_coordinator", "analyst"), 200)

ROWS = [
    page("analytics:home", 403, ANALYSTS),
    page("analytics:drill", 403, ANALYSTS, query="region=77&group=8"),
    page("analytics:drill_outcomes", 403, ANALYSTS, query="key=77"),
    page("analytics:export", 403, ANALYSTS, name="shortage", fmt="csv"),
    # Everyone signed in may ask which tables they may read (nobody else gets any).
    endpoint("GET", "/analytics/tables", 200, {}),
    endpoint("GET", "/analytics/tables/{name}", 403, ANALYSTS),
]

test_matrix = cells(ROWS)
