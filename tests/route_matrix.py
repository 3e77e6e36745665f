"""Who may do what, for every page and every API operation: the parts every app's matrix shares.

Each app keeps its rows in tests/<app>/test_route_matrix.py. A row names a route, never a
path: a page by its URL name (`people:veteran_detail`) with the world's values for its URL
arguments, an API operation by its method and the path its router registered
(`GET /veterans/{veteran_id}`); the path is reversed from those registrations, so a moved route
moves its row with it. Personas not named in a row get its default status.
`tests/test_permission_matrix.py` fails any route that no row names, and any row that names no
route.

The world is built once per test module (the `route_world` fixture in tests/conftest.py) and
rolled back after its last cell; each cell runs in its own savepoint, so what one cell writes
the next never sees. The target is a veteran in Moscow coordinated by `coordinator`;
`other_coordinator` works in Sverdlovsk and must never reach it.
"""

import importlib
import json
import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.appeals.world import appeals_world
from tests.cases.casefile_world import casefile_world
from tests.conftest import PERSONAS, make_personas, make_veteran
from tests.leadership.world import leadership_world
from tests.wellbeing.world import wellbeing_world
from waypoint.accounts.models import User
from waypoint.accounts.services import issue_api_token
from waypoint.api.urls import api
from waypoint.audit.models import AuditEvent
from waypoint.people.import_models import ImportJob
from waypoint.people.models import Consent, WorkLimitation

ANONYMOUS = "anonymous"
EVERYONE = (ANONYMOUS, *PERSONAS)
# Who can see the Moscow veteran, and who can edit them (people.access: may_see, may_edit;
# tests/people/test_route_matrix.py checks that it still says so).
SEE = ("admin", "coordinator", "counsellor", "operator", "clinician")
EDIT = ("admin", "coordinator", "counsellor")
# The bodies of the veteran's record parts, as the world saves them and the API adds them.
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


@dataclass(frozen=True)
class Row:
    """One route called one way. `route` is a URL name (pages) or "METHOD /router/path" (API);
    `args` fill the route's arguments and `query` its query string, where "{key}" stands for
    the world's value of key."""

    route: str
    method: str
    default: int
    expect: dict[str, int] = field(default_factory=dict)
    body: dict | None = None
    args: dict[str, object] = field(default_factory=dict)
    query: str = ""

    @property
    def is_api(self) -> bool:
        return " " in self.route

    @property
    def label(self) -> str:
        return self.route if self.is_api else f"{self.method} {self.route}"

    def status_for(self, persona: str) -> int:
        return self.expect.get(persona, self.default)

    def path(self, world: dict) -> str:
        if self.is_api:
            template = self.route.split(" ", 1)[1]
            values = {
                name: _fill(self.args.get(name, "{" + name.removesuffix("_id") + "}"), world)
                for _, name, _, _ in string.Formatter().parse(template)
                if name
            }
            path = api_root() + template.format(**values)
        else:
            path = reverse(
                self.route, kwargs={key: _fill(value, world) for key, value in self.args.items()}
            )
        return f"{path}?{_fill(self.query, world)}" if self.query else path


def each(personas: Iterable[str], status: int) -> dict[str, int]:
    return dict.fromkeys(personas, status)


def page(
    route: str,
    default: int,
    expect: dict[str, int],
    method: str = "GET",
    body: dict | None = None,
    anonymous: int = 302,
    query: str = "",
    **args: object,
) -> Row:
    """A page: anonymous visitors are sent to sign in unless told otherwise."""
    return Row(route, method, default, {ANONYMOUS: anonymous, **expect}, body, args, query)


def endpoint(
    method: str,
    path: str,
    default: int,
    expect: dict[str, int],
    body: dict | None = None,
    query: str = "",
    **args: object,
) -> Row:
    """An API operation, `path` as its router registered it (below /api/v1). A parameter
    `{x_id}` takes the world's `x` unless `args` say otherwise; anonymous callers get 401."""
    return Row(f"{method} {path}", method, default, {ANONYMOUS: 401, **expect}, body, args, query)


def _fill(value: object, world: dict) -> object:
    return value.format(**world) if isinstance(value, str) else value


def api_root() -> str:
    return reverse(f"{api.urls_namespace}:api-root").rstrip("/")


def page_routes() -> set[str]:
    """Every URL name of the site's pages (the Django admin, the API and the language switch
    excepted)."""

    def names(entries, namespace=""):
        for entry in entries:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or namespace
                if inner not in {"admin", api.urls_namespace}:
                    yield from names(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name != "set_language":
                yield f"{namespace}:{entry.name}"

    return set(names(get_resolver().url_patterns))


def api_routes() -> dict[str, str]:
    """Every API operation ("METHOD /path" below /api/v1), with the module that serves it."""
    api.urls  # noqa: B018 (builds the routers' operations)
    routes = {}
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            joined = re.sub("/+", "/", f"/{prefix}/{path}").rstrip("/")
            for operation in path_view.operations:
                for method in operation.methods:
                    routes[f"{method} {joined}"] = operation.view_func.__module__
    return routes


# -- the world ---------------------------------------------------------------------------


def _base_world(people: dict[str, User]) -> dict:
    """The Moscow veteran with every part of a record, an orientation run and a plan, a
    training enrolment, a job application and a placement, an open case with a task."""
    from waypoint.orientation import plans
    from waypoint.orientation import services as orientation
    from waypoint.people import services
    from waypoint.taxonomy.models import Occupation, Skill

    coordinator = people["coordinator"]
    veteran = make_veteran(
        coordinator=coordinator,
        recorded_by=coordinator,
        consents=(
            Consent.Purpose.PERSONAL_DATA,
            Consent.Purpose.HEALTH_DATA,
            Consent.Purpose.SHARE_TRAINING,
            Consent.Purpose.SHARE_EMPLOYERS,
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
    training_world = _training_world(people["provider"], coordinator, veteran)
    employment_world = _employment_world(people["employer"], coordinator, veteran)
    cases_world = _cases_world(coordinator, veteran)
    plans.save_plan(actor=coordinator, veteran=veteran)
    return {
        "run": run.pk,
        **training_world,
        **employment_world,
        **cases_world,
        "occupation": Occupation.objects.filter(taxonomy__code="starter").first().pk,
        "taxonomy_skill": Skill.objects.filter(taxonomy__code="starter").first().pk,
        "veteran": veteran.pk,
        "organisation": coordinator.organisation_id,
        "account": coordinator.pk,
        "event": event.pk,
        "import_job": ImportJob.objects.create(started_by=coordinator, filename="v.csv").pk,
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
    return {
        "programme": programme.pk,
        "cohort": cohort.pk,
        "cohort2": cohort2.pk,
        "enrolment": enrolment.pk,
    }


def _cases_world(coordinator, veteran) -> dict:
    """The veteran's open case, with a task for their coordinator."""
    from waypoint.cases import services as cases
    from waypoint.cases.models import TaskType, Track

    case = cases.open_case(actor=coordinator, veteran=veteran)
    plan = TaskType.objects.get(code="plan")
    task = cases.add_task(
        actor=coordinator, case=case, task_type=plan, title="План", assignee=coordinator
    )
    return {
        "case": case.pk,
        "task": task.pk,
        "task_type": plan.pk,
        "track": Track.objects.get(code="rapid_employment").pk,
        "name": "shortage",  # an analytics table
    }


def _employment_world(staff, coordinator, veteran) -> dict:
    """A vacancy of the employer persona's company, the veteran proposed for it, and a second
    vacancy where the same veteran was hired a month ago."""
    from datetime import timedelta

    from django.utils import timezone

    from waypoint.employment import services as employment
    from waypoint.employment.models import Employer, Vacancy

    company = Employer.objects.create(
        legal_name="ПАО Сбербанк",
        inn="7707083893",
        region_id="77",
        organisation=staff.organisation,
    )
    vacancy, vacancy2, taken = (
        Vacancy.objects.create(
            source="test", source_id=str(n), employer=company, title=title, region_id="77"
        )
        for n, title in enumerate(["Водитель", "Кладовщик", "Охранник"])
    )
    application = employment.apply(actor=coordinator, veteran=veteran, vacancy=vacancy)
    hired = employment.apply(actor=coordinator, veteran=veteran, vacancy=taken)
    hired = employment.move(actor=staff, application=hired, to="offered")
    placement = employment.hire(
        actor=staff,
        application=hired,
        start_date=timezone.localdate() - timedelta(days=30),
        salary=60_000,
    )
    return {
        "vacancy": vacancy.pk,
        "vacancy2": vacancy2.pk,
        "application": application.pk,
        "placement": placement.pk,
        "follow_up": placement.follow_ups.get(months=3).pk,
    }


# What an app's matrix may add to the world (its module's WORLD_EXTRAS names them).
EXTRAS: dict[str, Callable[[Callable[[str], User], dict], dict]] = {
    "leadership": lambda persona, world: leadership_world(persona),
    "records": casefile_world,
    "appeals": lambda persona, world: appeals_world(persona, world["veteran"]),
    "wellbeing": lambda persona, world: wellbeing_world(persona, world["veteran"]),
}


def build_world(extras: Iterable[str] = ()) -> dict:
    """Every persona, the base world, the extras asked for, and an API token per persona
    (made last, as a cell used to make it after the world)."""
    people = make_personas()
    world = _base_world(people)
    for extra in extras:
        world |= EXTRAS[extra](people.__getitem__, world)
    world["users"] = {name: user.pk for name, user in people.items()}
    world["tokens"] = {
        name: issue_api_token(actor=None, user=user, name="permission matrix")
        for name, user in people.items()
    }
    return world


# -- the cells ---------------------------------------------------------------------------


def token_client(user: User) -> Client:
    """How another agency's system calls the API: a bearer token, no session cookie, and the
    CSRF check as strict as in production."""
    return _bearer(issue_api_token(actor=None, user=user, name="permission matrix"))


def _bearer(token: str) -> Client:
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token}")


def send(client: Client, row: Row, world: dict):
    """The row's request, by `client`: a form for pages, JSON for the API."""
    body = {
        key: int(value.format(**world))
        if isinstance(value, str) and value.startswith("{")
        else value
        for key, value in (row.body or {}).items()
    }
    path = row.path(world)
    if row.method == "GET":
        return client.get(path)
    if not row.is_api:
        return client.post(path, body)
    return client.generic(row.method, path, json.dumps(body), content_type="application/json")


def call(row: Row, world: dict, persona: str):
    """Pages with a signed-in session; API operations with the persona's bearer token (the
    session path through the API goes through the same gates: tests/api/test_auth.py)."""
    if persona == ANONYMOUS:
        client = Client()
    elif row.is_api:
        client = _bearer(world["tokens"][persona])
    else:
        client = Client()
        # Fetched afresh: a cell before may have changed the account (and been rolled back).
        client.force_login(User.objects.get(pk=world["users"][persona]))
    return send(client, row, world)


def cells(rows: list[Row]):
    """The test of every (row × persona) cell of an app's matrix, on its module's world."""

    @pytest.mark.parametrize("persona", EVERYONE)
    @pytest.mark.parametrize("row", rows, ids=lambda row: row.label)
    def test_cell(route_world, db, row: Row, persona: str):
        response = call(row, route_world, persona)
        assert response.status_code == row.status_for(persona), response.content[:300]

    return test_cell


def all_rows() -> list[Row]:
    """The rows of every app's matrix (tests/<app>/test_route_matrix.py)."""
    return [row for module in matrix_modules() for row in module.ROWS]


def matrix_modules() -> list:
    tests = Path(__file__).parent
    return [
        importlib.import_module(f"tests.{path.parent.name}.{path.stem}")
        for path in sorted(tests.glob("*/test_route_matrix.py"))
    ]


@pytest.fixture
def world(coordinator, other_coordinator, provider, employer) -> dict:
    """The matrix's base world built for one test, with the fixtures' personas (for tests that
    need a veteran with a record of every kind, not the matrix's cells)."""
    return _base_world({"coordinator": coordinator, "provider": provider, "employer": employer})
