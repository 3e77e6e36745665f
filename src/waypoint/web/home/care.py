"""Clinicians' home: urgent alerts first, then screenings awaiting their review (the most
urgent tier first, then the longest waiting) and the screenings and follow-ups due. Read only
through well-being's own selectors, which hold its read gate and audit."""

from django.urls import reverse
from django.utils.translation import gettext as _

from waypoint.web.home.parts import ROWS, Link, Part, Row, Section, waiting_note
from waypoint.wellbeing import selectors
from waypoint.wellbeing.models import PROVIDE_CARE


def section(user) -> Section | None:
    if not user.has_perm(PROVIDE_CARE):
        return None
    counts = selectors.waiting(user)
    alerts = [
        Row(
            alert.screening.record.veteran.full_name,
            reverse("wellbeing:person", args=[alert.screening.record.veteran_id]),
            detail=alert.screening.get_occasion_display(),
            when=alert.raised_at,
            note=_("escalated: nobody acknowledged it in time") if alert.escalated_at else "",
            tone="overdue",
        )
        for alert in selectors.open_alerts(user, limit=ROWS)
    ]
    review = [
        Row(
            screening.record.veteran.full_name,
            reverse("wellbeing:screening", args=[screening.pk]),
            detail=f"{screening.get_tier_display()} · {screening.get_occasion_display()}",
            note=waiting_note(screening.waiting_since) if screening.waiting_since else "",
        )
        for screening in selectors.queue(user, limit=ROWS)
    ]
    due = [
        Row(
            screening.record.veteran.full_name,
            reverse("wellbeing:person", args=[screening.record.veteran_id]),
            detail=screening.get_occasion_display(),
            when=screening.due_on,
        )
        for screening in selectors.due_screenings(user, limit=ROWS)
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
