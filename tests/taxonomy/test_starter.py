from django.core.management import call_command

from waypoint.taxonomy.models import Occupation, OccupationSkill, Skill, Taxonomy
from waypoint.taxonomy.services import load_starter
from waypoint.taxonomy.starter import parse_starter


def test_starter_is_loaded_by_migrate_and_active(db):
    starter = Taxonomy.objects.get(code="starter")
    assert starter.is_active
    occupations = Occupation.objects.filter(taxonomy=starter)
    assert occupations.filter(is_military=False).count() >= 150
    assert occupations.filter(is_military=True).count() >= 40
    assert Skill.objects.filter(taxonomy=starter).count() >= 440


def test_every_occupation_is_complete():
    release = parse_starter()
    english = {uri for uri, language, _kind, _text in release.occupation_labels if language == "en"}
    russian = {uri for uri, language, _kind, _text in release.occupation_labels if language == "ru"}
    assert english == russian == set(release.occupations)
    essential = {
        occupation
        for (occupation, _skill), kind in release.occupation_skills.items()
        if kind == "essential"
    }
    assert essential == set(release.occupations)
    for values in release.occupations.values():
        assert len(values["isco_group"]) == 4
        assert values["descriptions"]["en"]
        assert values["descriptions"]["ru"]


def test_reload_is_idempotent(db):
    before = (Occupation.objects.count(), OccupationSkill.objects.count())
    summary = load_starter()
    assert (summary.created, summary.updated) == (0, 0)
    assert (Occupation.objects.count(), OccupationSkill.objects.count()) == before


def test_russian_labels_and_descriptions(db):
    from django.utils import translation

    driver = Occupation.objects.get(code="truck_driver")
    assert driver.labels.filter(language="ru", text="водитель грузовика").exists()
    with translation.override("ru"):
        assert driver.description.startswith("Перевозит грузы")
    assert driver.description.startswith("Drives trucks")


def test_military_occupations_link_to_civilian_skills(db):
    tracked = Occupation.objects.get(code="mil_tracked_driver")
    skills = {
        link.skill.uri.rsplit(":", 1)[1] for link in tracked.skill_links.select_related("skill")
    }
    assert {"drive_tracked", "diesel_engines"} <= skills


def test_esco_replaces_starter_for_matching(db, tmp_path):
    from tests.taxonomy import esco_fixture as fx
    from waypoint.taxonomy.services import import_esco

    import_esco([fx.write_language_pack(tmp_path / "en"), fx.write_relations_pack(tmp_path / "r")])
    assert Taxonomy.objects.get(is_active=True).code == "esco"
    call_command("taxonomy", "activate", "starter")
    assert Taxonomy.objects.get(is_active=True).code == "starter"
