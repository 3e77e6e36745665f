"""{% orientation_summary veteran %}: the latest ranking's top occupations, for the veteran page."""

from django import template

from waypoint.orientation import selectors

register = template.Library()
SHOWN = 3


@register.inclusion_tag("orientation/_summary.html", takes_context=True)
def orientation_summary(context, veteran):
    user = context["request"].user
    if not selectors.can_view(user, veteran):
        return {"visible": False}
    run = selectors.run_for(veteran)
    items = list(run.items.select_related("occupation")[:SHOWN]) if run else []
    return {"visible": True, "veteran": veteran, "run": run, "items": items}
