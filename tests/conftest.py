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


@pytest.fixture
def moscow_branch(db) -> Organisation:
    return make_organisation(name="Fund branch, Moscow", region_id="77")


@pytest.fixture
def sverdlovsk_branch(db) -> Organisation:
    return make_organisation(name="Fund branch, Yekaterinburg", region_id="66")


@pytest.fixture
def admin(db) -> User:
    return make_user(
        "administrator",
        make_organisation(name="Fund headquarters"),
        is_staff=True,
        scope=User.Scope.ALL,
    )


@pytest.fixture
def coordinator(moscow_branch) -> User:
    return make_user("coordinator", moscow_branch)


@pytest.fixture
def other_coordinator(sverdlovsk_branch) -> User:
    return make_user("coordinator", sverdlovsk_branch)


@pytest.fixture
def counsellor(moscow_branch) -> User:
    return make_user("career_counsellor", moscow_branch)


@pytest.fixture
def operator(db) -> User:
    return make_user(
        "call_centre_operator",
        make_organisation(name="Hotline", kind=Organisation.Kind.CALL_CENTRE),
    )


@pytest.fixture
def provider(db) -> User:
    return make_user(
        "training_provider_staff",
        make_organisation(name="College", kind=Organisation.Kind.TRAINING_PROVIDER),
    )


@pytest.fixture
def employer(db) -> User:
    return make_user(
        "employer_staff", make_organisation(name="Employer", kind=Organisation.Kind.EMPLOYER)
    )


@pytest.fixture
def clinician(db) -> User:
    return make_user("clinician", make_organisation(name="Clinic", kind=Organisation.Kind.CLINIC))


@pytest.fixture
def commander(db) -> User:
    return make_user(
        "commander", make_organisation(name="Unit", kind=Organisation.Kind.DEFENCE_UNIT)
    )


@pytest.fixture
def analyst(db) -> User:
    return make_user(
        "labour_analyst",
        make_organisation(name="Employment centre", kind=Organisation.Kind.EMPLOYMENT_CENTRE),
    )


@pytest.fixture
def auditor(db) -> User:
    return make_user("auditor", make_organisation(name="Inspectorate"))


@pytest.fixture
def veteran_user(db) -> User:
    return make_user("veteran")


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
