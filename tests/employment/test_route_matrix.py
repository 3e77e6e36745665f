"""Employment: vacancies are public job offers for everyone signed in; employers see candidates
for their own vacancies, staff see their veterans'."""

from tests.route_matrix import EDIT, SEE, cells, each, endpoint, page

JOBS_SEE = (*SEE, "employer")
JOBS_ACT = (*EDIT, "employer")
VACANCY_BODY = {"title": "Кладовщик", "region": "77", "openings": 1}

ROWS = [
    page("employment:vacancies", 200, {}, query="region=77"),
    page("employment:vacancy", 200, {}, pk="{vacancy}"),
    page("employment:own_vacancies", 403, {"employer": 200}),
    page("employment:vacancy_new", 403, {"employer": 200}),
    page("employment:vacancy_edit", 403, {"employer": 200}, pk="{vacancy}"),
    page(
        "employment:apply",
        403,
        each((*EDIT, "other_coordinator"), 302),
        "POST",
        {"veteran": "{veteran}"},
        pk="{vacancy}",
    ),
    page(
        "employment:candidates",
        403,
        each((*EDIT, "other_coordinator", "employer"), 200),
        pk="{vacancy}",
    ),
    page(
        "employment:veteran_vacancies",
        404,
        {**each(EDIT, 200), "operator": 403, "clinician": 403},
        pk="{veteran}",
    ),
    page("employment:applications", 200, {}),
    page("employment:application", 404, each(JOBS_SEE, 200), pk="{application}"),
    page(
        "employment:hire",
        404,
        {**each(JOBS_ACT, 302), "operator": 403, "clinician": 403},
        "POST",
        {"start_date": "2026-01-10", "salary": 70000},
        pk="{application}",
    ),
    page(
        "employment:application_move",
        404,
        {**each(SEE, 403), "employer": 302},
        "POST",
        pk="{application}",
        status="interview",
    ),
    page("employment:placement", 404, each(SEE, 200), pk="{placement}"),
    page("employment:follow_ups_due", 403, each((*EDIT, "other_coordinator"), 200)),
    page(
        "employment:follow_up",
        403,
        {**each(EDIT, 302), "other_coordinator": 404},
        "POST",
        {"still_employed": "yes", "same_employer": "yes"},
        pk="{follow_up}",
    ),
    endpoint("GET", "/vacancies", 200, {}),
    endpoint("GET", "/vacancies/{vacancy_id}", 200, {}),
    endpoint("POST", "/vacancies", 403, {"employer": 201}, VACANCY_BODY),
    endpoint("PUT", "/vacancies/{vacancy_id}", 403, {"employer": 200, "admin": 404}, VACANCY_BODY),
    endpoint(
        "GET",
        "/vacancies/{vacancy_id}/candidates",
        403,
        each((*EDIT, "other_coordinator", "employer"), 200),
    ),
    endpoint(
        "GET",
        "/veterans/{veteran_id}/vacancies",
        404,
        {**each(EDIT, 200), "operator": 403, "clinician": 403},
    ),
    endpoint("GET", "/applications", 200, {}),
    endpoint("GET", "/applications/{application_id}", 404, each(JOBS_SEE, 200)),
    endpoint(
        "POST",
        "/applications",
        422,
        {**each(EDIT, 201), "operator": 403, "clinician": 403},
        {"veteran_id": "{veteran}", "vacancy_id": "{vacancy2}"},
    ),
    endpoint(
        "POST",
        "/applications/{application_id}/move",
        404,
        {**each(SEE, 403), "employer": 200},
        {"status": "interview"},
    ),
    endpoint(
        "POST",
        "/applications/{application_id}/hire",
        404,
        {**each(JOBS_ACT, 422), "operator": 403, "clinician": 403},
        {"start_date": "2026-11-01", "salary": 70000},
    ),
    endpoint("GET", "/placements", 200, {}),
    endpoint("GET", "/placements/{placement_id}", 404, each(SEE, 200)),
    endpoint(
        "PUT",
        "/placements/{placement_id}/follow-ups/{months}",
        403,
        {**each(EDIT, 200), "other_coordinator": 404},
        {"still_employed": True, "same_employer": True},
        months=3,
    ),
]

test_matrix = cells(ROWS)
