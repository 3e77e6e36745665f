"""Risk tiers from transparent rules over scores and flags (RiskRule rows, editable in the
admin). The tier is the most urgent tier among the rules that fired; every fired rule is kept
with the screening so the clinician sees why. A tier orders the clinician's queue and nothing
else: no decision about a person is taken from it."""

from dataclasses import dataclass

from waypoint.wellbeing.models import TIER_RANK, Response, RiskRule, Tier


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


def _meets(rule: RiskRule, response: Response) -> bool:
    if rule.instrument and rule.instrument != response.instrument:
        return False
    if rule.condition == RiskRule.Condition.FLAG:
        return rule.value in response.flags
    if rule.condition == RiskRule.Condition.POSITIVE:
        return response.positive
    return response.total is not None and response.total >= int(rule.value)


def evaluate(responses: list[Response]) -> tuple[str, list[Fired]]:
    """The tier and the rules that fired, over the current version of each response."""
    rules = list(RiskRule.objects.filter(is_active=True))
    fired = [
        Fired(rule.pk, rule.name, rule.tier, response.instrument, rule.raises_alert)
        for response in responses
        for rule in rules
        if _meets(rule, response)
    ]
    if not fired:
        return Tier.NONE, []
    return min((f.tier for f in fired), key=lambda tier: TIER_RANK[Tier(tier)]), fired
