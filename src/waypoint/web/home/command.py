"""Commanders' home: the duty limitations in force in their unit, as clinicians disclosed them
in command notices. Read only through well-being's facts (the command's projection), which
show a commander nothing else and audit each notice read."""

from django.urls import reverse
from django.utils.translation import gettext as _

from waypoint.web.home.parts import ROWS, Link, Part, Row, Section
from waypoint.wellbeing import facts


def section(user) -> Section | None:
    if not facts.receives_notices(user):
        return None
    notices = reverse("wellbeing:notices")
    return Section(
        "command",
        _("Duty limitations"),
        [
            Part(
                _("In force today"),
                facts.duties_in_force_count(user),
                [
                    Row(
                        notice["veteran_name"],
                        notices,
                        detail="; ".join(notice["limitations"]),
                        when=notice["until"],
                    )
                    for notice in facts.duties_in_force(user, limit=ROWS)
                ],
                _("No duty limitation is in force in your unit. Clinicians' notices appear here."),
                notices,
                when_label=_("until"),
            )
        ],
        [Link(_("All notices"), notices, primary=True)],
        intro=_(
            "Notices from clinicians: what to limit, until when and how to support. No "
            "diagnosis, answer or score is ever shared."
        ),
    )
