"""Every page and every API operation has its rows in some app's matrix, and every row names a
route that exists (tests/route_matrix.py; the rows live in tests/<app>/test_route_matrix.py)."""

from tests.route_matrix import all_rows, api_routes, matrix_modules, page_routes


def test_every_route_has_rows_and_every_row_a_route():
    named = {row.route for row in all_rows()}
    pages, operations = page_routes(), set(api_routes())
    assert sorted(pages - named) == [], "pages no app's matrix names"
    assert sorted(operations - named) == [], "API operations no app's matrix names"
    assert sorted(named - pages - operations) == [], "rows naming no route"


def test_rows_live_with_their_app():
    """A page's rows in its namespace's app, an operation's with the app whose router serves
    it."""
    operations = api_routes()
    misplaced = [
        f"{row.label} in tests/{app}"
        for module in matrix_modules()
        for app in [module.__name__.split(".")[1]]
        for row in module.ROWS
        if app != (operations[row.route].split(".")[1] if row.is_api else row.route.split(":")[0])
    ]
    assert misplaced == []
