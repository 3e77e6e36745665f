"""Two-sided matching through the registry: a veteran's vacancies and a vacancy's candidates,
explained, with the veteran's limitations acting only as a filter."""

import pytest
from django.utils import timezone

from tests.conftest import make_veteran
from waypoint.employment import access, matching, services
from waypoint.employment.models import Employer, Vacancy
from waypoint.kit.russian_ids import make_inn
from waypoint.people import services as people
from waypoint.people.models import Consent, Preferences, WorkLimitation
from waypoint.regions.models import Region

SHARING = (Consent.Purpose.PERSONAL_DATA, Consent.Purpose.SHARE_EMPLOYERS)


@pytest.fixture(autouse=True)
def fresh_indexes(db):
    matching.forget()
    yield
    matching.forget()


@pytest.fixture
def company(employer) -> Employer:
    return Employer.objects.create(
        legal_name="ООО «Грузовик»",
        inn=make_inn("770000011"),
        region_id="77",
        organisation=employer.organisation,
    )


def _vacancy(employer, company, title, region="77", **values):
    return services.save_vacancy(
        actor=employer,
        employer=company,
        values={"title": title, "region": Region.objects.get(code=region), **values},
    )


@pytest.fixture
def driver(coordinator):
    veteran = make_veteran(coordinator=coordinator, consents=SHARING)
    people.save_part(
        actor=coordinator,
        veteran=veteran,
        kind="job",
        values={"title": "водитель грузовика", "start_year": 2012, "end_year": 2019},
    )
    return veteran


def test_a_drivers_vacancies_rank_the_driving_job_at_home_first(
    employer, company, driver, coordinator
):
    home = _vacancy(employer, company, "Водитель грузового автомобиля", salary_max=90_000)
    far = _vacancy(employer, company, "Водитель грузового автомобиля", region="66")
    cook = _vacancy(employer, company, "Повар")
    found = matching.vacancies_for(driver)
    ids = [m.vacancy_id for m in found]
    assert ids[0] == home.pk
    assert far.pk not in ids  # another region, not accepted, no relocation
    assert cook.pk in ids
    assert ids.index(cook.pk) > 0
    best = found[0]
    assert best.location == "home"
    assert best.matched
    assert best.terms["fit"] > 0
    assert abs(sum(best.terms.values()) - best.score) < 1e-3
    Preferences.objects.create(veteran=driver, willing_to_relocate=True)
    matching.forget()
    assert far.pk in [m.vacancy_id for m in matching.vacancies_for(driver)]


def test_limitations_filter_and_are_never_explained(employer, company, driver, coordinator):
    wheel = _vacancy(employer, company, "Водитель грузового автомобиля")
    desk = _vacancy(employer, company, "Диспетчер", schedule="full_day")
    WorkLimitation.objects.create(veteran=driver, restrictions=["no_driving"])
    ids = [m.vacancy_id for m in matching.vacancies_for(driver)]
    assert wheel.pk not in ids
    assert desk.pk in ids
    _vacancy(employer, company, "Водитель автобуса", accessible_for=["no_driving"])
    for match in matching.vacancies_for(driver):
        assert "limitation" not in str(match)


def test_a_vacancys_candidates_are_consenting_veterans(
    employer, company, driver, coordinator, other_coordinator
):
    vacancy = _vacancy(employer, company, "Водитель грузового автомобиля")
    silent = make_veteran(coordinator=coordinator)
    people.save_part(
        actor=coordinator,
        veteran=silent,
        kind="job",
        values={"title": "водитель грузовика", "start_year": 2010, "end_year": 2020},
    )
    found = [m.veteran_id for m in matching.candidates_for(vacancy)]
    assert found == [driver.pk]
    assert access.candidate_scope(employer, vacancy) is None
    scope = access.candidate_scope(other_coordinator, vacancy)
    assert matching.candidates_for(vacancy, among=scope) == []


def test_a_withdrawn_consent_takes_effect_on_the_next_request(
    employer, company, driver, coordinator
):
    vacancy = _vacancy(employer, company, "Водитель грузового автомобиля")
    assert [m.veteran_id for m in matching.candidates_for(vacancy)] == [driver.pk]
    # The pool stays cached: another veteran gives consent as the driver withdraws it, so
    # the number of consenting veterans, the pool's key, is unchanged.
    newcomer = make_veteran(coordinator=coordinator)
    people.give_consent(
        actor=coordinator,
        veteran=newcomer,
        purpose=Consent.Purpose.SHARE_EMPLOYERS,
        channel=Consent.Channel.IN_PERSON,
    )
    people.withdraw_consent(
        actor=coordinator, veteran=driver, purpose=Consent.Purpose.SHARE_EMPLOYERS
    )
    assert driver.pk not in [m.veteran_id for m in matching.candidates_for(vacancy)]


def test_the_index_follows_a_changed_vacancy(employer, company, driver):
    vacancy = _vacancy(employer, company, "Повар")
    assert vacancy.pk in [m.vacancy_id for m in matching.vacancies_for(driver)]
    services.save_vacancy(
        actor=employer,
        employer=company,
        vacancy=vacancy,
        values={"closes_on": timezone.localdate().replace(year=2020), "published_on": None},
    )
    assert vacancy.pk not in [m.vacancy_id for m in matching.vacancies_for(driver)]


def test_pages_and_api(client, employer, company, driver, coordinator):
    vacancy = _vacancy(employer, company, "Водитель грузового автомобиля")
    client.force_login(coordinator)
    page = client.get(f"/veterans/{driver.pk}/vacancies/").content.decode()
    assert vacancy.title in page
    assert "in the home region" in page
    client.post(f"/vacancies/{vacancy.pk}/apply/", {"veteran": driver.pk})
    assert Vacancy.objects.get().applications.count() == 1
    client.force_login(employer)
    page = client.get(f"/vacancies/{vacancy.pk}/candidates/").content.decode()
    assert driver.full_name in page
    api = client.get(f"/api/v1/vacancies/{vacancy.pk}/candidates").json()
    assert api[0]["veteran_id"] == driver.pk
    assert api[0]["matched"]
    client.force_login(coordinator)
    api = client.get(f"/api/v1/veterans/{driver.pk}/vacancies?k=5").json()
    assert api[0]["vacancy_id"] == vacancy.pk


def test_orientation_sees_demand_and_pay_from_open_vacancies(employer, company, coordinator):
    from waypoint.orientation import services as orientation

    veteran = make_veteran(coordinator=coordinator)
    Preferences.objects.create(veteran=veteran, expected_salary=60_000)
    people.save_part(
        actor=coordinator,
        veteran=veteran,
        kind="job",
        values={"title": "водитель грузовика", "start_year": 2012, "end_year": 2019},
    )
    before = orientation.results_of(orientation.orient_one(veteran))
    assert all(result["terms"].get("demand", 0) == 0 for result in before)
    vacancy = _vacancy(
        employer, company, "Водитель грузового автомобиля", salary_max=90_000, openings=20
    )
    after = orientation.results_of(orientation.orient_one(veteran))
    driving = next(r for r in after if r["occupation_id"] == vacancy.occupation_id)
    assert driving["terms"]["demand"] > 0
    assert driving["terms"]["pay"] > 0
