"""ISCO-08 groups in Russian: the names of ОКЗ ОК 010-2014 (МСКЗ-08), the Russian edition
of ISCO-08, for all 619 groups (10 major, 43 sub-major, 130 minor, 436 unit groups).

data/okz_ru.csv (code,name) was written for Waypoint from the published classifier; every
IscoGroup row takes its Russian name from it, whichever taxonomy brought the row, and the
display falls back to it for an occupation that has no Russian name of its own.
"""

import csv
import re
from functools import cache
from pathlib import Path

from waypoint.taxonomy.models import IscoGroup

OKZ_FILE = Path(__file__).resolve().parent / "data" / "okz_ru.csv"
BATCH = 2000


class OkzError(ValueError):
    pass


def read_okz(path: Path = OKZ_FILE) -> dict[str, str]:
    """code → Russian name; refuses a file with a bad code, a repeated code or an empty or
    non-Cyrillic name, naming the line."""
    names: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        if next(reader, None) != ["code", "name"]:
            raise OkzError(f"{path.name}, line 1: the header must be code,name")
        for values in reader:
            line = reader.line_num
            if len(values) != 2:
                raise OkzError(f"{path.name}, line {line}: {len(values)} fields, expected 2")
            code, name = values[0].strip(), values[1].strip()
            if not re.fullmatch(r"\d{1,4}", code):
                raise OkzError(f"{path.name}, line {line}, code: 1 to 4 digits, not {code!r}")
            if code in names:
                raise OkzError(f"{path.name}, line {line}, code: {code} given twice")
            if not re.search(r"[А-Яа-яЁё]", name):
                raise OkzError(f"{path.name}, line {line}, name: a Russian name is required")
            names[code] = name
    return names


@cache
def okz() -> dict[str, str]:
    return read_okz()


def okz_name(code: str) -> str:
    """The ОКЗ name of an ISCO-08 group, or "" for an unknown or empty code."""
    return okz().get(code or "", "")


def name_isco_groups() -> int:
    """Give every stored ISCO-08 group its ОКЗ name; returns how many changed."""
    changed = []
    for group in IscoGroup.objects.all():
        name = okz_name(group.code)
        if name and group.label_ru != name:
            group.label_ru = name
            changed.append(group)
    IscoGroup.objects.bulk_update(changed, ["label_ru"], batch_size=BATCH)
    return len(changed)
