"""The clock of `waypoint worker`: which background tasks it enqueues, and when.

Each app declares its periodic jobs where it defines them, in its tasks.py:

    @schedule.every_sweep
    @task(backend=schedule.QUEUE_BACKEND)
    def sweep_deadlines() -> dict: ...

and the worker imports every installed app's tasks module (`discover`, as the admin finds
admin.py), so this module names no app and imports none.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.tasks import Task
from django.utils.module_loading import autodiscover_modules

# The queue kept in the database, the one `waypoint worker` runs.
QUEUE_BACKEND = "database"

SWEEP, DAILY, PERIODIC = "sweep", "daily", "periodic"


@dataclass(frozen=True)
class Job:
    task: Task
    when: str  # SWEEP: every --interval; DAILY: once a day after --digest-at; PERIODIC
    minutes: Callable[[], int] | None = None  # PERIODIC: minutes between runs, 0 never

    @property
    def name(self) -> str:
        return self.task.module_path


_jobs: dict[str, Job] = {}


def _register(job: Job) -> Task:
    _jobs[job.name] = job
    return job.task


def every_sweep(task: Task) -> Task:
    """Enqueue the task on every pass of the worker's clock (its --interval)."""
    return _register(Job(task, SWEEP))


def daily(task: Task) -> Task:
    """Enqueue the task once a day, after the worker's --digest-at (the programme's local
    time), with that day as its one argument (ISO date). A restarted worker enqueues the day's
    run again: the task must do nothing twice."""
    return _register(Job(task, DAILY))


def every(*, minutes: Callable[[], int]) -> Callable[[Task], Task]:
    """Enqueue the task every `minutes()` minutes (read on each pass; 0: not at all)."""

    def register(task: Task) -> Task:
        return _register(Job(task, PERIODIC, minutes))

    return register


def discover() -> list[Job]:
    """Every job the installed apps declare."""
    autodiscover_modules("tasks")
    return list(_jobs.values())


def period(job: Job, sweep_interval: timedelta) -> timedelta | None:
    """How long after a run the job is due again (None: it is not run on a period)."""
    if job.when == SWEEP:
        return sweep_interval
    if job.when == PERIODIC and job.minutes is not None:
        minutes = job.minutes()
        return timedelta(minutes=minutes) if minutes else None
    return None
