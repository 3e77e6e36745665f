"""Notifications: everyone signed in reads and marks read their own, and only those."""

from tests.route_matrix import cells, page

ROWS = [
    page("shared:notifications", 200, {}),
    page("shared:notification_read", 302, {}, "POST"),
]

test_matrix = cells(ROWS)
