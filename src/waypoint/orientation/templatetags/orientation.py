"""{% orientation_summary veteran %}: the latest ranking's top occupations, for the veteran page."""

from django import template
from django.utils.translation import get_language

from waypoint.orientation import access, explanations, services

register = template.Library()
SHOWN = 3


@register.inclusion_tag("orientation/_summary.html", takes_context=True)
def orientation_summary(context, veteran):
    user = context["request"].user
    if not access.may_see_orientation(user, veteran):
        return {"visible": False}
    run = services.first_run(veteran)
    items = []
    if run is not None:
        items = [
            item
            for item in services.readable_results(run, veteran, get_language() or "en")
            if item["rank"] <= SHOWN
        ]
    numbers = access.sees_numbers(user, veteran)
    return {
        "visible": True,
        "veteran": veteran,
        "run": run,
        "items": items,
        "numbers": numbers,
        "own": not numbers,
        "to_add": explanations.what_to_add(user, veteran) if run is None else [],
    }
