"""The O*NET text database (tab-separated files), using whichever files are present.

Occupation Data.txt is required. Alternate titles and sample reported titles become labels.
A Skills table (from the database or given separately) becomes skills linked to occupations
by importance (1-5): essential from ESSENTIAL_IMPORTANCE, optional from OPTIONAL_IMPORTANCE.
"""

from pathlib import Path

from waypoint.taxonomy.sources import Release, SourceError
from waypoint.taxonomy.writer import ParsedRelease

URI = "https://www.onetonline.org/link/summary/"
SKILL_URI = "https://www.onetonline.org/find/descriptor/result/"
ESSENTIAL_IMPORTANCE = 3.5
OPTIONAL_IMPORTANCE = 2.75
TAB = "\t"


def parse_onet(path: Path, skills_path: Path | None = None) -> ParsedRelease:
    release = Release([path])
    if not release.has("Occupation Data.txt"):
        raise SourceError(
            f"{path}: Occupation Data.txt is missing; is this the O*NET text "
            "database (db_XX_X_text)?"
        )
    parsed = ParsedRelease(
        code="onet",
        name="O*NET",
        version=release.version_hint() or _version_from_name(path),
        source=path.name,
    )
    for row in release.rows("Occupation Data.txt", ["O*NET-SOC Code", "Title", "Description"], TAB):
        code = row["O*NET-SOC Code"]
        uri = URI + code
        parsed.occupations[uri] = {
            "preferred_label": row["Title"],
            "descriptions": {"en": row["Description"]},
            "code": code,
            "is_military": code.startswith("55-"),
        }
        parsed.occupation_labels.append((uri, "en", "preferred", row["Title"]))
    _titles(release, parsed)
    skills = (
        release if release.has("Skills.txt") else (Release([skills_path]) if skills_path else None)
    )
    if skills is not None:
        _skills(skills, parsed)
    return parsed


def _version_from_name(path: Path) -> str:
    digits = [part for part in path.stem.replace("-", "_").split("_") if part.isdigit()]
    return ".".join(digits[:2])


def _titles(release: Release, parsed: ParsedRelease) -> None:
    seen = {(uri, text.lower()) for uri, _lang, _kind, text in parsed.occupation_labels}

    def add(code: str, text: str) -> None:
        uri = URI + code
        if (
            uri in parsed.occupations
            and text
            and text != "n/a"
            and ((uri, text.lower()) not in seen)
        ):
            seen.add((uri, text.lower()))
            parsed.occupation_labels.append((uri, "en", "alternative", text))

    if release.has("Alternate Titles.txt"):
        for row in release.rows("Alternate Titles.txt", ["O*NET-SOC Code", "Alternate Title"], TAB):
            add(row["O*NET-SOC Code"], row["Alternate Title"])
            add(row["O*NET-SOC Code"], row.get("Short Title", ""))
    if release.has("Sample of Reported Titles.txt"):
        for row in release.rows(
            "Sample of Reported Titles.txt", ["O*NET-SOC Code", "Reported Job Title"], TAB
        ):
            add(row["O*NET-SOC Code"], row["Reported Job Title"])


def _skills(release: Release, parsed: ParsedRelease) -> None:
    name = "Skills.txt" if release.has("Skills.txt") else release.names()[0]
    columns = ["O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value"]
    for number, row in enumerate(release.rows(name, columns, TAB), start=2):
        uri = SKILL_URI + row["Element ID"]
        if uri not in parsed.skills:
            parsed.skills[uri] = {
                "preferred_label": row["Element Name"],
                "descriptions": {},
                "skill_type": "skill/competence",
                "reuse_level": "transversal",
            }
            parsed.skill_labels.append((uri, "en", "preferred", row["Element Name"]))
        if row["Scale ID"] != "IM":
            continue
        occupation = URI + row["O*NET-SOC Code"]
        if occupation not in parsed.occupations:
            continue
        try:
            importance = float(row["Data Value"])
        except ValueError:
            raise SourceError(
                f"{name}, line {number}: Data Value {row['Data Value']!r} is not a number"
            ) from None
        if importance >= ESSENTIAL_IMPORTANCE:
            parsed.occupation_skills[(occupation, uri)] = "essential"
        elif importance >= OPTIONAL_IMPORTANCE:
            parsed.occupation_skills[(occupation, uri)] = "optional"
