"""Labour analysts' home: the key figures every analytics dashboard opens with, taken from the
dashboard itself (the same table, suppression and cache), each linking to the panel behind
it. Shown to those who read figures rather than work cases: a coordinator's branch dashboard
is one click away in the menu, and their home stays with their caseload."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from waypoint.analytics import dashboard
from waypoint.analytics.access import panels_visible_to
from waypoint.analytics.filters import Filters
from waypoint.appeals.access import may_see_reports
from waypoint.cases.access import works_cases
from waypoint.web.home.parts import Figure, Link, Section

MARKET = {"openings", "vacancies", "seeking"}  # the rest are programme outcomes


def section(user) -> Section | None:
    if works_cases(user) or "overview" not in panels_visible_to(user):
        return None
    filters = Filters()
    table = dashboard.table(user, filters, "key-figures")
    home = reverse("analytics:home")
    links = [Link(_("Open the dashboard"), home, primary=True)]
    if may_see_reports(user):
        links.append(Link(_("Appeal reports"), reverse("appeals:reports")))
    return Section(
        "figures",
        str(table.title),
        links=links,
        intro=_("%(start)s – %(end)s. %(definition)s")
        % {
            "start": date_format(filters.start, "SHORT_DATE_FORMAT"),
            "end": date_format(filters.end, "SHORT_DATE_FORMAT"),
            "definition": table.definition,
        },
        figures=[
            Figure(
                str(row["figure"]),
                row["value"],
                f"{home}?panel={'market' if row['code'] in MARKET else 'outcomes'}",
            )
            for row in table.rows
        ],
    )
