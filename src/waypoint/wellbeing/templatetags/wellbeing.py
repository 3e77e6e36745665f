"""{% wellbeing_summary veteran %} on the veteran's page: a link for the care team and the
person, derived facts (never scores) for the other staff who may see the veteran. Filters
name what the records keep as codes: instruments, bands, risk rules and tiers."""

from django import template

from waypoint.people.access import is_own_record
from waypoint.wellbeing import access, facts, labels
from waypoint.wellbeing.models import Tier

register = template.Library()


@register.inclusion_tag("wellbeing/_summary.html", takes_context=True)
def wellbeing_summary(context, veteran):
    user = context["request"].user
    return {
        "veteran": veteran,
        "is_clinician": access.provides_care(user),
        "is_person": is_own_record(user, veteran),
        "facts": facts.for_staff(veteran.pk),
    }


@register.filter
def instrument_name(instrument_id: str) -> str:
    """{{ response.instrument|instrument_name }}: "PHQ-9", never the internal id."""
    return labels.instrument_name(instrument_id)


@register.filter
def instrument_title(instrument_id: str) -> str:
    """{{ response.instrument|instrument_title }}: the descriptive title, in the interface's
    language, for people who do not know the instruments by their short names."""
    return labels.instrument_title(instrument_id)


@register.filter
def band(name: str | None) -> str:
    return labels.band(name)


@register.filter
def rule(name: str) -> str:
    return labels.rule(name)


@register.filter
def tier(code: str) -> str:
    return Tier(code).label if code in Tier.values else code
