"""The veteran registry: who sees and edits the Moscow veteran, their record's parts, consents
and imports."""

import pytest

from tests.route_matrix import EDIT, PART_BODIES, PERSONAS, SEE, cells, each, endpoint, page
from waypoint.accounts.models import User
from waypoint.people import access
from waypoint.people.models import Veteran

CONSENTS = ("admin", "coordinator", "operator")
# A second language must differ from the first (one row per language).
NEW_PART_BODIES = {"language": {"language": "fr", "level": "B1"}}


def _part_rows(kind: str) -> list:
    path, part = f"/veterans/{{veteran_id}}/{kind}", f"{{{kind}}}"
    return [
        endpoint("GET", path, 404, each(SEE, 200)),
        endpoint("POST", path, 404, each(EDIT, 201), NEW_PART_BODIES.get(kind, PART_BODIES[kind])),
        endpoint("PATCH", f"{path}/{{part_id}}", 404, each(EDIT, 200), {}, part_id=part),
        endpoint("DELETE", f"{path}/{{part_id}}", 404, each(EDIT, 204), part_id=part),
    ]


ROWS = [
    page("people:veteran_list", 403, each((*SEE, "other_coordinator"), 200)),
    page("people:veteran_export", 403, each(("admin", "coordinator", "other_coordinator"), 200)),
    page(
        "people:intake", 403, each(("admin", "coordinator", "other_coordinator", "operator"), 200)
    ),
    page(
        "people:duplicate_check",
        403,
        each(("admin", "coordinator", "other_coordinator", "operator"), 200),
        query="phone=%2B79160000001",
    ),
    page("people:veteran_detail", 404, each(SEE, 200), pk="{veteran}"),
    page("people:veteran_edit", 404, each(EDIT, 200), pk="{veteran}"),
    page(
        "people:assign_coordinator",
        403,
        {"admin": 200, "coordinator": 200, "other_coordinator": 404},
        pk="{veteran}",
    ),
    page(
        "people:limitation_edit",
        404,
        {"admin": 200, "coordinator": 200, "clinician": 200, "counsellor": 403},
        pk="{veteran}",
    ),
    page("people:preferences_edit", 404, each(EDIT, 200), pk="{veteran}"),
    page(
        "people:consent_give",
        404,
        {**each(CONSENTS, 302), "counsellor": 403, "clinician": 403},
        method="POST",
        body={"purpose": "contact", "channel": "phone"},
        pk="{veteran}",
    ),
    page(
        "people:consent_withdraw",
        404,
        {**each(CONSENTS, 302), "counsellor": 403, "clinician": 403},
        method="POST",
        pk="{veteran}",
        purpose="share_training",
    ),
    page(
        "people:skill_confirm",
        403,
        {**each(EDIT, 302), "other_coordinator": 404},
        method="POST",
        pk="{veteran}",
        part_pk="{skill}",
    ),
    page("people:part_add", 404, each(EDIT, 200), pk="{veteran}", kind="service"),
    page(
        "people:part_edit",
        404,
        each(EDIT, 200),
        pk="{veteran}",
        kind="service",
        part_pk="{service}",
    ),
    page(
        "people:part_delete",
        404,
        each(EDIT, 200),
        pk="{veteran}",
        kind="service",
        part_pk="{service}",
    ),
    page("people:self_register", 302, {}, anonymous=200),
    page("people:import", 403, each(("admin", "coordinator", "other_coordinator"), 200)),
    # An import is seen only by whoever started it (here `coordinator`), among those who import.
    page(
        "people:import_job",
        403,
        {"admin": 404, "coordinator": 200, "other_coordinator": 404},
        pk="{import_job}",
    ),
    page(
        "people:import_progress",
        403,
        {"admin": 404, "coordinator": 200, "other_coordinator": 404},
        pk="{import_job}",
    ),
    page(
        "people:part_occupation",
        403,
        {**each(EDIT, 200), "other_coordinator": 404},
        pk="{veteran}",
        kind="service",
        part_pk="{service}",
    ),
    endpoint("GET", "/veterans", 200, {}),
    endpoint(
        "POST",
        "/veterans",
        403,
        each(("admin", "coordinator", "other_coordinator", "operator"), 201),
        {
            "last_name": "Новиков",
            "first_name": "Олег",
            "birth_date": "1980-01-01",
            "sex": "m",
            "phone": "+79035550000",
            "region": "77",
            "consents": [{"purpose": "personal_data", "channel": "phone"}],
        },
    ),
    endpoint(
        "GET",
        "/veterans/duplicates",
        403,
        each(("admin", "coordinator", "other_coordinator", "operator"), 200),
    ),
    endpoint("GET", "/veterans/{veteran_id}", 404, each(SEE, 200)),
    endpoint("PATCH", "/veterans/{veteran_id}", 404, each(EDIT, 200), {"address": "Тверская, 5"}),
    endpoint(
        "POST",
        "/veterans/{veteran_id}/coordinator",
        403,
        {"admin": 200, "coordinator": 200, "other_coordinator": 404},
        {"coordinator_id": None},
    ),
    *[row for kind in PART_BODIES for row in _part_rows(kind)],
    endpoint(
        "POST",
        "/veterans/{veteran_id}/skill/{part_id}/confirm",
        403,
        {**each(EDIT, 200), "other_coordinator": 404},
        part_id="{skill}",
    ),
    endpoint(
        "GET",
        "/veterans/{veteran_id}/work-limitation",
        404,
        each(("admin", "coordinator", "counsellor", "clinician"), 200),
    ),
    endpoint(
        "PUT",
        "/veterans/{veteran_id}/work-limitation",
        404,
        {**each(("admin", "coordinator", "clinician"), 200), "counsellor": 403},
        {"disability_group": "3", "restrictions": ["no_night_shifts"]},
    ),
    endpoint(
        "PUT", "/veterans/{veteran_id}/preferences", 404, each(EDIT, 200), {"regions": ["77"]}
    ),
    endpoint("GET", "/veterans/{veteran_id}/consents", 404, each(SEE, 200)),
    endpoint(
        "POST",
        "/veterans/{veteran_id}/consents",
        404,
        {**each(CONSENTS, 201), "counsellor": 403, "clinician": 403},
        {"purpose": "contact", "channel": "phone"},
    ),
    endpoint(
        "POST",
        "/veterans/{veteran_id}/consents/{purpose}/withdraw",
        404,
        {**each(CONSENTS, 200), "counsellor": 403, "clinician": 403},
    ),
    *[
        endpoint(
            "PUT",
            f"/veterans/{{veteran_id}}/{kind}/{{part_id}}/occupation",
            403,
            {**each(EDIT, 200), "other_coordinator": 404},
            {"occupation_id": None},
            part_id=f"{{{kind}}}",
        )
        for kind in ("service", "job")
    ],
]

test_matrix = cells(ROWS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_access_says_who_sees_and_edits_the_veteran(route_world, db, persona):
    """SEE and EDIT, which most rows of every app's matrix build on, are what people.access
    answers for the world's veteran; the rows keep explicit statuses, so a view that forgets
    its gate still fails its row."""
    user = User.objects.get(pk=route_world["users"][persona])
    veteran = Veteran.objects.get(pk=route_world["veteran"])
    assert access.may_see(user, veteran) == (persona in SEE)
    assert access.may_edit(user, veteran) == (persona in EDIT)
