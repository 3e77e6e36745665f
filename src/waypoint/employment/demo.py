"""Demo labour market: nine employers in every region (a carrier, a power grid contractor, a
builder, a security firm, the water utility, the bus company, a telecom firm, the rescue
service, a caterer), each hiring the trades it needs, and every demo veteran's job search as
their story tells it: applications on their dates, published vacancies they answered, the
hire that became a placement, and the follow-up calls at 3, 6 and 12 months.

Vacancies open and close over the eighteen months; each employer has some open today. The
employer whose staff sign in (one per region) is the one most applications go to."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from waypoint.accounts.models import Organisation, User
from waypoint.audit.services import record_all
from waypoint.employment.models import Application, Employer, FollowUp, Placement, Vacancy
from waypoint.kit.russian_ids import make_inn, make_ogrn
from waypoint.people.demo import Person, backdate, event, moment
from waypoint.people.demo_data import (
    CITIES,
    COMPANY_PREFIX,
    EMPLOYER_KINDS,
    STREETS,
    TRADES,
    VACANCY_TERMS,
)
from waypoint.taxonomy import normalization

EMPLOYER_STEPS = {"interview", "offered", "rejected"}
NOTES = {
    "rejected": [
        "Выбран кандидат с опытом работы на аналогичной должности.",
        "Вакансия закрыта: работодатель взял сотрудника из кадрового резерва.",
        "Не подошёл график работы.",
    ],
    "withdrawn": [
        "Ветеран выбрал другое предложение.",
        "Далеко от дома, ветеран отказался.",
    ],
}


@transaction.atomic
def build_employment_demo(people: list[Person], *, seed: int = 2026) -> None:
    rng = random.Random(seed + 5)
    today = timezone.localdate()
    employers = _employers()
    board = Board(rng, employers, today)
    staff = {u.organisation_id: u for u in User.objects.filter(username="employer")}
    applications = []  # (person, attempt, vacancy)
    for person in people:
        answered: set[int] = set()  # a veteran is a candidate for a vacancy once
        tried: set[int] = set()
        for attempt in person.story.attempts:
            vacancy = board.vacancy_for(
                person.veteran.region_id, person.story.trade, attempt, answered, tried
            )
            answered.add(id(vacancy))
            applications.append((person, attempt, vacancy))
    board.open_today()
    board.save()
    rows, events = _applications(rng, applications, staff)
    _placements(rng, people, rows, events)
    record_all(events)


def _employers() -> list[tuple[Employer, tuple[str, ...]]]:
    """Every region's employers, each with the trades it hires."""
    organisations = {
        o.region_id: o for o in Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER)
    }
    employers = []
    for number, (region, prefix) in enumerate(sorted(COMPANY_PREFIX.items())):
        for kind, (name, sector, trades) in enumerate(EMPLOYER_KINDS):
            serial = number * 20 + kind + 1
            employer = Employer(
                legal_name=name.format(prefix=prefix, city=CITIES[region]),
                inn=make_inn(f"{region}{serial:07d}"),
                ogrn=make_ogrn(f"10{region}{serial:08d}"),
                region_id=region,
                sector=sector,
                is_partner=kind < 4,
                contact=f"kadry{serial}@employer.example",
                organisation=organisations.get(region) if kind == 0 else None,
            )
            employers.append((employer, trades))
    Employer.objects.bulk_create([employer for employer, _trades in employers])
    return employers


class Board:
    """The vacancies of the eighteen months, published as the applications need them: an
    application answers a vacancy of the person's trade, in their region, open that day."""

    def __init__(self, rng: random.Random, employers, today: date):
        self.rng, self.today = rng, today
        self.hiring: dict[tuple[str, str], list[Employer]] = {}
        for employer, trades in employers:
            for trade in trades:
                self.hiring.setdefault((employer.region_id, trade), []).append(employer)
        self.employers = employers
        self.vacancies: list[Vacancy] = []
        self.hired: dict[int, int] = {}  # id(vacancy) → hires
        self.occupation_of = _occupations()

    def vacancy_for(
        self, region: str, trade: str, attempt, answered: set[int], tried: set[int]
    ) -> Vacancy:
        hiring = self.hiring[region, trade]
        # The employer whose staff use Waypoint gets most applications for what it hires, and
        # every one still waiting for its answer.
        # An employer that turned the person down, or that they left, is not asked again
        # while others hire.
        hiring = [e for e in hiring if id(e) not in tried] or hiring
        signed_in = [e for e in hiring if e.organisation_id]
        weights = [4 if e.organisation_id else 1 for e in hiring]
        employer = self.rng.choices(hiring, weights)[0]
        if attempt.is_open and signed_in:
            employer = signed_in[0]
        if attempt.status in ("rejected", "hired"):
            tried.add(id(employer))
        title = self.rng.choice(TRADES[trade].vacancies)
        hires = attempt.status == "hired"
        for vacancy in self.vacancies:
            if (
                vacancy.employer is employer
                and vacancy.title == title
                and id(vacancy) not in answered
                and vacancy.published_on < attempt.opened <= vacancy.closes_on
                and (not hires or self.hired.get(id(vacancy), 0) < vacancy.openings)
            ):
                break
        else:
            published = attempt.opened - timedelta(days=self.rng.randint(3, 30))
            vacancy = self._publish(employer, title, published)
        if hires:
            self.hired[id(vacancy)] = self.hired.get(id(vacancy), 0) + 1
        return vacancy

    def open_today(self) -> None:
        """Every employer has vacancies open today: all it hires for when its staff use
        Waypoint, two of them otherwise."""
        for employer, trades in self.employers:
            for trade in trades if employer.organisation_id else trades[:2]:
                title = TRADES[trade].vacancies[0]
                if not any(
                    v.employer is employer and v.title == title and v.closes_on >= self.today
                    for v in self.vacancies
                ):
                    published = self.today - timedelta(days=self.rng.randint(1, 75))
                    closes = self.today + timedelta(days=self.rng.randint(10, 60))
                    self._publish(employer, title, published, closes)

    def _publish(
        self, employer: Employer, title: str, published: date, closes: date | None = None
    ) -> Vacancy:
        low, high, schedule, kind = VACANCY_TERMS[title]
        openings = self.rng.choice([1, 2, 2, 3, 5])
        vacancy = Vacancy(
            source="demo",
            source_id=f"{employer.inn}-{len(self.vacancies) + 1}",
            employer=employer,
            title=title,
            occupation_id=self.occupation_of.get(title),
            region_id=employer.region_id,
            address=f"{CITIES[employer.region_id]}, {self.rng.choice(STREETS)}, "
            f"д. {self.rng.randint(1, 90)}",
            salary_min=low,
            salary_max=high,
            schedule=schedule,
            employment_type=kind,
            openings=openings,
            veteran_quota=min(openings, self.rng.choice([0, 1, 1, 2])),
            is_municipal=employer.sector == Employer.Sector.MUNICIPAL,
            published_on=published,
            closes_on=closes or published + timedelta(days=self.rng.randint(45, 90)),
        )
        self.vacancies.append(vacancy)
        return vacancy

    def save(self) -> None:
        Vacancy.objects.bulk_create(self.vacancies)


def _occupations() -> dict[str, int | None]:
    titles = sorted(VACANCY_TERMS)
    try:
        read = normalization.normalize(titles, k=1, military=False)
    except LookupError:  # no active taxonomy
        return {}
    return {
        title: (found[0].pk if found else None) for title, found in zip(titles, read, strict=True)
    }


def _applications(rng: random.Random, applications, staff):
    rows, events = [], []
    for person, attempt, vacancy in applications:
        recorder = person.coordinator
        employer_staff = staff.get(vacancy.employer.organisation_id)
        dated = []
        for status, day in attempt.steps:
            actor = (status in EMPLOYER_STEPS and employer_staff) or recorder
            if status == "applied" and person.veteran.account_id:
                actor = person.veteran.account
            dated.append((status, moment(day, rng), actor))
        note = rng.choice(NOTES[attempt.status]) if attempt.status in NOTES else ""
        if attempt.status == "interview":
            when = attempt.steps[-1][1] + timedelta(days=rng.randint(3, 8))
            when = max(when, timezone.localdate() + timedelta(days=1))
            note = f"Собеседование {when:%d.%m.%Y} в {rng.choice([10, 11, 14, 15])}:00."
        application = Application(
            veteran=person.veteran,
            vacancy=vacancy,
            status=attempt.status,
            history=[
                [status, at.isoformat(), actor.pk, note if n == len(dated) - 1 else ""]
                for n, (status, at, actor) in enumerate(dated)
            ],
            note=note,
            created_by=dated[0][2],
        )
        rows.append((person, attempt, application, dated))
    Application.objects.bulk_create([row[2] for row in rows])
    for _person, _attempt, application, dated in rows:
        (status, at, actor), *later = dated
        changes = {"status": [None, status], "vacancy": [None, application.vacancy_id]}
        events.append(event(actor, "employment.application.create", application, at, changes))
        for (before, _at, _actor), (status, at, actor) in zip(dated, later, strict=False):
            changes = {"status": [before, status]}
            events.append(event(actor, "employment.application.move", application, at, changes))
        application.created_at, application.updated_at = dated[0][1], dated[-1][1]
    backdate([row[2] for row in rows], "created_at", "updated_at")
    return rows, events


def _placements(rng: random.Random, people: list[Person], rows, events) -> None:
    application_of = {id(attempt): (application, dated) for _p, attempt, application, dated in rows}
    placements, calls = [], []
    for person in people:
        for job in person.story.jobs:
            application, dated = application_of[id(job.attempt)]
            low, high = application.vacancy.salary_min, application.vacancy.salary_max
            placement = Placement(
                application=application,
                veteran=person.veteran,
                employer=application.vacancy.employer,
                start_date=job.start,
                salary=rng.randrange(low, high + 1, 5_000),
                ended_on=job.left,
                recorded_by=person.coordinator,
            )
            placement.recorded_at = dated[-1][1]
            placements.append(placement)
            calls += [(placement, call, person.coordinator) for call in job.calls]
    Placement.objects.bulk_create(placements)
    for placement in placements:
        placement.created_at = placement.recorded_at
        changes = {
            "start_date": [None, placement.start_date.isoformat()],
            "salary": [None, placement.salary],
        }
        events.append(
            event(
                placement.recorded_by,
                "employment.placement.create",
                placement,
                placement.recorded_at,
                changes,
            )
        )
    backdate(placements, "created_at")
    follow_ups = [
        FollowUp(
            placement=placement,
            months=call.months,
            due_on=call.due,
            done_on=call.done,
            still_employed=call.employed,
            same_employer=call.same_employer,
            note=_call_note(call),
            recorded_by=coordinator if call.done else None,
        )
        for placement, call, coordinator in calls
    ]
    FollowUp.objects.bulk_create(follow_ups)
    for follow_up in follow_ups:
        if follow_up.done_on:
            changes = {
                "done_on": [None, follow_up.done_on.isoformat()],
                "still_employed": [None, follow_up.still_employed],
            }
            at = moment(follow_up.done_on, rng)
            events.append(
                event(follow_up.recorded_by, "employment.follow_up.record", follow_up, at, changes)
            )


def _call_note(call) -> str:
    if call.done is None:
        return ""
    if call.employed and call.same_employer:
        return "Работает, всё в порядке."
    if call.employed:
        return "Сменил место работы, работает по специальности."
    return "Уволился, ищет работу; координатор подбирает вакансии."
