"""{{ value|figure }}: a quantity grouped and punctuated in the interface's language
(waypoint.kit.figures)."""

from django import template

from waypoint.kit import figures

register = template.Library()
register.filter("figure", figures.figure)
