"""Who may do what, for every page and every API operation.

Each row names a route, how to call it, and the status each persona gets; personas not named
get the row's default. A route missing from these tables fails `test_matrix_covers_every_route`.
The target is a veteran in Moscow coordinated by `coordinator`; `other_coordinator` works in
Sverdlovsk and must never reach it.
"""

import json
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS, make_veteran
from waypoint.api.urls import api
from waypoint.audit.models import AuditEvent
from waypoint.orientation import plans
from waypoint.orientation import services as orientation
from waypoint.people import services
from waypoint.people.models import Consent, WorkLimitation
from waypoint.taxonomy.models import Occupation, Skill

ANONYMOUS = "anonymous"
EVERYONE = (ANONYMOUS, *PERSONAS)
# Who can see the Moscow veteran, and who can edit them.
SEE = ("admin", "coordinator", "counsellor", "operator", "clinician")
EDIT = ("admin", "coordinator", "counsellor")
CONSENTS = ("admin", "coordinator", "operator")
TRAINING_VIEW = (
    "admin",
    "coordinator",
    "other_coordinator",
    "counsellor",
    "provider",
    "veteran_user",
)


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    path: str  # with {veteran}, {part}, {organisation}, {event} placeholders
    default: int
    expect: dict[str, int] = field(default_factory=dict)
    body: dict | None = None

    def status_for(self, persona: str) -> int:
        return self.expect.get(persona, self.default)


def each(personas, status):
    return dict.fromkeys(personas, status)


def page(name, path, default, expect, method="GET", body=None, anonymous=302):
    return Row(name, method, path, default, {ANONYMOUS: anonymous, **expect}, body)


PAGES = [
    page("web:home", "/", 200, {}),
    Row("web:login", "GET", "/login/", 302, {ANONYMOUS: 200}),
    Row("web:logout", "POST", "/logout/", 302),
    page("web:second_factor", "/account/second-factor/", 200, {}),
    Row("web:healthz", "GET", "/healthz", 200),
    page("people:veteran_list", "/veterans/", 403, each((*SEE, "other_coordinator"), 200)),
    page(
        "people:veteran_export",
        "/veterans/export.csv",
        403,
        each(("admin", "coordinator", "other_coordinator"), 200),
    ),
    page(
        "people:intake",
        "/veterans/new/",
        403,
        each(("admin", "coordinator", "other_coordinator", "operator"), 200),
    ),
    page(
        "people:duplicate_check",
        "/veterans/duplicates/?phone=%2B79160000001",
        403,
        each(("admin", "coordinator", "other_coordinator", "operator"), 200),
    ),
    page("people:veteran_detail", "/veterans/{veteran}/", 404, each(SEE, 200)),
    page("people:veteran_edit", "/veterans/{veteran}/edit/", 404, each(EDIT, 200)),
    page(
        "people:assign_coordinator",
        "/veterans/{veteran}/coordinator/",
        403,
        {"admin": 200, "coordinator": 200, "other_coordinator": 404},
    ),
    page(
        "people:limitation_edit",
        "/veterans/{veteran}/limitations/",
        404,
        {"admin": 200, "coordinator": 200, "clinician": 200, "counsellor": 403},
    ),
    page("people:preferences_edit", "/veterans/{veteran}/preferences/", 404, each(EDIT, 200)),
    page(
        "people:consent_give",
        "/veterans/{veteran}/consents/give/",
        404,
        {**each(CONSENTS, 302), "counsellor": 403, "clinician": 403},
        method="POST",
        body={"purpose": "contact", "channel": "phone"},
    ),
    page(
        "people:consent_withdraw",
        "/veterans/{veteran}/consents/share_training/withdraw/",
        404,
        {**each(CONSENTS, 302), "counsellor": 403, "clinician": 403},
        method="POST",
    ),
    page(
        "people:skill_confirm",
        "/veterans/{veteran}/skill/{skill}/confirm/",
        403,
        {**each(EDIT, 302), "other_coordinator": 404},
        method="POST",
    ),
    page("people:part_add", "/veterans/{veteran}/service/add/", 404, each(EDIT, 200)),
    page("people:part_edit", "/veterans/{veteran}/service/{service}/edit/", 404, each(EDIT, 200)),
    page(
        "people:part_delete", "/veterans/{veteran}/service/{service}/delete/", 404, each(EDIT, 200)
    ),
    Row("people:self_register", "GET", "/register/", 302, {ANONYMOUS: 200}),
    page(
        "people:import", "/import/", 403, each(("admin", "coordinator", "other_coordinator"), 200)
    ),
    page(
        "people:part_occupation",
        "/veterans/{veteran}/service/{service}/occupation/",
        403,
        {**each(EDIT, 200), "other_coordinator": 404},
    ),
    page("audit:event_list", "/audit/", 403, each(("admin", "auditor"), 200)),
    page("audit:event_export", "/audit/export.csv", 403, each(("admin", "auditor"), 200)),
    page("orientation:veteran", "/veterans/{veteran}/orientation/", 404, each(EDIT, 200)),
    page("orientation:run", "/veterans/{veteran}/orientation/run/", 404, each(EDIT, 302), "POST"),
    page(
        "orientation:feedback",
        "/veterans/{veteran}/orientation/feedback/",
        404,
        each(EDIT, 302),
        "POST",
        {"occupation": "{occupation}", "decision": "accepted"},
    ),
    page("orientation:add", "/veterans/{veteran}/orientation/add/?q=driver", 404, each(EDIT, 200)),
    page("orientation:plan", "/veterans/{veteran}/plan/", 404, each(EDIT, 200)),
    page("orientation:plan_pdf", "/veterans/{veteran}/plan.pdf?lang=ru", 404, each(EDIT, 200)),
    page("orientation:plan_save", "/veterans/{veteran}/plan/save/", 404, each(EDIT, 302), "POST"),
    page("training:catalogue", "/training/", 403, each(TRAINING_VIEW, 200)),
    page("training:programme", "/training/programmes/{programme}/", 403, each(TRAINING_VIEW, 200)),
    page("training:programme_new", "/training/programmes/new/", 403, {"provider": 200}),
    page(
        "training:cohort_new",
        "/training/programmes/{programme}/cohorts/new/",
        403,
        {"provider": 302, "admin": 404},
        "POST",
        {"start_date": "2030-01-10", "seats": 5},
    ),
    page(
        "training:enrol",
        "/training/cohorts/{cohort2}/enrol/",
        403,
        each((*EDIT, "other_coordinator"), 302),
        "POST",
        {"veteran": "{veteran}"},
    ),
    page("training:enrolments", "/training/enrolments/", 403, each(TRAINING_VIEW, 200)),
    page(
        "training:enrolment_move",
        "/training/enrolments/{enrolment}/applied/",
        404,
        {**each(EDIT, 302), "provider": 403, "operator": 403, "clinician": 403},
        "POST",
    ),
    # Vacancies are public job offers for everyone signed in.
    page("employment:vacancies", "/vacancies/?region=77", 200, {}),
    page("employment:vacancy", "/vacancies/{vacancy}/", 200, {}),
    # The taxonomy is public reference data for everyone signed in.
    page("taxonomy:browse", "/taxonomy/?q=driver", 200, {}),
    page("taxonomy:suggest", "/taxonomy/suggest/?q=водитель", 200, {}),
    page("taxonomy:occupation", "/taxonomy/occupations/{occupation}/", 200, {}),
    page("taxonomy:skill", "/taxonomy/skills/{taxonomy_skill}/", 200, {}),
]

V = "/api/v1/veterans"
PART_BODIES = {
    "service": {
        "branch": "ground",
        "specialty": "сапёр",
        "rank": "private",
        "start_date": "2015-01-01",
        "end_date": "2019-01-01",
    },
    "education": {"level": "bachelor", "institution": "УрФУ"},
    "job": {"title": "водитель", "start_year": 2010, "end_year": 2012},
    "skill": {"name": "вождение", "level": "basic"},
    "language": {"language": "de", "level": "A2"},
}

# A second language must differ from the first (one row per language).
NEW_PART_BODIES = {"language": {"language": "fr", "level": "B1"}}


def endpoint(method, path, default, expect, body=None):
    return Row(f"{method} {path}", method, path, default, {ANONYMOUS: 401, **expect}, body)


def _part_rows(kind: str) -> list[Row]:
    path = f"{V}/{{veteran}}/{kind}"
    return [
        endpoint("GET", path, 404, each(SEE, 200)),
        endpoint("POST", path, 404, each(EDIT, 201), NEW_PART_BODIES.get(kind, PART_BODIES[kind])),
        endpoint("PATCH", f"{path}/{{{kind}}}", 404, each(EDIT, 200), {}),
        endpoint("DELETE", f"{path}/{{{kind}}}", 404, each(EDIT, 204)),
    ]


API = [
    endpoint("GET", "/api/v1/me", 200, {}),
    endpoint("GET", "/api/v1/regions", 200, {}),
    endpoint("GET", "/api/v1/organisations", 200, {"veteran_user": 403}),
    endpoint(
        "GET",
        "/api/v1/organisations/{organisation}",
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
    endpoint("GET", V, 200, {}),
    endpoint(
        "POST",
        V,
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
        f"{V}/duplicates",
        403,
        each(("admin", "coordinator", "other_coordinator", "operator"), 200),
    ),
    endpoint("GET", f"{V}/{{veteran}}", 404, each(SEE, 200)),
    endpoint("PATCH", f"{V}/{{veteran}}", 404, each(EDIT, 200), {"address": "Тверская, 5"}),
    endpoint(
        "POST",
        f"{V}/{{veteran}}/coordinator",
        403,
        {"admin": 200, "coordinator": 200, "other_coordinator": 404},
        {"coordinator_id": None},
    ),
    *[row for kind in PART_BODIES for row in _part_rows(kind)],
    endpoint(
        "POST",
        f"{V}/{{veteran}}/skill/{{skill}}/confirm",
        403,
        {**each(EDIT, 200), "other_coordinator": 404},
    ),
    endpoint(
        "GET",
        f"{V}/{{veteran}}/work-limitation",
        404,
        each(("admin", "coordinator", "counsellor", "clinician"), 200),
    ),
    endpoint(
        "PUT",
        f"{V}/{{veteran}}/work-limitation",
        404,
        {**each(("admin", "coordinator", "clinician"), 200), "counsellor": 403},
        {"disability_group": "3", "restrictions": ["no_night_shifts"]},
    ),
    endpoint("PUT", f"{V}/{{veteran}}/preferences", 404, each(EDIT, 200), {"regions": ["77"]}),
    endpoint("GET", f"{V}/{{veteran}}/consents", 404, each(SEE, 200)),
    endpoint(
        "POST",
        f"{V}/{{veteran}}/consents",
        404,
        {**each(CONSENTS, 201), "counsellor": 403, "clinician": 403},
        {"purpose": "contact", "channel": "phone"},
    ),
    endpoint(
        "POST",
        f"{V}/{{veteran}}/consents/{{purpose}}/withdraw",
        404,
        {**each(CONSENTS, 200), "counsellor": 403, "clinician": 403},
    ),
    *[
        endpoint(
            "PUT",
            f"{V}/{{veteran}}/{kind}/{{{kind}}}/occupation",
            403,
            {**each(EDIT, 200), "other_coordinator": 404},
            {"occupation_id": None},
        )
        for kind in ("service", "job")
    ],
    endpoint("GET", "/api/v1/taxonomy/search?q=driver", 200, {}),
    endpoint("GET", "/api/v1/taxonomy/occupations/{occupation}", 200, {}),
    endpoint("GET", "/api/v1/taxonomy/skills/{taxonomy_skill}", 200, {}),
    endpoint("POST", "/api/v1/taxonomy/normalize", 200, {}, {"texts": ["сапёр"]}),
    endpoint("POST", "/api/v1/taxonomy/extract-skills", 200, {}, {"texts": ["first aid"]}),
    endpoint("GET", f"{V}/{{veteran}}/orientation", 404, each(EDIT, 200)),
    endpoint("POST", f"{V}/{{veteran}}/orientation", 404, each(EDIT, 201)),
    endpoint("GET", f"{V}/{{veteran}}/orientation/runs", 404, each(EDIT, 200)),
    endpoint("GET", f"{V}/{{veteran}}/orientation/runs/{{run}}", 404, each(EDIT, 200)),
    endpoint("GET", f"{V}/{{veteran}}/orientation/feedback", 404, each(EDIT, 200)),
    endpoint(
        "POST",
        f"{V}/{{veteran}}/orientation/feedback",
        404,
        each(EDIT, 200),
        {"occupation_id": "{occupation}", "decision": "accepted"},
    ),
    endpoint("GET", f"{V}/{{veteran}}/plans", 404, each(EDIT, 200)),
    endpoint("POST", f"{V}/{{veteran}}/plans", 404, each(EDIT, 200)),
    endpoint("GET", f"{V}/{{veteran}}/plans/1", 404, each(EDIT, 200)),
    endpoint("GET", f"{V}/{{veteran}}/plans/1/pdf", 404, each(EDIT, 200)),
    endpoint(
        "POST",
        "/api/v1/orientation/what-if",
        403,
        each(("admin", "coordinator", "other_coordinator", "counsellor"), 200),
        {"profile": {"military_specialties": ["связист"]}},
    ),
    endpoint("GET", "/api/v1/training/programmes", 403, each(TRAINING_VIEW, 200)),
    endpoint("GET", "/api/v1/training/programmes/{programme}", 403, each(TRAINING_VIEW, 200)),
    endpoint(
        "POST",
        "/api/v1/training/programmes",
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
    endpoint(
        "GET", "/api/v1/training/programmes/{programme}/cohorts", 403, each(TRAINING_VIEW, 200)
    ),
    endpoint(
        "POST",
        "/api/v1/training/programmes/{programme}/cohorts",
        403,
        {"provider": 201},
        {"start_date": "2030-01-10", "seats": 5},
    ),
    endpoint("GET", "/api/v1/training/enrolments", 403, each(TRAINING_VIEW, 200)),
    endpoint(
        "POST",
        "/api/v1/training/enrolments",
        422,
        {**each(EDIT, 201), "operator": 403, "clinician": 403},
        {"veteran_id": "{veteran}", "cohort_id": "{cohort2}"},
    ),
    endpoint(
        "POST",
        "/api/v1/training/enrolments/{enrolment}/move",
        404,
        {**each(EDIT, 200), "provider": 403, "operator": 403, "clinician": 403},
        {"status": "applied"},
    ),
    endpoint("GET", "/api/v1/vacancies", 200, {}),
    endpoint("GET", "/api/v1/vacancies/{vacancy}", 200, {}),
    endpoint("GET", "/api/v1/audit-events", 403, each(("admin", "auditor"), 200)),
    endpoint("GET", "/api/v1/audit-events/{event}", 403, each(("admin", "auditor"), 200)),
]


@pytest.fixture
def world(coordinator, other_coordinator, moscow_branch, provider):
    veteran = make_veteran(
        coordinator=coordinator,
        recorded_by=coordinator,
        consents=(
            Consent.Purpose.PERSONAL_DATA,
            Consent.Purpose.HEALTH_DATA,
            Consent.Purpose.SHARE_TRAINING,
        ),
    )
    WorkLimitation.objects.create(
        veteran=veteran,
        disability_group="3",
        restrictions=["no_heavy_lifting"],
        recorded_by=coordinator,
    )
    values = {
        "service": PART_BODIES["service"]
        | {"start_date": date(2015, 1, 1), "end_date": date(2019, 1, 1)},
        **{kind: body for kind, body in PART_BODIES.items() if kind != "service"},
    }
    parts = {
        kind: services.save_part(actor=coordinator, veteran=veteran, kind=kind, values=body).pk
        for kind, body in values.items()
    }
    event = AuditEvent.objects.first()
    run = orientation.orient_one(veteran)
    training_world = _training_world(provider, coordinator, veteran)
    plans.save_plan(actor=coordinator, veteran=veteran)
    return {
        "run": run.pk,
        **training_world,
        "occupation": Occupation.objects.filter(taxonomy__code="starter").first().pk,
        "taxonomy_skill": Skill.objects.filter(taxonomy__code="starter").first().pk,
        "veteran": veteran.pk,
        "organisation": moscow_branch.pk,
        "event": event.pk,
        "purpose": "share_training",
        **parts,
    }


def _training_world(provider, coordinator, veteran) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from waypoint.regions.models import Region
    from waypoint.training import services as training
    from waypoint.training.models import Provider

    college = Provider.objects.create(
        organisation=provider.organisation, kind="vocational_school", licence_number="Л035-77"
    )
    programme = training.save_programme(
        actor=provider,
        provider=college,
        values={
            "title": "Электромонтёр",
            "duration_weeks": 10,
            "format": "on_site",
            "region": Region.objects.get(code="77"),
            "payer": "fund",
        },
    )
    start = timezone.localdate() + timedelta(days=30)
    cohort = training.add_cohort(actor=provider, programme=programme, start_date=start, seats=5)
    cohort2 = training.add_cohort(actor=provider, programme=programme, start_date=start, seats=5)
    enrolment = training.enrol(actor=coordinator, veteran=veteran, cohort=cohort)
    from waypoint.employment.models import Employer, Vacancy

    employer = Employer.objects.create(legal_name="ПАО Сбербанк", inn="7707083893", region_id="77")
    vacancy = Vacancy.objects.create(
        source="test", source_id="1", employer=employer, title="Водитель", region_id="77"
    )
    return {
        "vacancy": vacancy.pk,
        "programme": programme.pk,
        "cohort": cohort.pk,
        "cohort2": cohort2.pk,
        "enrolment": enrolment.pk,
    }


def _call(client, row: Row, world: dict):
    path = row.path.format(**world)
    body = {
        key: int(value.format(**world))
        if isinstance(value, str) and value.startswith("{")
        else value
        for key, value in (row.body or {}).items()
    }
    if row.method == "GET":
        return client.get(path)
    if row.method in ("POST",) and row.name.startswith(
        ("people:", "web:", "orientation:", "training:")
    ):
        return client.post(path, body)
    return client.generic(row.method, path, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("persona", EVERYONE, indirect=True)
@pytest.mark.parametrize("row", PAGES + API, ids=lambda row: row.name)
def test_matrix(client, persona, row, world, request):
    name = request.node.callspec.params["persona"]
    if persona is not None:
        client.force_login(persona)
    response = _call(client, row, world)
    assert response.status_code == row.status_for(name), response.content[:300]


def _page_names(resolvers, namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if inner not in {"admin", "api"}:
                yield from _page_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name != "set_language":
            yield f"{namespace}:{entry.name}"


def test_matrix_covers_every_route():
    assert set(_page_names(get_resolver().url_patterns)) == {row.name for row in PAGES}
    api.urls  # noqa: B018
    operations = {
        f"{method} /api/v1{prefix.rstrip('/')}{path}".replace("//", "/").rstrip("/")
        for prefix, router in api._routers
        for path, path_view in router.path_operations.items()
        for operation in path_view.operations
        for method in operation.methods
    }

    def normalised(row: Row) -> str:
        path = row.path.split("?")[0]
        for kind in PART_BODIES:
            path = path.replace(f"{{{kind}}}", "{part_id}")
        replacements = {
            "{veteran}": "{veteran_id}",
            "{skill}": "{part_id}",
            "{organisation}": "{organisation_id}",
            "{event}": "{event_id}",
            "{occupation}": "{occupation_id}",
            "{taxonomy_skill}": "{skill_id}",
            "{run}": "{run_id}",
            "/plans/1": "/plans/{version}",
            "{programme}": "{programme_id}",
            "{cohort2}": "{cohort_id}",
            "{enrolment}": "{enrolment_id}",
            "{vacancy}": "{vacancy_id}",
        }
        for old, new in replacements.items():
            path = path.replace(old, new)
        return f"{row.method} {path}"

    assert operations == {normalised(row) for row in API}
    assert reverse("people:veteran_list") == "/veterans/"
