"""Label files: an organisation's own Russian names for a taxonomy's occupations and skills.

A label file is a UTF-8 CSV with a header row:

    uri,label,alt_labels
    http://data.europa.eu/esco/occupation/…,водитель грузового автомобиля,шофёр | водитель фуры

uri and label are required columns; alt_labels (alternative labels, separated by "|") is
optional; label_en, kind and source are read past (export_labels writes them, for the person
who translates). A row with an empty label is read past too, so an exported file can be
filled in bit by bit and imported again. Every other problem stops the whole import, before
anything is written, with the line, the column and the rule. A row exported with a name from
the taxonomy itself or carried over (source release or carried) and left as it was is read
past as well: it stays that source's name, not the organisation's.

Importing is idempotent (the same file twice changes nothing the second time) and merges: a
concept not in the file keeps the label it had. Imported labels win over every other Russian
name (russian.py); the import is audited as taxonomy.import_labels.
"""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from waypoint.audit.services import record
from waypoint.taxonomy.models import ImportedLabel, Occupation, RussianSource, Skill, Taxonomy
from waypoint.taxonomy.russian import refresh

LANGUAGES = ("ru",)
REQUIRED = ("uri", "label")
OPTIONAL = ("alt_labels", "label_en", "kind", "source")
SEPARATOR = "|"
MAX_LABEL = 300
MAX_ALTERNATIVE = 400
MAX_ROWS = 200_000
SUGGESTED = (RussianSource.RELEASE, RussianSource.CARRIED)
_SCRIPT = {"ru": re.compile(r"[А-Яа-яЁё]")}


class LabelFileError(ValueError):
    pass


@dataclass
class LabelSummary:
    taxonomy: str
    rows: int = 0
    blank: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # after the import: concepts by where their Russian name comes from ("" = none)
    names: dict[str, Counter] = field(default_factory=dict)


def _error(line: int, column: str | None, rule: str) -> LabelFileError:
    where = f"line {line}" + (f", column {column}" if column else "")
    return LabelFileError(f"{where}: {rule}")


def read_rows(text: str, language: str) -> tuple[list[tuple], int]:
    """(line, uri, label, alternatives, source) of each filled row, and how many rows were
    blank."""
    if language not in LANGUAGES:
        raise LabelFileError(f"--language: one of {', '.join(LANGUAGES)}, not {language!r}")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise _error(1, None, "the file is empty; the header uri,label is required") from None
    except csv.Error as exc:
        raise _error(1, None, str(exc)) from None
    for name in REQUIRED:
        if name not in header:
            raise _error(1, name, f"the header must have a column {name!r}")
    unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
    if unknown:
        raise _error(
            1,
            unknown[0],
            "unknown column; the columns are " + ", ".join(REQUIRED + OPTIONAL),
        )
    if len(set(header)) != len(header):
        raise _error(1, None, "a column is named twice")
    rows, blank, seen = [], 0, {}
    try:
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                raise _error(line, None, f"{len(values)} fields where the header has {len(header)}")
            if len(rows) + blank >= MAX_ROWS:
                raise _error(line, None, f"at most {MAX_ROWS:,} rows in one file")
            row = {name: value.strip() for name, value in zip(header, values, strict=True)}
            uri, label = row["uri"], row["label"]
            alternatives = [a.strip() for a in row.get("alt_labels", "").split(SEPARATOR)]
            alternatives = [a for a in alternatives if a]
            if not uri:
                raise _error(line, "uri", "required")
            if not label:
                if alternatives:
                    raise _error(line, "label", "alternative labels need a preferred label")
                blank += 1
                continue
            if uri in seen:
                raise _error(line, "uri", f"{uri} is already on line {seen[uri]}")
            seen[uri] = line
            for column, texts, limit in (
                ("label", [label], MAX_LABEL),
                ("alt_labels", alternatives, MAX_ALTERNATIVE),
            ):
                for value in texts:
                    if len(value) > limit:
                        raise _error(line, column, f"at most {limit} characters")
                    if not _SCRIPT[language].search(value):
                        raise _error(line, column, f"{value!r} has no {language} letter")
            rows.append(
                (line, uri, label, list(dict.fromkeys(alternatives)), row.get("source", ""))
            )
    except csv.Error as exc:
        raise _error(reader.line_num, None, str(exc)) from None
    return rows, blank


def _decode(path: Path) -> str:
    if not path.is_file():
        raise LabelFileError(f"{path}: no such file")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _error(line, None, "not UTF-8 text") from None


def import_labels(
    *, actor, text: str, taxonomy_code: str = "esco", language: str = "ru"
) -> LabelSummary:
    """Check every row, then write them all in one transaction and name the taxonomy's
    concepts anew."""
    taxonomy = Taxonomy.objects.filter(code=taxonomy_code).first()
    if taxonomy is None:
        raise LabelFileError(f"--taxonomy: no taxonomy {taxonomy_code!r} has been imported")
    rows, blank = read_rows(text, language)
    kinds, current = {}, {}
    for kind, model in (
        (ImportedLabel.Kind.OCCUPATION, Occupation),
        (ImportedLabel.Kind.SKILL, Skill),
    ):
        for uri, russian, source in model.objects.filter(
            taxonomy=taxonomy, uri__in=[r[1] for r in rows]
        ).values_list("uri", "label_ru", "label_ru_source"):
            kinds[uri], current[uri] = kind, (russian, source)
    for line, uri, *_rest in rows:
        if uri not in kinds:
            raise _error(line, "uri", f"no occupation or skill of {taxonomy} has this URI")
    summary = LabelSummary(taxonomy=str(taxonomy), rows=len(rows), blank=blank)
    # A name exported from another source and left as it was is not the organisation's own:
    # importing the exported file back changes nothing.
    rows = [
        row
        for row in rows
        if not (row[4] in SUGGESTED and not row[3] and current[row[1]] == (row[2], row[4]))
    ]
    summary.blank += summary.rows - len(rows)
    summary.rows = len(rows)
    with transaction.atomic():
        existing = {
            (label.kind, label.uri): label
            for label in ImportedLabel.objects.select_for_update().filter(
                taxonomy=taxonomy, language=language
            )
        }
        fresh, changed = [], []
        for _line, uri, label, alternatives, _source in rows:
            kind = kinds[uri]
            old = existing.get((kind, uri))
            if old is None:
                fresh.append(
                    ImportedLabel(
                        taxonomy=taxonomy,
                        kind=kind,
                        uri=uri,
                        language=language,
                        preferred=label,
                        alternatives=alternatives,
                    )
                )
            elif (old.preferred, old.alternatives) != (label, alternatives):
                old.preferred, old.alternatives = label, alternatives
                changed.append(old)
        ImportedLabel.objects.bulk_create(fresh, batch_size=2000)
        for label in changed:
            label.save(update_fields=["preferred", "alternatives", "updated_at"])
        summary.created, summary.updated = len(fresh), len(changed)
        summary.unchanged = len(rows) - len(fresh) - len(changed)
        summary.names = refresh(taxonomy)
        record(
            actor=actor,
            action="taxonomy.import_labels",
            subject=taxonomy,
            changes={
                "language": [None, language],
                "created": [None, summary.created],
                "updated": [None, summary.updated],
                "unchanged": [None, summary.unchanged],
            },
        )
    return summary


def import_label_file(*, actor, path: Path, taxonomy_code: str = "esco", language: str = "ru"):
    return import_labels(
        actor=actor, text=_decode(path), taxonomy_code=taxonomy_code, language=language
    )


def export_labels(stream, taxonomy_code: str = "esco", language: str = "ru") -> int:
    """Every occupation and skill of a taxonomy, with its Russian name so far (empty where
    there is none) and where the name comes from: a file to extend and import again."""
    if language not in LANGUAGES:
        raise LabelFileError(f"--language: one of {', '.join(LANGUAGES)}, not {language!r}")
    taxonomy = Taxonomy.objects.filter(code=taxonomy_code).first()
    if taxonomy is None:
        raise LabelFileError(f"--taxonomy: no taxonomy {taxonomy_code!r} has been imported")
    alternatives = {
        (label.kind, label.uri): label.alternatives
        for label in ImportedLabel.objects.filter(taxonomy=taxonomy, language=language)
    }
    writer = csv.writer(stream)
    writer.writerow(["kind", "uri", "label_en", "label", "alt_labels", "source"])
    count = 0
    for kind, model in (
        (ImportedLabel.Kind.OCCUPATION, Occupation),
        (ImportedLabel.Kind.SKILL, Skill),
    ):
        for uri, english, russian, source in (
            model.objects.filter(taxonomy=taxonomy)
            .order_by("preferred_label", "pk")
            .values_list("uri", "preferred_label", "label_ru", "label_ru_source")
            .iterator(chunk_size=5000)
        ):
            writer.writerow(
                [
                    kind,
                    uri,
                    english,
                    russian,
                    f" {SEPARATOR} ".join(alternatives.get((kind, uri), [])),
                    source,
                ]
            )
            count += 1
    return count
