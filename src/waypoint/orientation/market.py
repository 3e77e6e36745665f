"""The labour market as orientation sees it: openings per region and occupation, and their
pay, as waypoint.labour.market defines them (open vacancies, a vacancy's pay), put on the
engine's occupation axis once per process and renewed when a vacancy changes.

Demand for an occupation is the number of openings in the regions a veteran accepts,
saturating at SATURATION (a log scale: the first openings matter most). Pay compares the
average advertised pay with what the veteran expects. Both are neutral (0) where nothing is
known: no vacancy imported, or no expected salary.
"""

from dataclasses import dataclass
from threading import Lock

import numpy as np

from waypoint.labour import market as labour
from waypoint.orientation.engine import Engine

SATURATION = 50  # openings in the accepted regions that count as full demand


@dataclass(frozen=True)
class Market:
    key: tuple
    openings: dict[str, np.ndarray]  # region code → openings per occupation position
    pay_sum: dict[str, np.ndarray]  # region code → sum of average pay × vacancies
    paid: dict[str, np.ndarray]  # region code → vacancies with a known pay

    def demand(self, regions: list[str] | None, n: int) -> np.ndarray:
        """0 … 1 per occupation over the regions (None: anywhere)."""
        chosen = (
            self.openings
            if regions is None
            else {r: self.openings[r] for r in regions if r in self.openings}
        )
        if not chosen:
            return np.zeros(n, np.float32)
        total = np.sum(list(chosen.values()), axis=0)
        return np.minimum(np.log1p(total) / np.log1p(SATURATION), 1).astype(np.float32)

    def pay(self, regions: list[str] | None, expected: float | None, n: int) -> np.ndarray:
        """-1 … 1 per occupation: advertised pay against the expectation (0 when unknown)."""
        if not expected:
            return np.zeros(n, np.float32)
        keys = self.paid if regions is None else [r for r in regions if r in self.paid]
        if not keys:
            return np.zeros(n, np.float32)
        paid = np.sum([self.paid[r] for r in keys], axis=0)
        total = np.sum([self.pay_sum[r] for r in keys], axis=0)
        average = np.divide(total, paid, out=np.zeros(n, np.float64), where=paid > 0)
        gap = np.where(paid > 0, (average - expected) / expected, 0)
        return np.clip(gap, -1, 1).astype(np.float32)


_lock = Lock()
_markets: dict[int, Market] = {}


def market_for(engine: Engine) -> Market:
    key = (engine.taxonomy_id, *labour.version())
    with _lock:
        current = _markets.get(engine.taxonomy_id)
        if current is None or current.key != key:
            current = _build(engine, key)
            _markets.clear()
            _markets[engine.taxonomy_id] = current
        return current


def _build(engine: Engine, key: tuple) -> Market:
    n = len(engine.occupation_pks)
    openings: dict[str, np.ndarray] = {}
    pay_sum: dict[str, np.ndarray] = {}
    paid: dict[str, np.ndarray] = {}
    for row in labour.demand():
        position = engine.occupation_position.get(row["occupation_id"])
        if position is None:
            continue
        region = row["region_id"]
        if region not in openings:
            openings[region] = np.zeros(n, np.float32)
            pay_sum[region] = np.zeros(n, np.float64)
            paid[region] = np.zeros(n, np.float64)
        openings[region][position] += row["openings"] or 0
        if row["paid"]:
            pay_sum[region][position] += float(row["mean_pay"]) * row["paid"]
            paid[region][position] += row["paid"]
    return Market(key=key, openings=openings, pay_sum=pay_sum, paid=paid)
