"""The demo's timeline: each synthetic veteran's path through the programme over the last
eighteen months, drawn from a seed and dated relative to today.

Pure Python, no database. `people.demo` draws a story for every veteran, and each app's demo
writes its part of it (the course, the applications and the job with its follow-up calls, the
case and its tasks, the orientation decisions and the plan), so every page tells the same
story on the same dates. Nothing is dated after today but deadlines and appointments: the
start of a booked course, a follow-up call, a task's term.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from waypoint.kit.dates import add_months
from waypoint.people.demo_data import COURSE_WEEKS, EMPLOYER_KINDS, TRADES

HORIZON = 548  # days: eighteen months
COURSE_EVERY = 42  # days between two cohorts of one course
FOLLOW_UP_MONTHS = (3, 6, 12)


def course_starts(course: str, today: date) -> list[date]:
    """When the cohorts of a course start: every six weeks from before the horizon to two
    cohorts ahead, each course on its own day, the first course's next cohort within a week."""
    ahead = today + timedelta(days=4 + 7 * sorted(COURSE_WEEKS).index(course))
    earliest = today - timedelta(days=HORIZON + COURSE_EVERY)
    starts, day = [], ahead + timedelta(days=COURSE_EVERY)
    while day >= earliest:
        starts.append(day)
        day -= timedelta(days=COURSE_EVERY)
    return sorted(starts)


def next_course(course: str, after: date, today: date) -> date | None:
    return next((day for day in course_starts(course, today) if day >= after), None)


@dataclass
class Attempt:
    """One job application, as the steps it went through: [(status, day), …], oldest first."""

    steps: list[tuple[str, date]]

    @property
    def status(self) -> str:
        return self.steps[-1][0]

    @property
    def opened(self) -> date:
        return self.steps[0][1]

    @property
    def is_open(self) -> bool:
        return self.status not in ("hired", "rejected", "withdrawn")

    def cut(self, day: date, *, withdraw: bool) -> None:
        """Forget the steps after `day`; an application still open then is withdrawn on it."""
        self.steps = [step for step in self.steps if step[1] <= day] or self.steps[:1]
        if withdraw and self.is_open:
            self.steps.append(("withdrawn", max(day, self.steps[-1][1])))


@dataclass
class Call:
    """A follow-up call some months after the start of a job."""

    months: int
    due: date
    done: date | None = None
    employed: bool | None = None
    same_employer: bool | None = None


@dataclass
class Job:
    attempt: Attempt  # the application that led to it
    start: date
    left: date | None = None
    calls: list[Call] = field(default_factory=list)


@dataclass
class Story:
    entered: date
    trade: str
    track: str = ""
    assigned: date | None = None  # a coordinator took the person on; None: still awaited
    assessed: date | None = None
    planned: date | None = None  # the individual plan agreed
    paused: tuple[date, date] | None = None  # rehabilitation first: from, until
    course_start: date | None = None  # a booked cohort may start after today
    course_end: date | None = None
    searches: list[date] = field(default_factory=list)  # each job search's first day
    attempts: list[Attempt] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    closed: date | None = None
    close_reason: str = ""  # followed_up, left_programme, returned, self_employed
    employed_at_entry: bool = False

    @property
    def course(self) -> str:
        return TRADES[self.trade].course if self.course_start else ""

    def job_on(self, day: date) -> Job | None:
        return next(
            (j for j in self.jobs if j.start <= day and (j.left is None or j.left > day)), None
        )

    def moves(self, today: date) -> list[tuple[str, date]]:
        """The case's stages with the day each was reached, up to today."""
        if self.assigned is None:
            return []
        moves = [("intake", self.assigned)]
        for stage, day in (("assessment", self.assessed), ("plan", self.planned)):
            if day is not None:
                moves.append((stage, day))
        if self.course_start and self.course_start <= today:
            moves.append(("training", self.course_start))
        searches = iter(self.searches)
        for search in searches:
            moves.append(("job_search", search))
            for job in self.jobs:
                if search <= job.start <= today:
                    moves.append(("placed", job.start))
                    first = next((c.done for c in job.calls if c.done), None)
                    if first is not None and (job.left is None or first < job.left):
                        moves.append(("follow_up", first))
                    break
        if self.closed is not None:
            moves = [move for move in moves if move[1] <= self.closed]
            moves.append(("closed", self.closed))
        return sorted(moves, key=lambda move: move[1])

    def stage(self, today: date) -> str:
        moves = self.moves(today)
        return moves[-1][0] if moves else ""

    def status(self, today: date) -> str:
        """The registry's status of the person today."""
        if self.assigned is None:
            return "new"
        if self.closed is not None:
            return "employed" if self.close_reason == "followed_up" else "closed"
        if self.job_on(today):
            return "employed"
        if self.paused and self.paused[0] <= today < self.paused[1]:
            return "paused"
        return "in_training" if self.stage(today) == "training" else "active"


def draw(rng: random.Random, entered: date, trade: str, today: date) -> Story:
    """A plausible path from `entered` to today: assessment, a plan, maybe a course, a job
    search with applications that go their way, a job followed up for a year; a few pause
    for rehabilitation, return to their old job, start their own business or drop out."""
    story = Story(entered=entered, trade=trade)
    assigned = entered + timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 4]))
    if assigned > today:
        return story
    story.assigned = assigned
    assessed = assigned + timedelta(days=rng.randint(6, 20))
    if assessed > today:
        return story
    story.assessed = assessed
    roll = rng.random()
    if roll < 0.03:
        return _returned(rng, story, today)
    ready = assessed
    if roll < 0.08:
        ready = assessed + timedelta(days=rng.randint(60, 150))
        story.paused = (assessed, ready)
        story.track = "rehabilitation_first"
    elif roll < 0.11:
        story.track = "self_employment"
    elif TRADES[trade].course and rng.random() < 0.7:
        story.track = "training_then_employment"
    else:
        story.track = "rapid_employment"
    planned = ready + timedelta(days=rng.randint(7, 21))
    if planned > today:
        return story
    story.planned = planned
    if story.track == "self_employment":
        return _close(story, planned + timedelta(days=rng.randint(60, 150)), "self_employed", today)
    limit = today
    if rng.random() < 0.05:
        limit = min(today, planned + timedelta(days=rng.randint(20, 200)))
        _close(story, limit, "left_programme", today)
    search = planned + timedelta(days=rng.randint(1, 10))
    if story.track == "training_then_employment":
        start = next_course(TRADES[trade].course, planned + timedelta(days=7), today)
        if start is not None:
            story.course_start = start
            story.course_end = start + timedelta(weeks=COURSE_WEEKS[TRADES[trade].course], days=-3)
            search = story.course_end + timedelta(days=rng.randint(3, 14))
            if story.course_end > limit:
                return story
    if search <= limit:
        _search(rng, story, search, limit, today)
        _settle_calls(story)
    if story.close_reason == "left_programme" and any(j.start <= limit for j in story.jobs):
        story.closed, story.close_reason = None, ""  # found work first, and stayed
        if story.jobs[-1].calls[-1].done and story.jobs[-1].left is None:
            _close(story, story.jobs[-1].calls[-1].done, "followed_up", today)
    return story


def _close(story: Story, day: date, reason: str, today: date) -> Story:
    if day <= today:
        story.closed, story.close_reason = day, reason
    return story


def _returned(rng: random.Random, story: Story, today: date) -> Story:
    """Went back to the job held before service (recorded as current civilian experience);
    the case helps with the papers, then closes."""
    story.employed_at_entry, story.track = True, "return_previous"
    planned = story.assessed + timedelta(days=rng.randint(5, 14))
    if planned <= today:
        story.planned = planned
        _close(story, planned + timedelta(days=rng.randint(30, 90)), "returned", today)
    return story


def _attempt(rng: random.Random, day: date, hired: bool) -> tuple[Attempt, date | None]:
    """An application's steps from `day`, and the first day at work when it leads to a job."""
    steps = []
    if rng.random() < 0.7:  # proposed by the coordinator, then confirmed by the veteran
        steps.append(("proposed", day))
        day += timedelta(days=rng.randint(1, 4))
    steps.append(("applied", day))
    if hired or rng.random() < 0.5:
        day += timedelta(days=rng.randint(4, 12))
        steps.append(("interview", day))
    if hired:
        day += timedelta(days=rng.randint(3, 10))
        steps.append(("offered", day))
        day += timedelta(days=rng.randint(2, 6))
        steps.append(("hired", day))
        return Attempt(steps), day + timedelta(days=rng.randint(3, 14))
    day += timedelta(days=rng.randint(5, 20))
    steps.append(("rejected" if rng.random() < 0.85 else "withdrawn", day))
    return Attempt(steps), None


def _search(rng: random.Random, story: Story, day: date, limit: date, today: date) -> None:
    """Applications until one leads to a job; now and then the job does not last and the
    search starts again."""
    for _round in range(2):
        story.searches.append(day)
        needed = rng.choice([1, 1, 2, 2, 3, 4])
        made: list[Attempt] = []
        start = None
        while day <= limit and start is None:
            attempt, start = _attempt(rng, day, hired=len(made) + 1 == needed)
            made.append(attempt)
            day += timedelta(days=rng.randint(6, 24))
        story.attempts += made
        if start is None or start > limit:
            for attempt in made:
                attempt.cut(limit, withdraw=limit < today)
            if start is not None and made[-1].steps[-1][1] <= limit:
                # The offer was taken, but work starts after today (or never, for someone who
                # left the programme): the application stays at the offer.
                hire = made[-1].steps[-1][1]
                made[-1].cut(min(hire - timedelta(days=1), limit), withdraw=limit < today)
            return
        hire = made[-1].steps[-1][1]
        for attempt in made[:-1]:
            attempt.cut(hire, withdraw=True)
        job = Job(made[-1], start)
        story.jobs.append(job)
        if rng.random() < 0.15:
            left = start + timedelta(days=rng.randint(45, 200))
            if left <= today:
                job.left = left
        _calls(rng, story, job, today)
        if job.left is None:
            return
        day = job.left + timedelta(days=rng.randint(7, 20))
        if day > limit:
            return


def _calls(rng: random.Random, story: Story, job: Job, today: date) -> None:
    """The follow-up calls at 3, 6 and 12 months: made a few days after they fall due, the
    last ones not yet; after the twelfth month the case closes."""
    for months in FOLLOW_UP_MONTHS:
        call = Call(months, add_months(job.start, months))
        done = call.due + timedelta(days=rng.randint(0, 12))
        if done <= today:
            call.done = done
            call.employed = job.left is None or job.left > done
            call.same_employer = call.employed
            if not call.employed and job.left is not None:
                call.employed = call.same_employer = None  # asked after the next job is known
        job.calls.append(call)
    last = job.calls[-1]
    if last.done is not None and job.left is None:
        _close(story, last.done + timedelta(days=rng.randint(0, 5)), "followed_up", today)


def _settle_calls(story: Story) -> None:
    """Answers of the calls made after a job ended: at work elsewhere by then, or not."""
    for job in story.jobs:
        for call in job.calls:
            if call.done is not None and call.employed is None:
                other = story.job_on(call.done)
                call.employed = other is not None
                call.same_employer = False if other is not None else None


def entry_day(rng: random.Random, today: date) -> date:
    """Entry days over eighteen months, more of them lately: the programme is growing."""
    days = rng.randint(0, HORIZON) if rng.random() < 0.8 else rng.randint(0, 60)
    return today - timedelta(days=days)


def draw_for(
    rng: random.Random, trades: tuple[str, ...], today: date, pin: str = ""
) -> tuple[str, Story]:
    """A trade and a story: any, or one at a pinned point today (as close as the draws get):
    "applying", an application waiting for the employer whose staff sign in; "booked", a
    seat in a course that has not started; "starting", taken on lately and not assessed or
    planned yet."""
    if pin == "applying":
        trades = tuple(t for t in trades if t in EMPLOYER_KINDS[0][2]) or EMPLOYER_KINDS[0][2]
    elif pin == "booked":
        trades = tuple(t for t in trades if TRADES[t].course) or ("truck_driver",)
    for _draw in range(200):
        trade = rng.choice(trades)
        if pin == "applying":
            entered = today - timedelta(days=rng.randint(40, 200))
        elif pin == "booked":
            entered = today - timedelta(days=rng.randint(20, 70))
        elif pin == "starting":
            entered = today - timedelta(days=rng.randint(8, 25))
        else:
            entered = entry_day(rng, today)
        story = draw(rng, entered, trade, today)
        if (
            not pin
            or (
                pin == "applying"
                and story.stage(today) == "job_search"
                and story.attempts
                and story.attempts[-1].is_open
            )
            or (pin == "booked" and story.course_start and story.course_start > today)
            or (pin == "starting" and story.stage(today) in ("intake", "assessment"))
        ):
            break
    return trade, story
