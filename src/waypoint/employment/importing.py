"""Vacancies from the open data of the national job portal (JSON with `vacancies[]`) or CSV.

Records stream from the file; the whole import is one transaction (a wrong or truncated file
writes nothing); a bad record is reported by its position, field and rule and skipped; a
re-import updates vacancies by their source id and never duplicates them. Titles are
normalised to occupations of the active taxonomy in batches.
"""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from waypoint.employment.models import Employer, Vacancy
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
        position = end
        yield item


def read_csv(stream: io.TextIOBase) -> Iterator[dict]:
    reader = csv.DictReader(stream)
    missing = [
        c
        for c in ("id", "vacancy_name", "state_region_code", "company_inn")
        if c not in (reader.fieldnames or [])
    ]
    if missing:
        raise VacancyFileError(
            "missing columns: " + ", ".join(missing) + "; expected: " + ", ".join(CSV_COLUMNS)
        )
    for row in reader:
        company = {
            "inn": row.get("company_inn", ""),
            "ogrn": row.get("company_ogrn", ""),
            "name": row.get("company_name", ""),
        }
        yield {**row, "company": company}


def _number(value: Any, name: str, minimum: int = 0) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        raise ValidationError({name: ["a number is expected"]}) from None
    if number < minimum:
        raise ValidationError({name: [f"at least {minimum}"]})
    return number


def clean(record: dict, regions: set[str]) -> dict:
    """One record as vacancy and employer fields, or ValidationError naming the field."""
    if not isinstance(record, dict):
        raise ValidationError({"record": ["an object is expected"]})
    source_id = str(record.get("id") or record.get("vacancy_id") or "").strip()
    if not source_id:
        raise ValidationError({"id": ["every vacancy needs its id at the source"]})
    title = str(record.get("vacancy_name") or "").strip()
    if not title:
        raise ValidationError({"vacancy_name": ["the title is empty"]})
    region = str(record.get("state_region_code") or "").strip()[:2]
    if region not in regions:
        raise ValidationError({"state_region_code": ["no federal subject has this code"]})
    company = record.get("company") or {}
    inn = str(company.get("inn") or "").strip()
    if not is_valid_inn(inn):
        raise ValidationError({"company.inn": ["not a valid INN (check digits)"]})
    ogrn = str(company.get("ogrn") or "").strip()
    if ogrn and not is_valid_ogrn(ogrn):
        raise ValidationError({"company.ogrn": ["not a valid OGRN (check digit)"]})
    salary_min = _number(record.get("salary_min"), "salary_min")
    salary_max = _number(record.get("salary_max"), "salary_max")
    if salary_min and salary_max and salary_max < salary_min:
        raise ValidationError({"salary_max": ["below salary_min"]})
    openings = _number(record.get("work_places"), "work_places", minimum=1) or 1
    return {
        "source_id": source_id[:80],
        "title": title[:300],
        "profession_code": str(record.get("code_profession") or "")[:20],
        "region_id": region,
        "salary_min": salary_min or None,
        "salary_max": salary_max or None,
        "openings": openings,
        "education": str(record.get("education") or "")[:100],
        "experience_years": _number(record.get("required_experience"), "required_experience"),
        "schedule": SCHEDULES.get(str(record.get("schedule_type") or "").strip().lower(), ""),
        "employment_type": EMPLOYMENT.get(str(record.get("busy_type") or "").strip().lower(), ""),
        "published_on": _date(record.get("date_create") or record.get("creation_date")),
        "employer": {
            "inn": inn,
            "ogrn": ogrn,
            "name": str(company.get("name") or inn)[:300],
            "region_id": region,
        },
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
