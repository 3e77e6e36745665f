"""Referrals addressed to the person's organisation that await its answer (fund branches,
employment centres, clinics, employers, training providers): the answer due soonest first."""

from django.urls import reverse
from django.utils.translation import gettext as _

from waypoint.cases.access import answers_referrals
from waypoint.cases.models import Referral
from waypoint.cases.referrals import inbox
from waypoint.web.home.parts import ROWS, Link, Part, Row, Section, lateness


def section(user) -> Section | None:
    if not answers_referrals(user):
        return None
    pending = inbox(user, status=Referral.Status.PENDING)
    rows = [
        Row(
            referral.case.veteran.full_name,
            reverse("cases:referral", args=[referral.pk]),
            detail=_("from %(organisation)s") % {"organisation": referral.case.organisation},
            when=referral.due_at,
            **lateness(referral.due_at),
        )
        for referral in pending[:ROWS]
    ]
    referrals = reverse("cases:referrals")
    return Section(
        "referrals",
        _("Referrals to answer"),
        [
            Part(
                _("Awaiting your organisation's answer"),
                pending.count(),
                rows,
                _("No referral waits for your answer."),
                referrals,
                when_label=_("answer due"),
            )
        ],
        [Link(_("Open the referrals"), referrals)],
    )
