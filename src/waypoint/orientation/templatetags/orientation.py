"""{% orientation_summary veteran %}: the latest ranking's top occupations, for the veteran page."""

from django import template
from django.utils.translation import get_language

from waypoint.orientation import explanations, selectors, services
from waypoint.people.access import is_own_record

register = template.Library()
SHOWN = 3


@register.inclusion_tag("orientation/_summary.html", takes_context=True)
def orientation_summary(context, veteran):
    user = context["request"].user
    if not selectors.can_view(user, veteran):
        return {"visible": False}
    run = services.first_run(veteran)
    items = []
    if run is not None:
        items = [
            item
            for item in services.readable_results(run, veteran, get_language() or "en")
            if item["rank"] <= SHOWN
        ]
    own = is_own_record(user, veteran)
    return {
        "visible": True,
        "veteran": veteran,
        "run": run,
        "items": items,
        "numbers": not own,
        "own": own,
        "to_add": explanations.what_to_add(user, veteran) if run is None else [],
    }
