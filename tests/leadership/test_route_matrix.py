"""The leadership track. Tracks are open to those who may see them; a candidacy only to the
candidate (`veteran_user` owns {lead_own}) and to selection staff in scope, where others get
404. The tracks are Moscow's: `other_coordinator`, a selection officer in Sverdlovsk, does not
run them."""

from tests.route_matrix import cells, each, endpoint, page

LEAD_VIEW = ("admin", "coordinator", "other_coordinator", "counsellor", "veteran_user")
SELECTION_STAFF = ("admin", "coordinator", "other_coordinator")
LEAD_RUN = ("admin", "coordinator")
LEAD_OWN = (*LEAD_RUN, "veteran_user")
LEAD_OFFICER_ROW = {**each(LEAD_RUN, 302), "other_coordinator": 404}
LEAD_TRACK_BODY = {
    "title": "Резерв управленческих кадров",
    "region": "77",
    "cohort_size": 2,
    "applications_open": "2026-01-01",
    "applications_close": "2030-12-31",
}
LEAD_OFFICER_API = {**each(LEAD_RUN, 200), "other_coordinator": 404}
WORLD_EXTRAS = ("leadership",)

ROWS = [
    page("leadership:tracks", 403, each(LEAD_VIEW, 200)),
    # The administrator holds every people permission, self-service included.
    page("leadership:mine", 403, each(("admin", "veteran_user"), 200)),
    page("leadership:track_new", 403, each(SELECTION_STAFF, 200)),
    page("leadership:track", 403, each(LEAD_VIEW, 200), pk="{lead_track}"),
    page("leadership:track_edit", 403, each(LEAD_RUN, 200), pk="{lead_track}"),
    page(
        "leadership:track_status",
        403,
        each(LEAD_RUN, 302),
        "POST",
        pk="{lead_track}",
        status="selection",
    ),
    page(
        "leadership:apply",
        403,
        each(("admin", "veteran_user"), 302),
        "POST",
        {"has_disqualifying_record": "no"},
        pk="{lead_track}",
    ),
    page(
        "leadership:nominate",
        403,
        each(SELECTION_STAFF, 302),
        "POST",
        {"veteran": "{veteran}", "has_disqualifying_record": "no"},
        pk="{lead_track}",
    ),
    page("leadership:shortlist", 403, each(LEAD_RUN, 200), pk="{lead_selection}"),
    page("leadership:shortlist_publish", 403, each(LEAD_RUN, 302), "POST", pk="{lead_publish}"),
    page("leadership:cohort", 403, each(LEAD_RUN, 302), "POST", pk="{lead_selection}"),
    page("leadership:meeting_new", 403, each(LEAD_RUN, 200), pk="{lead_track}"),
    page("leadership:candidacy", 404, each(LEAD_OWN, 200), pk="{lead_own}"),
    page(
        "leadership:eligibility",
        403,
        LEAD_OFFICER_ROW,
        "POST",
        {"decision": "eligible"},
        pk="{lead_applied}",
    ),
    page("leadership:recheck", 403, LEAD_OFFICER_ROW, "POST", pk="{lead_applied}"),
    page("leadership:scores", 403, LEAD_OFFICER_ROW, "POST", pk="{lead_own}"),
    page(
        "leadership:tests", 403, LEAD_OFFICER_ROW, "POST", {"decision": "passed"}, pk="{lead_own}"
    ),
    page(
        "leadership:interview",
        403,
        LEAD_OFFICER_ROW,
        "POST",
        {"score": 7, "held_on": "2025-06-01", "panel": "Орлова"},
        pk="{lead_tested}",
    ),
    page(
        "leadership:place",
        403,
        LEAD_OFFICER_ROW,
        "POST",
        {"employer": "{lead_employer}", "post_title": "советник", "start_date": "2030-01-10"},
        pk="{lead_cohort}",
    ),
    page("leadership:withdraw", 404, each(LEAD_OWN, 302), "POST", pk="{lead_own}"),
    page("leadership:meeting", 404, each(LEAD_RUN, 200), pk="{lead_meeting}"),
    page(
        "leadership:minutes",
        404,
        each(LEAD_RUN, 302),
        "POST",
        {"minutes": "Протокол № 1"},
        pk="{lead_meeting}",
    ),
    page(
        "leadership:vote",
        404,
        each(LEAD_RUN, 302),
        "POST",
        {"candidacy": "{lead_interviewed}", "member": "{lead_member}", "vote": "for"},
        pk="{lead_meeting}",
    ),
    page(
        "leadership:decide",
        404,
        each(LEAD_RUN, 302),
        "POST",
        pk="{lead_meeting}",
        candidacy="{lead_interviewed}",
    ),
    page("leadership:meeting_close", 404, each(LEAD_RUN, 302), "POST", pk="{lead_meeting}"),
    endpoint("GET", "/leadership/tracks", 403, each(LEAD_VIEW, 200)),
    endpoint(
        "GET", "/leadership/tracks/{track_id}", 403, each(LEAD_VIEW, 200), track_id="{lead_track}"
    ),
    endpoint(
        "POST",
        "/leadership/tracks",
        403,
        {**each(LEAD_RUN, 201), "other_coordinator": 422},
        LEAD_TRACK_BODY,
    ),
    endpoint(
        "PUT",
        "/leadership/tracks/{track_id}",
        403,
        each(LEAD_RUN, 200),
        LEAD_TRACK_BODY,
        track_id="{lead_track}",
    ),
    endpoint(
        "POST",
        "/leadership/tracks/{track_id}/status",
        403,
        each(LEAD_RUN, 200),
        {"status": "selection"},
        track_id="{lead_track}",
    ),
    endpoint(
        "POST",
        "/leadership/tracks/{track_id}/candidacies",
        422,
        {**each(LEAD_RUN, 201), **each(("counsellor", "operator", "clinician"), 403)},
        {"veteran_id": "{veteran}", "has_disqualifying_record": False},
        track_id="{lead_track}",
    ),
    endpoint("GET", "/leadership/candidacies", 200, {}),
    endpoint(
        "GET",
        "/leadership/candidacies/{candidacy_id}",
        404,
        each(LEAD_OWN, 200),
        candidacy_id="{lead_own}",
    ),
    endpoint(
        "POST",
        "/leadership/candidacies/{candidacy_id}/eligibility",
        403,
        LEAD_OFFICER_API,
        {"decision": "eligible"},
        candidacy_id="{lead_applied}",
    ),
    endpoint(
        "POST",
        "/leadership/candidacies/{candidacy_id}/recheck",
        403,
        LEAD_OFFICER_API,
        candidacy_id="{lead_applied}",
    ),
    endpoint(
        "PUT",
        "/leadership/candidacies/{candidacy_id}/scores/{test_id}",
        403,
        LEAD_OFFICER_API,
        {"score": 70},
        candidacy_id="{lead_own}",
        test_id="{lead_test}",
    ),
    endpoint(
        "POST",
        "/leadership/candidacies/{candidacy_id}/tests",
        403,
        LEAD_OFFICER_API,
        {"decision": "passed"},
        candidacy_id="{lead_own}",
    ),
    endpoint(
        "POST",
        "/leadership/candidacies/{candidacy_id}/interview",
        403,
        LEAD_OFFICER_API,
        {"score": 7, "held_on": "2025-06-01", "panel": "Орлова"},
        candidacy_id="{lead_tested}",
    ),
    endpoint(
        "POST",
        "/leadership/candidacies/{candidacy_id}/placement",
        403,
        LEAD_OFFICER_API,
        {"employer_id": "{lead_employer}", "post_title": "советник", "start_date": "2030-01-10"},
        candidacy_id="{lead_cohort}",
    ),
    endpoint(
        "POST",
        "/leadership/candidacies/{candidacy_id}/withdraw",
        404,
        each(LEAD_OWN, 200),
        candidacy_id="{lead_own}",
    ),
    # A list of member ids cannot take a placeholder: the empty list answers 422 (members).
    endpoint(
        "POST",
        "/leadership/tracks/{track_id}/meetings",
        403,
        each(LEAD_RUN, 422),
        {"held_on": "2030-01-10", "member_ids": []},
        track_id="{lead_track}",
    ),
    endpoint(
        "GET",
        "/leadership/meetings/{meeting_id}",
        404,
        each(LEAD_RUN, 200),
        meeting_id="{lead_meeting}",
    ),
    endpoint(
        "PUT",
        "/leadership/meetings/{meeting_id}/minutes",
        404,
        each(LEAD_RUN, 200),
        {"minutes": "Протокол № 1"},
        meeting_id="{lead_meeting}",
    ),
    endpoint(
        "POST",
        "/leadership/meetings/{meeting_id}/votes",
        404,
        each(LEAD_RUN, 200),
        {"candidacy_id": "{lead_interviewed}", "member_id": "{lead_member}", "vote": "for"},
        meeting_id="{lead_meeting}",
    ),
    endpoint(
        "POST",
        "/leadership/meetings/{meeting_id}/decisions",
        404,
        each(LEAD_RUN, 200),
        {"candidacy_id": "{lead_interviewed}"},
        meeting_id="{lead_meeting}",
    ),
    endpoint(
        "POST",
        "/leadership/meetings/{meeting_id}/close",
        404,
        each(LEAD_RUN, 200),
        meeting_id="{lead_meeting}",
    ),
    endpoint(
        "GET",
        "/leadership/tracks/{track_id}/shortlist",
        403,
        each(LEAD_RUN, 200),
        track_id="{lead_selection}",
    ),
    endpoint(
        "POST",
        "/leadership/tracks/{track_id}/shortlist",
        403,
        each(LEAD_RUN, 200),
        track_id="{lead_publish}",
    ),
    endpoint(
        "POST",
        "/leadership/tracks/{track_id}/cohort",
        403,
        each(LEAD_RUN, 200),
        track_id="{lead_selection}",
    ),
]

test_matrix = cells(ROWS)
