"""A veteran's own home: the next steps of their career plan, their open applications for
jobs and courses, the screenings coming up, and how to reach their coordinator. Everything
is read through the gates that give a veteran their own record and nothing else."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from waypoint.employment.models import Application
from waypoint.employment.selectors import applications_for
from waypoint.orientation.plans import step_text
from waypoint.orientation.selectors import latest_plan
from waypoint.people.access import is_veteran_account, veterans_visible_to
from waypoint.people.models import Veteran
from waypoint.training.models import Enrolment
from waypoint.training.selectors import enrolments_for
from waypoint.web.home.parts import ROWS, Contact, Link, Part, Row, Section
from waypoint.wellbeing.facts import screenings_due_for

SELF_SERVICE = "people.self_service"
PLAN_STEPS = 3
SCREENING_DAYS = 30
OPEN_APPLICATIONS = (
    Application.Status.PROPOSED,
    Application.Status.APPLIED,
    Application.Status.INTERVIEW,
    Application.Status.OFFERED,
)
OPEN_ENROLMENTS = (
    Enrolment.Status.RECOMMENDED,
    Enrolment.Status.APPLIED,
    Enrolment.Status.OFFERED,
    Enrolment.Status.ACCEPTED,
)


def section(user) -> Section | None:
    if not is_veteran_account(user):
        return None
    veteran = (
        veterans_visible_to(user)
        .filter(account=user)
        .select_related("coordinator__organisation")
        .first()
    )
    if veteran is None and user.is_agency_staff:
        return None  # staff whose role happens to include self-service: no record is theirs
    if veteran is None:
        return Section(
            "mine",
            _("My next steps"),
            intro=_(
                "Your account is not linked to a veteran's record yet. The fund's coordinator "
                "links it after your first meeting; until then, the hotline answers your "
                "questions."
            ),
        )
    plan_url = reverse("orientation:plan", args=[veteran.pk])
    jobs = applications_for(user).filter(status__in=OPEN_APPLICATIONS)
    courses = enrolments_for(user).filter(status__in=OPEN_ENROLMENTS)
    job_rows = [
        Row(
            application.vacancy.title,
            reverse("employment:application", args=[application.pk]),
            detail=str(application.vacancy.employer),
            note=application.get_status_display(),
        )
        for application in jobs.order_by("-updated_at", "-pk")[:ROWS]
    ]
    course_rows = [
        Row(
            enrolment.cohort.programme.title,
            reverse("training:programme", args=[enrolment.cohort.programme_id]),
            detail=_("%(provider)s, starts %(date)s")
            % {
                "provider": enrolment.cohort.programme.provider,
                "date": date_format(enrolment.cohort.start_date, "SHORT_DATE_FORMAT"),
            },
            note=enrolment.get_status_display(),
        )
        for enrolment in courses.order_by("cohort__start_date", "pk")[:ROWS]
    ]
    today = timezone.localdate()
    screenings = screenings_due_for(user, until=today + timedelta(days=SCREENING_DAYS), limit=ROWS)
    coordinator = veteran.coordinator
    return Section(
        "mine",
        _("My next steps"),
        [
            _plan_part(veteran, plan_url),
            Part(
                _("My open applications"),
                jobs.count() + courses.count(),
                (job_rows + course_rows)[:ROWS],
                _(
                    "No open application. Look at the vacancies and courses that suit you, or "
                    "ask your coordinator to propose you."
                ),
                reverse("employment:applications"),
            ),
            Part(
                _("Well-being screenings coming up"),
                None,
                [
                    Row(
                        capfirst(screening.occasion),
                        reverse("wellbeing:mine"),
                        when=screening.due_on,
                        note=_("you can answer now") if screening.due_on <= today else "",
                    )
                    for screening in screenings
                ],
                _("No screening is due in the next 30 days."),
                when_label=_("due"),
            ),
        ],
        [
            Link(_("My career plan"), plan_url, primary=True),
            Link(
                _("Vacancies that suit me"),
                reverse("employment:veteran_vacancies", args=[veteran.pk]),
            ),
        ],
        intro=""
        if coordinator
        else _("No coordinator is assigned to you yet: the fund assigns one after registration."),
        contact=Contact(
            coordinator.get_full_name() or coordinator.username,
            coordinator.organisation.name if coordinator.organisation_id else "",
            coordinator.email,
        )
        if coordinator
        else None,
    )


def _plan_part(veteran: Veteran, plan_url: str) -> Part:
    plan = latest_plan(veteran)
    if plan is None:
        return Part(
            _("Next steps of my career plan"),
            None,
            [],
            _("Your career plan is not made yet: open it to see the first version."),
            plan_url,
        )
    today = timezone.localdate().isoformat()
    language = (get_language() or "en")[:2]
    steps = [step for step in plan.content.get("steps", []) if step["due"] >= today]
    return Part(
        _("Next steps of my career plan"),
        None,
        [
            Row(step_text(step, language), plan_url, when=date.fromisoformat(step["due"]))
            for step in steps[:PLAN_STEPS]
        ],
        _("Every step of your plan is past its date: agree the next ones with your coordinator."),
        plan_url,
        when_label=_("due"),
    )
