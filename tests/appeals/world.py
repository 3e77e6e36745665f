"""The appeals part of the permission matrix's world, built for the appeals module's rows.

A Moscow routing rule (employment → `coordinator`'s fund branch); three appeals about the
matrix's veteran logged by `operator`: one registered in that queue, one already answered
there, and one about psychological help, which goes to `clinician`'s clinic (the well-being
team) and is visible to nobody else.
"""

from collections.abc import Callable
from urllib.parse import quote

from waypoint.accounts.models import User
from waypoint.appeals import services
from waypoint.appeals.models import RoutingRule
from waypoint.people.models import Veteran


def appeals_world(persona: Callable[[str], User], veteran_id: int) -> dict:
    """`persona(name)` gives the persona `name` (a fixture, or one of a module's world)."""
    coordinator = persona("coordinator")
    operator = persona("operator")
    persona("clinician")
    veteran = Veteran.objects.get(pk=veteran_id)
    rule = RoutingRule.objects.create(
        topic="employment", region_id="77", organisation=coordinator.organisation
    )

    def log(topic: str):
        return services.log_appeal(
            actor=operator,
            caller_kind="veteran",
            veteran=veteran,
            topic=topic,
            description="Прошу помочь с поиском работы водителем.",
            contact_channel="phone",
        )

    appeal, answered, psychological = log("employment"), log("employment"), log("psychological")
    services.answer(
        actor=coordinator, appeal=answered, outcome_kind="explained", outcome="Разъяснено."
    )
    return {
        "appeal": appeal.pk,
        "appeal_answered": answered.pk,
        "appeal_psych": psychological.pk,
        "appeal_rule": rule.pk,
        "appeal_reference": appeal.reference,
        "appeal_phone": quote(appeal.caller_phone),
    }
