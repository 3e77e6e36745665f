"""Demo orientation: every veteran ranked, as the system does when a record is first opened,
the ranking dated at the assessment; the occupation the plan settles on (the one the person
applied for, or was hired as) accepted by the coordinator the day the plan was agreed, now
and then after turning down the first suggestion; and the plan's versions: the first that
day, another when the person starts work, naming the job."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from waypoint.audit.services import record_all
from waypoint.employment.models import Application, Vacancy
from waypoint.orientation.models import CareerPlan, Feedback, OrientationRun
from waypoint.orientation.plans import at_work, build_content
from waypoint.orientation.services import orient_all
from waypoint.people.demo import Person, backdate, clock, event, moment
from waypoint.people.demo_data import TRADES

PLANNED_REGIONS = {"77"}
REASONS = [
    "Не хочет работать в этой сфере.",
    "Нет вакансий рядом с домом.",
    "Выбрал профессию ближе к военной специальности.",
]


def build_orientation_demo(people: list[Person], *, seed: int = 2026) -> int:
    """Returns how many veterans have a ranking."""
    rng = random.Random(seed + 7)
    oriented = orient_all()
    with transaction.atomic():
        runs = {run.veteran_id: run for run in OrientationRun.objects.prefetch_related("items")}
        dated = []
        for person in people:
            run = runs.get(person.veteran.pk)
            if run is not None and person.story.assessed:
                run.created_at = moment(person.story.assessed, rng)
                dated.append(run)
        backdate(dated, "created_at")
        events = _decisions(rng, people, runs)
        events += _plans(rng, people)
        own = next((p for p in people if p.veteran.account_id), None)
        if own is not None:
            events += _widened(rng, own)
        record_all(events)
    return oriented


def _targets(people: list[Person]) -> dict[int, int]:
    """The occupation each person's plan aims at: the job they were hired for, else the
    vacancy they applied for last, else what the vacancies of their trade are coded as."""
    hired: dict[int, int] = {}
    latest: dict[int, int] = {}
    for veteran, status, occupation in (
        Application.objects.exclude(vacancy__occupation=None)
        .order_by("created_at", "pk")
        .values_list("veteran_id", "status", "vacancy__occupation_id")
    ):
        latest[veteran] = occupation
        if status == Application.Status.HIRED:
            hired[veteran] = occupation
    titles = {TRADES[p.story.trade].vacancies[0] for p in people}
    coded = dict(
        Vacancy.objects.filter(title__in=titles)
        .exclude(occupation=None)
        .values_list("title", "occupation_id")
    )
    return {
        p.veteran.pk: hired.get(p.veteran.pk)
        or latest.get(p.veteran.pk)
        or coded.get(TRADES[p.story.trade].vacancies[0])
        for p in people
    }


def _decisions(rng: random.Random, people: list[Person], runs) -> list:
    targets = _targets(people)
    rows = []
    for person in people:
        story, target = person.story, targets.get(person.veteran.pk)
        run = runs.get(person.veteran.pk)
        if story.planned is None or target is None or person.coordinator is None:
            continue
        ranked = [item.occupation_id for item in run.items.all()] if run else []
        agreed = moment(story.planned, rng)
        if ranked and ranked[0] != target and rng.random() < 0.3:
            rows.append(
                Feedback(
                    veteran=person.veteran,
                    occupation_id=ranked[0],
                    decision=Feedback.Decision.REJECTED,
                    reason=rng.choice(REASONS),
                    given_by=person.coordinator,
                )
            )
            rows[-1].agreed = agreed
        decision = Feedback.Decision.ACCEPTED if target in ranked else Feedback.Decision.ADDED
        rows.append(
            Feedback(
                veteran=person.veteran,
                occupation_id=target,
                decision=decision,
                given_by=person.coordinator,
            )
        )
        rows[-1].agreed = agreed
    Feedback.objects.bulk_create(rows)
    for feedback in rows:
        feedback.given_at = feedback.agreed  # after the insert, which stamps today
    backdate(rows, "given_at")
    return [
        event(
            f.given_by,
            "orientation.feedback",
            f,
            f.given_at,
            {"decision": [None, f.decision], "occupation": [None, f.occupation_id]},
        )
        for f in rows
    ]


def _plans(rng: random.Random, people: list[Person]) -> list:
    """Version 1 on the day the plan was agreed; version 2 when work starts, naming the job.
    Made for the Moscow veterans, whom the demo's signed-in coordinators look after; anyone
    else's first version is made the first time someone opens it, as it is for real."""
    today = timezone.localdate()
    rows = []
    for person in people:
        story = person.story
        if story.planned is None or person.coordinator is None:
            continue
        if person.veteran.region_id not in PLANNED_REGIONS:
            continue
        first = build_content(person.veteran, today=story.planned)
        versions = [(first, story.planned)]
        job = story.job_on(today)
        if job is not None:
            versions.append((at_work(first, person.veteran, job.start), job.start))
        for number, (content, day) in enumerate(versions, start=1):
            plan = CareerPlan(
                veteran=person.veteran,
                version=number,
                content=content,
                created_by=person.coordinator,
            )
            plan.made_at = moment(day, rng)
            rows.append(plan)
    CareerPlan.objects.bulk_create(rows)
    for plan in rows:
        plan.created_at = plan.made_at  # after the insert, which stamps today
    backdate(rows, "created_at")
    return [
        event(
            plan.created_by,
            "orientation.plan",
            plan,
            plan.created_at,
            {"version": [None, plan.version]},
        )
        for plan in rows
    ]


def _widened(rng: random.Random, person: Person) -> list:
    """The demo veteran's plan, widened three weeks ago after an employer turned him down:
    personnel work added to occupational safety, and a new version with the steps ahead."""
    occupation = (
        Vacancy.objects.filter(title="Специалист по кадрам")
        .exclude(occupation=None)
        .values_list("occupation_id", flat=True)
        .first()
    )
    latest = CareerPlan.objects.filter(veteran=person.veteran).first()
    if occupation is None or latest is None:
        return []
    day = timezone.localdate() - timedelta(days=21)
    with clock(moment(day, rng)):
        feedback = Feedback.objects.create(
            veteran=person.veteran,
            occupation_id=occupation,
            decision=Feedback.Decision.ADDED,
            reason="После отказа работодателя расширили поиск: кадровая работа.",
            given_by=person.coordinator,
        )
        plan = CareerPlan.objects.create(
            veteran=person.veteran,
            version=latest.version + 1,
            content=build_content(person.veteran, today=day),
            created_by=person.coordinator,
        )
    changes = {"decision": [None, feedback.decision], "occupation": [None, occupation]}
    return [
        event(feedback.given_by, "orientation.feedback", feedback, feedback.given_at, changes),
        event(
            plan.created_by,
            "orientation.plan",
            plan,
            plan.created_at,
            {"version": [None, plan.version]},
        ),
    ]
