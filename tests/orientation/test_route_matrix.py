"""Orientation and the individual plan: those who edit the veteran."""

from tests.route_matrix import EDIT, cells, each, endpoint, page

ROWS = [
    page("orientation:veteran", 404, each(EDIT, 200), pk="{veteran}"),
    page("orientation:run", 404, each(EDIT, 302), "POST", pk="{veteran}"),
    page(
        "orientation:feedback",
        404,
        each(EDIT, 302),
        "POST",
        {"occupation": "{occupation}", "decision": "accepted"},
        pk="{veteran}",
    ),
    page("orientation:add", 404, each(EDIT, 200), query="q=driver", pk="{veteran}"),
    page("orientation:plan", 404, each(EDIT, 200), pk="{veteran}"),
    page("orientation:plan_pdf", 404, each(EDIT, 200), query="lang=ru", pk="{veteran}"),
    page("orientation:plan_save", 404, each(EDIT, 302), "POST", pk="{veteran}"),
    endpoint("GET", "/veterans/{veteran_id}/orientation", 404, each(EDIT, 200)),
    endpoint("POST", "/veterans/{veteran_id}/orientation", 404, each(EDIT, 201)),
    endpoint("GET", "/veterans/{veteran_id}/orientation/runs", 404, each(EDIT, 200)),
    endpoint("GET", "/veterans/{veteran_id}/orientation/runs/{run_id}", 404, each(EDIT, 200)),
    endpoint("GET", "/veterans/{veteran_id}/orientation/feedback", 404, each(EDIT, 200)),
    endpoint(
        "POST",
        "/veterans/{veteran_id}/orientation/feedback",
        404,
        each(EDIT, 200),
        {"occupation_id": "{occupation}", "decision": "accepted"},
    ),
    endpoint("GET", "/veterans/{veteran_id}/plans", 404, each(EDIT, 200)),
    endpoint("POST", "/veterans/{veteran_id}/plans", 404, each(EDIT, 200)),
    endpoint("GET", "/veterans/{veteran_id}/plans/{version}", 404, each(EDIT, 200), version=1),
    endpoint("GET", "/veterans/{veteran_id}/plans/{version}/pdf", 404, each(EDIT, 200), version=1),
    endpoint(
        "POST",
        "/orientation/what-if",
        403,
        each(("admin", "coordinator", "other_coordinator", "counsellor"), 200),
        {"profile": {"military_specialties": ["связист"]}},
    ),
]

test_matrix = cells(ROWS)
