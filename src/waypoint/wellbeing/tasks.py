"""Background work: urgent alerts nobody acknowledged in time escalate (enqueued by
`waypoint worker` with the deadline sweep, every interval)."""

from django.tasks import task

from waypoint.shared import schedule
from waypoint.wellbeing import services


@schedule.every_sweep
@task(backend="database")
def escalate_alerts() -> dict:
    return {"escalated": services.escalate_alerts()}
