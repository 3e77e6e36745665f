"""The site's own pages: home, signing in and out, the second factor, the health check."""

from tests.route_matrix import cells, page

ROWS = [
    page("web:home", 200, {}),
    page("web:login", 302, {}, anonymous=200),
    page("web:logout", 302, {}, "POST"),
    page("web:second_factor", 200, {}),
    page("web:healthz", 200, {}, anonymous=200),
]

test_matrix = cells(ROWS)
