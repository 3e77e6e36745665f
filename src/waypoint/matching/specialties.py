"""Free-text military specialties → entries of a crosswalk catalogue.

A specialty as people write it ("мехвод БМП-2, 3 года", "combat engineer, EOD", "кок
корабля") usually contains one or more of the catalogue's names whole, give or take word
endings. Every name whose words all appear in the text is a candidate; longer names are taken
first and a shorter one only when it adds a word no chosen name explains, so "водитель-механик
БТР" is the APC driver-mechanic (not also a driver and a mechanic), and "повар, водитель" is
both a cook and a driver. A text that contains no name whole (a typo, an unknown wording)
falls back to the closest name by character n-grams, above a threshold.

Pure Python and numpy/scipy: no Django here.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from waypoint.matching.text import STOP_WORDS, LabelMatcher, normalise

STEM_LENGTH = 8  # longer than the text matcher's: радиотелефонист is not радиотехник
# "IT" is a word of a specialty's name (IT specialist), not a pronoun.
_STOP_WORDS = STOP_WORDS - {"it"}

# Russian inflectional endings, longest first; an ending is cut only when a stem of at least
# three letters is left (сапёром → сапер, водителя → водител, кока → кок).
# й is и once accents are gone (normalise), so ий, ый, ой, ей end words as ии, ыи, ои, еи.
_ENDING_LIST = (
    "ами ями ого его ому ему ыми ими ой ей ом ем ам ям ах ях ов ев ию ия ие ии ыи ои еи ая яя ое "
    "ее ую юю ые ых их а я у ю ы и е о ь"
)
_ENDINGS = sorted(_ENDING_LIST.split(), key=len, reverse=True)
_CYRILLIC = re.compile(r"[а-я]")


def word_stem(word: str) -> str:
    """A word without its ending, cut to STEM_LENGTH letters (both languages)."""
    if _CYRILLIC.search(word):
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                word = word[: -len(ending)]
                break
    elif word.isalpha() and len(word) > 3:
        if word.endswith("ies"):
            word = word[:-3] + "y"
        elif word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
    return word[:STEM_LENGTH]


def text_stems(text: str) -> list[str]:
    """Meaningful words of a text as stems; single letters (the s of surgeon's) carry none."""
    return [
        word_stem(word)
        for word in normalise(text).split()
        if word not in _STOP_WORDS and not (len(word) == 1 and word.isalpha())
    ]


@dataclass(frozen=True)
class Match:
    entry: int  # position in the fitted catalogue
    score: float  # 1.0 when a name is found whole, the n-gram similarity otherwise
    name: str  # the name that matched


class SpecialtyMatcher:
    """Find the catalogue entries a specialty text names.

    Parameters: the least n-gram similarity a fallback match needs.
    """

    def __init__(self, min_similarity: float = 0.65) -> None:
        self.min_similarity = min_similarity

    def fit(self, names: Sequence[str], owners: np.ndarray, n_entries: int) -> "SpecialtyMatcher":
        """Index names; owners[i] is the entry position (0 … n_entries-1) of names[i]."""
        owners = np.asarray(owners, dtype=np.int64)
        if owners.shape != (len(names),):
            raise ValueError(
                f"owners has shape {owners.shape}; expected ({len(names)},): one entry "
                "position per name"
            )
        self.names_ = list(names)
        self.owners_ = owners
        self.name_stems_ = [frozenset(text_stems(name)) for name in names]
        self.by_stem_: dict[str, list[int]] = {}
        for position, stems in enumerate(self.name_stems_):
            for stem in stems:
                self.by_stem_.setdefault(stem, []).append(position)
        self.stems_by_length_: dict[int, list[str]] = {}
        for stem in sorted(self.by_stem_):
            self.stems_by_length_.setdefault(len(stem), []).append(stem)
        self.fuzzy_ = LabelMatcher(char_ngrams=(2, 4)).fit(list(names), owners, n_entries)
        self.n_entries_ = n_entries
        return self

    def match(self, texts: Sequence[str]) -> list[list[Match]]:
        """The entries each text names, the most specific first (empty when none)."""
        found = [self._whole_names(text) for text in texts]
        missing = [i for i, matches in enumerate(found) if not matches]
        if missing and self.n_entries_:
            scores = self.fuzzy_.scores([texts[i] for i in missing])
            for row, i in enumerate(missing):
                best = int(np.argmax(scores[row]))
                if scores[row, best] >= self.min_similarity:
                    name = self.names_[int(np.flatnonzero(self.owners_ == best)[0])]
                    found[i] = [Match(best, float(scores[row, best]), name)]
        return found

    def _known(self, stem: str) -> str:
        """The catalogue's stem a text's stem stands for: itself, or one a typo away (a letter
        doubled, dropped, swapped or changed) when the stem is long enough to tell."""
        if stem in self.by_stem_ or len(stem) < 5:
            return stem
        for length in (len(stem), len(stem) - 1, len(stem) + 1):
            for known in self.stems_by_length_.get(length, ()):
                if known[0] == stem[0] and _one_edit(stem, known):
                    return known
        return stem

    def _whole_names(self, text: str) -> list[Match]:
        stems = {self._known(stem) for stem in text_stems(text)}
        candidates = {
            position
            for stem in stems
            for position in self.by_stem_.get(stem, ())
            if self.name_stems_[position] <= stems
        }
        ordered = sorted(candidates, key=lambda p: (-len(self.name_stems_[p]), p))
        covered: set[str] = set()
        chosen: dict[int, Match] = {}
        for position in ordered:
            entry = int(self.owners_[position])
            new = self.name_stems_[position] - covered
            if entry in chosen or not new:
                covered |= self.name_stems_[position] if entry in chosen else set()
                continue
            covered |= self.name_stems_[position]
            chosen[entry] = Match(entry, 1.0, self.names_[position])
        return list(chosen.values())


def _one_edit(a: str, b: str) -> bool:
    """Whether two different words are one insertion, deletion, substitution or adjacent
    swap apart."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        wrong = [i for i in range(len(a)) if a[i] != b[i]]
        return len(wrong) == 1 or (
            len(wrong) == 2
            and wrong[1] == wrong[0] + 1
            and a[wrong[0]] == b[wrong[1]]
            and a[wrong[1]] == b[wrong[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]
