"""The starter taxonomy bundled with Waypoint, so the product works offline out of the box.

Written by this project (data/starter_*.txt), in English and Russian: civilian occupations
veterans move into, the military occupations they come from, and the skills that link them.
"""

from pathlib import Path

from waypoint.taxonomy.sources import SourceError
from waypoint.taxonomy.writer import ParsedRelease

CODE = "starter"
VERSION = "2026.11"
DATA = Path(__file__).resolve().parent / "data"
OCCUPATION_URI = "urn:waypoint:starter:occupation:"
SKILL_URI = "urn:waypoint:starter:skill:"
SKILL_TYPES = {"k": "knowledge", "s": "skill/competence"}
FLAGS = {"t": "is_transversal", "d": "is_digital", "g": "is_green"}
ISCO_MAJOR_GROUPS = {
    "0": ("Armed forces occupations", "Военнослужащие"),
    "1": ("Managers", "Руководители"),
    "2": ("Professionals", "Специалисты высшего уровня квалификации"),
    "3": ("Technicians and associate professionals", "Специалисты среднего уровня квалификации"),
    "4": ("Clerical support workers", "Служащие, занятые подготовкой и оформлением документации"),
    "5": ("Service and sales workers", "Работники сферы обслуживания и торговли"),
    "6": (
        "Skilled agricultural, forestry and fishery workers",
        "Квалифицированные работники сельского и лесного хозяйства, рыбоводства",
    ),
    "7": (
        "Craft and related trades workers",
        "Квалифицированные рабочие промышленности и строительства",
    ),
    "8": (
        "Plant and machine operators, and assemblers",
        "Операторы и сборщики промышленных установок и машин, водители",
    ),
    "9": ("Elementary occupations", "Неквалифицированные рабочие"),
}


def _records(name: str, width: int):
    path = DATA / name
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [field.strip() for field in line.split("|")]
        if len(fields) != width:
            raise SourceError(f"{name}, line {number}: {len(fields)} fields, expected {width}")
        yield number, fields


def _labels(cell: str) -> list[str]:
    return [label.strip() for label in cell.split(";") if label.strip()]


def _keys(cell: str) -> list[str]:
    return [key.strip() for key in cell.split(",") if key.strip()]


def parse_starter() -> ParsedRelease:
    parsed = ParsedRelease(
        code=CODE, name="Waypoint starter taxonomy", version=VERSION, source="bundled with Waypoint"
    )
    for code, (english, _russian) in ISCO_MAJOR_GROUPS.items():
        parsed.isco_groups[code] = {"en": english}  # Russian: ОКЗ (okz.py)
    for number, (key, kind, english, russian) in _records("starter_skills.txt", 4):
        base, *flags = kind.split("+")
        uri = SKILL_URI + key
        if uri in parsed.skills:
            raise SourceError(f"starter_skills.txt, line {number}: skill {key} twice")
        if base not in SKILL_TYPES or any(flag not in FLAGS for flag in flags):
            raise SourceError(f"starter_skills.txt, line {number}: unknown type {kind!r}")
        parsed.skills[uri] = {
            "preferred_label": _labels(english)[0],
            "descriptions": {},
            "skill_type": SKILL_TYPES[base],
            "reuse_level": "transversal" if "t" in flags else "cross-sector",
            **{field: flag in flags for flag, field in FLAGS.items()},
        }
        _add_labels(parsed.skill_labels, uri, english, russian)
    for number, fields in _records("starter_occupations.txt", 8):
        key, isco, english, russian, about_en, about_ru, essential, optional = fields
        uri = OCCUPATION_URI + key
        if uri in parsed.occupations:
            raise SourceError(f"starter_occupations.txt, line {number}: occupation {key} twice")
        if not (len(isco) == 4 and isco.isdigit()):
            raise SourceError(
                f"starter_occupations.txt, line {number}: ISCO-08 unit group "
                f"must have 4 digits, not {isco!r}"
            )
        parsed.occupations[uri] = {
            "preferred_label": _labels(english)[0],
            "descriptions": {"en": about_en, "ru": about_ru},
            "code": key,
            "isco_group": isco,
            "regulated_note": "",
            "is_military": isco.startswith("0"),
        }
        _add_labels(parsed.occupation_labels, uri, english, russian)
        for relation, cell in (("optional", optional), ("essential", essential)):
            for skill in _keys(cell):
                if SKILL_URI + skill not in parsed.skills:
                    raise SourceError(
                        f"starter_occupations.txt, line {number}: unknown skill {skill!r}"
                    )
                parsed.occupation_skills[(uri, SKILL_URI + skill)] = relation
    return parsed


def _add_labels(target: list, uri: str, english: str, russian: str) -> None:
    for language, cell in (("en", english), ("ru", russian)):
        for position, label in enumerate(_labels(cell)):
            target.append((uri, language, "preferred" if position == 0 else "alternative", label))
