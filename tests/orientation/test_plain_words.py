"""Issue 17: explanations in plain words (English and Russian), numbers only for staff, and
what to add when nothing recorded says what a veteran can do."""

import json
import re
from datetime import timedelta

from django.utils import timezone, translation

from tests.conftest import make_veteran
from waypoint.orientation import explanations, services
from waypoint.orientation.models import OrientationRun
from waypoint.people import services as people
from waypoint.regions.models import Region
from waypoint.taxonomy.models import Occupation, Skill
from waypoint.training import services as training
from waypoint.training.models import Provider

OCCUPATION = "urn:waypoint:starter:occupation:"
SKILL = "urn:waypoint:starter:skill:"
SCORE = re.compile(r"\b0[.,]\d\d\b")  # 0.26, 0,26: a score or a term of one


def _text(html: str) -> str:
    """What a reader sees: no tags, scripts or hidden inputs (tokens hold digits)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_sentences_in_english_and_russian():
    values = {
        "occupation": "bus driver",
        "held": ["drive trucks", "road traffic regulations"],
        "sources": ["driving licences C, CE"],
        "missing": ["category D driving licence", "serve passengers"],
        "course": {
            "title": "Bus driver",
            "provider": "Transport college",
            "weeks": 13,
            "start": "2027-01-11",
            "taught": 2,
            "leads": True,
        },
    }
    with translation.override("en"):
        english = explanations.sentences(**values)
    assert english == [
        "You already have the skills “drive trucks” and “road traffic regulations” "
        "(from: driving licences C, CE).",
        "To work as “bus driver” you would add “category D driving licence” and "
        "“serve passengers”.",
        # The date's spaces are non-breaking: a date never splits across two lines.
        "The course “Bus driver” at Transport college (3 months, next group from "
        "11\u00a0Jan\u00a02027) teaches 2 of these skills.",
    ]
    russian_values = values | {
        "occupation": "водитель автобуса",
        "held": ["водить грузовой автомобиль"],
        "sources": ["водительские права категорий C, CE"],
        "missing": ["водительское удостоверение категории D"],
    }
    with translation.override("ru"):
        russian = explanations.sentences(**russian_values)
    assert russian == [
        "Вы уже владеете навыком «водить грузовой автомобиль» "
        "(источник: водительские права категорий C, CE).",
        "Чтобы работать по профессии «водитель автобуса», нужно добавить "
        "«водительское удостоверение категории D».",
        "Курс «Bus driver» (Transport college; 3 месяца, ближайшая группа с 11.01.2027) "
        "обучает 2 из этих навыков.",
    ]
    with translation.override("ru"):
        nothing_missing = explanations.sentences(
            occupation="водитель", held=[], sources=[], missing=[], preferred=True
        )
    assert nothing_missing[1:] == [
        "У вас есть все обязательные навыки профессии «водитель».",
        "Эту профессию вы назвали сами.",
    ]


def test_stored_sources_read_in_the_readers_language():
    assert explanations.source_text("military specialty: сапёр", "ru") == (
        "военная специальность: сапёр"
    )
    assert explanations.source_text("driving licence C", "en") == "driving licence C"
    assert explanations.source_text("something else", "ru") == "something else"
    assert explanations.sources_text(
        ["driving licence CE", "driving licence B", "declared: сварка"], "en"
    ) == ["driving licences B, CE", "declared: сварка"]


def _driver(coordinator, **values):
    veteran = make_veteran(coordinator=coordinator, driving_licences="B,C", **values)
    people.save_part(
        actor=coordinator,
        veteran=veteran,
        kind="job",
        values={"title": "водитель грузовика", "start_year": 2012, "end_year": 2019},
    )
    return veteran


def test_the_orientation_page_speaks_sentences_and_hides_numbers_in_details(
    client, coordinator, provider
):
    veteran = _driver(coordinator)
    college = Provider.objects.create(
        organisation=provider.organisation, kind="vocational_school", licence_number="Л035-9"
    )
    programme = training.save_programme(
        actor=provider,
        provider=college,
        values={
            "title": "Водитель автобуса",
            "duration_weeks": 13,
            "format": "on_site",
            "region": Region.objects.get(code="77"),
            "payer": "fund",
        },
        skills=list(Skill.objects.filter(uri__in=[SKILL + "drive_bus", SKILL + "tachograph"])),
        occupations=[Occupation.objects.get(uri=OCCUPATION + "bus_driver")],
    )
    programme.cohorts.create(start_date=timezone.localdate() + timedelta(days=30), seats=5)
    client.force_login(coordinator)
    url = f"/veterans/{veteran.pk}/orientation/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Вы уже владеете навыками" in page
    assert "водительские права категорий B, C" in page
    assert "Чтобы работать по профессии" in page
    # Staff find the score and its terms behind "details", never in the sentences.
    explanation = re.findall(r'<p class="explanation">(.*?)</p>', page, re.S)
    assert explanation
    assert not any(SCORE.search(text) for text in explanation)
    details = re.findall(r"<details>(.*?)</details>", page, re.S)
    assert any(SCORE.search(d) and "обязательные навыки" in d for d in details)
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You already have the skills" in english
    bus = Occupation.objects.get(uri=OCCUPATION + "bus_driver")
    services.give_feedback(actor=coordinator, veteran=veteran, occupation=bus, decision="added")
    services.orient_veteran(actor=coordinator, veteran=veteran)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The course “Водитель автобуса”" in page
    assert "3 months" in page


def test_the_veteran_sees_no_numeric_sums(client, veteran_user, own_veteran, coordinator):
    own_veteran.driving_licences = "B,C"
    own_veteran.save(update_fields=["driving_licences"])
    client.force_login(veteran_user)
    for url in (
        f"/veterans/{own_veteran.pk}/orientation/",
        f"/veterans/{own_veteran.pk}/",
        f"/veterans/{own_veteran.pk}/plan/",
    ):
        for language in ("ru", "en"):
            page = _text(client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode())
            assert not SCORE.search(page), (url, language, SCORE.search(page))
            assert " + " not in page
    page = client.get(f"/veterans/{own_veteran.pk}/orientation/").content.decode()
    assert OrientationRun.objects.filter(veteran=own_veteran).exists()
    assert "You already have" in page or "Вы уже владеете" in page


def test_the_api_adds_a_plain_summary_and_keeps_the_numbers(client, coordinator):
    veteran = _driver(coordinator)
    services.orient_veteran(actor=coordinator, veteran=veteran)
    client.force_login(coordinator)
    url = f"/api/v1/veterans/{veteran.pk}/orientation"
    first = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["recommendations"][0]
    assert first["summary"].startswith("You already have")
    assert not SCORE.search(first["summary"])
    assert first["terms"]
    assert first["score"]
    assert first["matched"]
    russian = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").json()["recommendations"][0]
    assert russian["summary"].startswith("Вы уже владеете")
    response = client.post(
        "/api/v1/orientation/what-if",
        json.dumps({"profile": {"licences": ["C"]}, "top": 2}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert all(item["summary"] for item in response.json())


def test_a_veteran_without_evidence_is_told_what_to_add(
    client, coordinator, veteran_user, own_veteran
):
    bare = make_veteran(coordinator=coordinator)
    client.force_login(coordinator)
    url = f"/veterans/{bare.pk}/orientation/"
    page = client.get(url).content.decode()
    assert "nothing recorded says what this veteran can do" in page
    for link in (
        f"/veterans/{bare.pk}/service/add/",
        f"/veterans/{bare.pk}/job/add/",
        f"/veterans/{bare.pk}/skill/add/",
        f"/veterans/{bare.pk}/edit/",
    ):
        assert f'href="{link}"' in page
    assert not OrientationRun.objects.filter(veteran=bare).exists()
    response = client.post(f"{url}run/", follow=True)
    assert "Nothing recorded yet says what this veteran can do." in response.content.decode()
    api = client.post(f"/api/v1/veterans/{bare.pk}/orientation")
    assert api.status_code == 422
    assert api.json()["detail"][0]["field"] == "evidence"
    assert "a military specialty" in api.json()["detail"][0]["message"]
    summary = client.get(f"/veterans/{bare.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "военную специальность" in summary
    # Once a licence is recorded, the first look ranks.
    people.update_veteran(actor=coordinator, veteran=bare, changes={"driving_licences": "B"})
    assert "You already have" in client.get(url).content.decode()
    assert OrientationRun.objects.filter(veteran=bare).exists()
    # The veteran on their own record reads it addressed to them.
    client.force_login(veteran_user)
    page = client.get(f"/veterans/{own_veteran.pk}/orientation/").content.decode()
    assert "your record does not say yet what you can do" in page
