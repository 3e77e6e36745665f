"""Employers' home: new candidates for their vacancies, candidates awaiting their decision
after an interview or an offer, and hires whose follow-up falls due. Read through the
employer's side of `applications_for`: without the veteran's consent to share their profile,
an employer sees the step, never the person."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from waypoint.employment import access, selectors
from waypoint.employment.models import Application
from waypoint.web.home.parts import (
    ROWS,
    Link,
    Part,
    Row,
    Section,
    after_start,
    lateness,
    waiting_note,
)

S = Application.Status
NEW = (S.PROPOSED, S.APPLIED)
DECIDING = (S.INTERVIEW, S.OFFERED)
FOLLOW_UP_DAYS = 14


def section(user) -> Section | None:
    if not access.is_employer_side(user):
        return None
    if access.employer_of(user) is None:
        return Section(
            "employer",
            _("Candidates and hires"),
            intro=_(
                "Your organisation has no employer profile in Waypoint yet. The fund's "
                "administrator adds it; then your vacancies and candidates appear here."
            ),
        )
    applications = selectors.applications_for(user)
    counts = applications.aggregate(
        new=Count("pk", filter=Q(status__in=NEW)),
        deciding=Count("pk", filter=Q(status__in=DECIDING)),
    )
    new = applications.filter(status__in=NEW).order_by("created_at", "pk")[:ROWS]
    deciding = applications.filter(status__in=DECIDING).order_by("updated_at", "pk")[:ROWS]
    follow_ups = selectors.follow_ups_of_hires(user, within_days=FOLLOW_UP_DAYS)
    listed = reverse("employment:applications")
    return Section(
        "employer",
        _("Candidates and hires"),
        [
            Part(
                _("New candidates"),
                counts["new"],
                [
                    _candidate(application, note=waiting_note(application.created_at))
                    for application in new
                ],
                _(
                    "No new candidate. Candidates appear here when veterans apply or the fund "
                    "proposes them: keep your vacancies up to date."
                ),
                listed,
            ),
            Part(
                _("Awaiting your decision"),
                counts["deciding"],
                [
                    _candidate(
                        application,
                        when=application.updated_at,
                        note=application.get_status_display(),
                    )
                    for application in deciding
                ],
                _("No candidate awaits your decision."),
                listed,
                when_label=_("since"),
            ),
            Part(
                _("Follow-ups of your hires"),
                follow_ups.count(),
                [
                    Row(
                        _name(follow_up.placement.veteran, follow_up.shared),
                        reverse(
                            "employment:application", args=[follow_up.placement.application_id]
                        ),
                        detail=f"{after_start(follow_up.months)} · "
                        f"{follow_up.placement.application.vacancy.title}",
                        when=follow_up.due_on,
                        **lateness(follow_up.due_on),
                    )
                    for follow_up in follow_ups[:ROWS]
                ],
                _(
                    "No follow-up of your hires falls due in the next two weeks. The fund calls "
                    "each person hired 3, 6 and 12 months after the start."
                ),
                when_label=_("due"),
            ),
        ],
        [
            Link(_("My vacancies"), reverse("employment:own_vacancies"), primary=True),
            Link(_("Publish a vacancy"), reverse("employment:vacancy_new")),
        ],
    )


def _candidate(application: Application, *, note: str, when=None) -> Row:
    return Row(
        _name(application.veteran, application.shared),
        reverse("employment:application", args=[application.pk]),
        detail=application.vacancy.title,
        when=when,
        note=note,
    )


def _name(veteran, shared: bool) -> str:
    return veteran.full_name if shared else _("profile withheld: consent withdrawn")
