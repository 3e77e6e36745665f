"""Training: the catalogue, programmes and cohorts (the provider's), and enrolments (those
who edit the veteran)."""

from tests.route_matrix import EDIT, cells, each, endpoint, page

TRAINING_VIEW = (
    "admin",
    "coordinator",
    "other_coordinator",
    "counsellor",
    "provider",
    "veteran_user",
)

ROWS = [
    page("training:catalogue", 403, each(TRAINING_VIEW, 200)),
    page("training:programme", 403, each(TRAINING_VIEW, 200), pk="{programme}"),
    page("training:programme_new", 403, {"provider": 200}),
    page(
        "training:cohort_new",
        403,
        {"provider": 302},
        "POST",
        {"start_date": "2030-01-10", "seats": 5},
        pk="{programme}",
    ),
    page(
        "training:enrol",
        403,
        each((*EDIT, "other_coordinator"), 302),
        "POST",
        {"veteran": "{veteran}"},
        pk="{cohort2}",
    ),
    page("training:enrolments", 403, each(TRAINING_VIEW, 200)),
    page(
        "training:enrolment_move",
        404,
        {**each(EDIT, 302), "provider": 403, "operator": 403, "clinician": 403},
        "POST",
        pk="{enrolment}",
        status="applied",
    ),
    endpoint("GET", "/training/programmes", 403, each(TRAINING_VIEW, 200)),
    endpoint("GET", "/training/programmes/{programme_id}", 403, each(TRAINING_VIEW, 200)),
    endpoint(
        "POST",
        "/training/programmes",
        403,
        {"provider": 201},
        {
            "title": "Сварщик",
            "duration_weeks": 8,
            "format": "on_site",
            "region": "77",
            "payer": "fund",
        },
    ),
    endpoint("GET", "/training/programmes/{programme_id}/cohorts", 403, each(TRAINING_VIEW, 200)),
    endpoint(
        "POST",
        "/training/programmes/{programme_id}/cohorts",
        403,
        {"provider": 201},
        {"start_date": "2030-01-10", "seats": 5},
    ),
    endpoint("GET", "/training/enrolments", 403, each(TRAINING_VIEW, 200)),
    endpoint(
        "POST",
        "/training/enrolments",
        422,
        {**each(EDIT, 201), "operator": 403, "clinician": 403},
        {"veteran_id": "{veteran}", "cohort_id": "{cohort2}"},
    ),
    endpoint(
        "POST",
        "/training/enrolments/{enrolment_id}/move",
        404,
        {**each(EDIT, 200), "provider": 403, "operator": 403, "clinician": 403},
        {"status": "applied"},
    ),
]

test_matrix = cells(ROWS)
