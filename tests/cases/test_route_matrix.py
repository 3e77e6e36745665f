"""Cases: staff who work cases see those in their scope; the case's team changes them.

A case's records, referrals and transfers. {rec_note} and {rec_document} are `coordinator`'s,
for everyone with access to the case: only the author corrects the note. {rec_referral} is
addressed to the `employer` persona's company: its staff answer it, the case team sees it from
the case, and every other organisation gets 404 — even those that answer referrals."""

from tests.route_matrix import cells, each, endpoint, page

CASE_STAFF = ("admin", "coordinator", "other_coordinator", "counsellor")
CASE_TEAM = ("admin", "coordinator", "counsellor")
RECORDS_OTHER = {"other_coordinator": 404}
ANSWERERS = (*CASE_STAFF, "provider", "employer", "clinician")
REFERRAL_SEE = (*CASE_TEAM, "employer")
REFERRAL_ANSWER = {
    **each(CASE_TEAM, 403),
    **each(("other_coordinator", "provider", "clinician"), 404),
}
NOTE_BODY = {"text": "Звонок", "visibility": "case"}
WORLD_EXTRAS = ("records",)

ROWS = [
    page("cases:caseload", 403, each(CASE_STAFF, 200)),
    page("cases:supervision", 403, {"admin": 200}),
    page(
        "cases:case_open",
        403,
        {**each(CASE_TEAM, 302), "other_coordinator": 404},
        "POST",
        veteran="{veteran}",
    ),
    page("cases:case", 403, {**each(CASE_TEAM, 200), "other_coordinator": 404}, pk="{case}"),
    page(
        "cases:case_move",
        403,
        {**each(CASE_TEAM, 302), "other_coordinator": 404},
        "POST",
        {"track": "{track}"},
        pk="{case}",
    ),
    page(
        "cases:task_new",
        403,
        {**each(CASE_TEAM, 302), "other_coordinator": 404},
        "POST",
        {"type": "{task_type}", "title": "План", "queue": "{organisation}"},
        pk="{case}",
    ),
    page("cases:task_status", 404, each(CASE_TEAM, 302), "POST", pk="{task}", status="in_progress"),
    page("cases:notes", 403, {**each(CASE_TEAM, 200), **RECORDS_OTHER}, pk="{case}"),
    page(
        "cases:notes",
        403,
        {**each(CASE_TEAM, 302), **RECORDS_OTHER},
        "POST",
        NOTE_BODY,
        pk="{case}",
    ),
    page(
        "cases:note_edit",
        403,
        {"coordinator": 200, **RECORDS_OTHER},
        pk="{case}",
        note="{rec_note}",
    ),
    page("cases:documents", 403, {**each(CASE_TEAM, 200), **RECORDS_OTHER}, pk="{case}"),
    # Without a file the upload is refused (with a message) after the permission checks.
    page(
        "cases:documents",
        403,
        {**each(CASE_TEAM, 302), **RECORDS_OTHER},
        "POST",
        {"visibility": "case"},
        pk="{case}",
    ),
    page(
        "cases:document_download",
        403,
        {**each(CASE_TEAM, 200), **RECORDS_OTHER},
        pk="{case}",
        document="{rec_document}",
    ),
    page("cases:timeline", 403, {**each(CASE_TEAM, 200), **RECORDS_OTHER}, pk="{case}"),
    page("cases:case_referrals", 403, {**each(CASE_TEAM, 200), **RECORDS_OTHER}, pk="{case}"),
    page(
        "cases:referral_new",
        403,
        {**each(CASE_TEAM, 302), **RECORDS_OTHER},
        "POST",
        {"receiver": "{rec_receiver}", "purpose": "Постановка на учёт"},
        pk="{case}",
    ),
    page("cases:transfer", 403, {**each(CASE_TEAM, 200), **RECORDS_OTHER}, pk="{case}"),
    page(
        "cases:transfer",
        403,
        {**each(CASE_TEAM, 302), **RECORDS_OTHER},
        "POST",
        {"coordinator": "{rec_coordinator}"},
        pk="{case}",
    ),
    page("cases:reassign", 403, {"admin": 200}),
    page(
        "cases:reassign",
        403,
        {"admin": 302},
        "POST",
        {"source": "{rec_leaving}", "target": "{rec_coordinator}"},
    ),
    page("cases:referrals", 403, each(ANSWERERS, 200)),
    page("cases:referral", 404, each(REFERRAL_SEE, 200), pk="{rec_referral}"),
    page(
        "cases:referral_accept",
        403,
        {**REFERRAL_ANSWER, "employer": 302},
        "POST",
        pk="{rec_referral}",
    ),
    page(
        "cases:referral_decline",
        403,
        {**REFERRAL_ANSWER, "employer": 302},
        "POST",
        {"reason": "Нет мест"},
        pk="{rec_referral}",
    ),
    endpoint("GET", "/cases", 403, each(CASE_STAFF, 200)),
    endpoint(
        "POST",
        "/cases",
        403,
        each(("admin", "coordinator", "counsellor", "other_coordinator"), 422),
        {"veteran_id": "{veteran}"},
    ),
    endpoint("GET", "/cases/{case_id}", 403, {**each(CASE_TEAM, 200), "other_coordinator": 404}),
    endpoint(
        "POST",
        "/cases/{case_id}/move",
        403,
        {**each(CASE_TEAM, 200), "other_coordinator": 404},
        {"track": "self_employment"},
    ),
    endpoint(
        "GET", "/cases/{case_id}/tasks", 403, {**each(CASE_TEAM, 200), "other_coordinator": 404}
    ),
    endpoint(
        "POST",
        "/cases/{case_id}/tasks",
        403,
        {**each(CASE_TEAM, 201), "other_coordinator": 404},
        {"type": "plan", "title": "План", "queue_id": "{organisation}"},
    ),
    endpoint("GET", "/tasks", 200, {}),
    endpoint(
        "POST", "/tasks/{task_id}/status", 404, each(CASE_TEAM, 200), {"status": "in_progress"}
    ),
    endpoint("GET", "/cases/{case_id}/notes", 403, {**each(CASE_TEAM, 200), **RECORDS_OTHER}),
    endpoint(
        "POST", "/cases/{case_id}/notes", 403, {**each(CASE_TEAM, 201), **RECORDS_OTHER}, NOTE_BODY
    ),
    endpoint(
        "PATCH",
        "/cases/{case_id}/notes/{note_id}",
        403,
        {"coordinator": 200, **RECORDS_OTHER},
        {"text": "Звонок, исправлено"},
        note_id="{rec_note}",
    ),
    endpoint("GET", "/cases/{case_id}/documents", 403, {**each(CASE_TEAM, 200), **RECORDS_OTHER}),
    # A JSON body carries no file: 422 (file) once the permission checks have passed.
    endpoint("POST", "/cases/{case_id}/documents", 403, {**each(CASE_TEAM, 422), **RECORDS_OTHER}),
    endpoint(
        "GET",
        "/cases/{case_id}/documents/{document_id}",
        403,
        {**each(CASE_TEAM, 200), **RECORDS_OTHER},
        document_id="{rec_document}",
    ),
    endpoint("GET", "/cases/{case_id}/timeline", 403, {**each(CASE_TEAM, 200), **RECORDS_OTHER}),
    endpoint("GET", "/cases/{case_id}/referrals", 403, {**each(CASE_TEAM, 200), **RECORDS_OTHER}),
    endpoint(
        "POST",
        "/cases/{case_id}/referrals",
        403,
        {**each(CASE_TEAM, 201), **RECORDS_OTHER},
        {"receiver_id": "{rec_receiver}", "purpose": "Постановка на учёт"},
    ),
    endpoint("GET", "/referrals", 403, each(ANSWERERS, 200)),
    endpoint(
        "GET",
        "/referrals/{referral_id}",
        404,
        each(REFERRAL_SEE, 200),
        referral_id="{rec_referral}",
    ),
    endpoint(
        "POST",
        "/referrals/{referral_id}/accept",
        403,
        {**REFERRAL_ANSWER, "employer": 200},
        referral_id="{rec_referral}",
    ),
    endpoint(
        "POST",
        "/referrals/{referral_id}/decline",
        403,
        {**REFERRAL_ANSWER, "employer": 200},
        {"reason": "Нет мест"},
        referral_id="{rec_referral}",
    ),
    endpoint(
        "POST",
        "/cases/{case_id}/transfer",
        403,
        {**each(CASE_TEAM, 200), **RECORDS_OTHER},
        {"coordinator_id": "{rec_coordinator}"},
    ),
]

test_matrix = cells(ROWS)
