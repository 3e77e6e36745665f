"""{% employment_summary veteran %}: applications and placements, for the veteran page."""

from django import template
from django.utils.translation import gettext_lazy as _

from waypoint.employment import access, selectors
from waypoint.kit.figures import figure

register = template.Library()


@register.inclusion_tag("employment/_summary.html", takes_context=True)
def employment_summary(context, veteran):
    user = context["request"].user
    applications = list(selectors.applications_for(user).filter(veteran=veteran)[:20])
    placements = list(selectors.placements_for(user).filter(veteran=veteran)[:10])
    return {
        "veteran": veteran,
        "applications": applications,
        "placements": placements,
        "matches": access.may_see_matches(user, veteran),
    }


TERMS = {
    "fit": _("occupation fit"),
    "coverage": _("skills covered"),
    "location": _("location"),
    "pay": _("pay"),
    "quota": _("veteran quota"),
}
LOCATIONS = {
    "home": _("in the home region"),
    "remote": _("remote work"),
    "accepted_region": _("in a region they accept"),
    "relocation": _("needs relocation"),
}


@register.simple_tag
def term_label(name: str) -> str:
    return str(TERMS.get(name, name))


@register.simple_tag
def location_label(code: str | None) -> str:
    return str(LOCATIONS.get(code or "", "—"))


@register.simple_tag
def salary_range(vacancy) -> str:
    """ "70 000–90 000 ₽", "from 70 000 ₽", "up to 90 000 ₽" or "—" (in English "70,000")."""
    low, high = vacancy.salary_min, vacancy.salary_max

    def money(value: int) -> str:
        return figure(value)

    if low and high:
        return f"{money(low)}–{money(high)} ₽"
    if low:
        return _("from %(amount)s ₽") % {"amount": money(low)}
    if high:
        return _("up to %(amount)s ₽") % {"amount": money(high)}
    return "—"
