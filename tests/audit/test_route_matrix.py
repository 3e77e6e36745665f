"""The audit log: administrators and auditors only."""

from tests.route_matrix import cells, each, endpoint, page

ROWS = [
    page("audit:event_list", 403, each(("admin", "auditor"), 200)),
    page("audit:event_export", 403, each(("admin", "auditor"), 200)),
    endpoint("GET", "/audit-events", 403, each(("admin", "auditor"), 200)),
    endpoint("GET", "/audit-events/{event_id}", 403, each(("admin", "auditor"), 200)),
]

test_matrix = cells(ROWS)
