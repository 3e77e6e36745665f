"""How several `waypoint worker` processes share one queue and one clock.

- A job is claimed in one transaction that locks its row: `SELECT … FOR UPDATE SKIP LOCKED` on
  PostgreSQL (each worker takes a different ready row and never waits on another's), an
  exclusive transaction on SQLite (one writer at a time). The claim marks it RUNNING with the
  worker's id before the lock is let go, so no other worker can take it.
- A worker beats (WorkerHeartbeat) on each pass and, while a job runs, from a thread every
  third of the lease. A RUNNING job whose last worker has not beaten within the lease goes back
  to the queue (READY); after MAX_ATTEMPTS claims it is marked failed instead, so a job that
  kills its worker does not kill them all in turn.
- A periodic job's period is claimed by inserting its PeriodicRun row; the unique constraint
  lets one worker win, and the enqueue happens in the same transaction as the claim.
"""

import contextlib
import threading
from datetime import datetime, timedelta

from django.db import IntegrityError, OperationalError, connection, transaction
from django.tasks import Task, TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from waypoint.shared.models import PeriodicRun, WorkerHeartbeat
from waypoint.shared.schedule import QUEUE_BACKEND

MAX_ATTEMPTS = 3


class WorkerDied(RuntimeError):
    """What a job that outlived MAX_ATTEMPTS workers is marked failed with."""


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": timezone.now()}
    )


class Heartbeat:
    """Beats as the worker starts a job, then from a thread while it runs (a job may hold the
    main thread for minutes). A beat the database refuses (SQLite locked by the job's own
    write) is skipped: the next one, a third of a lease later, counts."""

    def __init__(self, worker_id: str, lease: timedelta) -> None:
        self.worker_id = worker_id
        self.every = lease.total_seconds() / 3
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Heartbeat":
        beat(self.worker_id)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                with contextlib.suppress(OperationalError):
                    beat(self.worker_id)
        finally:
            connection.close()  # this thread's own


def claim_next(worker_id: str) -> DBTaskResult | None:
    """The next ready job, marked RUNNING for this worker; None when there is none."""
    ready = DBTaskResult.objects.ready().filter(backend_name=QUEUE_BACKEND)
    with exclusive_transaction(ready.db):
        result = ready.get_locked()
        if result is not None:
            result.claim(worker_id)
    return result


def requeue_orphans(lease: timedelta, now: datetime | None = None) -> tuple[int, int]:
    """Give back to the queue the running jobs whose worker stopped beating more than `lease`
    ago (killed, machine lost); fail those already claimed MAX_ATTEMPTS times. Returns
    (requeued, failed)."""
    now = now or timezone.now()
    cutoff = now - lease
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True)
    )
    running = DBTaskResult.objects.running().filter(
        backend_name=QUEUE_BACKEND, started_at__lt=cutoff
    )
    orphans = [pk for pk, ids in running.values_list("id", "worker_ids") if ids[-1] not in alive]
    requeued = failed = 0
    for pk in orphans:
        with exclusive_transaction(running.db):
            result = running.filter(pk=pk).select_for_update(skip_locked=True).first()
            if result is None or result.worker_ids[-1] in alive:
                continue
            if len(result.worker_ids) >= MAX_ATTEMPTS:
                died = WorkerDied(
                    f"its worker died {len(result.worker_ids)} times while running it"
                )
                result.set_failed(died)
                failed += 1
            else:
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
                requeued += 1
    WorkerHeartbeat.objects.filter(seen_at__lt=now - 10 * lease).delete()
    return requeued, failed


def enqueue_once(job: str, period: str, worker_id: str, task: Task, *args) -> bool:
    """Enqueue `task` for this period of `job` unless another worker already did; True when
    this worker did. A run still waiting in the queue (a backlog) is not doubled either."""
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(job=job, period=period, worker_id=worker_id)
            waiting = DBTaskResult.objects.filter(
                backend_name=QUEUE_BACKEND,
                task_path=task.module_path,
                status=TaskResultStatus.READY,
            )
            if not waiting.exists():
                task.enqueue(*args)
    except IntegrityError:
        return False
    return True


def slot(now: datetime, period: timedelta) -> str:
    """The name of the period `now` falls in: periods of one length are aligned on the epoch,
    so every worker, whenever it started, names the same one."""
    seconds = int(period.total_seconds())
    return f"{seconds}s:{int(now.timestamp()) // seconds}"


def forget_runs_before(when: datetime) -> None:
    PeriodicRun.objects.filter(claimed_at__lt=when).delete()


def claim_period(job: str, period: str, worker_id: str) -> bool:
    """Claim this period of `job` (work done in the worker itself, not queued); True when won."""
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(job=job, period=period, worker_id=worker_id)
    except IntegrityError:
        return False
    return True
