"""Specialty texts → crosswalk entries, on a small catalogue with known answers."""

import numpy as np
import pytest

from waypoint.matching.specialties import SpecialtyMatcher, text_stems, word_stem

CATALOGUE = {
    0: ["механик-водитель", "мехвод"],
    1: ["водитель", "водитель автомобиля", "driver"],
    2: ["механик", "mechanic"],
    3: ["повар", "кок", "cook"],
    4: ["матрос", "sailor"],
    5: ["оператор БПЛА", "UAV operator"],
    6: ["IT specialist"],
    7: ["радиотелефонист"],
    8: ["радиотехник"],
}


@pytest.fixture(scope="module")
def matcher():
    names = [name for names in CATALOGUE.values() for name in names]
    owners = np.array([entry for entry, names in CATALOGUE.items() for _name in names])
    return SpecialtyMatcher().fit(names, owners, len(CATALOGUE))


def keys(matcher, text):
    (found,) = matcher.match([text])
    return sorted(match.entry for match in found)


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        ("водитель-механик БТР-82", [0]),  # the composite name, not its halves again
        ("мехвод БМП-2, 3 года", [0]),
        ("повар и водитель", [1, 3]),  # two trades, both kept
        ("кок корабля", [3]),
        ("служил коком на корабле", [3]),  # word endings
        ("водителем автомобиля", [1]),
        ("механником-водителем", [0]),  # a typo one letter away
        ("ship's cook", [3]),
        ("UAV operators", [5]),
        ("радиотелефонист взвода", [7]),  # not the radio technician
        ("командир взвода", []),
    ],
)
def test_the_entries_a_text_names(matcher, text, entries):
    assert keys(matcher, text) == entries


def test_a_text_naming_nothing_whole_falls_back_to_the_closest_name(matcher):
    (found,) = matcher.match(["оператор БЛА"])
    assert [m.entry for m in found] == [5]
    assert 0.65 <= found[0].score < 1


def test_stems_cut_endings_in_both_languages():
    assert word_stem("сапером") == word_stem("сапер") == "сапер"
    assert word_stem("кока") == "кок"
    assert word_stem("mechanics") == word_stem("mechanic")
    assert word_stem("старшии") != word_stem("старшина")  # старший, once й is и
    assert text_stems("surgeon's assistant") == ["surgeon", "assistan"]
    assert text_stems("IT specialist") == ["it", "speciali"]  # IT is no pronoun here


def test_owners_must_match_the_names():
    with pytest.raises(ValueError, match="one entry position per name"):
        SpecialtyMatcher().fit(["a", "b"], np.array([0]), 1)
