"""Background work for deadlines, on the queue that `waypoint worker` runs; the worker
enqueues them on the schedule declared here (the sweep every interval, the digest once a
day). Each returns its report, which the queue keeps as the task's result."""

from datetime import date

from django.tasks import task

from waypoint.cases import deadlines
from waypoint.shared import schedule


@schedule.every_sweep
@task(backend=schedule.QUEUE_BACKEND)
def sweep_deadlines() -> dict:
    return deadlines.sweep().as_dict()


@schedule.daily
@task(backend=schedule.QUEUE_BACKEND)
def send_daily_digest(day: str) -> dict:
    return deadlines.daily_digest(date.fromisoformat(day)).as_dict()
