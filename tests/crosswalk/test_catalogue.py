"""The crosswalk catalogue: bundled on migrate, extended by administrators in the admin and by
CSV imports that are all or nothing, idempotent and explain every bad cell."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waypoint.audit.models import AuditEvent
from waypoint.crosswalk import catalogue, ranking
from waypoint.crosswalk.models import Specialty

HEADER = "key,vus,names_ru,names_en,isco,skills\n"
GOOD = HEADER + (
    "tractor_mech,,механик-тракторист; тракторист части,tractor mechanic,8341;7233,"
    "drive a tractor; repair agricultural machinery\n"
)


def test_the_bundled_catalogue_is_loaded_on_migrate(db):
    assert Specialty.objects.filter(source=Specialty.Source.BUNDLED).count() >= 140
    cook = Specialty.objects.get(key="cook")
    assert "кок" in [name.lower() for name in cook.names]
    assert cook.isco_list[0] == "5120"
    assert catalogue.load_bundled() == 0  # in step already: nothing to write


def test_loading_again_keeps_what_administrators_changed(db):
    cook = Specialty.objects.get(key="cook")
    cook.isco_groups, cook.source = "5120", Specialty.Source.ADMIN
    cook.save()
    Specialty.objects.filter(key="sapper").update(isco_groups="9313")  # still bundled
    catalogue.load_bundled()
    assert Specialty.objects.get(key="cook").isco_groups == "5120"
    assert Specialty.objects.get(key="sapper").isco_groups != "9313"


def test_an_import_creates_then_changes_nothing_the_second_time(db):
    first = catalogue.import_csv(GOOD)
    assert first.created == ["tractor_mech"]
    entry = Specialty.objects.get(key="tractor_mech")
    assert entry.source == Specialty.Source.IMPORT
    assert entry.isco_list == ["8341", "7233"]
    assert AuditEvent.objects.filter(action="crosswalk.specialty.import").count() == 1
    again = catalogue.import_csv(GOOD)
    assert (again.created, again.updated, again.unchanged) == ([], [], 1)
    assert AuditEvent.objects.filter(action="crosswalk.specialty.import").count() == 1
    changed = catalogue.import_csv(GOOD.replace("8341;7233", "8341"))
    assert changed.updated == ["tractor_mech"]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("Bad Key,,имя,,8332,", "line 2, column 'key': a slug"),
        ("k,,,,8332,", "line 2, column 'names_ru': at least one Russian name"),
        ("k,,имя,,0310,", "line 2, column 'isco': '0310' is not a civilian ISCO-08"),
        ("k,,имя,,83,", "line 2, column 'isco': '83' is not a civilian ISCO-08"),
        ("k,,имя,,,", "line 2, column 'isco': at least one ISCO-08 unit group"),
        ("k,,имя,,8332,,extra", "line 2: more cells than columns"),
    ],
)
def test_a_bad_row_is_named_by_line_column_and_rule(db, row, problem):
    with pytest.raises(catalogue.CatalogueError) as error:
        catalogue.import_csv(HEADER + row + "\n")
    assert any(problem in text for text in error.value.problems), error.value.problems


def test_an_import_is_all_or_nothing(db):
    text = GOOD + "Bad Key,,имя,,8332,\n"
    with pytest.raises(catalogue.CatalogueError) as error:
        catalogue.import_csv(text)
    assert "line 3" in str(error.value)
    assert not Specialty.objects.filter(key="tractor_mech").exists()


def test_the_header_must_name_known_columns(db):
    with pytest.raises(catalogue.CatalogueError) as error:
        catalogue.import_csv("key,names,isco\nk,имя,8332\n")
    assert "no column 'names_ru'" in str(error.value)
    assert "column 'names': unknown column" in str(error.value)


def test_the_command_imports_exports_and_matches(db, tmp_path, capsys):
    path = tmp_path / "extra.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("crosswalk", "import", str(path))
    assert "1 created" in capsys.readouterr().out
    call_command("crosswalk", "import", str(path))
    assert "1 unchanged" in capsys.readouterr().out
    exported = tmp_path / "all.csv"
    call_command("crosswalk", "export", "--output", str(exported))
    assert catalogue.import_csv(exported.read_text(encoding="utf-8")).created == []
    call_command("crosswalk", "match", "механик-тракторист в/ч")
    assert '"key": "tractor_mech"' in capsys.readouterr().out
    path.write_text(HEADER + "k,,имя,,12,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2, column 'isco'"):
        call_command("crosswalk", "import", str(path))


def test_an_entry_added_in_the_admin_is_audited_and_matched(client, admin):
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        "/admin/crosswalk/specialty/add/",
        {
            "key": "beekeeper_mil",
            "names_ru": "пасечник части",
            "isco_groups": "6123",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    entry = Specialty.objects.get(key="beekeeper_mil")
    assert entry.source == Specialty.Source.ADMIN
    assert AuditEvent.objects.filter(action="crosswalk.specialty.admin_add").exists()
    (found,) = ranking.match(["пасечник части, 2 года"])
    assert [f.entry.key for f in found] == ["beekeeper_mil"]
    refused = client.post(
        "/admin/crosswalk/specialty/add/",
        {"key": "x", "names_ru": "имя", "isco_groups": "0310", "is_active": "on"},
    )
    assert refused.status_code == 200
    assert not Specialty.objects.filter(key="x").exists()
