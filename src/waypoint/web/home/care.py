"""Clinicians' home: urgent alerts first, then screenings awaiting their review (the most
urgent tier first, then the longest waiting) and the screenings and follow-ups due. Read only
through well-being's worklist facade, whose selectors hold its read gate and audit."""

from django.urls import reverse
from django.utils.translation import gettext as _

from waypoint.web.home.parts import ROWS, Link, Part, Row, Section, waiting_note
from waypoint.wellbeing import facts, worklist


def section(user) -> Section | None:
    if not facts.provides_care(user):
        return None
    counts = worklist.waiting(user)
    alerts = [
        Row(
            alert.veteran_name,
            reverse("wellbeing:person", args=[alert.veteran_id]),
            detail=alert.occasion,
            when=alert.when,
            note=_("escalated: nobody acknowledged it in time") if alert.escalated else "",
            tone="overdue",
        )
        for alert in worklist.open_alerts(user, limit=ROWS)
    ]
    review = [
        Row(
            entry.veteran_name,
            reverse("wellbeing:screening", args=[entry.screening_id]),
            detail=f"{entry.tier} · {entry.occasion}",
            note=waiting_note(entry.when) if entry.when else "",
        )
        for entry in worklist.awaiting_review(user, limit=ROWS)
    ]
    due = [
        Row(
            entry.veteran_name,
            reverse("wellbeing:person", args=[entry.veteran_id]),
            detail=entry.occasion,
            when=entry.when,
        )
        for entry in worklist.due(user, limit=ROWS)
    ]
    home = reverse("wellbeing:home")
    return Section(
        "care",
        _("Well-being"),
        [
            Part(
                _("Urgent alerts"),
                counts.alerts,
                alerts,
                _("No urgent alert is open."),
                home,
                tone="overdue",
                when_label=_("raised"),
                with_time=True,
            ),
            Part(
                _("Awaiting your review"),
                counts.review,
                review,
                _("No screening waits for review."),
                home,
            ),
            Part(
                _("Screenings and follow-ups due"),
                counts.due,
                due,
                _("No screening is due."),
                home,
                when_label=_("due"),
            ),
        ],
        [Link(_("Open the well-being queue"), home, primary=True)],
    )
