"""{% case_summary veteran %}: the veteran's open case (or a button to open one)."""

from django import template

from waypoint.cases import services
from waypoint.cases.models import Case
from waypoint.people.access import may_edit

register = template.Library()


@register.inclusion_tag("cases/_summary.html", takes_context=True)
def case_summary(context, veteran):
    user = context["request"].user
    case = (
        Case.objects.visible_to(user)
        .filter(veteran=veteran, closed_at=None)
        .select_related("stage", "coordinator")
        .first()
    )
    return {
        "veteran": veteran,
        "case": case,
        "can_open": case is None and user.has_perm(services.MANAGE) and may_edit(user, veteran),
    }
