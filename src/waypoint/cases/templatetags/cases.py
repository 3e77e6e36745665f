"""{% case_summary veteran %}: the veteran's open case (or a button to open one)."""

from django import template

from waypoint.cases.access import cases_visible_to, may_open_case

register = template.Library()


@register.inclusion_tag("cases/_summary.html", takes_context=True)
def case_summary(context, veteran):
    user = context["request"].user
    case = (
        cases_visible_to(user)
        .filter(veteran=veteran, closed_at=None)
        .select_related("stage", "coordinator")
        .first()
    )
    return {
        "veteran": veteran,
        "case": case,
        "can_open": case is None and may_open_case(user, veteran),
    }
