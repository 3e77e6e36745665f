from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import SHARED_DATA
from tests.taxonomy import esco_fixture as fx
from tests.taxonomy.test_normalization import russian_titles
from waypoint.taxonomy import normalization, services
from waypoint.taxonomy.models import (
    IscoGroup,
    Occupation,
    OccupationLabel,
    OccupationSkill,
    Skill,
    SkillLabel,
    SkillRelation,
    Taxonomy,
)
from waypoint.taxonomy.sources import SourceError


@pytest.fixture
def release(tmp_path) -> list[Path]:
    return [fx.write_language_pack(tmp_path / "en"), fx.write_relations_pack(tmp_path / "rel")]


def test_import_esco_folders(db, release):
    summary = services.import_esco(release)
    assert (summary.occupations, summary.skills, summary.occupation_skill_relations) == (4, 4, 6)
    assert (summary.essential, summary.optional) == (4, 2)
    lorry = Occupation.objects.get(uri=fx.OCC + "lorry")
    assert (lorry.isco_group, lorry.code, lorry.is_military) == ("8332", "8332.1", False)
    assert Occupation.objects.get(uri=fx.OCC + "soldier").is_military
    assert set(lorry.labels.values_list("kind", "text")) == {
        ("preferred", "lorry driver"),
        ("alternative", "truck driver"),
        ("alternative", "HGV driver"),
    }
    assert Skill.objects.get(uri=fx.SKILL + "safety").is_transversal
    assert SkillRelation.objects.filter(source__taxonomy__code="esco").count() == 1
    assert IscoGroup.objects.get(code="8332").parent_id == "833"
    assert Taxonomy.objects.get(code="esco").is_active


def test_reimport_updates_and_never_duplicates(db, release, tmp_path):
    services.import_esco(release)
    ids = dict(Occupation.objects.values_list("uri", "pk"))
    again = services.import_esco(release)
    assert (again.created, again.updated) == (0, 0)
    assert dict(Occupation.objects.values_list("uri", "pk")) == ids
    assert OccupationSkill.objects.filter(occupation__taxonomy__code="esco").count() == 6
    assert OccupationLabel.objects.filter(occupation__taxonomy__code="esco").count() == 4 + 4
    changed = [fx.write_language_pack(tmp_path / "en2", suffix=" (new)"), release[1]]
    summary = services.import_esco(changed)
    assert summary.updated == 8
    assert Occupation.objects.get(pk=ids[fx.OCC + "lorry"]).preferred_label == (
        "lorry driver (new)"
    )


def test_import_from_zips_and_a_second_language(db, tmp_path):
    en = fx.zip_folder(fx.write_language_pack(tmp_path / "en"), tmp_path / "en.zip")
    ru = fx.zip_folder(fx.write_language_pack(tmp_path / "ru", "ru", " ру"), tmp_path / "ru.zip")
    rel = fx.zip_folder(fx.write_relations_pack(tmp_path / "rel"), tmp_path / "rel.zip")
    services.import_esco([en, ru, rel])
    lorry = Occupation.objects.get(uri=fx.OCC + "lorry")
    assert lorry.preferred_label == "lorry driver"
    assert lorry.labels.filter(language="ru", kind="preferred").get().text == "lorry driver ру"
    assert SkillLabel.objects.filter(language="ru", skill__taxonomy__code="esco").count() == 6


def _nothing_written():
    assert not Taxonomy.objects.exclude(code="starter").exists()
    assert not Occupation.objects.exclude(taxonomy__code="starter").exists()


def test_relations_pack_is_required(db, tmp_path):
    with pytest.raises(SourceError, match=r"occupationSkillRelations\.csv is missing"):
        services.import_esco([fx.write_language_pack(tmp_path / "en")])
    _nothing_written()


def test_english_pack_is_required(db, tmp_path):
    paths = [
        fx.write_language_pack(tmp_path / "ru", "ru"),
        fx.write_relations_pack(tmp_path / "rel"),
    ]
    with pytest.raises(SourceError, match="English language pack"):
        services.import_esco(paths)
    _nothing_written()


def test_wrong_file_is_named(db, release):
    (release[0] / "skills_en.csv").write_text("name,colour\nx,y\n", encoding="utf-8")
    with pytest.raises(
        SourceError, match=r"skills_en\.csv: not the expected file: missing columns"
    ):
        services.import_esco(release)
    _nothing_written()


def test_truncated_csv_is_refused(db, release):
    path = release[1] / "occupationSkillRelations.csv"
    path.write_bytes(path.read_bytes().rsplit(b",", 2)[0])
    with pytest.raises(SourceError, match="cut off or damaged"):
        services.import_esco(release)
    _nothing_written()


def test_truncated_zip_is_refused(db, release, tmp_path):
    archive = fx.zip_folder(release[0], tmp_path / "en.zip")
    archive.write_bytes(archive.read_bytes()[:-300])
    with pytest.raises(SourceError, match="damaged or cut off"):
        services.import_esco([archive, release[1]])
    _nothing_written()


def test_relations_of_another_release_are_refused(db, tmp_path):
    stray = [[fx.OCC + f"ghost{n}", "essential", "knowledge", fx.SKILL + "drive"] for n in range(5)]
    paths = [
        fx.write_language_pack(tmp_path / "en"),
        fx.write_relations_pack(tmp_path / "rel", stray),
    ]
    with pytest.raises(SourceError, match="same release"):
        services.import_esco(paths)
    _nothing_written()


def test_command_reports_and_refuses(db, release, capsys):
    call_command("taxonomy", "import-esco", *map(str, release))
    assert "4 occupations, 4 skills, 6 occupation-skill relations" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("taxonomy", "import-esco", str(release[0]))
    call_command("taxonomy", "list")
    listing = capsys.readouterr().out
    assert "* esco" in listing
    assert "  starter" in listing


def write_onet(folder: Path) -> Path:
    folder.mkdir()
    (folder / "Occupation Data.txt").write_text(
        "O*NET-SOC Code\tTitle\tDescription\n"
        "53-3032.00\tHeavy and Tractor-Trailer Truck Drivers\tDrive trucks.\n"
        "55-3014.00\tArtillery and Missile Crew Members\tTarget and fire weapons.\n",
        encoding="utf-8",
    )
    (folder / "Alternate Titles.txt").write_text(
        "O*NET-SOC Code\tAlternate Title\tShort Title\tSource(s)\n"
        "53-3032.00\tLong Haul Driver\tn/a\t08\n53-3032.00\tOTR Driver\tOTR\t08\n",
        encoding="utf-8",
    )
    (folder / "Skills.txt").write_text(
        "O*NET-SOC Code\tTitle\tElement ID\tElement Name\tScale ID\tData Value\n"
        "53-3032.00\tx\t2.B.3.a\tOperation and Control\tIM\t3.9\n"
        "53-3032.00\tx\t2.B.3.a\tOperation and Control\tLV\t4.0\n"
        "53-3032.00\tx\t2.A.1.a\tReading Comprehension\tIM\t2.9\n"
        "55-3014.00\tx\t2.A.1.a\tReading Comprehension\tIM\t2.0\n",
        encoding="utf-8",
    )
    return folder


def test_import_onet(db, tmp_path):
    summary = services.import_onet(write_onet(tmp_path / "onet"))
    assert (summary.occupations, summary.skills, summary.occupation_skill_relations) == (2, 2, 2)
    truck = Occupation.objects.get(code="53-3032.00")
    assert set(truck.labels.values_list("text", flat=True)) == {
        "Heavy and Tractor-Trailer Truck Drivers",
        "Long Haul Driver",
        "OTR Driver",
        "OTR",
    }
    assert Occupation.objects.get(code="55-3014.00").is_military
    assert set(truck.skill_links.values_list("relation", flat=True)) == {"essential", "optional"}


def test_onet_without_occupation_data_is_refused(db, tmp_path):
    (tmp_path / "onet").mkdir()
    with pytest.raises(SourceError, match=r"Occupation Data\.txt is missing"):
        services.import_onet(tmp_path / "onet")


def test_activate(db, release, tmp_path):
    services.import_esco(release)
    services.import_onet(write_onet(tmp_path / "onet"))
    assert Taxonomy.objects.get(is_active=True).code == "esco"
    call_command("taxonomy", "activate", "onet")
    assert Taxonomy.objects.get(is_active=True).code == "onet"
    with pytest.raises(CommandError, match="no taxonomy"):
        call_command("taxonomy", "activate", "nope")


ESCO = SHARED_DATA / "esco-1.1.1"


@pytest.mark.shared_data
@pytest.mark.skipif(not ESCO.exists(), reason="../shared/data is absent")
def test_official_esco_release(db, monkeypatch):
    # Lexical only: the sentence encoder's index of ESCO takes minutes to build (its path is
    # tested with a stand-in model in test_normalization, measured by bench/eval_text.py).
    monkeypatch.setenv("WAYPOINT_SEMANTIC", "0")
    summary = services.import_esco(sorted(ESCO.glob("*.zip")))
    assert (summary.occupations, summary.skills) == (3007, 13896)
    assert summary.occupation_skill_relations == 123_855
    assert (summary.essential, summary.optional) == (64_946, 58_909)
    assert summary.relations_not_stored == 67
    assert Occupation.objects.filter(preferred_label="cargo vehicle driver").exists()
    # Russian text reaches the English-only ESCO through the bundled starter taxonomy.
    rows = [row for row in russian_titles() if row["esco"]]
    found = normalization.normalize([row["text"] for row in rows], k=10)
    hits = [
        row["esco"] in {candidate.label for candidate in candidates}
        for row, candidates in zip(rows, found, strict=True)
    ]
    assert sum(hits) / len(hits) >= 0.9, [
        row["text"] for row, hit in zip(rows, hits, strict=True) if not hit
    ]
