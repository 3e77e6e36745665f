"""Issue 17: evidence without contradictions. A licence, a completed course and a confirmed
skill cover what they stand for: never "missing", never scheduled as training."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests.conftest import SHARED_DATA, make_veteran
from waypoint.orientation import credentials, plans, profiles, services
from waypoint.orientation.engine import engine_for
from waypoint.orientation.models import OrientationRun
from waypoint.people import services as people
from waypoint.people.validators import DRIVING_CATEGORIES
from waypoint.regions.models import Region
from waypoint.taxonomy.models import Occupation, Skill, Taxonomy
from waypoint.training import services as training
from waypoint.training.models import Enrolment, Provider

SKILL = "urn:waypoint:starter:skill:"
OCCUPATION = "urn:waypoint:starter:occupation:"
# The licence skill and the driving skill each category stands for in the starter taxonomy.
STARTER = {
    "B": ("driving_licence_b", "drive_car"),
    "C": ("driving_licence_c", "drive_truck"),
    "CE": ("driving_licence_ce", "drive_articulated"),
    "D": ("driving_licence_d", "drive_bus"),
}


def uris(engine, covered: credentials.Covered) -> dict[str, float]:
    return {engine.skill_uris[p]: strength for p, strength in covered.skills.items()}


def test_every_category_the_registry_stores_stands_for_something():
    assert set(credentials.VEHICLE_SKILLS) == set(DRIVING_CATEGORIES)
    assert set(credentials.NO_ROAD_TEST) <= set(DRIVING_CATEGORIES)
    for included in credentials.INCLUDES.values():
        assert set(included) <= set(DRIVING_CATEGORIES)


@pytest.mark.parametrize("category", DRIVING_CATEGORIES)
def test_every_category_covers_starter_skills(db, category):
    engine = engine_for()
    held = uris(engine, credentials.licence(engine, category))
    assert held[SKILL + "road_traffic_rules"] == credentials.TESTED  # every exam tests the rules
    if category in STARTER:
        licence, driving = STARTER[category]
        assert held[SKILL + licence] == credentials.DOCUMENT  # the licence itself
        assert held[SKILL + driving] == credentials.TESTED


def test_a_category_includes_the_ones_the_law_lets_it_drive():
    held = credentials.categories(["b", "СЕ", "D", "X"])  # Cyrillic С and Е, an unknown X
    assert held == {"B": ["B"], "CE": ["CE", "C", "C1", "C1E"], "D": ["D", "D1"]}


def _truck_veteran(coordinator, licences: str = "B,C,CE"):
    veteran = make_veteran(coordinator=coordinator, driving_licences=licences)
    people.save_part(
        actor=coordinator,
        veteran=veteran,
        kind="job",
        values={"title": "водитель-экспедитор", "start_year": 2012, "end_year": 2019},
    )
    return veteran


def test_a_held_licence_is_never_missing_nor_scheduled(coordinator):
    veteran = _truck_veteran(coordinator)
    run = services.orient_veteran(actor=coordinator, veteran=veteran)
    held_licences = {SKILL + s for s in ("driving_licence_b", "driving_licence_c")} | {
        SKILL + "driving_licence_ce"
    }
    ranked = {item["uri"]: item for item in services.results_of(run)}
    assert OCCUPATION + "truck_driver" in ranked
    for item in ranked.values():
        assert not held_licences & {s["uri"] for s in item["missing"]}, item["label"]
    truck = ranked[OCCUPATION + "truck_driver"]
    matched = {s["uri"]: s["sources"] for s in truck["matched"]}
    assert matched[SKILL + "driving_licence_c"] == ["driving licence C", "driving licence CE"]
    assert "driving licence C" in matched[SKILL + "drive_truck"]
    # Choose the bus: category D is still missing (he holds none), B, C and CE never are.
    bus = Occupation.objects.get(uri=OCCUPATION + "bus_driver")
    services.give_feedback(actor=coordinator, veteran=veteran, occupation=bus, decision="added")
    services.orient_veteran(actor=coordinator, veteran=veteran)
    plan = plans.save_plan(actor=coordinator, veteran=veteran)
    missing = {s["uri"] for o in plan.content["occupations"] for s in o["missing"]}
    scheduled = {
        s["uri"] for step in plan.content["steps"] if "skills" in step for s in step["skills"]
    }
    assert SKILL + "driving_licence_d" in missing
    assert not held_licences & (missing | scheduled)
    words = plans.readable(plan.content, "en")["steps"]
    assert not any("category C driving licence" in step["text"] for step in words)


def test_a_licence_recorded_after_the_ranking_is_not_missing_there(coordinator):
    veteran = _truck_veteran(coordinator, licences="")
    run = services.orient_veteran(actor=coordinator, veteran=veteran)
    before = services.readable_results(run, veteran, "en")
    truck = next(i for i in before if i["uri"] == OCCUPATION + "truck_driver")
    assert SKILL + "driving_licence_c" in {s["uri"] for s in truck["missing"]}
    people.update_veteran(actor=coordinator, veteran=veteran, changes={"driving_licences": "CE"})
    veteran.refresh_from_db()
    after = services.readable_results(run, veteran, "en")  # the same stored ranking
    truck = next(i for i in after if i["uri"] == OCCUPATION + "truck_driver")
    assert SKILL + "driving_licence_c" not in {s["uri"] for s in truck["missing"]}
    plan = plans.save_plan(actor=coordinator, veteran=veteran)
    assert SKILL + "driving_licence_c" not in {
        s["uri"] for o in plan.content["occupations"] for s in o["missing"]
    }


def test_a_completed_course_covers_the_skills_it_taught(coordinator, provider):
    college = Provider.objects.create(
        organisation=provider.organisation, kind="vocational_school", licence_number="Л035-9"
    )
    taught = list(Skill.objects.filter(uri__in=[SKILL + "tachograph", SKILL + "secure_cargo"]))
    programme = training.save_programme(
        actor=provider,
        provider=college,
        values={
            "title": "Водитель-дальнобойщик",
            "duration_weeks": 12,
            "format": "on_site",
            "region": Region.objects.get(code="77"),
            "payer": "fund",
        },
        skills=taught,
        occupations=[],
    )
    cohort = programme.cohorts.create(
        start_date=timezone.localdate() - timedelta(days=100), seats=5
    )
    veteran = _truck_veteran(coordinator)
    Enrolment.objects.create(veteran=veteran, cohort=cohort, status="completed")
    run = services.orient_veteran(actor=coordinator, veteran=veteran)
    long_haul = next(
        i for i in services.results_of(run) if i["uri"] == OCCUPATION + "long_haul_driver"
    )
    matched = {s["uri"]: s["sources"] for s in long_haul["matched"]}
    assert matched[SKILL + "tachograph"] == ["course completed: Водитель-дальнобойщик"]
    assert not {SKILL + "tachograph", SKILL + "secure_cargo"} & {
        s["uri"] for s in long_haul["missing"]
    }
    assert {SKILL + "tachograph", SKILL + "secure_cargo"} <= credentials.covered_now(veteran)


def test_a_what_if_profile_takes_licences_the_same_way(db):
    engine = engine_for()
    evidence = profiles.from_json(engine, {"licences": ["ce"]})
    held = {engine.skill_uris[p] for p in evidence.strength}
    wanted = {SKILL + "driving_licence_ce", SKILL + "driving_licence_c", SKILL + "drive_truck"}
    assert wanted <= held


ESCO = SHARED_DATA / "esco-1.1.1"


@pytest.mark.shared_data
@pytest.mark.skipif(not ESCO.exists(), reason="../shared/data is absent")
def test_licences_on_esco_find_skills_by_their_labels(db):
    """ESCO 1.1.1 names no licence category, but its driving skills are found by label."""
    from waypoint.taxonomy import services as taxonomy_services

    taxonomy_services.import_esco(sorted(ESCO.glob("*.zip")))
    esco = Taxonomy.objects.get(code="esco")
    skills = list(Skill.objects.filter(taxonomy=esco).order_by("pk").values_list("pk", "uri"))
    engine = SimpleNamespace(  # what credentials needs of an engine, without building one
        taxonomy_id=esco.pk,
        skill_position={pk: i for i, (pk, _uri) in enumerate(skills)},
        skill_uris=[uri for _pk, uri in skills],
        memo={},
    )
    labels = dict(Skill.objects.filter(taxonomy=esco).values_list("uri", "preferred_label"))

    def held(category: str) -> set[str]:
        return {labels[uri] for uri in uris(engine, credentials.licence(engine, category))}

    for category in DRIVING_CATEGORIES:
        assert {"road traffic laws", "interpret traffic signals"} <= held(category), category
    assert {"drive vehicles", "drive in urban areas", "park vehicles"} <= held("B")
    assert "manoeuvre heavy trucks" in held("C")
    assert "manoeuvre bus" in held("D")
    assert "drive two-wheeled vehicles" in held("A")
    assert "drive trams" in held("TM")
    assert "manoeuvre heavy trucks" not in held("B")


def test_orient_all_ranks_every_status_but_only_with_evidence(coordinator):
    statuses = ["new", "active", "in_training", "employed", "paused", "closed"]
    with_evidence = [
        make_veteran(coordinator=coordinator, status=status, driving_licences="B")
        for status in statuses
    ]
    bare = make_veteran(coordinator=coordinator)
    assert services.orient_all() == len(statuses)
    ranked = set(OrientationRun.objects.values_list("veteran_id", flat=True))
    assert ranked == {v.pk for v in with_evidence}
    assert bare.pk not in ranked
