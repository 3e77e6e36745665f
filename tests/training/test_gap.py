"""Training that closes a veteran's skill gap for an occupation, on the orientation page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import make_veteran
from waypoint.orientation import services as orientation
from waypoint.people import services as people
from waypoint.regions.models import Region
from waypoint.taxonomy.models import Occupation, Skill
from waypoint.training import services
from waypoint.training.models import Provider
from waypoint.training.selectors import programmes_closing_gap

SOON = timezone.localdate() + timedelta(days=20)


@pytest.fixture
def college(provider) -> Provider:
    return Provider.objects.create(
        organisation=provider.organisation, kind="vocational_school", licence_number="Л035-9"
    )


def _programme(provider, college, title, skills=(), occupations=(), region="77", **values):
    programme = services.save_programme(
        actor=provider,
        provider=college,
        values={
            "title": title,
            "duration_weeks": 8,
            "format": "on_site",
            "region": Region.objects.get(code=region),
            "payer": "fund",
            **values,
        },
        skills=list(skills),
        occupations=list(occupations),
    )
    return programme


def test_programmes_teaching_more_missing_skills_come_first(provider, college):
    welder = Occupation.objects.get(uri__endswith="occupation:welder")
    needed = list(Skill.objects.filter(occupation_links__occupation=welder).order_by("pk")[:3])
    uris = [s.uri for s in needed]
    broad = _programme(provider, college, "Сварщик: полный курс", skills=needed)
    narrow = _programme(provider, college, "Сварка: модуль", skills=needed[:1])
    leads = _programme(provider, college, "Сварщик: подготовка", occupations=[welder])
    closed = _programme(provider, college, "Закрытая", skills=needed, is_active=False)
    started = _programme(provider, college, "Уже идёт", skills=needed)
    for programme in (broad, narrow, leads, closed):
        services.add_cohort(actor=provider, programme=programme, start_date=SOON, seats=5)
    started.cohorts.create(start_date=timezone.localdate() - timedelta(days=3), seats=5)
    found = programmes_closing_gap(welder.pk, uris, "77", limit=10)
    assert [p.pk for p in found] == [broad.pk, narrow.pk, leads.pk]
    assert found[0].taught == len(needed)
    assert found[0].next_start == SOON


def test_the_orientation_page_lists_training_for_the_gap(client, coordinator, provider, college):
    veteran = make_veteran(coordinator=coordinator)
    people.save_part(
        actor=coordinator,
        veteran=veteran,
        kind="job",
        values={"title": "сварщик", "start_year": 2012, "end_year": 2019},
    )
    run = orientation.orient_one(veteran)
    top = orientation.results_of(run)[0]
    missing = Skill.objects.filter(uri__in=[s["uri"] for s in top["missing"]])
    programme = _programme(
        provider, college, "Курс под пробелы", skills=missing, occupations=[top["occupation_id"]]
    )
    services.add_cohort(actor=provider, programme=programme, start_date=SOON, seats=5)
    client.force_login(coordinator)
    page = client.get(f"/veterans/{veteran.pk}/orientation/").content.decode()
    assert "Курс под пробелы" in page
    assert "Training that closes the gap" in page
