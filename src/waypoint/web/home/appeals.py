"""The appeals queue of the person's organisation (coordinators, counsellors, the well-being
team): open appeals, the answer due soonest first, so overdue ones lead. Showing them is a
read of each, audited as the appeals list audits it.

And the call-centre operator's hotline: where a call starts, and what they logged lately
(the operator never sees what the queue did with an appeal: see appeals.models)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from waypoint.appeals import access, selectors
from waypoint.appeals.models import Appeal, Topic
from waypoint.people.access import may_list_veterans, may_register
from waypoint.web.home.parts import ROWS, Link, Part, Row, Section, lateness


def queue_section(user) -> Section | None:
    if not access.works_a_queue(user):
        return None
    queue = selectors.appeals_for(user, shown="queue")
    shown = list(queue[:ROWS])
    selectors.audit_list(user, shown)
    rows = [
        Row(
            appeal.reference,
            reverse("appeals:detail", args=[appeal.pk]),
            detail=_about(appeal),
            when=appeal.due_at,
            **lateness(appeal.due_at),
        )
        for appeal in shown
    ]
    appeals = reverse("appeals:list")
    return Section(
        "appeals",
        _("Appeals in our queue"),
        [
            Part(
                _("Open appeals, the answer due soonest first"),
                queue.count(),
                rows,
                _("No appeal waits in your organisation's queue."),
                appeals,
                when_label=_("answer due"),
            )
        ],
        [Link(_("Open the appeals queue"), appeals)],
    )


def _about(appeal: Appeal) -> str:
    words = [appeal.get_topic_display()]
    if appeal.urgency == Appeal.Urgency.URGENT:
        words.insert(0, appeal.get_urgency_display())
    if appeal.taken_by_id:
        words.append(_("taken by %(person)s") % {"person": appeal.taken_by})
    else:
        words.append(_("nobody has taken it yet"))
    return " · ".join(words)


def hotline_section(user) -> Section | None:
    if not access.may_log(user):
        return None
    links = [Link(_("Log an appeal"), reverse("appeals:log"), primary=True)]
    if may_register(user):
        links.append(Link(_("Phone intake: register a veteran"), reverse("people:intake")))
    if may_list_veterans(user):
        links.append(Link(_("Find a veteran"), reverse("people:veteran_list")))
    recent = [
        Row(
            item["reference"],
            detail=f"{Topic(item['topic']).label} · {Appeal.Urgency(item['urgency']).label}",
            when=item["logged_at"],
        )
        for item in selectors.logged_by(user, limit=ROWS)
    ]
    return Section(
        "hotline",
        _("Hotline"),
        [
            Part(
                _("Calls you logged today"),
                selectors.logged_today(user),
                [],
                _("No call logged today yet. Start with “Log an appeal” when the phone rings."),
            ),
            Part(
                _("What you logged lately"),
                None,
                recent,
                _("Nothing logged yet."),
                with_time=True,
            ),
        ],
        links,
        intro=_(
            "An appeal goes to the queue that answers it; the caller checks its status with "
            "the reference you read out."
        ),
    )
