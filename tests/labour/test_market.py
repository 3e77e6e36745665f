"""The labour market's three definitions, on vacancies counted by hand: which are open, what
each pays, and the openings per region and occupation."""

from datetime import timedelta

import grimp
import pytest
from django.utils import timezone

from tests.conftest import make_veteran
from waypoint.analytics.filters import Filters
from waypoint.analytics.market import open_vacancies as analytics_open
from waypoint.employment import matching
from waypoint.employment.models import Employer, Vacancy
from waypoint.kit.russian_ids import make_inn
from waypoint.labour import market
from waypoint.orientation import market as orientation_market
from waypoint.orientation.engine import engine_for
from waypoint.people import services as people
from waypoint.people.models import Consent
from waypoint.taxonomy.models import Occupation

TODAY = timezone.localdate()
DAY = timedelta(days=1)


@pytest.fixture
def company(db) -> Employer:
    return Employer.objects.create(
        legal_name="ООО «Рынок»", inn=make_inn("770000022"), region_id="77"
    )


@pytest.fixture
def occupation(db) -> Occupation:
    return Occupation.objects.filter(isco_group__startswith="8332").first() or (
        Occupation.objects.first()
    )


def vacancy(company, title, region="77", **values) -> Vacancy:
    return Vacancy.objects.create(
        source="test", source_id=title, employer=company, title=title, region_id=region, **values
    )


def titles(vacancies) -> set[str]:
    return set(vacancies.values_list("title", flat=True))


def test_an_open_vacancy_is_published_not_closed_and_has_an_opening(company):
    vacancy(company, "published ten days ago", published_on=TODAY - 10 * DAY)
    vacancy(company, "no dates")
    vacancy(company, "closes today", closes_on=TODAY)
    vacancy(company, "closed yesterday", closes_on=TODAY - DAY)
    vacancy(company, "published tomorrow", published_on=TODAY + DAY)
    vacancy(company, "published today", published_on=TODAY)
    filled = vacancy(company, "no opening")
    Vacancy.objects.filter(pk=filled.pk).update(openings=0, veteran_quota=0)

    assert titles(market.open_vacancies()) == {
        "published ten days ago",
        "no dates",
        "closes today",
        "published today",
    }
    # Over a period: open on at least one of its days.
    assert titles(market.open_vacancies(TODAY - 30 * DAY, TODAY - 20 * DAY)) == {
        "no dates",
        "closes today",
        "closed yesterday",
    }
    assert titles(market.open_vacancies(TODAY, TODAY + DAY)) == {
        "published ten days ago",
        "no dates",
        "closes today",
        "published today",
        "published tomorrow",
    }
    assert titles(market.open_vacancies(TODAY + DAY)) == {
        "published ten days ago",
        "no dates",
        "published today",
        "published tomorrow",
    }


def test_a_vacancys_pay_is_the_middle_of_its_range_or_its_one_bound(company):
    vacancy(company, "range", salary_min=60_000, salary_max=90_000)
    vacancy(company, "odd range", salary_min=60_001, salary_max=90_000)
    vacancy(company, "from", salary_min=50_000)
    vacancy(company, "up to", salary_max=80_000)
    vacancy(company, "not said")

    pay = dict(market.with_pay(Vacancy.objects.all()).values_list("title", "pay"))

    assert pay == {
        "range": 75_000,
        "odd range": 75_000,  # 150 001 / 2, down to the rouble
        "from": 50_000,
        "up to": 80_000,
        "not said": None,
    }


def test_demand_sums_openings_per_region_and_occupation(company, occupation):
    vacancy(company, "a", occupation=occupation, openings=3, salary_min=60_000, salary_max=80_000)
    vacancy(company, "b", occupation=occupation, openings=2)
    vacancy(company, "c", region="66", occupation=occupation, openings=4, salary_max=100_000)
    vacancy(company, "not coded", openings=7, salary_min=10_000)
    vacancy(company, "later", occupation=occupation, openings=5, published_on=TODAY + DAY)

    rows = {row["region_id"]: row for row in market.demand()}

    assert set(rows) == {"77", "66"}
    assert rows["77"] == {
        "region_id": "77",
        "occupation_id": occupation.pk,
        "openings": 5,
        "vacancies": 2,
        "paid": 1,
        "mean_pay": 70_000,
    }
    assert (rows["66"]["openings"], rows["66"]["paid"], rows["66"]["mean_pay"]) == (4, 1, 100_000)


def test_the_version_changes_with_the_open_vacancies(company):
    before = market.version()
    later = vacancy(company, "later", published_on=TODAY + DAY)
    assert market.version() == before  # not open yet
    Vacancy.objects.filter(pk=later.pk).update(published_on=TODAY)
    assert market.version() != before


def test_a_vacancy_published_later_is_open_for_nobody_yet(employer, coordinator, company):
    """Regression: orientation's market and employment's matching ignored `published_on`
    (a vacancy dated tomorrow was ranked and matched today) while analytics honoured it."""
    matching.forget()
    driver = make_veteran(
        coordinator=coordinator,
        consents=(Consent.Purpose.PERSONAL_DATA, Consent.Purpose.SHARE_EMPLOYERS),
    )
    people.save_part(
        actor=coordinator,
        veteran=driver,
        kind="job",
        values={"title": "водитель грузовика", "start_year": 2012, "end_year": 2019},
    )
    engine = engine_for()
    truck = Occupation.objects.get(pk=engine.occupation_pks[0])
    now = vacancy(company, "Водитель грузового автомобиля", region="77", occupation=truck)
    later = vacancy(
        company,
        "Водитель грузового автомобиля (позже)",
        region="77",
        occupation=truck,
        published_on=TODAY + DAY,
    )

    matched = [m.vacancy_id for m in matching.vacancies_for(driver)]
    assert now.pk in matched
    assert later.pk not in matched
    assert matching.candidates_for(later) == []
    labour = orientation_market.market_for(engine)
    assert labour.openings["77"][engine.occupation_position[truck.pk]] == 1
    assert later not in analytics_open(Filters())
    matching.forget()


def test_the_market_imports_nothing_of_orientation():
    """Orientation reads the market; the market must not read orientation back (employment's
    matching imports orientation, so doing so would close a cycle)."""
    graph = grimp.build_graph("waypoint")

    assert not graph.chain_exists(
        importer="waypoint.labour", imported="waypoint.orientation", as_packages=True
    )
    assert not graph.chain_exists(
        importer="waypoint.orientation.market", imported="waypoint.employment.matching"
    )
