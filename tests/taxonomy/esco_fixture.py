"""A miniature ESCO release in the official CSV layout, written by the tests."""

import csv
import zipfile
from pathlib import Path

OCC = "http://data.europa.eu/esco/occupation/"
SKILL = "http://data.europa.eu/esco/skill/"

OCCUPATIONS = [
    # uri tail, isco, preferred, alt labels, code
    ("lorry", "8332", "lorry driver", ["truck driver", "HGV driver"], "8332.1"),
    ("welder", "7212", "welder", ["welding operator"], "7212.1"),
    ("guard", "5414", "security guard", ["security officer"], "5414.1"),
    ("soldier", "0310", "armed forces private", [], "0310.1"),
]
SKILLS = [
    ("drive", "skill/competence", "drive heavy vehicles", ["operate lorries"]),
    ("weld", "skill/competence", "use welding equipment", ["weld metal"]),
    ("patrol", "skill/competence", "patrol areas", []),
    ("safety", "knowledge", "health and safety regulations", []),
]
RELATIONS = [
    ("lorry", "drive", "essential"),
    ("lorry", "safety", "optional"),
    ("welder", "weld", "essential"),
    ("welder", "safety", "essential"),
    ("guard", "patrol", "essential"),
    ("soldier", "patrol", "optional"),
]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)


def write_language_pack(folder: Path, language: str = "en", suffix: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    _write(
        folder / f"occupations_{language}.csv",
        [
            "conceptType",
            "conceptUri",
            "iscoGroup",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "modifiedDate",
            "regulatedProfessionNote",
            "scopeNote",
            "definition",
            "inScheme",
            "description",
            "code",
        ],
        [
            [
                "Occupation",
                OCC + tail,
                isco,
                label + suffix,
                "\n".join(alt),
                "",
                "released",
                "",
                "http://data.europa.eu/esco/regulated-professions/unregulated",
                "",
                "",
                "",
                f"Does the work of a {label}.",
                code,
            ]
            for tail, isco, label, alt, code in OCCUPATIONS
        ],
    )
    _write(
        folder / f"skills_{language}.csv",
        [
            "conceptType",
            "conceptUri",
            "skillType",
            "reuseLevel",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "modifiedDate",
            "scopeNote",
            "definition",
            "inScheme",
            "description",
        ],
        [
            [
                "KnowledgeSkillCompetence",
                SKILL + tail,
                kind,
                "sector-specific",
                label + suffix,
                "\n".join(alt),
                "",
                "released",
                "",
                "",
                "",
                "",
                f"About {label}.",
            ]
            for tail, kind, label, alt in SKILLS
        ],
    )
    _write(
        folder / f"ISCOGroups_{language}.csv",
        [
            "conceptType",
            "conceptUri",
            "code",
            "preferredLabel",
            "status",
            "altLabels",
            "inScheme",
            "description",
        ],
        [
            ["ISCOGroup", f"http://data.europa.eu/esco/isco/C{code}", code, label, "", "", "", ""]
            for code, label in [
                ("8", "Plant and machine operators"),
                ("83", "Drivers"),
                ("833", "Heavy truck drivers"),
                ("8332", "Heavy truck and lorry drivers"),
            ]
        ],
    )
    _write(
        folder / f"transversalSkillsCollection_{language}.csv",
        [
            "conceptType",
            "conceptUri",
            "skillType",
            "reuseLevel",
            "preferredLabel",
            "status",
            "altLabels",
            "description",
            "broaderConceptUri",
            "broaderConceptPT",
        ],
        [
            [
                "KnowledgeSkillCompetence",
                SKILL + "safety",
                "knowledge",
                "transversal",
                "health and safety regulations",
                "released",
                "",
                "",
                "",
                "",
            ]
        ],
    )
    return folder


def write_relations_pack(folder: Path, extra_rows: list[list[str]] = ()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    _write(
        folder / "occupationSkillRelations.csv",
        ["occupationUri", "relationType", "skillType", "skillUri"],
        [[OCC + occ, kind, "skill/competence", SKILL + skill] for occ, skill, kind in RELATIONS]
        + list(extra_rows),
    )
    _write(
        folder / "skillSkillRelations.csv",
        [
            "originalSkillUri",
            "originalSkillType",
            "relationType",
            "relatedSkillType",
            "relatedSkillUri",
        ],
        [[SKILL + "drive", "skill/competence", "optional", "knowledge", SKILL + "safety"]],
    )
    _write(
        folder / "broaderRelationsOccPillar.csv",
        ["conceptType", "conceptUri", "broaderType", "broaderUri"],
        [["Occupation", OCC + "lorry", "ISCOGroup", "http://data.europa.eu/esco/isco/C8332"]],
    )
    return folder


def zip_folder(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, file.name)
    return target
