"""The taxonomy browser and API, on the bundled starter taxonomy."""

import json

import pytest

from waypoint.people import services
from waypoint.taxonomy.models import Occupation, Skill

STARTER = "urn:waypoint:starter:"


@pytest.fixture
def truck_driver(db) -> Occupation:
    return Occupation.objects.get(uri=STARTER + "occupation:truck_driver")


@pytest.fixture
def first_aid(db) -> Skill:
    return Skill.objects.get(uri=STARTER + "skill:first_aid")


def test_browser_suggests_as_you_type_in_russian(client, counsellor, truck_driver):
    client.force_login(counsellor)
    page = client.get("/taxonomy/suggest/", {"q": "водитель грузовика"}).content.decode()
    assert f"/taxonomy/occupations/{truck_driver.pk}/" in page
    full = client.get("/taxonomy/", {"q": "водитель грузовика"}).content.decode()
    assert 'hx-get="/taxonomy/suggest/"' in full
    assert f"/taxonomy/occupations/{truck_driver.pk}/" in full


def test_browser_lists_isco_groups_and_their_occupations(client, counsellor, truck_driver):
    client.force_login(counsellor)
    assert "?isco=8" in client.get("/taxonomy/").content.decode()
    page = client.get("/taxonomy/", {"isco": "83"}).content.decode()
    assert truck_driver.preferred_label in page
    assert client.get("/taxonomy/", {"isco": "x1"}).status_code == 404


def test_occupation_page(client, coordinator, moscow_veteran, sverdlovsk_veteran, truck_driver):
    for veteran, actor in ((moscow_veteran, coordinator), (sverdlovsk_veteran, None)):
        services.save_part(
            actor=actor or veteran.coordinator,
            veteran=veteran,
            kind="job",
            values={"title": "водитель грузовика", "start_year": 2012},
        )
    client.force_login(coordinator)
    page = client.get(f"/taxonomy/occupations/{truck_driver.pk}/").content.decode()
    assert "8332" in page
    assert "Essential skills" in page
    assert "tachograph" in page  # an optional skill
    assert "long-haul truck driver" in page  # same ISCO group and shared skills
    assert "Veterans who fit" in page
    assert moscow_veteran.full_name in page
    assert sverdlovsk_veteran.full_name not in page  # out of this coordinator's scope


def test_occupation_page_shows_no_veterans_to_those_who_may_not_see_them(
    client, employer, truck_driver
):
    client.force_login(employer)
    page = client.get(f"/taxonomy/occupations/{truck_driver.pk}/").content.decode()
    assert "Veterans who fit" not in page


def test_skill_page_lists_the_occupations_that_need_it(client, counsellor, first_aid):
    client.force_login(counsellor)
    page = client.get(f"/taxonomy/skills/{first_aid.pk}/").content.decode()
    assert "Essential for" in page
    assert "paramedic" in page


def test_pages_answer_404_for_missing_concepts(client, counsellor):
    client.force_login(counsellor)
    assert client.get("/taxonomy/occupations/999999/").status_code == 404
    assert client.get("/taxonomy/skills/999999/").status_code == 404


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_api_search(client, analyst, truck_driver, first_aid):
    client.force_login(analyst)
    found = client.get("/api/v1/taxonomy/search", {"q": "грузовик", "limit": 3}).json()
    assert found[0]["id"] == truck_driver.pk
    assert len(found) <= 3
    found = client.get("/api/v1/taxonomy/search", {"q": "первая помощь", "kind": "skills"}).json()
    assert found[0]["id"] == first_aid.pk
    response = client.get("/api/v1/taxonomy/search", {"q": "x", "kind": "vacancies"})
    assert response.status_code == 422
    assert "kind" in json.dumps(response.json())


def test_api_occupation_and_skill(client, analyst, truck_driver, first_aid):
    client.force_login(analyst)
    occupation = client.get(f"/api/v1/taxonomy/occupations/{truck_driver.pk}").json()
    assert occupation["isco_group"] == "8332"
    assert "водитель грузовика" in occupation["labels"]
    assert "drive_truck" in {s["uri"].rsplit(":", 1)[1] for s in occupation["essential_skills"]}
    skill = client.get(f"/api/v1/taxonomy/skills/{first_aid.pk}").json()
    assert "paramedic" in {o["uri"].rsplit(":", 1)[1] for o in skill["essential_for"]}
    assert client.get("/api/v1/taxonomy/occupations/999999").status_code == 404


def test_api_normalize_and_extract_skills(client, analyst):
    client.force_login(analyst)
    result = post(
        client, "/api/v1/taxonomy/normalize", {"texts": ["сварщик", "platoon sergeant"], "top": 2}
    ).json()
    assert [row["text"] for row in result] == ["сварщик", "platoon sergeant"]
    assert result[0]["candidates"][0]["uri"] == STARTER + "occupation:welder"
    assert result[1]["candidates"][0]["uri"] == STARTER + "occupation:mil_platoon_sergeant"
    assert len(result[0]["candidates"]) <= 2
    result = post(
        client,
        "/api/v1/taxonomy/extract-skills",
        {"texts": ["оказывал первую помощь и водил грузовик"]},
    ).json()
    uris = {candidate["uri"] for candidate in result[0]["candidates"]}
    assert STARTER + "skill:first_aid" in uris


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"texts": []}, "texts"),
        ({"texts": ["a"], "top": 0}, "top"),
        ({"texts": ["a" * 2001]}, "texts[0]"),
    ],
)
def test_api_text_input_is_checked(client, analyst, payload, field):
    client.force_login(analyst)
    response = post(client, "/api/v1/taxonomy/normalize", payload)
    assert response.status_code == 422
    assert field in json.dumps(response.json())


def test_api_without_an_active_taxonomy_says_so(client, analyst):
    from waypoint.taxonomy.models import Taxonomy

    Taxonomy.objects.update(is_active=False)
    client.force_login(analyst)
    response = post(client, "/api/v1/taxonomy/normalize", {"texts": ["сварщик"]})
    assert response.status_code == 422
    assert "load-starter" in response.json()["detail"][0]["message"]
    assert client.get("/taxonomy/", {"q": "x"}).status_code == 200
