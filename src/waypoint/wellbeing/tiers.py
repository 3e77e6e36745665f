"""Risk tiers from transparent rules over scores and flags (RiskRule rows, editable in the
admin). The tier is the most urgent tier among the rules that fired; every fired rule is kept
with the screening so the clinician sees why. A tier orders the clinician's queue and nothing
else: no decision about a person is taken from it.

Pure Python, like scoring: the caller passes the active rules and the current responses."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

# Most urgent first: the clinician's queue is ordered by this rank.
RANK = {"urgent": 0, "high": 1, "moderate": 2, "low": 3, "none": 4}
NONE = "none"


class Rule(Protocol):
    pk: int
    name: str
    instrument: str
    condition: str  # "flag", "positive" or "total_at_least"
    value: str
    tier: str
    raises_alert: bool


class Scored(Protocol):
    instrument: str
    total: int | None
    positive: bool
    flags: list[str]


@dataclass(frozen=True)
class Fired:
    rule_id: int
    name: str
    tier: str
    instrument: str
    raises_alert: bool

    def as_dict(self) -> dict:
        return {
            "rule": self.rule_id,
            "name": self.name,
            "tier": self.tier,
            "instrument": self.instrument,
            "raises_alert": self.raises_alert,
        }


def _meets(rule: Rule, response: Scored) -> bool:
    if rule.instrument and rule.instrument != response.instrument:
        return False
    if rule.condition == "flag":
        return rule.value in response.flags
    if rule.condition == "positive":
        return response.positive
    return response.total is not None and response.total >= int(rule.value)


def evaluate(rules: Iterable[Rule], responses: Iterable[Scored]) -> tuple[str, list[Fired]]:
    """The tier and the rules that fired, over the current version of each response."""
    rules = list(rules)
    fired = [
        Fired(rule.pk, rule.name, rule.tier, response.instrument, rule.raises_alert)
        for response in responses
        for rule in rules
        if _meets(rule, response)
    ]
    if not fired:
        return NONE, []
    return min((f.tier for f in fired), key=RANK.__getitem__), fired
