"""{% leadership_summary veteran %}: the veteran's candidacies for the leadership track, for
the veteran page (only those the viewer may see)."""

from django import template

from waypoint.leadership.access import candidacies_visible_to

register = template.Library()


@register.inclusion_tag("leadership/_summary.html", takes_context=True)
def leadership_summary(context, veteran):
    user = context["request"].user
    candidacies = list(
        candidacies_visible_to(user).filter(veteran=veteran).select_related("track")[:10]
    )
    return {"candidacies": candidacies}
