"""The official ESCO CSV download: a language pack per language and the relations pack."""

import re
from pathlib import Path

from waypoint.taxonomy.sources import Release, SourceError
from waypoint.taxonomy.writer import ParsedRelease

OCCUPATION_COLUMNS = [
    "conceptUri",
    "iscoGroup",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "regulatedProfessionNote",
    "description",
    "code",
]
SKILL_COLUMNS = [
    "conceptUri",
    "skillType",
    "reuseLevel",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "description",
]
ISCO_COLUMNS = ["conceptUri", "code", "preferredLabel"]
GROUP_COLUMNS = ["conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "description", "code"]
COLLECTION_COLUMNS = ["conceptUri"]
RELATION_COLUMNS = ["occupationUri", "relationType", "skillUri"]
SKILL_RELATION_COLUMNS = ["originalSkillUri", "relationType", "relatedSkillUri"]
BROADER_COLUMNS = ["conceptType", "conceptUri", "broaderType", "broaderUri"]
COLLECTIONS = {
    "is_digital": "digitalSkillsCollection",
    "is_green": "greenSkillsCollection",
    "is_transversal": "transversalSkillsCollection",
    "is_language": "languageSkillsCollection",
}
MAX_DANGLING_SHARE = 0.01
UNREGULATED = "http://data.europa.eu/esco/regulated-professions/unregulated"


def _languages(release: Release) -> list[str]:
    found = sorted(
        {
            m.group(1)
            for name in release.names()
            if (m := re.fullmatch(r"occupations_([a-z]{2}(?:-[a-z]+)?)\.csv", name))
        }
    )
    if "en" not in found:
        raise SourceError(
            "the English language pack (occupations_en.csv, skills_en.csv, …) is required: "
            "give the '… - en - csv.zip' file or its folder"
        )
    return ["en", *(language for language in found if language != "en")]


def _split(cell: str) -> list[str]:
    return [line.strip() for line in cell.split("\n") if line.strip()]


def parse_esco(paths: list[Path]) -> ParsedRelease:
    release = Release(paths)
    if not release.has("occupationSkillRelations.csv"):
        raise SourceError(
            "occupationSkillRelations.csv is missing: give the relations pack too "
            "(the '… - classification -  - csv.zip' file without a language)"
        )
    parsed = ParsedRelease(
        code="esco",
        name="ESCO",
        version=release.version_hint(),
        source=", ".join(path.name for path in paths),
    )
    for language in _languages(release):
        _read_language(release, language, parsed)
    _read_relations(release, parsed)
    return parsed


def _read_language(release: Release, language: str, parsed: ParsedRelease) -> None:
    english = language == "en"
    for row in release.rows(f"ISCOGroups_{language}.csv", ISCO_COLUMNS):
        parsed.isco_groups.setdefault(row["code"], {})[language] = row["preferredLabel"]

    for row in release.rows(f"occupations_{language}.csv", OCCUPATION_COLUMNS):
        uri = row["conceptUri"]
        if english:
            note = row["regulatedProfessionNote"]
            parsed.occupations[uri] = {
                "preferred_label": row["preferredLabel"],
                "descriptions": {"en": row["description"]},
                "code": row["code"],
                "isco_group": row["iscoGroup"],
                "regulated_note": "" if note == UNREGULATED else note[:300],
                "is_military": row["iscoGroup"].startswith("0"),
            }
        elif uri not in parsed.occupations:
            continue
        elif row["description"]:
            parsed.occupations[uri]["descriptions"][language] = row["description"]
        _labels(parsed.occupation_labels, uri, language, row)

    for row in release.rows(f"skills_{language}.csv", SKILL_COLUMNS):
        uri = row["conceptUri"]
        if english:
            parsed.skills[uri] = {
                "preferred_label": row["preferredLabel"],
                "descriptions": {"en": row["description"]},
                "skill_type": row["skillType"],
                "reuse_level": row["reuseLevel"],
                **dict.fromkeys(COLLECTIONS, False),
            }
        elif uri not in parsed.skills:
            continue
        elif row["description"]:
            parsed.skills[uri]["descriptions"][language] = row["description"]
        _labels(parsed.skill_labels, uri, language, row)

    if english:
        name = f"skillGroups_{language}.csv"
        if release.has(name):
            for row in release.rows(name, GROUP_COLUMNS):
                parsed.skill_groups[row["conceptUri"]] = {
                    "preferred_label": row["preferredLabel"],
                    "descriptions": {"en": row["description"]},
                    "code": row["code"][:60],
                }
        for flag, stem in COLLECTIONS.items():
            name = f"{stem}_{language}.csv"
            if release.has(name):
                for row in release.rows(name, COLLECTION_COLUMNS):
                    if row["conceptUri"] in parsed.skills:
                        parsed.skills[row["conceptUri"]][flag] = True


def _labels(target: list, uri: str, language: str, row: dict) -> None:
    target.append((uri, language, "preferred", row["preferredLabel"]))
    target.extend((uri, language, "alternative", text) for text in _split(row["altLabels"]))
    target.extend((uri, language, "hidden", text) for text in _split(row["hiddenLabels"]))


def _read_relations(release: Release, parsed: ParsedRelease) -> None:
    name = "occupationSkillRelations.csv"
    for number, row in enumerate(release.rows(name, RELATION_COLUMNS), start=2):
        occupation, skill, kind = row["occupationUri"], row["skillUri"], row["relationType"]
        if kind not in ("essential", "optional"):
            raise SourceError(
                f"{name}, line {number}: relationType {kind!r} is neither essential nor optional"
            )
        parsed.relations_read += 1
        parsed.essential_read += kind == "essential"
        if occupation not in parsed.occupations or skill not in parsed.skills:
            # ESCO 1.1.1 itself has 67 relations of one occupation that its language packs
            # do not describe; a pack from another release would leave thousands.
            parsed.dangling_relations.append(number)
            continue
        parsed.occupation_skills[(occupation, skill)] = kind
    if len(parsed.dangling_relations) > MAX_DANGLING_SHARE * parsed.relations_read:
        raise SourceError(
            f"{name}: {len(parsed.dangling_relations):,} relations (first at line "
            f"{parsed.dangling_relations[0]}) name concepts missing from the language pack; "
            "are the two zips of the same release?"
        )

    name = "skillSkillRelations.csv"
    if release.has(name):
        for row in release.rows(name, SKILL_RELATION_COLUMNS):
            source, target = row["originalSkillUri"], row["relatedSkillUri"]
            if source in parsed.skills and target in parsed.skills:
                parsed.skill_relations.add((source, target, row["relationType"]))

    name = "broaderRelationsOccPillar.csv"
    if release.has(name):
        for row in release.rows(name, BROADER_COLUMNS):
            if row["conceptType"] == "Occupation" and row["broaderType"] == "Occupation":
                parsed.occupation_parents[row["conceptUri"]] = row["broaderUri"]

    name = "broaderRelationsSkillPillar.csv"
    if release.has(name):
        for row in release.rows(name, BROADER_COLUMNS):
            child, parent = row["conceptUri"], row["broaderUri"]
            if child not in parsed.skills:
                continue
            if parent in parsed.skills:
                parsed.skill_relations.add((child, parent, "broader"))
            elif parent in parsed.skill_groups:
                parsed.skill_group_members.add((child, parent))
