"""Commanders' home: the duty limitations in force in their unit, as clinicians disclosed them
in command notices. Read only through well-being's command-notice selectors, which show a
commander nothing else and audit each notice read."""

from django.urls import reverse
from django.utils.translation import gettext as _

from waypoint.web.home.parts import ROWS, Link, Part, Row, Section
from waypoint.wellbeing import selectors
from waypoint.wellbeing.models import RECEIVE_NOTICES


def section(user) -> Section | None:
    if not user.has_perm(RECEIVE_NOTICES):
        return None
    notices = reverse("wellbeing:notices")
    return Section(
        "command",
        _("Duty limitations"),
        [
            Part(
                _("In force today"),
                selectors.notices_in_force(user),
                [
                    Row(
                        notice.record.veteran.full_name,
                        notices,
                        detail="; ".join(notice.limitation_labels()),
                        when=notice.limitations_until,
                    )
                    for notice in selectors.notices_for_command(user, in_force=True, limit=ROWS)
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
