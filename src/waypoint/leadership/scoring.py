"""The composite score and the order of the shortlist: plain arithmetic, no Django.

Each test and the interview is brought to a 0–100 scale (score ÷ highest score × 100) and
weighted: composite = Σ weight × scaled score ÷ Σ weight, so it runs from 0 to 100 whatever
the weights add up to. Exact fractions are compared, so an order never depends on rounding;
the composite is shown rounded half up to two decimals.

Ties (composites exactly equal) go to the higher interview score on its 0–100 scale, then to
the earlier application, then to the lower candidacy number: the same input always gives the
same order.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

HUNDREDTH = Decimal("0.01")


def shown(value: Fraction) -> Decimal:
    """A fraction as a decimal with two places, rounded half up."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        HUNDREDTH, rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Part:
    """One scored element of the composite: a test or the interview."""

    label: str
    score: int
    max_score: int
    weight: int

    @property
    def scaled(self) -> Fraction:
        return Fraction(100 * self.score, self.max_score)


@dataclass(frozen=True)
class Term:
    """What one part added to the composite."""

    part: Part
    scaled: Decimal
    contribution: Decimal


@dataclass(frozen=True)
class Composite:
    value: Fraction
    terms: tuple[Term, ...]

    @property
    def shown(self) -> Decimal:
        return shown(self.value)


def composite(parts: Sequence[Part]) -> Composite:
    """The weighted mean of the parts on a 0–100 scale, with each part's contribution."""
    for part in parts:
        if part.max_score <= 0:
            raise ValueError(f"{part.label}: the highest score must be positive")
        if not 0 <= part.score <= part.max_score:
            raise ValueError(f"{part.label}: the score must be from 0 to {part.max_score}")
        if part.weight < 0:
            raise ValueError(f"{part.label}: a weight cannot be negative")
    total = sum(part.weight for part in parts)
    if total == 0:
        raise ValueError("the weights add up to zero: there is nothing to rank on")
    contributions = [Fraction(part.weight) * part.scaled / total for part in parts]
    return Composite(
        value=sum(contributions, Fraction(0)),
        terms=tuple(
            Term(part, shown(part.scaled), shown(contribution))
            for part, contribution in zip(parts, contributions, strict=True)
        ),
    )


@dataclass(frozen=True)
class Entry:
    """A candidate to rank: their composite, their interview on its 0–100 scale, when they
    applied, and their candidacy number."""

    key: int
    composite: Fraction
    interview: Fraction
    applied_at: datetime


def ranked(entries: Sequence[Entry]) -> list[Entry]:
    """Best first; ties broken as the module docstring says."""
    return sorted(entries, key=lambda e: (-e.composite, -e.interview, e.applied_at, e.key))
