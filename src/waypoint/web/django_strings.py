"""Django 6.1's strings that its own Russian catalogue does not translate yet. Listed here so
that makemessages keeps them in Waypoint's catalogue, which Django reads first (LOCALE_PATHS):
without it a Russian form's empty choice read "- Select an option -". Drop an entry once
Django translates it."""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_STRINGS = [
    gettext_noop("- Select an option -"),
    gettext_noop("“%(value)s” is not a valid binary value."),
    gettext_noop('The app "%s" could not be found.'),
    # django-tasks-db's model, in the service section.
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count"),
]
