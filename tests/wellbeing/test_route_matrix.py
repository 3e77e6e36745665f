"""Well-being: only `clinician` (the care team) reaches answers, scores and tiers; a commander
only the notices to their unit; the staff who see the veteran only derived facts."""

from datetime import timedelta

from django.utils import timezone

from tests.route_matrix import ANONYMOUS, SEE, cells, each, endpoint, page

WB_TODAY = timezone.localdate().isoformat()
WB_LATER = (timezone.localdate() + timedelta(days=60)).isoformat()
CARE = each(("clinician",), 200)
WB_FHIR = {
    "resourceType": "QuestionnaireResponse",
    "status": "completed",
    "questionnaire": "urn:waypoint:instrument:gad2",
    "item": [
        {"linkId": "1", "answer": [{"valueInteger": 0}]},
        {"linkId": "2", "answer": [{"valueInteger": 1}]},
    ],
}
WORLD_EXTRAS = ("wellbeing",)

ROWS = [
    page("wellbeing:home", 403, CARE),
    page("wellbeing:on_duty", 403, {"clinician": 302}, method="POST"),
    page("wellbeing:acknowledge", 403, {"clinician": 302}, method="POST", pk="{wb_alert}"),
    page("wellbeing:person", 403, CARE, veteran_id="{veteran}"),
    page("wellbeing:start", 403, {"clinician": 302}, method="POST", veteran_id="{veteran}"),
    page(
        "wellbeing:enrol",
        403,
        {"clinician": 302},
        method="POST",
        body={"programme": "counselling", "starts_on": WB_TODAY},
        veteran_id="{veteran}",
    ),
    page(
        "wellbeing:schedule",
        403,
        {"clinician": 302},
        method="POST",
        body={"due_on": WB_LATER},
        veteran_id="{veteran}",
    ),
    page("wellbeing:notify", 403, {"clinician": 302}, method="POST", veteran_id="{veteran}"),
    page("wellbeing:end_enrolment", 403, {"clinician": 302}, method="POST", pk="{wb_enrolment}"),
    page("wellbeing:screening", 403, CARE, pk="{wb_screening}"),
    page("wellbeing:answer", 404, CARE, pk="{wb_screening}"),
    page("wellbeing:correct", 403, CARE, pk="{wb_response}"),
    page("wellbeing:response_fhir", 403, CARE, pk="{wb_response}"),
    page("wellbeing:questionnaire", 200, {}, instrument_id="phq9"),
    page("wellbeing:mine", 403, {}),
    page("wellbeing:consent", 403, {}, method="POST"),
    page("wellbeing:notices", 403, each(("commander",), 200)),
    # Only the clinical record keeper (no persona of the matrix; see tests/wellbeing).
    page("wellbeing:records", 403, {}),
    page("wellbeing:kept_record", 403, {}, veteran_id="{veteran}"),
    endpoint(
        "POST", "/wellbeing/score", 200, {}, {"instrument": "phq2", "answers": [1, 2], "sex": None}
    ),
    endpoint("GET", "/wellbeing/instruments", 200, {}),
    endpoint("GET", "/wellbeing/instruments/{instrument_id}/fhir", 200, {}, instrument_id="phq9"),
    endpoint("GET", "/wellbeing/veterans/{veteran_id}", 404, {**CARE, ANONYMOUS: 401}),
    endpoint(
        "GET", "/wellbeing/veterans/{veteran_id}/facts", 404, {**each(SEE, 200), ANONYMOUS: 401}
    ),
    endpoint(
        "POST",
        "/wellbeing/screenings/{screening_id}/responses",
        404,
        {"clinician": 201, ANONYMOUS: 401},
        {"instrument": "gad2", "answers": [0, 1]},
        screening_id="{wb_screening}",
    ),
    endpoint(
        "POST",
        "/wellbeing/screenings/{screening_id}/fhir-responses",
        404,
        {"clinician": 201, ANONYMOUS: 401},
        WB_FHIR,
        screening_id="{wb_screening}",
    ),
    endpoint(
        "POST",
        "/wellbeing/responses/{response_id}/corrections",
        403,
        {"clinician": 201},
        {"answers": [3, 3], "reason": "Ошибка ввода с бумажного бланка"},
        response_id="{wb_response}",
    ),
    endpoint(
        "GET",
        "/wellbeing/responses/{response_id}/fhir",
        404,
        {**CARE, ANONYMOUS: 401},
        response_id="{wb_response}",
    ),
    endpoint("GET", "/wellbeing/queue", 403, CARE),
    endpoint(
        "POST",
        "/wellbeing/alerts/{alert_id}/acknowledge",
        403,
        {"clinician": 204},
        alert_id="{wb_alert}",
    ),
    endpoint(
        "POST",
        "/wellbeing/screenings/{screening_id}/review",
        403,
        {"clinician": 201},
        {"outcome": "support", "plan": "Консультирование"},
        screening_id="{wb_screening}",
    ),
    endpoint(
        "POST",
        "/wellbeing/veterans/{veteran_id}/enrolments",
        403,
        {"clinician": 201},
        {"programme": "counselling", "starts_on": WB_TODAY},
    ),
    endpoint(
        "POST",
        "/wellbeing/veterans/{veteran_id}/command-notices",
        403,
        {"clinician": 201},
        {
            "command_id": "{wb_command}",
            "standard": "harm_to_mission",
            "limitations": ["no_night_duty"],
            "until": WB_LATER,
            "support": "Без ночных смен",
        },
    ),
    endpoint("GET", "/wellbeing/command-notices", 403, each(("commander",), 200)),
]

test_matrix = cells(ROWS)
