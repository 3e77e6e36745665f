"""{{ concept|term }}: an occupation's, skill's or ISCO-08 group's name in the interface's
language, with the English one click away (taxonomy/display.py); {{ concept|term_text }}:
the same as plain text (page titles, attributes)."""

from django import template

from waypoint.taxonomy import display

register = template.Library()


@register.filter
def term(thing):
    return display.term(thing) if thing not in (None, "") else ""


@register.filter
def term_text(thing):
    return display.term(thing).text if thing not in (None, "") else ""
