"""Personas and factories shared by every test.

Two regions: Moscow (77), where most personas work, and Sverdlovsk (66), where
`other_coordinator` works. Factories are plain functions with keyword overrides.
"""

import functools
import itertools
import os
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone, translation

from waypoint.accounts.models import Organisation, User
from waypoint.people.consents import CURRENT_VERSION
from waypoint.people.models import Consent, Veteran


@pytest.fixture(autouse=True)
def _language_reset_after_each_test():
    """A test that activates Russian (a request, a PDF, a command) leaves no language behind."""
    yield
    translation.deactivate()


SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
PASSWORD = "correct-horse-battery-staple"
_numbers = itertools.count(1)


@functools.cache
def _password_hash() -> str:
    """Argon2 is slow by design; hash the shared test password once per run."""
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


def make_organisation(**overrides) -> Organisation:
    values = {
        "name": f"Organisation {next(_numbers)}",
        "kind": Organisation.Kind.FUND_BRANCH,
        "region_id": "77",
    }
    values.update(overrides)
    return Organisation.objects.create(**values)


def make_user(role: str, organisation: Organisation | None = None, **overrides) -> User:
    from waypoint.accounts.roles import ROLES_BY_CODE

    number = next(_numbers)
    values = {
        "username": f"{role}{number}",
        "first_name": role.replace("_", " ").title(),
        "last_name": f"Person{number}",
        "organisation": organisation,
        "scope": ROLES_BY_CODE[role].default_scope,
    }
    values.update(overrides)
    user = User(**values, password=_password_hash())
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


def make_veteran(
    *, consents=(Consent.Purpose.PERSONAL_DATA,), recorded_by=None, **overrides
) -> Veteran:
    number = next(_numbers)
    values = {
        "last_name": "Иванов",
        "first_name": "Пётр",
        "patronymic": "Сергеевич",
        "last_name_latin": "Ivanov",
        "first_name_latin": "Petr",
        "birth_date": date(1990, 5, 17),
        "sex": Veteran.Sex.MALE,
        "phone": f"+7916{number:07d}",
        "region_id": "77",
        "intake_channel": Veteran.Channel.COORDINATOR,
        "status": Veteran.Status.ACTIVE,
    }
    values.update(overrides)
    veteran = Veteran.objects.create(**values)
    recorder = recorded_by or veteran.coordinator or User.objects.filter(is_superuser=True).first()
    if recorder is None:
        recorder = make_user("administrator", is_superuser=True)
    for purpose in consents:
        Consent.objects.create(
            veteran=veteran,
            purpose=purpose,
            text_version=CURRENT_VERSION,
            channel=Consent.Channel.IN_PERSON,
            given_at=timezone.now(),
            recorded_by=recorder,
        )
    return veteran


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """On SQLite, test in a file as production does, not in Django's shared-cache memory
    database: its locking is another (table locks, no WAL, no waiting), and tests that write
    from two threads at once must meet the real one. As fast here."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if "sqlite" in database["ENGINE"]:
        home = Path(os.environ["WAYPOINT_HOME"])
        database.setdefault("TEST", {})["NAME"] = str(home / "test.sqlite3")


# How each persona is made: its role, and the organisation it works for (its own, made with
# these values, or one of the two fund branches).
PERSONA_ROLES = {
    "admin": "administrator",
    "coordinator": "coordinator",
    "other_coordinator": "coordinator",
    "counsellor": "career_counsellor",
    "operator": "call_centre_operator",
    "provider": "training_provider_staff",
    "employer": "employer_staff",
    "clinician": "clinician",
    "commander": "commander",
    "analyst": "labour_analyst",
    "auditor": "auditor",
    "veteran_user": "veteran",
}
_OWN_ORGANISATIONS = {
    "admin": {"name": "Fund headquarters"},
    "operator": {"name": "Hotline", "kind": Organisation.Kind.CALL_CENTRE},
    "provider": {"name": "College", "kind": Organisation.Kind.TRAINING_PROVIDER},
    "employer": {"name": "Employer", "kind": Organisation.Kind.EMPLOYER},
    "clinician": {"name": "Clinic", "kind": Organisation.Kind.CLINIC},
    "commander": {"name": "Unit", "kind": Organisation.Kind.DEFENCE_UNIT},
    "analyst": {"name": "Employment centre", "kind": Organisation.Kind.EMPLOYMENT_CENTRE},
    "auditor": {"name": "Inspectorate"},
}
_BRANCH_PERSONAS = {
    "coordinator": "moscow",
    "other_coordinator": "sverdlovsk",
    "counsellor": "moscow",
}


def make_moscow_branch() -> Organisation:
    return make_organisation(name="Fund branch, Moscow", region_id="77")


def make_sverdlovsk_branch() -> Organisation:
    return make_organisation(name="Fund branch, Yekaterinburg", region_id="66")


def make_persona(name: str, branch: Organisation | None = None) -> User:
    """The persona `name`; coordinators and counsellors work at `branch`, the others at an
    organisation of their own."""
    if name in _OWN_ORGANISATIONS:
        branch = make_organisation(**_OWN_ORGANISATIONS[name])
    extra = {"is_staff": True, "scope": User.Scope.ALL} if name == "admin" else {}
    return make_user(PERSONA_ROLES[name], branch, **extra)


def make_personas() -> dict[str, User]:
    """Every persona at once, as the fixtures below make them one by one (for worlds built
    once per module)."""
    branches = {"moscow": make_moscow_branch(), "sverdlovsk": make_sverdlovsk_branch()}
    return {
        name: make_persona(name, branches.get(_BRANCH_PERSONAS.get(name, ""))) for name in PERSONAS
    }


@pytest.fixture(scope="module")
def route_world(request, django_db_setup, django_db_blocker) -> dict:
    """The permission matrix's world for one test module (tests/route_matrix.py), with the
    extras its WORLD_EXTRAS name: built once, before the module's first cell, and rolled back
    after its last. Each cell asks for `db` too, whose savepoint inside this transaction undoes
    whatever the cell wrote."""
    from tests.route_matrix import build_world

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(getattr(request.module, "WORLD_EXTRAS", ()))
        transaction.set_rollback(True)


@pytest.fixture
def moscow_branch(db) -> Organisation:
    return make_moscow_branch()


@pytest.fixture
def sverdlovsk_branch(db) -> Organisation:
    return make_sverdlovsk_branch()


@pytest.fixture
def admin(db) -> User:
    return make_persona("admin")


@pytest.fixture
def coordinator(moscow_branch) -> User:
    return make_persona("coordinator", moscow_branch)


@pytest.fixture
def other_coordinator(sverdlovsk_branch) -> User:
    return make_persona("other_coordinator", sverdlovsk_branch)


@pytest.fixture
def counsellor(moscow_branch) -> User:
    return make_persona("counsellor", moscow_branch)


@pytest.fixture
def operator(db) -> User:
    return make_persona("operator")


@pytest.fixture
def provider(db) -> User:
    return make_persona("provider")


@pytest.fixture
def employer(db) -> User:
    return make_persona("employer")


@pytest.fixture
def clinician(db) -> User:
    return make_persona("clinician")


@pytest.fixture
def commander(db) -> User:
    return make_persona("commander")


@pytest.fixture
def analyst(db) -> User:
    return make_persona("analyst")


@pytest.fixture
def auditor(db) -> User:
    return make_persona("auditor")


@pytest.fixture
def veteran_user(db) -> User:
    return make_persona("veteran_user")


@pytest.fixture
def own_veteran(veteran_user, coordinator) -> Veteran:
    """The record of `veteran_user`, in Moscow, coordinated by `coordinator`."""
    return make_veteran(
        account=veteran_user,
        coordinator=coordinator,
        last_name="Смирнов",
        first_name="Алексей",
        birth_date=date(1988, 2, 3),
    )


@pytest.fixture
def moscow_veteran(coordinator) -> Veteran:
    return make_veteran(coordinator=coordinator, last_name="Кузнецов", first_name="Дмитрий")


@pytest.fixture
def sverdlovsk_veteran(other_coordinator) -> Veteran:
    return make_veteran(
        coordinator=other_coordinator, region_id="66", last_name="Попов", first_name="Игорь"
    )


PERSONAS = (
    "admin",
    "coordinator",
    "other_coordinator",
    "counsellor",
    "operator",
    "provider",
    "employer",
    "clinician",
    "commander",
    "analyst",
    "auditor",
    "veteran_user",
)


@pytest.fixture
def persona(request):
    """Indirect fixture: parametrize with a name from PERSONAS (or "anonymous")."""
    if request.param == "anonymous":
        return None
    return request.getfixturevalue(request.param)
