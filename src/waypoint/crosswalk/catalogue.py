"""Reading and writing the crosswalk catalogue: the bundled CSV file and administrators' CSV
imports share one format and one validator.

Columns (UTF-8 CSV with a header row; lists inside a cell are separated by semicolons):

| column | required | what |
|---|---|---|
| key | yes | a unique slug (a-z, 0-9, _ and -); an import updates the entry with this key |
| names_ru | yes | the names people use in Russian, with spellings and abbreviations |
| isco | yes | civilian ISCO-08 unit groups (4 digits, not 0xxx armed forces), closest first |
| names_en | no | the names in English |
| vus | no | the ВУС family (military registration specialty), where one exists |
| skills | no | skills it gives, as English labels; matched in the active taxonomy |
| active | no | yes/no (default yes): an inactive entry is never matched |
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from waypoint.audit.services import record
from waypoint.crosswalk.models import ISCO_UNIT, Specialty, split

BUNDLED = Path(__file__).resolve().parent / "data" / "military_specialties.csv"
REQUIRED = ("key", "names_ru", "isco")
OPTIONAL = ("names_en", "vus", "skills", "active")
KEY = re.compile(r"^[a-z0-9_-]{1,60}$")
YES = {"", "yes", "y", "1", "true", "да"}
NO = {"no", "n", "0", "false", "нет"}
FIELDS = ("vus", "names_ru", "names_en", "isco_groups", "skills", "is_active")


class CatalogueError(ValueError):
    """Rows that break a rule, each as 'line N, column C: rule'."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Summary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def parse(stream: Iterable[str], name: str = "CSV") -> list[dict]:
    """Validated rows as model field values; every problem of the file at once."""
    reader = csv.DictReader(stream)
    header = [column.strip() for column in reader.fieldnames or []]
    problems = [f"{name}, line 1: no column {c!r}" for c in REQUIRED if c not in header]
    problems += [
        f"{name}, line 1, column {c!r}: unknown column (known: {', '.join(REQUIRED + OPTIONAL)})"
        for c in header
        if c not in REQUIRED + OPTIONAL
    ]
    if problems:
        raise CatalogueError(problems)
    reader.fieldnames = header
    rows, seen = [], {}
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append(f"{name}, line {line}: more cells than columns")
            continue
        cells = {column: (row.get(column) or "").strip() for column in header}
        if not any(cells.values()):
            continue

        def problem(column: str, rule: str, line: int = line) -> None:
            problems.append(f"{name}, line {line}, column {column!r}: {rule}")

        key = cells["key"]
        if not KEY.match(key):
            problem("key", "a slug of 1-60 characters a-z, 0-9, _ or - is required")
        elif key in seen:
            problem("key", f"{key!r} is already on line {seen[key]}")
        seen.setdefault(key, line)
        if not split(cells["names_ru"]):
            problem("names_ru", "at least one Russian name is required")
        codes = split(cells["isco"])
        if not codes:
            problem("isco", "at least one ISCO-08 unit group is required")
        for code in codes:
            if not ISCO_UNIT.match(code):
                problem(
                    "isco", f"{code!r} is not a civilian ISCO-08 unit group (4 digits, not 0xxx)"
                )
        for column in ("names_ru", "names_en", "skills"):
            if any(len(part) > 200 for part in split(cells.get(column, ""))):
                problem(column, "each item must be at most 200 characters")
        if len(cells.get("vus", "")) > 60:
            problem("vus", "at most 60 characters")
        active = cells.get("active", "").lower()
        if active not in YES | NO:
            problem("active", "yes or no")
        rows.append(
            {
                "key": key,
                "vus": cells.get("vus", ""),
                "names_ru": "; ".join(split(cells["names_ru"])),
                "names_en": "; ".join(split(cells.get("names_en", ""))),
                "isco_groups": "; ".join(codes),
                "skills": "; ".join(split(cells.get("skills", ""))),
                "is_active": active not in NO,
            }
        )
    if problems:
        raise CatalogueError(problems)
    return rows


def load_bundled() -> int:
    """The bundled entries, created or brought up to date; entries an administrator changed
    or added are left alone, and bundled ones no longer shipped are removed. Returns how
    many rows were written."""
    with BUNDLED.open(encoding="utf-8", newline="") as stream:
        rows = parse(stream, BUNDLED.name)
    existing = {entry.key: entry for entry in Specialty.objects.all()}
    written = 0
    with transaction.atomic():
        for row in rows:
            entry = existing.get(row["key"])
            if entry is None:
                Specialty.objects.create(**row, source=Specialty.Source.BUNDLED)
                written += 1
            elif entry.source == Specialty.Source.BUNDLED and _differs(entry, row):
                _assign(entry, row)
                entry.save()
                written += 1
        shipped = {row["key"] for row in rows}
        gone = [
            key
            for key, entry in existing.items()
            if entry.source == Specialty.Source.BUNDLED and key not in shipped
        ]
        written += Specialty.objects.filter(key__in=gone).delete()[0]
    return written


def import_csv(text: str, *, actor=None, name: str = "CSV") -> Summary:
    """An administrator's CSV: each row creates the entry with its key or replaces it; rows
    equal to what is stored change nothing (running it twice is the same as once). All or
    nothing: one bad row and nothing is written."""
    rows = parse(io.StringIO(text.lstrip("\ufeff")), name)
    summary = Summary()
    with transaction.atomic():
        existing = {e.key: e for e in Specialty.objects.filter(key__in=[r["key"] for r in rows])}
        for row in rows:
            entry = existing.get(row["key"])
            if entry is None:
                entry = Specialty.objects.create(**row, source=Specialty.Source.IMPORT)
                changes = {f: [None, row[f]] for f in FIELDS}
                summary.created.append(entry.key)
            elif _differs(entry, row):
                changes = {
                    f: [getattr(entry, f), row[f]] for f in FIELDS if getattr(entry, f) != row[f]
                }
                _assign(entry, row)
                entry.source = Specialty.Source.IMPORT
                entry.save()
                summary.updated.append(entry.key)
            else:
                summary.unchanged += 1
                continue
            record(actor=actor, action="crosswalk.specialty.import", subject=entry, changes=changes)
    return summary


def export_csv(stream) -> int:
    """Every entry in the import format (what an administrator edits and imports again)."""
    writer = csv.writer(stream)
    writer.writerow(["key", "vus", "names_ru", "names_en", "isco", "skills", "active"])
    count = 0
    for entry in Specialty.objects.order_by("key"):
        writer.writerow(
            [
                entry.key,
                entry.vus,
                entry.names_ru,
                entry.names_en,
                entry.isco_groups,
                entry.skills,
                "yes" if entry.is_active else "no",
            ]
        )
        count += 1
    return count


def _differs(entry: Specialty, row: dict) -> bool:
    return any(getattr(entry, f) != row[f] for f in FIELDS)


def _assign(entry: Specialty, row: dict) -> None:
    for f in FIELDS:
        setattr(entry, f, row[f])
