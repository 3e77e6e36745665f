"""{{ concept|term }}: an occupation's, skill's or ISCO-08 group's name in the interface's
language, with the English one click away (taxonomy/display.py); {{ concept|term_text }}:
the same as plain text (page titles, attributes)."""

from django import template
from django.utils.safestring import mark_safe

from waypoint.taxonomy import display

register = template.Library()


@register.filter
def term(thing):
    if thing in (None, ""):
        return ""
    return mark_safe(display.term(thing).__html__())  # noqa: S308 (format_html escaped it)


@register.filter
def term_text(thing):
    return display.term(thing).text if thing not in (None, "") else ""
