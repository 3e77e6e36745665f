"""Demo cases: every veteran a coordinator has taken on has a case that moved through its
stages on the dates of their story (people.demo_story), with the tasks each stage brought,
done when the stage was, and the notes a coordinator writes along the way.

Open tasks are what the story's current stage needs. Their terms follow the task type's rule
and the production calendar; a few of each coordinator's are overdue (six for the Moscow
coordinator who signs in), and some fall due this week."""

import random
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from waypoint.accounts.models import Organisation
from waypoint.audit.services import record_all
from waypoint.cases import referrals
from waypoint.cases.models import Case, Note, Stage, Task, TaskType, Track
from waypoint.cases.services import due_at, production_calendar
from waypoint.kit.workdays import end_of_day
from waypoint.people.demo import Person, backdate, clock, event, moment
from waypoint.people.demo_data import TRADES
from waypoint.people.models import Consent

OVERDUE = {"coordinator": 6}  # open tasks past their term, per coordinator; others: 2
TITLES = {
    "assessment": "Оценочное собеседование",
    "plan": "Составить индивидуальный план",
    "documents": "Запросить справку из военкомата",
    "interview": "Позвонить после собеседования у работодателя",
    "vacancies": "Подобрать вакансии по плану",
    "course": "Подтвердить зачисление на курс «{course}»",
    "attendance": "Узнать в колледже о посещаемости курса",
    "rehabilitation": "Узнать о ходе реабилитации, назначить следующую встречу",
}
TYPE_OF = {
    "assessment": "assessment",
    "plan": "plan",
    "documents": "documents",
    "interview": "follow_up_call",
    "vacancies": "other",
    "course": "other",
    "attendance": "other",
    "rehabilitation": "other",
}


@transaction.atomic
def build_cases_demo(people: list[Person], *, seed: int = 2026) -> None:
    rng = random.Random(seed + 11)
    today, now = timezone.localdate(), timezone.now()
    stages = {stage.code: stage for stage in Stage.objects.all()}
    tracks = {track.code: track for track in Track.objects.all()}
    types = {task_type.code: task_type for task_type in TaskType.objects.all()}
    calendar = production_calendar()
    cases, tasks, notes = [], [], []
    for person in people:
        story = person.story
        moves = story.moves(today)
        if not moves or person.coordinator is None:
            continue
        stage, since = moves[-1]
        opened = moment(story.assigned, rng, 9)
        case = Case(
            veteran=person.veteran,
            coordinator=person.coordinator,
            organisation=person.veteran.branch,
            region_id=person.veteran.region_id,
            stage=stages[stage],
            stage_since=max(moment(since, rng), opened),
            track=tracks.get(story.track) if story.assessed else None,
            closed_at=moment(story.closed, rng, 17) if story.closed else None,
            created_by=person.coordinator,
        )
        case.person, case.moves, case.opened = person, moves, opened
        cases.append(case)
        for kind, created, done in _tasks(rng, story, today):
            task = Task(
                case=case,
                type=types[TYPE_OF[kind]],
                title=TITLES[kind].format(course=story.course),
                assignee=person.coordinator,
                priority=types[TYPE_OF[kind]].priority,
                status=Task.Status.DONE if done else Task.Status.OPEN,
                created_by=person.coordinator,
            )
            task.made = moment(created, rng)
            zone = person.coordinator.organisation.region.time_zone
            task.due_at = due_at(task.type, zone, task.made, calendar)
            task.done_at = moment(done, rng, 16) if done else None
            if task.done_at is not None:
                task.done_at = max(task.done_at, task.made)
            tasks.append(task)
        notes += _notes(rng, person, case, today)
    Case.objects.bulk_create(cases)
    _terms(rng, [t for t in tasks if t.status == Task.Status.OPEN], now)
    Task.objects.bulk_create(tasks)
    Note.objects.bulk_create(notes)
    events = []
    for case in cases:
        case.opened_at = case.opened  # after the insert, which stamps today
        events += _case_events(case)
    for task in tasks:
        task.created_at = task.made
        changes = {"due_at": [None, task.due_at.isoformat()], "type": [None, task.type.code]}
        events.append(event(task.created_by, "cases.task.create", task, task.made, changes))
        if task.done_at:
            changes = {"status": ["open", "done"]}
            events.append(event(task.created_by, "cases.task.status", task, task.done_at, changes))
    for note in notes:
        note.created_at = note.written
    backdate(cases, "opened_at")
    backdate(tasks, "created_at")
    backdate(notes, "created_at")
    record_all(events)
    _referrals(rng, cases, today)


# Referrals waiting for an answer, to the organisations whose staff sign in: (region of the
# case, stage, organisation kind receiving it, purpose).
REFERRALS = [
    (
        "61",
        "job_search",
        Organisation.Kind.EMPLOYER,
        "Направляем на собеседование: ветеран "
        "ищет работу по вашему профилю, резюме и согласие на передачу профиля в деле.",
    ),
    (
        "66",
        "job_search",
        Organisation.Kind.TRAINING_PROVIDER,
        "Просим рассмотреть для зачисления в ближайший набор: обучение оплачивает фонд.",
    ),
    (
        "77",
        "job_search",
        Organisation.Kind.CLINIC,
        "Просим принять на консультацию психолога: "
        "ветеран сам попросил о встрече, жалуется на нарушения сна.",
    ),
]


def _referrals(rng: random.Random, cases: list[Case], today: date) -> None:
    """One referral awaiting its answer for each organisation above, made through the
    service (consent checked, a task in the receiver's queue) a few days ago."""
    receivers = {
        (organisation.region_id, organisation.kind): organisation
        for organisation in Organisation.objects.filter(kind__in=[r[2] for r in REFERRALS])
    }
    consented = set(Consent.objects.filter(withdrawn_at=None).values_list("veteran_id", "purpose"))
    for region, stage, kind, purpose in REFERRALS:
        needed = referrals.CONSENT_FOR_RECEIVER[kind]
        case = next(
            (
                c
                for c in cases
                if c.region_id == region
                and c.stage.code == stage
                and c.closed_at is None
                and c.veteran.account_id is None  # not the demo veteran's own
                and (c.veteran_id, needed) in consented
            ),
            None,
        )
        receiver = receivers.get((region, kind))
        if case is None or receiver is None:
            continue
        day = max(today - timedelta(days=rng.randint(1, 3)), timezone.localdate(case.stage_since))
        with clock(moment(day, rng)):
            referrals.refer(actor=case.coordinator, case=case, receiver=receiver, purpose=purpose)


def _tasks(rng: random.Random, story, today: date) -> list[tuple[str, date, date | None]]:
    """(kind, given on, done on) for each task the story's stages brought; open ones have no
    done day."""
    tasks = [("assessment", story.assigned, story.assessed)]
    if story.assessed:
        # After rehabilitation, the plan is made when the person is back.
        tasks.append(("plan", story.paused[1] if story.paused else story.assessed, story.planned))
        if rng.random() < 0.5:
            finished = story.assessed + timedelta(days=rng.randint(3, 12))
            tasks.append(("documents", story.assessed, finished if finished <= today else None))
    if story.paused and story.paused[1] > today:
        tasks.append(
            ("rehabilitation", story.paused[0] + timedelta(days=rng.randint(20, 40)), None)
        )
    for attempt in story.attempts:
        interview = next((day for status, day in attempt.steps if status == "interview"), None)
        if interview is not None:
            called = interview + timedelta(days=rng.randint(2, 6))
            tasks.append(("interview", interview, called if called <= today else None))
    stage = story.stage(today)
    if stage == "plan" and story.course_start and story.course_start > today:
        tasks.append(("course", story.planned, None))
    elif stage == "training" and rng.random() < 0.5:
        tasks.append(("attendance", story.course_start + timedelta(days=14), None))
    elif stage == "job_search" and not any(a.is_open for a in story.attempts):
        tasks.append(("vacancies", max(story.searches[-1], _last_step(story)), None))
    closed = story.closed
    kept = []
    for kind, given, done in tasks:
        if given is None or given > today or (closed and given > closed):
            continue
        if done is None and closed:
            done = closed  # the case closed: nothing is left open
        kept.append((kind, given, done))
    return kept


def _last_step(story) -> date:
    return max((attempt.steps[-1][1] for attempt in story.attempts), default=story.entered)


def _terms(rng: random.Random, open_tasks: list[Task], now: datetime) -> None:
    """A few of each coordinator's open tasks overdue, the others' terms still ahead (a term
    that passed was moved on by the coordinator), two of them this week. Terms end a day
    where the task is kept, as the task type's rule makes them."""
    by_coordinator: dict[str, list[Task]] = {}
    for task in open_tasks:
        by_coordinator.setdefault(task.assignee.username, []).append(task)
    today = timezone.localdate(now)
    for username, tasks in by_coordinator.items():
        tasks.sort(key=lambda t: (t.due_at, t.made))
        # However few the tasks, some are still ahead.
        late, this_week = min(OVERDUE.get(username, 2), max(len(tasks) - 2, 1)), 2
        for task in tasks:
            zone = task.assignee.organisation.region.time_zone
            given = timezone.localdate(task.made)
            if late and given < today - timedelta(days=1):
                late -= 1
                day = today - timedelta(days=rng.randint(1, min(9, (today - given).days - 1)))
                task.due_at = min(task.due_at, end_of_day(day, zone))
            elif task.due_at < now + timedelta(hours=2) or this_week:
                ahead = rng.randint(1, 5) if this_week else rng.randint(1, 12)
                term = end_of_day(today + timedelta(days=ahead), zone)
                task.due_at = (
                    term if task.due_at < now + timedelta(hours=2) else min(task.due_at, term)
                )
                this_week = max(this_week - 1, 0)


def _case_events(case: Case) -> list:
    person = case.person
    events = [
        event(
            person.coordinator,
            "cases.case.open",
            case,
            case.opened_at,
            {"stage": [None, "intake"], "coordinator": [None, person.coordinator.pk]},
        )
    ]
    for (before, _day), (stage, day) in zip(case.moves, case.moves[1:], strict=False):
        changes = {"stage": [before, stage]}
        if stage == "assessment" and case.track_id:
            changes["track"] = [None, case.track.code]
        at = max(moment(day, None, 12), case.opened_at)
        events.append(event(person.coordinator, "cases.case.move", case, at, changes))
    return events


def _notes(rng: random.Random, person: Person, case: Case, today: date) -> list[Note]:
    """What a coordinator writes down: the first talk, the plan, the first day at work."""
    story = person.story
    trade = TRADES[story.trade]
    written = []
    if story.assessed:
        text = (
            f"Первичная беседа. Хочет работать: {trade.desired}. "
            + (
                f"Готов пройти курс «{trade.course}». "
                if story.track == "training_then_employment"
                else "Готов выйти на работу сразу. "
            )
            + "Документы об образовании и военный билет предъявлены."
        )
        if story.paused:
            text = (
                "Первичная беседа. Проходит реабилитацию после ранения, к работе вернётся "
                "после выписки; договорились созваниваться раз в месяц."
            )
        written.append((story.assessed, text))
    for job in story.jobs:
        written.append((job.start, "Вышел на работу, испытательный срок три месяца."))
        if job.left:
            written.append(
                (job.left, "Уволился по собственному желанию: не сложились отношения в коллективе.")
            )
    if story.close_reason == "left_programme":
        written.append(
            (story.closed, "Переехал в другой регион, от дальнейшей поддержки отказался.")
        )
    notes = []
    for day, text in written:
        if day is None or day > today:
            continue
        note = Note(case=case, author=person.coordinator, text=text)
        note.written = moment(day, rng, 17)
        notes.append(note)
    return notes
