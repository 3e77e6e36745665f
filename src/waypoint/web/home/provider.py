"""Training providers' home: applications to their programmes that wait for their step (offer
a seat to who applied, enrol who accepted one), and their cohorts starting soon that still
have seats. Read through the provider's side of `enrolments_for`."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.training import selectors
from waypoint.training.access import works_for_a_provider
from waypoint.training.models import Enrolment
from waypoint.web.home.parts import ROWS, Link, Part, Row, Section

S = Enrolment.Status
AWAITING = (S.APPLIED, S.ACCEPTED)  # the provider offers a seat; the provider enrols
STARTING_DAYS = 30


def section(user) -> Section | None:
    if not works_for_a_provider(user):
        return None
    provider = selectors.provider_of(user)
    if provider is None:
        return Section(
            "provider",
            _("Applications and cohorts"),
            intro=_(
                "Your organisation has no training-provider profile in Waypoint yet. The fund's "
                "administrator adds it; then your programmes and applicants appear here."
            ),
        )
    awaiting = selectors.enrolments_for(user).filter(status__in=AWAITING)
    starting = selectors.cohorts_starting(provider, within_days=STARTING_DAYS)
    enrolments = reverse("training:enrolments")
    return Section(
        "provider",
        _("Applications and cohorts"),
        [
            Part(
                _("Awaiting your decision"),
                awaiting.count(),
                [
                    Row(
                        enrolment.veteran.full_name,
                        enrolments,
                        detail=str(enrolment.cohort.programme),
                        when=enrolment.cohort.start_date,
                        note=_("applied: offer a seat")
                        if enrolment.status == S.APPLIED
                        else _("accepted the seat: enrol"),
                    )
                    for enrolment in awaiting.order_by("cohort__start_date", "pk")[:ROWS]
                ],
                _("No application waits for your decision."),
                enrolments,
                when_label=_("starts"),
            ),
            Part(
                _("Cohorts starting in the next 30 days with seats left"),
                starting.count(),
                [
                    Row(
                        cohort.programme.title,
                        reverse("training:programme", args=[cohort.programme_id]),
                        when=cohort.start_date,
                        note=_seats_left(cohort.seats - cohort.taken),
                    )
                    for cohort in starting[:ROWS]
                ],
                _(
                    "No cohort with free seats starts in the next 30 days. Add a cohort to a "
                    "programme to take more people."
                ),
                when_label=_("starts"),
            ),
        ],
        [
            Link(_("Open the enrolments"), enrolments, primary=True),
            Link(_("Add a programme"), reverse("training:programme_new")),
        ],
    )


def _seats_left(seats: int) -> str:
    return ngettext("%(seats)d seat left", "%(seats)d seats left", seats) % {"seats": seats}
