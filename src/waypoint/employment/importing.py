"""Vacancies from the open data of the national job portal (JSON with `vacancies[]`) or CSV.

Records stream from the file; the whole import is one transaction (a wrong or truncated file
writes nothing); a bad record is reported by its position, field and rule and skipped; a
re-import updates vacancies by their source id and never duplicates them. Titles are
normalised to occupations of the active taxonomy in batches.

Nothing in a record reaches the database unchecked: every number against its column's range,
every text against its column's length and for NUL characters (PostgreSQL refuses them), every
field for its type. A record the JSON parser cannot take (nested too deep, a number of
thousands of digits) is skipped and reported like any other bad record.
"""

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from waypoint.audit.services import record_bulk
from waypoint.employment.models import Employer, Vacancy
from waypoint.kit.columns import integer_problem, nul_problem, text_problem
from waypoint.kit.russian_ids import is_valid_inn, is_valid_ogrn
from waypoint.regions.models import Region
from waypoint.taxonomy import normalization

BATCH = 5000
CHUNK = 1 << 20
SCHEDULES = {
    "полный рабочий день": "full_day",
    "сменный график": "shift",
    "гибкий график": "flexible",
    "удаленная работа": "remote",
    "удалённая работа": "remote",
    "вахтовый метод": "rotation",
}
EMPLOYMENT = {
    "полная занятость": "full",
    "частичная занятость": "part",
    "временная": "temporary",
    "сезонная": "seasonal",
    "стажировка": "internship",
}
CSV_COLUMNS = [
    "id",
    "vacancy_name",
    "code_profession",
    "state_region_code",
    "salary_min",
    "salary_max",
    "work_places",
    "company_inn",
    "company_ogrn",
    "company_name",
    "education",
    "required_experience",
    "schedule_type",
    "busy_type",
]


class VacancyFileError(Exception):
    """The file itself is wrong: nothing was written."""


@dataclass(frozen=True)
class Unreadable:
    """A record of the file that the JSON parser could not take, and why."""

    reason: str


@dataclass
class Report:
    read: int = 0
    created: int = 0
    updated: int = 0
    employers_created: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (record, field, rule)


def read_portal_json(stream: io.TextIOBase) -> Iterator[dict]:
    """The objects of the top-level `vacancies` array, one at a time, without loading the
    whole file."""
    decoder = json.JSONDecoder()
    buffer = ""
    position = 0

    def fill() -> bool:
        nonlocal buffer, position
        chunk = stream.read(CHUNK)
        if not chunk:
            return False
        buffer = buffer[position:] + chunk
        position = 0
        return True

    while True:  # find "vacancies" and its opening bracket
        at = buffer.find('"vacancies"', position)
        if at >= 0:
            bracket = buffer.find("[", at)
            if bracket >= 0:
                position = bracket + 1
                break
        if not fill():
            raise VacancyFileError('no "vacancies" array in the file')
    while True:
        while True:
            while position < len(buffer) and buffer[position] in " \t\r\n,":
                position += 1
            if position < len(buffer):
                break
            if not fill():
                raise VacancyFileError('the file ends inside the "vacancies" array (truncated?)')
        if buffer[position] == "]":
            return
        try:
            item, end = decoder.raw_decode(buffer, position)
        except json.JSONDecodeError as exc:
            if fill():
                continue
            if exc.pos >= len(buffer.rstrip()):
                raise VacancyFileError("the file ends inside a record (truncated?)") from None
            raise VacancyFileError(f"broken JSON near character {exc.pos}: {exc.msg}") from None
        except (RecursionError, ValueError) as exc:
            # Well-formed perhaps, but more than the parser takes: skip to the record's end.
            while (end := _value_end(buffer, position)) is None:
                if not fill():
                    raise VacancyFileError("the file ends inside a record (truncated?)") from None
            item = Unreadable(
                "nested deeper than the parser allows"
                if isinstance(exc, RecursionError)
                else f"cannot be read: {exc}"
            )
        position = end
        yield item


# A whole string, a string that runs past the buffer, or a bracket.
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|"|[\[\]{}]', re.DOTALL)


def _value_end(text: str, start: int) -> int | None:
    """Where the array or object starting at `start` ends, found without recursion; None when
    it runs past the end of `text`."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text, start):
        found = match.group()
        if found == '"':
            return None
        if found[0] == '"':
            continue
        depth += 1 if found in "[{" else -1
        if depth == 0:
            return match.end()
    return None


def read_csv(stream: io.TextIOBase) -> Iterator[dict]:
    reader = csv.DictReader(stream)
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as exc:
        raise VacancyFileError(f"line 1: {exc}") from None
    missing = [
        c for c in ("id", "vacancy_name", "state_region_code", "company_inn") if c not in fieldnames
    ]
    if missing:
        raise VacancyFileError(
            "missing columns: " + ", ".join(missing) + "; expected: " + ", ".join(CSV_COLUMNS)
        )
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # a field past the csv module's limit
            raise VacancyFileError(f"line {reader.line_num}: {exc}") from None
        company = {
            "inn": row.get("company_inn", ""),
            "ogrn": row.get("company_ogrn", ""),
            "name": row.get("company_name", ""),
        }
        yield {**row, "company": company}


def _column(model, name: str):
    return model._meta.get_field(name)


def _number(value: Any, name: str, column, minimum: int = 0) -> int | None:
    """A whole number that the column holds, or ValidationError naming the field."""
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValidationError({name: ["a number is expected"]})
    try:
        # A decimal, compared as one: "1e999999999" never becomes an integer of a billion digits.
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({name: ["a number is expected"]}) from None
    if not number.is_finite():
        raise ValidationError({name: ["a number is expected"]})
    if number < minimum:
        raise ValidationError({name: [f"at least {minimum}"]})
    problem = integer_problem(number, column)
    if problem:
        raise ValidationError({name: [problem]})
    return int(number)


def _text(value: Any, name: str, column=None) -> str:
    """A text that the column (if any: a code that is looked up has none) holds, or
    ValidationError naming the field."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValidationError({name: ["a text is expected"]})
    text = str(value).strip()
    problem = nul_problem(text) if column is None else text_problem(text, column)
    if problem:
        raise ValidationError({name: [problem]})
    return text


def clean(record: Any, regions: set[str]) -> dict:
    """One record as vacancy and employer fields, or ValidationError naming the field."""
    if isinstance(record, Unreadable):
        raise ValidationError({"record": [record.reason]})
    if not isinstance(record, dict):
        raise ValidationError({"record": ["an object is expected"]})
    source_id = _text(
        record.get("id") or record.get("vacancy_id"), "id", _column(Vacancy, "source_id")
    )
    if not source_id:
        raise ValidationError({"id": ["every vacancy needs its id at the source"]})
    title = _text(record.get("vacancy_name"), "vacancy_name", _column(Vacancy, "title"))
    if not title:
        raise ValidationError({"vacancy_name": ["the title is empty"]})
    region = _text(record.get("state_region_code"), "state_region_code")[:2]
    if region not in regions:
        raise ValidationError({"state_region_code": ["no federal subject has this code"]})
    company = record.get("company") or {}
    if not isinstance(company, dict):
        raise ValidationError({"company": ["an object is expected"]})
    inn = _text(company.get("inn"), "company.inn", _column(Employer, "inn"))
    if not is_valid_inn(inn):
        raise ValidationError({"company.inn": ["not a valid INN (check digits)"]})
    ogrn = _text(company.get("ogrn"), "company.ogrn", _column(Employer, "ogrn"))
    if ogrn and not is_valid_ogrn(ogrn):
        raise ValidationError({"company.ogrn": ["not a valid OGRN (check digit)"]})
    name = _text(company.get("name"), "company.name", _column(Employer, "legal_name"))
    salary_min = _number(record.get("salary_min"), "salary_min", _column(Vacancy, "salary_min"))
    salary_max = _number(record.get("salary_max"), "salary_max", _column(Vacancy, "salary_max"))
    if salary_min and salary_max and salary_max < salary_min:
        raise ValidationError({"salary_max": ["below salary_min"]})
    openings = _number(
        record.get("work_places"), "work_places", _column(Vacancy, "openings"), minimum=1
    )
    experience = _number(
        record.get("required_experience"),
        "required_experience",
        _column(Vacancy, "experience_years"),
    )
    schedule = _text(record.get("schedule_type"), "schedule_type")
    busy = _text(record.get("busy_type"), "busy_type")
    return {
        "source_id": source_id,
        "title": title,
        "profession_code": _text(
            record.get("code_profession"), "code_profession", _column(Vacancy, "profession_code")
        ),
        "region_id": region,
        "salary_min": salary_min or None,
        "salary_max": salary_max or None,
        "openings": openings or 1,
        "education": _text(record.get("education"), "education", _column(Vacancy, "education")),
        "experience_years": experience,
        "schedule": SCHEDULES.get(schedule.lower(), ""),
        "employment_type": EMPLOYMENT.get(busy.lower(), ""),
        "published_on": _date(record.get("date_create") or record.get("creation_date")),
        "employer": {"inn": inn, "ogrn": ogrn, "name": name or inn, "region_id": region},
    }


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def import_vacancies(
    path: Path, source: str = "trudvsem", encoding: str = "utf-8", progress=None
) -> Report:
    if not path.is_file():
        raise VacancyFileError(f"{path}: no such file")
    report = Report()
    regions = set(Region.objects.values_list("code", flat=True))
    with path.open(encoding=encoding, newline="") as stream, transaction.atomic():
        records = read_csv(stream) if path.suffix.lower() == ".csv" else read_portal_json(stream)
        batch: list[dict] = []
        for number, record in enumerate(records, start=1):
            report.read += 1
            try:
                batch.append(clean(record, regions))
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    report.rejected.append((number, name, " ".join(messages)))
            if len(batch) >= BATCH:
                _write(batch, source, report)
                batch = []
                if progress:
                    progress(report.read)
        _write(batch, source, report)
        record_bulk(
            actor=None,
            action="employment.vacancies.import",
            model=Vacancy,
            counts={
                "source": source,
                "file": path.name,
                "read": report.read,
                "created": report.created,
                "updated": report.updated,
                "employers_created": report.employers_created,
                "rejected": len(report.rejected),
            },
        )
    return report


def _write(batch: list[dict], source: str, report: Report) -> None:
    if not batch:
        return
    by_inn = {row["employer"]["inn"]: row["employer"] for row in batch}
    known = dict(Employer.objects.filter(inn__in=by_inn).values_list("inn", "pk"))
    fresh = [
        Employer(legal_name=e["name"], inn=inn, ogrn=e["ogrn"], region_id=e["region_id"])
        for inn, e in by_inn.items()
        if inn not in known
    ]
    Employer.objects.bulk_create(fresh)
    report.employers_created += len(fresh)
    known |= dict(Employer.objects.filter(inn__in=[e.inn for e in fresh]).values_list("inn", "pk"))
    # Titles repeat a lot ("Водитель", "Продавец-кассир"): each distinct one is read once.
    titles = sorted({row["title"] for row in batch})
    try:
        read = dict(zip(titles, normalization.normalize(titles, k=1, military=False), strict=True))
    except LookupError:
        read = {}
    found = [read.get(row["title"], []) for row in batch]
    existing = dict(
        Vacancy.objects.filter(
            source=source, source_id__in=[r["source_id"] for r in batch]
        ).values_list("source_id", "pk")
    )
    rows, seen = [], set()
    for row, candidates in zip(batch, found, strict=True):
        if row["source_id"] in seen:
            continue  # the file repeats a record: the first one counts
        seen.add(row["source_id"])
        values = {k: v for k, v in row.items() if k != "employer"}
        rows.append(
            Vacancy(
                source=source,
                employer_id=known[row["employer"]["inn"]],
                occupation_id=candidates[0].pk if candidates else None,
                **values,
            )
        )
    # One INSERT … ON CONFLICT DO UPDATE per batch (PostgreSQL and SQLite alike).
    Vacancy.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["source", "source_id"],
        update_fields=UPDATED_FIELDS,
    )
    updated = sum(1 for row in rows if row.source_id in existing)
    report.created += len(rows) - updated
    report.updated += updated


UPDATED_FIELDS = [
    "employer",
    "title",
    "occupation",
    "profession_code",
    "region",
    "salary_min",
    "salary_max",
    "openings",
    "education",
    "experience_years",
    "schedule",
    "employment_type",
    "published_on",
    "updated_at",
]
