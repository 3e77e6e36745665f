"""Accounts: who one is, regions and organisations (API), and the administrator's own pages
(/manage/, administrators only). {account} is `coordinator`'s account; the writes leave it as it
was (same roles, already active)."""

from tests.route_matrix import cells, each, endpoint, page

ROWS = [
    page("accounts:manage", 403, {"admin": 200}),
    page("accounts:user_list", 403, {"admin": 200}, query="q=coordinator"),
    page("accounts:user_new", 403, {"admin": 200}),
    page("accounts:user_detail", 403, {"admin": 200}, pk="{account}"),
    page(
        "accounts:user_roles",
        403,
        {"admin": 302},
        "POST",
        {"r-roles": "coordinator"},
        pk="{account}",
    ),
    page("accounts:user_active", 403, {"admin": 302}, "POST", {"active": "1"}, pk="{account}"),
    page("accounts:user_reset_second_factor", 403, {"admin": 302}, "POST", pk="{account}"),
    page("accounts:role_list", 403, {"admin": 200}),
    page("accounts:organisation_list", 403, {"admin": 200}),
    page("accounts:organisation_new", 403, {"admin": 200}),
    page("accounts:organisation_edit", 403, {"admin": 200}, pk="{organisation}"),
    endpoint("GET", "/me", 200, {}),
    endpoint("GET", "/regions", 200, {}),
    endpoint("GET", "/organisations", 200, {"veteran_user": 403}),
    endpoint(
        "GET",
        "/organisations/{organisation_id}",
        404,
        {
            **each(
                (
                    "admin",
                    "coordinator",
                    "counsellor",
                    "operator",
                    "clinician",
                    "analyst",
                    "auditor",
                ),
                200,
            ),
            "veteran_user": 403,
        },
    ),
]

test_matrix = cells(ROWS)
