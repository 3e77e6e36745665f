"""{% wellbeing_summary veteran %} on the veteran's page: a link for the care team and the
person, derived facts (never scores) for the other staff who may see the veteran."""

from django import template

from waypoint.wellbeing import facts
from waypoint.wellbeing.models import PROVIDE_CARE

register = template.Library()


@register.inclusion_tag("wellbeing/_summary.html", takes_context=True)
def wellbeing_summary(context, veteran):
    user = context["request"].user
    return {
        "veteran": veteran,
        "is_clinician": user.has_perm(PROVIDE_CARE),
        "is_person": veteran.account_id == user.pk,
        "facts": facts.for_staff(veteran.pk),
    }
