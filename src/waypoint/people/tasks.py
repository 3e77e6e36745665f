"""Background work for imports of veterans, on the "database" queue that `waypoint worker`
runs: the page enqueues a file's check when it is uploaded and its writing when it is
confirmed; the worker tidies up every sweep. See waypoint.people.import_jobs."""

from django.tasks import task
from django.utils import timezone

from waypoint.people import import_jobs
from waypoint.shared import schedule

QUEUE_BACKEND = "database"


def _summary(job) -> dict:
    return {"job": job.pk, "status": job.status, "rows": job.total, "created": job.created}


@task(backend=QUEUE_BACKEND)
def check_import(job_id: int) -> dict:
    return _summary(import_jobs.run_check(job_id))


@task(backend=QUEUE_BACKEND)
def commit_import(job_id: int) -> dict:
    try:
        job = import_jobs.run_commit(job_id)
    except import_jobs.ImportBusy:
        # Another import holds the write slot: come back when it has probably finished.
        later = timezone.now() + import_jobs.RETRY_WHEN_BUSY
        commit_import.using(run_after=later).enqueue(job_id)
        return {"job": job_id, "status": "waiting"}
    return _summary(job)


@schedule.every_sweep
@task(backend=QUEUE_BACKEND)
def tidy_imports() -> dict:
    return import_jobs.tidy()
