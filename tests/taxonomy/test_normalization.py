import csv
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waypoint.taxonomy import normalization

STARTER = "urn:waypoint:starter:occupation:"
RUSSIAN_TITLES = Path(__file__).with_name("russian_titles.csv")


def russian_titles() -> list[dict[str, str]]:
    """Russian job titles and military specialties we wrote, with the occupation each means:
    the starter key, and the ESCO preferred label where ESCO has a clear counterpart."""
    with RUSSIAN_TITLES.open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_russian_titles_and_specialties_find_their_occupation_in_the_top_ten(db):
    rows = russian_titles()
    assert len(rows) >= 100
    found = normalization.normalize([row["text"] for row in rows], k=10)
    hits = [
        STARTER + row["starter"] in {candidate.uri for candidate in candidates}
        for row, candidates in zip(rows, found, strict=True)
    ]
    assert sum(hits) / len(hits) >= 0.9, [
        row["text"] for row, hit in zip(rows, hits, strict=True) if not hit
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("водитель грузовика", "truck_driver"),
        ("механик-водитель БМП", "mil_tracked_driver"),
        ("platoon sergeant, 6 years", "mil_platoon_sergeant"),
        ("warehouse guy", "warehouse_worker"),
        ("сварщик 5 разряда", "welder"),
        ("оператор БПЛА", "drone_operator"),
    ],
)
def test_normalize_known_answers_on_the_starter(db, text, expected):
    uris = [candidate.uri for candidate in normalization.normalize([text], k=10)[0]]
    assert STARTER + expected in uris[:3]


def test_extract_skills(db):
    skills = normalization.extract_skills(["оказание первой помощи и вождение грузовика"], k=5)
    uris = {candidate.uri for candidate in skills[0]}
    assert "urn:waypoint:starter:skill:first_aid" in uris
    assert "urn:waypoint:starter:skill:drive_truck" in uris


def test_command_single_text_json(db, capsys):
    call_command("taxonomy", "normalize", "водитель грузовика", "--top", "2", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["candidates"][0]["uri"] == STARTER + "truck_driver"
    assert [c["rank"] for c in result["candidates"]] == [1, 2]


def test_command_file_mode(db, tmp_path):
    source = tmp_path / "titles.csv"
    source.write_text(",vacancyTitle\n0,Truck Driver\n1,сварщик\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    call_command(
        "taxonomy",
        "normalize",
        "--input",
        str(source),
        "--column",
        "vacancyTitle",
        "--top",
        "3",
        "--output",
        str(target),
    )
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert list(rows[0]) == ["row", "rank", "uri", "score"]
    assert (rows[0]["row"], rows[0]["rank"], rows[0]["uri"]) == ("0", "1", STARTER + "truck_driver")
    assert {row["row"] for row in rows} == {"0", "1"}


def test_command_errors(db, tmp_path):
    with pytest.raises(CommandError, match="give a TEXT"):
        call_command("taxonomy", "normalize")
    source = tmp_path / "t.csv"
    source.write_text("title\nx\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no column"):
        call_command(
            "taxonomy",
            "extract-skills",
            "--input",
            str(source),
            "--column",
            "x",
            "--output",
            str(tmp_path / "o.csv"),
        )
    with pytest.raises(CommandError, match="--top"):
        call_command("taxonomy", "normalize", "x", "--top", "0")


def _hashed_encoder():
    """A stand-in sentence encoder: each word a fixed random direction, a text their sum."""
    import zlib

    import numpy as np

    from waypoint.matching.semantic import Encoder, words

    def encode(texts):
        out = np.zeros((len(texts), 16), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in words(text):
                out[row] += np.random.default_rng(zlib.crc32(word.encode())).normal(size=16)
        return out

    return Encoder("hashed", encode, encode)


def test_the_semantic_reordering_keeps_the_lexical_answers(db, monkeypatch):
    # The bundled encoder is only used for large taxonomies; here the starter gets a
    # stand-in, so that the path (fit, cache, titles by word vectors, sentences whole) runs.
    encoder = _hashed_encoder()
    monkeypatch.setattr(normalization, "SEMANTIC_MIN_CONCEPTS", 1)
    monkeypatch.setattr(normalization, "load_encoder", lambda: encoder)
    monkeypatch.setattr(normalization, "encoder_name", lambda: encoder.name)
    normalization._cache.clear()
    try:
        found = normalization.normalize(["водитель грузовика", "сварщик 5 разряда"], k=10)
        assert STARTER + "truck_driver" in [c.uri for c in found[0][:3]]
        assert STARTER + "welder" in [c.uri for c in found[1][:3]]
        assert all(0 < c.score <= 1 for row in found for c in row)
        skills = normalization.extract_skills(["оказание первой помощи и вождение грузовика"], k=5)
        uris = {candidate.uri for candidate in skills[0]}
        assert "urn:waypoint:starter:skill:first_aid" in uris
        index = normalization._index(normalization.active_taxonomy(), normalization.OCCUPATIONS)
        assert index.semantic is not None
        assert index.semantic.has_word_vectors
    finally:
        normalization._cache.clear()
