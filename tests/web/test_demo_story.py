"""Issue 18: the demo tells one story over the last eighteen months. Nothing happens to a
person before they entered the programme, nothing is dated after today but deadlines and
appointments, every placement came from a hired application and moved the case on, every
veteran is ranked, each signed-in persona has work waiting, and the `veteran` login opens
the record of the person it names.

The world is built once, small, for the whole module (in a transaction rolled back at the
end); `problems(today, now)` is also what to run against a full demo database."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from waypoint.people.access import veterans_visible_to

SIZE = 60


def _zone_a_day_off_utc() -> str:
    """A time zone whose calendar date differs from UTC's right now. The demo once broke
    for an hour each night in Moscow because it took the UTC date of a local moment."""
    return "Pacific/Kiritimati" if datetime.now(UTC).hour >= 10 else "Pacific/Pago_Pago"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from waypoint.web.demo import build_world

    zone = _zone_a_day_off_utc()
    with (
        timezone.override(zone),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        assert timezone.localdate() != datetime.now(UTC).date()
        logins, oriented = build_world(seed=2026, veterans=SIZE)
        yield logins, oriented
        transaction.set_rollback(True)


@pytest.fixture
def now(world, db):
    return timezone.now()


def _dated_rows():
    """(what, veteran id, entered on, when) for everything dated about a person that must
    fall between their entry and now."""
    from waypoint.audit.models import AuditEvent
    from waypoint.cases.models import Case, Note, Task
    from waypoint.employment.models import Application, FollowUp, Placement
    from waypoint.leadership.models import Candidacy
    from waypoint.orientation.models import CareerPlan, Feedback, OrientationRun
    from waypoint.people.models import Consent, DeclaredSkill, Veteran
    from waypoint.training.models import Enrolment
    from waypoint.wellbeing.models import CommandNotice, Record, Response, Review, Screening

    entered = dict(Veteran.objects.values_list("pk", "entered_on"))
    sources = [
        (Veteran, "pk", ["created_at"]),
        (Consent, "veteran_id", ["given_at", "withdrawn_at"]),
        (DeclaredSkill, "veteran_id", ["confirmed_at"]),
        (Case, "veteran_id", ["opened_at", "stage_since", "closed_at"]),
        (Task, "case__veteran_id", ["created_at", "done_at"]),
        (Note, "case__veteran_id", ["created_at"]),
        (Application, "veteran_id", ["created_at", "updated_at"]),
        (Placement, "veteran_id", ["start_date", "ended_on", "created_at"]),
        (FollowUp, "placement__veteran_id", ["done_on"]),
        (OrientationRun, "veteran_id", ["created_at"]),
        (Feedback, "veteran_id", ["given_at"]),
        (CareerPlan, "veteran_id", ["created_at"]),
        (Enrolment, "veteran_id", ["updated_at"]),
        (Record, "veteran_id", ["created_at"]),
        (Screening, "record__veteran_id", ["completed_at"]),
        (Response, "screening__record__veteran_id", ["submitted_at"]),
        (Review, "screening__record__veteran_id", ["reviewed_at"]),
        (CommandNotice, "record__veteran_id", ["issued_at"]),
        (Candidacy, "veteran_id", ["created_at"]),
        (AuditEvent, "veteran_id", ["at"]),
    ]
    for model, owner, fields in sources:
        for row in model._base_manager.exclude(**{f"{owner}__isnull": True}).values(owner, *fields):
            for field in fields:
                if row[field] is not None:
                    veteran = row[owner]
                    yield f"{model.__name__}.{field}", veteran, entered[veteran], row[field]
    for model, owner in ((Application, "veteran_id"), (Enrolment, "veteran_id")):
        for veteran, history in model.objects.values_list(owner, "history"):
            for step in history:
                when = datetime.fromisoformat(step[1])
                yield f"{model.__name__}.history", veteran, entered[veteran], when


def _day(when) -> date:
    return timezone.localdate(when) if isinstance(when, datetime) else when


def problems(today: date, now: datetime) -> list[str]:
    """Every break in the story, in words (empty when it holds)."""
    found = []
    for what, veteran, entered, when in _dated_rows():
        if _day(when) < entered:
            found.append(f"{what} of veteran {veteran} on {when}, before entry on {entered}")
        late = when > now if isinstance(when, datetime) else when > today
        if late:
            found.append(f"{what} of veteran {veteran} on {when}, after now")
    return found + _life_cycles(today) + _no_english()


def _life_cycles(today: date) -> list[str]:
    from waypoint.cases.models import Case
    from waypoint.employment.models import Application, Placement
    from waypoint.orientation.models import CareerPlan
    from waypoint.orientation.plans import build_content
    from waypoint.people.models import Veteran
    from waypoint.training.models import Enrolment

    found = []
    current = Q(ended_on=None) | Q(ended_on__gt=today)
    at_work = set(Placement.objects.filter(current).values_list("veteran_id", flat=True))
    for placement in Placement.objects.select_related("application__vacancy", "veteran"):
        application = placement.application
        if application.status != Application.Status.HIRED:
            found.append(f"placement {placement.pk} from an application {application.status}")
        if application.veteran_id != placement.veteran_id:
            found.append(f"placement {placement.pk} from someone else's application")
    hired = Application.objects.filter(status=Application.Status.HIRED, placement=None)
    found += [f"application {a.pk} hired without a placement" for a in hired]
    for veteran in Veteran.objects.filter(pk__in=at_work):
        if veteran.status != Veteran.Status.EMPLOYED:
            found.append(f"veteran {veteran.pk} at work but {veteran.status}")
        case = Case.objects.filter(veteran=veteran).order_by("-opened_at").first()
        if case is None or case.stage.code not in ("placed", "follow_up", "closed"):
            found.append(f"veteran {veteran.pk} at work, case at {case and case.stage.code}")
        latest = CareerPlan.objects.filter(veteran=veteran).first()
        content = latest.content if latest else build_content(veteran)
        title = Placement.objects.filter(current, veteran=veteran).first().application.vacancy
        if (content.get("work") or {}).get("title") != title.title:
            found.append(f"veteran {veteran.pk}: the plan does not name the job {title}")
        if any(step["kind"] == "apply" for step in content["steps"]):
            found.append(f"veteran {veteran.pk} at work, the plan says apply")
    employed = Veteran.objects.filter(status=Veteran.Status.EMPLOYED).exclude(pk__in=at_work)
    found += [f"veteran {pk} employed without a job" for pk in employed.values_list("pk")]
    for veteran in Veteran.objects.filter(status=Veteran.Status.IN_TRAINING):
        if not Enrolment.objects.filter(
            veteran=veteran, status="enrolled", cohort__start_date__lte=today
        ).exists():
            found.append(f"veteran {veteran.pk} in training without a course running")
    early = Enrolment.objects.filter(
        status__in=["enrolled", "completed", "dropped_out"], cohort__start_date__gt=today
    )
    found += [f"enrolment {pk} began before its cohort" for pk in early.values_list("pk")]
    waiting = Veteran.objects.filter(status=Veteran.Status.NEW)
    if waiting.exclude(coordinator=None).exists() or Case.objects.filter(veteran__in=waiting):
        found.append("a veteran awaiting a coordinator has one, or a case")
    return found


LATIN_WORD = re.compile(r"\b(?=[A-Z]*[a-z])[A-Za-z]{3,}")  # not Roman numerals: III группа


def _no_english() -> list[str]:
    """Russian-facing demo content holds no English words."""
    from waypoint.appeals.models import Appeal
    from waypoint.cases.models import Note, Task
    from waypoint.employment.models import Employer, Vacancy
    from waypoint.people.models import Veteran
    from waypoint.training.models import Programme

    texts = [
        *Veteran.objects.values_list("last_name", "first_name", "patronymic", "address"),
        *Vacancy.objects.values_list("title", "address"),
        *Employer.objects.values_list("legal_name"),
        *Programme.objects.values_list("title", "description", "location"),
        *Task.objects.values_list("title"),
        *Note.objects.values_list("text"),
        *Appeal.objects.values_list("description", "outcome"),
    ]
    return [f"English in {text!r}" for row in texts for text in row if LATIN_WORD.search(text)]


def test_the_story_holds_together(now):
    assert problems(timezone.localdate(), now) == []


def test_every_veteran_is_ranked(world, db):
    from waypoint.orientation.models import OrientationRun
    from waypoint.people.models import Veteran

    _logins, oriented = world
    unranked = Veteran.objects.exclude(pk__in=OrientationRun.objects.values("veteran_id"))
    assert list(unranked) == []
    assert oriented == Veteran.objects.count() == SIZE


def test_entry_dates_spread_over_eighteen_months(world, db):
    from waypoint.people.models import Veteran

    today = timezone.localdate()
    days = [(today - d).days for d in Veteran.objects.values_list("entered_on", flat=True)]
    assert min(days) >= 0
    assert max(days) <= 548
    assert max(days) > 365  # not all of them this year


def test_the_veteran_login_opens_its_own_record(world, db):
    from waypoint.accounts.models import User

    account = User.objects.get(username="veteran")
    own = veterans_visible_to(account).get()
    assert own.account == account
    assert (own.last_name, own.first_name) == (account.last_name, account.first_name)


def _user(username):
    from waypoint.accounts.models import User

    return User.objects.get(username=username)


def test_each_persona_has_work_waiting(world, now):
    from waypoint.appeals.models import Appeal
    from waypoint.cases.selectors import tasks_for
    from waypoint.employment.models import Application
    from waypoint.employment.selectors import applications_for
    from waypoint.people.models import Veteran
    from waypoint.training.models import Cohort
    from waypoint.training.selectors import enrolments_for, provider_of
    from waypoint.wellbeing import selectors as wellbeing

    coordinator = _user("coordinator")
    tasks = tasks_for(coordinator)
    assert tasks.filter(due_at__lt=now).exists()  # six of them at full size
    assert tasks.filter(due_at__gte=now, due_at__lt=now + timedelta(days=7)).exists()

    clinician = _user("clinician")
    queue = wellbeing.queue(clinician)
    assert queue
    assert "urgent" in {screening.tier for screening in queue}
    assert wellbeing.open_alerts(clinician)

    assert wellbeing.notices_for_command(_user("commander"))

    operator = _user("operator")
    open_appeals = Appeal.objects.filter(
        logged_by=operator, status__in=["registered", "in_progress"]
    )
    assert open_appeals.exists()
    assert open_appeals.filter(due_at__lt=now + timedelta(days=3)).exists()

    waiting = ["proposed", "applied", "interview", "offered"]
    assert applications_for(_user("employer")).filter(status__in=waiting, shared=True).exists()
    assert Application.objects.filter(
        vacancy__employer__organisation=_user("employer").organisation, status="hired"
    ).exists()

    provider = _user("provider")
    assert enrolments_for(provider).filter(status__in=["applied", "offered"]).exists()
    soon = Cohort.objects.filter(
        programme__provider=provider_of(provider),
        start_date__gt=now.date(),
        start_date__lte=now.date() + timedelta(days=14),
    )
    assert soon.exists()

    assert Veteran.objects.filter(coordinator=_user("counsellor")).exists()
