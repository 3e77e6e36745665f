"""Russian on the screen: ОКЗ names, names carried over from the starter taxonomy, label
files, and the one display rule."""

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from tests.conftest import SHARED_DATA
from tests.taxonomy import esco_fixture as fx
from waypoint.audit.models import AuditEvent
from waypoint.taxonomy import display, label_files, russian, services
from waypoint.taxonomy.label_files import LabelFileError, import_labels
from waypoint.taxonomy.models import (
    ImportedLabel,
    IscoGroup,
    Occupation,
    OccupationLabel,
    Skill,
    Taxonomy,
)
from waypoint.taxonomy.okz import OKZ_FILE, OkzError, okz, okz_name, read_okz

ESCO_EN = SHARED_DATA / "esco-1.1.1" / "ESCO dataset - v1.1.1 - classification - en - csv.zip"


# ОКЗ -------------------------------------------------------------------------------------


def test_okz_file_has_every_level_of_isco_08_named_in_russian():
    names = read_okz()
    lengths = [len(code) for code in names]
    assert [lengths.count(n) for n in (1, 2, 3, 4)] == [10, 43, 130, 436]
    for code, name in names.items():
        assert re.fullmatch(r"\d{1,4}", code)
        assert re.search(r"[А-Яа-яЁё]", name)
        assert name == name.strip()
        assert len(code) == 1 or code[:-1] in names, f"{code} has no parent group"
    assert names["8332"] == "Водители грузовых автомобилей"
    assert names["0"] == "Военнослужащие"


@pytest.mark.skipif(not ESCO_EN.exists(), reason="needs ../shared/data (ESCO 1.1.1)")
def test_okz_names_every_isco_group_of_esco():
    with zipfile.ZipFile(ESCO_EN) as archive:
        text = archive.read("ISCOGroups_en.csv").decode("utf-8-sig")
    codes = {row["code"] for row in csv.DictReader(io.StringIO(text))}
    assert len(codes) == 619
    assert sorted(codes - set(okz())) == []


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        ("code,name\n11,Руководители\n11,Снова\n", "line 3, code: 11 given twice"),
        ("code,name\n12345,Руководители\n", "line 2, code: 1 to 4 digits"),
        ("code,name\n1,Managers\n", "line 2, name: a Russian name is required"),
        ("code;name\n", "line 1: the header must be code,name"),
    ],
)
def test_a_bad_okz_file_is_refused_with_line_and_rule(tmp_path, content, rule):
    path = tmp_path / "okz.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(OkzError, match=re.escape(rule)):
        read_okz(path)


def test_isco_groups_take_their_okz_names(db, tmp_path):
    services.load_starter()
    services.import_esco(
        [fx.write_language_pack(tmp_path / "en"), fx.write_relations_pack(tmp_path / "r")]
    )
    groups = IscoGroup.objects.all()
    assert groups
    assert all(group.label_ru == okz_name(group.code) for group in groups)
    with translation.override("ru"):
        assert IscoGroup.objects.get(code="8").label == okz()["8"]
    with translation.override("en"):
        group = IscoGroup.objects.get(code="8")
        assert group.label == group.label_en


# Carry-over ------------------------------------------------------------------------------


@pytest.fixture
def esco(db, tmp_path):
    services.load_starter()
    services.import_esco(
        [fx.write_language_pack(tmp_path / "en"), fx.write_relations_pack(tmp_path / "r")]
    )


def _occupation(tail: str) -> Occupation:
    return Occupation.objects.get(uri=fx.OCC + tail)


def test_starter_concepts_are_named_by_their_own_russian_labels(esco):
    truck = Occupation.objects.get(uri="urn:waypoint:starter:occupation:truck_driver")
    assert (truck.label_ru, truck.label_ru_source) == ("водитель грузового автомобиля", "release")
    assert not Skill.objects.filter(taxonomy__code="starter", label_ru="").exists()


def test_starter_names_are_carried_over_to_esco_by_the_rule(esco):
    # preferred = preferred ("welder", "security guard", "patrol areas")
    assert _occupation("welder").label_ru == "электрогазосварщик"
    assert _occupation("guard").label_ru == "охранник"
    assert Skill.objects.get(uri=fx.SKILL + "patrol").label_ru == "патрулировать территорию"
    # the starter's preferred "truck driver" is an alternative label of ESCO's lorry driver,
    # in the same ISCO-08 unit group
    lorry = _occupation("lorry")
    assert (lorry.label_ru, lorry.label_ru_source) == ("водитель грузового автомобиля", "carried")
    # nothing in the starter taxonomy reads "armed forces private"
    assert _occupation("soldier").label_ru == ""


def test_an_alternative_label_alone_does_not_cross_isco_groups(esco):
    """The starter's platoon commander is also called "captain" (ISCO 0110); an airline
    captain (3153) must not become a military officer in Russian."""
    taxonomy = Taxonomy.objects.get(code="esco")
    pilot = Occupation.objects.create(
        taxonomy=taxonomy, uri=fx.OCC + "pilot", preferred_label="airline pilot", isco_group="3153"
    )
    OccupationLabel.objects.create(
        occupation=pilot, language="en", kind="alternative", text="captain"
    )
    officer = Occupation.objects.create(
        taxonomy=taxonomy, uri=fx.OCC + "officer", preferred_label="army officer", isco_group="0110"
    )
    OccupationLabel.objects.create(
        occupation=officer, language="en", kind="alternative", text="captain"
    )
    starter_captains = OccupationLabel.objects.filter(
        occupation__taxonomy__code="starter", language="en", kind="alternative", text="captain"
    )
    assert starter_captains.exists()
    russian.refresh(taxonomy)
    pilot.refresh_from_db()
    officer.refresh_from_db()
    assert pilot.label_ru == ""
    assert officer.label_ru == starter_captains[0].occupation.label_ru


def test_label_key_reads_past_case_order_articles_and_plurals():
    assert russian.label_key("Operate a Forklift") == russian.label_key("forklift operate")
    assert russian.label_key("drive trucks") == russian.label_key("Drive truck")
    assert russian.label_key("batteries") == russian.label_key("battery")
    assert russian.label_key("glass") == "glass"


def test_reimporting_esco_keeps_the_russian_names(esco, tmp_path):
    services.import_esco(
        [fx.write_language_pack(tmp_path / "en2"), fx.write_relations_pack(tmp_path / "r2")]
    )
    assert _occupation("welder").label_ru == "электрогазосварщик"


# Display ---------------------------------------------------------------------------------


def test_one_rule_decides_the_name_shown(esco):
    welder, soldier = _occupation("welder"), _occupation("soldier")
    with translation.override("en"):
        assert display.term(welder).text == "welder"
        assert display.term(welder).__html__() == "welder"
    with translation.override("ru"):
        assert display.term(welder).text == "электрогазосварщик"
        html = display.term(welder).__html__()
        assert "title=" not in html  # no English tooltip on a Russian screen
        assert 'class="term-en" lang="en"> (welder)' in html
        # no Russian name: the ОКЗ name of the unit group, then the English label
        assert display.term(soldier).text == (
            "Военнослужащие других воинских званий (armed forces private)"
        )
        skill = Skill.objects.get(uri=fx.SKILL + "safety")
        assert display.term(skill).__html__() == (
            '<span class="term" lang="en">health and safety regulations</span>'
        )
        # stored dicts (orientation results, career plans) follow the same rule
        assert display.term({"label": "welder", "label_ru": "сварщик"}).text == "сварщик"
        assert display.term({"label_en": "x", "isco_group": "8332"}).text == (
            "Водители грузовых автомобилей (x)"
        )
    assert display.term(welder, "ru").text == "электрогазосварщик"


def test_pages_show_russian_names_with_the_english_one_click_away(esco, client, coordinator):
    client.force_login(coordinator)
    welder = _occupation("welder")
    page = client.get(f"/taxonomy/occupations/{welder.pk}/", HTTP_ACCEPT_LANGUAGE="ru")
    text = page.content.decode()
    shown = '<h1><span class="term">электрогазосварщик<span class="term-en" lang="en"> (welder)'
    assert shown in text
    assert 'id="show-english"' in text  # the EN switch
    english = client.get(f"/taxonomy/occupations/{welder.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "<h1>welder" in english.content.decode()


def test_api_names_in_the_language_asked_for(esco, client, coordinator):
    client.force_login(coordinator)
    welder = _occupation("welder")
    url = f"/api/v1/taxonomy/occupations/{welder.pk}"
    assert client.get(url).json()["label"] == "welder"
    russian_answer = client.get(url + "?lang=ru").json()
    assert (russian_answer["label"], russian_answer["label_en"]) == ("электрогазосварщик", "welder")
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="ru").json()["label"] == "электрогазосварщик"
    found = client.get("/api/v1/taxonomy/search?q=welder&lang=ru").json()
    assert found[0]["label"] == "электрогазосварщик"
    assert found[0]["label_en"] == "welder"


# Label files -----------------------------------------------------------------------------


def _file(*rows: str, header: str = "uri,label,alt_labels") -> str:
    return "\n".join([header, *rows]) + "\n"


def test_label_file_import_wins_reports_and_is_idempotent(esco, admin):
    text = _file(
        f"{fx.OCC}soldier,рядовой,солдат | стрелок",
        f"{fx.OCC}welder,сварщик,",
        f"{fx.SKILL}safety,,",
    )
    summary = import_labels(actor=admin, text=text)
    assert (summary.rows, summary.created, summary.updated, summary.blank) == (2, 2, 0, 1)
    soldier = _occupation("soldier")
    assert (soldier.label_ru, soldier.label_ru_source) == ("рядовой", "imported")
    assert _occupation("welder").label_ru == "сварщик"  # imported wins over carried
    assert ImportedLabel.objects.get(uri=fx.OCC + "soldier").alternatives == ["солдат", "стрелок"]
    assert summary.names["occupation"]["imported"] == 2
    again = import_labels(actor=admin, text=text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    event = AuditEvent.objects.filter(action="taxonomy.import_labels").first()
    assert event is not None
    assert event.changes["created"] == [None, 0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_file(f"{fx.OCC}nobody,никто,"), "line 2, column uri: no occupation or skill of ESCO"),
        (_file(f"{fx.OCC}welder,welder,"), "line 2, column label: 'welder' has no ru letter"),
        (
            _file(f"{fx.OCC}welder,сварщик,", f"{fx.OCC}welder,сварщица,"),
            "line 3, column uri: http://data.europa.eu/esco/occupation/welder is already on line 2",
        ),
        (_file(f"{fx.OCC}welder,,сварщик"), "line 2, column label: alternative labels need"),
        (_file(f"{fx.OCC}welder,сварщик", header="uri,lable"), "line 1, column label: the header"),
        (_file(f"{fx.OCC}welder,сварщик,", header="uri,label,notes"), "line 1, column notes"),
        (_file(f"{fx.OCC}welder,сварщик"), "line 2: 2 fields where the header has 3"),
        ("", "line 1: the file is empty"),
    ],
)
def test_a_bad_label_file_names_line_column_and_rule_and_writes_nothing(esco, admin, text, message):
    good = f"{fx.OCC}guard,сторож,\n"
    with pytest.raises(LabelFileError, match=re.escape(message)):
        import_labels(actor=admin, text=text + good if text else text)
    assert not ImportedLabel.objects.exists()
    assert _occupation("guard").label_ru == "охранник"


def test_an_unknown_language_or_taxonomy_is_refused(esco, admin):
    with pytest.raises(LabelFileError, match="--language: one of ru"):
        import_labels(actor=admin, text=_file(), language="de")
    with pytest.raises(LabelFileError, match="--taxonomy: no taxonomy 'onet'"):
        import_labels(actor=admin, text=_file(), taxonomy_code="onet")


def test_export_then_import_changes_nothing_until_someone_fills_a_name(esco, admin, tmp_path):
    path = tmp_path / "esco_ru.csv"
    call_command("taxonomy", "export-labels", str(path))
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert {row["kind"] for row in rows} == {"occupation", "skill"}
    welder = next(row for row in rows if row["uri"] == fx.OCC + "welder")
    assert (welder["label"], welder["source"]) == ("электрогазосварщик", "carried")
    summary = label_files.import_label_file(actor=admin, path=path)
    assert summary.rows == 0
    assert not ImportedLabel.objects.exists()
    for row in rows:
        if row["uri"] == fx.OCC + "soldier":
            row["label"] = "рядовой"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = io.StringIO()
    call_command("taxonomy", "import-labels", str(path), "--language", "ru", stdout=out)
    assert "1 labels read (1 new" in out.getvalue()
    assert "ESCO" in out.getvalue()
    assert "named in Russian" in out.getvalue()
    assert _occupation("soldier").label_ru_source == "imported"


def test_the_command_refuses_a_bad_file_and_says_nothing_was_written(esco, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(_file(f"{fx.OCC}welder,welder,"), encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 2, column label.*Nothing was written"):
        call_command("taxonomy", "import-labels", str(path))
    with pytest.raises(CommandError, match="no such file"):
        call_command("taxonomy", "import-labels", str(tmp_path / "none.csv"))


def test_okz_file_is_in_the_package():
    assert OKZ_FILE.exists()
    assert OKZ_FILE.parent.name == "data"
    assert Path(russian.__file__).parent == OKZ_FILE.parent.parent
