"""Vacancy import: the portal's JSON and CSV, broken records, broken files, re-imports."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waypoint.audit.models import AuditEvent
from waypoint.employment.importing import import_vacancies
from waypoint.employment.models import Employer, Vacancy

FIXTURE = Path(__file__).parent / "fixtures" / "vacancies.json"


def test_portal_json_imports_valid_records_and_reports_the_rest(db):
    report = import_vacancies(FIXTURE)
    assert (report.read, report.created, report.updated) == (7, 3, 0)
    assert report.employers_created == 2
    assert report.rejected == [
        (4, "salary_max", "below salary_min"),
        (5, "state_region_code", "no federal subject has this code"),
        (6, "company.inn", "not a valid INN (check digits)"),
        (7, "id", "every vacancy needs its id at the source"),
    ]
    truck = Vacancy.objects.get(source_id="a1b2c3-0001")
    assert truck.region_id == "77"
    assert (truck.salary_min, truck.salary_max, truck.openings) == (80000, 110000, 3)
    assert (truck.schedule, truck.employment_type) == ("shift", "full")
    assert truck.occupation.uri == "urn:waypoint:starter:occupation:truck_driver"
    welder = Vacancy.objects.get(source_id="a1b2c3-0002")
    assert welder.salary_max is None
    assert welder.schedule == "rotation"
    assert welder.occupation.uri == "urn:waypoint:starter:occupation:welder"
    event = AuditEvent.objects.get(action="employment.vacancies.import")
    assert event.actor is None
    assert event.changes["created"] == [None, 3]
    assert event.changes["rejected"] == [None, 4]


def test_reimport_updates_and_never_duplicates(db):
    import_vacancies(FIXTURE)
    Vacancy.objects.filter(source_id="a1b2c3-0003").update(title="changed")
    report = import_vacancies(FIXTURE)
    assert (report.created, report.updated) == (0, 3)
    assert Vacancy.objects.count() == 3
    assert Employer.objects.count() == 2
    assert Vacancy.objects.get(source_id="a1b2c3-0003").title == "Охранник"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"meta": {}}', 'no "vacancies" array'),
        ('{"vacancies": [{"id": "1", "vacancy_name": "x"', "truncated"),
        ('{"vacancies": [{"id": "1", "vacancy_name": }]}', "broken JSON"),
    ],
)
def test_a_broken_file_writes_nothing(db, tmp_path, content, message):
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_vacancies", str(path))
    assert Vacancy.objects.count() == 0


def test_csv_and_the_command(db, tmp_path, capsys):
    path = tmp_path / "vacancies.csv"
    path.write_text(
        "id,vacancy_name,state_region_code,salary_min,salary_max,work_places,company_inn,company_name\n"
        "c-1,Повар,77,50000,60000,2,7707083893,Сбер\n"
        "c-2,Повар,77,x,60000,2,7707083893,Сбер\n",
        encoding="utf-8",
    )
    call_command("import_vacancies", str(path), "--source", "csv-test")
    out, err = capsys.readouterr()
    assert "1 vacancies new" in out
    assert "record 2: salary_min: a number is expected" in err
    path.write_text("title,region\nx,77\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing columns: id"):
        call_command("import_vacancies", str(path))


def test_vacancy_pages_and_api(client, counsellor):
    import_vacancies(FIXTURE)
    client.force_login(counsellor)
    page = client.get("/vacancies/", {"region": "77"}).content.decode()
    assert "Водитель грузового автомобиля категории С" in page
    assert "Охранник" not in page  # region 78
    truck = Vacancy.objects.get(source_id="a1b2c3-0001")
    assert "7707083893" in client.get(f"/vacancies/{truck.pk}/").content.decode()
    data = client.get("/api/v1/vacancies", {"q": "сварщик"}).json()
    assert data["count"] == 1
    assert data["items"][0]["region"] == "66"
    assert client.get(f"/api/v1/vacancies/{truck.pk}").json()["employer_inn"] == "7707083893"


def _portal(records: list[str]) -> str:
    return '{"vacancies": [' + ",\n".join(records) + "]}"


GOOD_RECORD = (
    '{"id": "%s", "vacancy_name": "Повар", "state_region_code": "77", "salary_min": %s, '
    '"company": {"inn": "7707083893", "name": "Сбер"}}'
)


@pytest.mark.parametrize(
    ("record", "field", "rule"),
    [
        (GOOD_RECORD % ("big", "1e25"), "salary_min", "must be between 0 and 2147483647"),
        (GOOD_RECORD % ("huge", "10000000000000000000000000"), "salary_min", "must be between"),
        (GOOD_RECORD % ("inf", '"1e999999999"'), "salary_min", "must be between"),
        (GOOD_RECORD % ("neg", "-5"), "salary_min", "at least 0"),
        (GOOD_RECORD % ("nan", '"NaN"'), "salary_min", "a number is expected"),
        (GOOD_RECORD % ("list", "[1]"), "salary_min", "a number is expected"),
        (GOOD_RECORD % ("nul\\u0000", "1"), "id", "contains a NUL character"),
        (GOOD_RECORD % ("x" * 81, "1"), "id", "at most 80 characters (this one has 81)"),
        (
            '{"id": "t", "vacancy_name": "%s", "state_region_code": "77", '
            '"company": {"inn": "7707083893"}}' % ("П" * 301),
            "vacancy_name",
            "at most 300 characters",
        ),
        (
            '{"id": "e", "vacancy_name": "Повар", "state_region_code": "77", '
            '"required_experience": 40000, "company": {"inn": "7707083893"}}',
            "required_experience",
            "must be between 0 and 32767",
        ),
        (
            '{"id": "c", "vacancy_name": "Повар", "state_region_code": "77", "company": [1]}',
            "company",
            "an object is expected",
        ),
        (
            '{"id": "n", "vacancy_name": {"ru": "Повар"}, "state_region_code": "77", '
            '"company": {"inn": "7707083893"}}',
            "vacancy_name",
            "a text is expected",
        ),
        ("[" * 100_000 + "]" * 100_000, "record", "nested deeper than the parser allows"),
        (
            '{"id": "d", "vacancy_name": "Повар", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
            "record",
            "nested deeper than the parser allows",
        ),
        (GOOD_RECORD % ("digits", "1" * 5000), "record", "cannot be read: Exceeds the limit"),
    ],
)
def test_a_bad_record_is_reported_and_the_rest_imported(db, tmp_path, record, field, rule):
    path = tmp_path / "portal.json"
    path.write_text(_portal([GOOD_RECORD % ("a", 1000), record, GOOD_RECORD % ("b", 2000)]))
    report = import_vacancies(path)
    assert [(n, name) for n, name, _rule in report.rejected] == [(2, field)]
    assert rule in report.rejected[0][2]
    assert sorted(Vacancy.objects.values_list("source_id", flat=True)) == ["a", "b"]


def test_a_deep_record_across_read_chunks(db, tmp_path, monkeypatch):
    from waypoint.employment import importing

    monkeypatch.setattr(importing, "CHUNK", 1000)
    deep = "[" * 50_000 + '"]["' + "]" * 50_000
    path = tmp_path / "portal.json"
    path.write_text(_portal([deep, GOOD_RECORD % ("a", 1000)]))
    report = import_vacancies(path)
    assert [(n, name) for n, name, _rule in report.rejected] == [(1, "record")]
    assert list(Vacancy.objects.values_list("source_id", flat=True)) == ["a"]


@pytest.mark.parametrize(
    ("content", "encoding", "message"),
    [
        (_portal([GOOD_RECORD % ("a", 1)]).encode("cp1251"), "utf-8", "can't decode"),
        (b'{"vacancies": [' + b"[" * 100_000, "utf-8", "truncated"),
    ],
)
def test_a_file_that_cannot_be_parsed_is_a_clear_error(db, tmp_path, content, encoding, message):
    path = tmp_path / "portal.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_vacancies", str(path), "--encoding", encoding)
    assert not Vacancy.objects.exists()


def test_a_csv_record_with_a_nul_or_a_huge_salary(db, tmp_path, capsys):
    path = tmp_path / "vacancies.csv"
    path.write_text(
        "id,vacancy_name,state_region_code,salary_min,company_inn\n"
        "c-1,Повар,77,50000,7707083893\n"
        "c-2,Пов\x00ар,77,50000,7707083893\n"
        "c-3,Повар,77,99999999999999999999999999,7707083893\n",
        encoding="utf-8",
    )
    call_command("import_vacancies", str(path))
    err = capsys.readouterr().err
    assert "record 2: vacancy_name: contains a NUL character" in err
    assert "record 3: salary_min: must be between 0 and 2147483647" in err
    assert list(Vacancy.objects.values_list("source_id", flat=True)) == ["c-1"]
