"""Background work for deadlines, on the "database" queue that `waypoint worker` runs (it also
enqueues them: the sweep every minute, the digest once a day). Each returns its report, which
the queue keeps as the task's result."""

from datetime import date

from django.tasks import task

from waypoint.cases import deadlines

QUEUE_BACKEND = "database"


@task(backend=QUEUE_BACKEND)
def sweep_deadlines() -> dict:
    return deadlines.sweep().as_dict()


@task(backend=QUEUE_BACKEND)
def send_daily_digest(day: str) -> dict:
    return deadlines.daily_digest(date.fromisoformat(day)).as_dict()
