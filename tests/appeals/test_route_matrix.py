"""Hotline appeals. {appeal} is about the Moscow veteran, waiting in `coordinator`'s branch's
queue; its staff take and answer it, coordinators and administrators in scope see it, and the
operator who logged it does not. {appeal_psych} (psychological help) is the clinic's alone: not
even the administrator reaches it. The status check is public."""

from tests.route_matrix import ANONYMOUS, cells, each, endpoint, page

APPEAL_SEE = ("admin", "coordinator", "counsellor")
APPEAL_QUEUE = ("coordinator", "counsellor")
APPEAL_LISTS = ("admin", "coordinator", "other_coordinator", "counsellor", "clinician")
APPEAL_WORK_ROW = {"admin": 403, "other_coordinator": 404, "clinician": 404}
APPEAL_CLOSE_ROW = {"admin": 302, "coordinator": 302, "other_coordinator": 404, "clinician": 404}
APPEAL_ANSWER = {"outcome_kind": "explained", "outcome": "Разъяснён порядок постановки на учёт."}
APPEAL_BODY = {
    "caller_kind": "veteran",
    "veteran_id": "{veteran}",
    "topic": "employment",
    "description": "Ищет работу водителем.",
    "contact_channel": "phone",
}
NO_SUCH_APPEAL = {"reference": "A-2000-000001", "phone": "+79160000000"}
WORLD_EXTRAS = ("appeals",)

ROWS = [
    page("appeals:list", 403, each(APPEAL_LISTS, 200), query="shown=all"),
    page("appeals:log", 403, each(("admin", "operator"), 200)),
    page("appeals:veteran_search", 403, each(("admin", "operator"), 200), query="q=Иванов"),
    page(
        "appeals:status",
        200,
        {},
        anonymous=200,
        query="reference={appeal_reference}&phone={appeal_phone}",
    ),
    page("appeals:status", 200, {}, "POST", NO_SUCH_APPEAL, anonymous=200),
    page("appeals:reports", 403, each(("admin", "analyst"), 200)),
    page("appeals:report_csv", 403, each(("admin", "analyst"), 200)),
    page("appeals:routing", 403, {"admin": 200}),
    page("appeals:rule_delete", 403, {"admin": 302}, "POST", pk="{appeal_rule}"),
    page("appeals:detail", 404, each(APPEAL_SEE, 200), pk="{appeal}"),
    page("appeals:detail", 404, {"clinician": 200}, pk="{appeal_psych}"),
    page(
        "appeals:take", 403, {**each(APPEAL_QUEUE, 302), **APPEAL_WORK_ROW}, "POST", pk="{appeal}"
    ),
    page(
        "appeals:answer",
        403,
        {**each(APPEAL_QUEUE, 302), **APPEAL_WORK_ROW},
        "POST",
        APPEAL_ANSWER,
        pk="{appeal}",
    ),
    page("appeals:close", 403, APPEAL_CLOSE_ROW, "POST", pk="{appeal_answered}"),
    endpoint("POST", "/appeals", 403, each(("admin", "operator"), 201), APPEAL_BODY),
    endpoint("GET", "/appeals", 403, each(APPEAL_LISTS, 200)),
    endpoint(
        "GET",
        "/appeals/status",
        200,
        {ANONYMOUS: 200},
        query="reference={appeal_reference}&phone={appeal_phone}",
    ),
    endpoint("POST", "/appeals/status", 200, {ANONYMOUS: 200}, NO_SUCH_APPEAL),
    endpoint("GET", "/appeals/{appeal_id}", 404, each(APPEAL_SEE, 200)),
    endpoint("GET", "/appeals/{appeal_id}", 404, {"clinician": 200}, appeal_id="{appeal_psych}"),
    endpoint(
        "POST", "/appeals/{appeal_id}/take", 403, {**each(APPEAL_QUEUE, 200), **APPEAL_WORK_ROW}
    ),
    endpoint(
        "POST",
        "/appeals/{appeal_id}/answer",
        403,
        {**each(APPEAL_QUEUE, 200), **APPEAL_WORK_ROW},
        APPEAL_ANSWER,
    ),
    endpoint(
        "POST",
        "/appeals/{appeal_id}/close",
        403,
        {key: 200 if value == 302 else value for key, value in APPEAL_CLOSE_ROW.items()},
        appeal_id="{appeal_answered}",
    ),
]

test_matrix = cells(ROWS)
