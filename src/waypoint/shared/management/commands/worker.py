"""`waypoint worker`: the background process. It runs the task queue kept in the database
(the "database" backend of TASKS) and keeps the clock of the periodic jobs the apps declare
(waypoint.shared.schedule): every --interval seconds those of each sweep (the deadline sweep,
escalation of well-being alerts, the tidying of imports), others on their own period (warming
the analytics panels), once a day after --digest-at (the programme's local time) the daily
ones (the digest); then it runs whatever is queued: imports of veterans among it. `--once`
makes one such pass and exits.

Any number of workers may run, on any number of machines, against one database: each job is
taken by one of them, each period of a periodic job is enqueued by one of them, and a job whose
worker died goes back to the queue after --lease seconds (waypoint.shared.queue).

The queue is django-tasks-db's; this command drives its worker one task at a time so that a
stop (SIGTERM, Ctrl+C) lets the running task finish. See docs/operations.md.
"""

import signal
import threading
from datetime import time, timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, close_old_connections
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from waypoint.shared import queue, schedule
from waypoint.shared.schedule import QUEUE_BACKEND

POLL_SECONDS = 1.0  # how often the queue is looked at between sweeps
KEEP_RESULTS_DAYS = 14
PRUNE = "waypoint.shared.prune"  # the daily deletion of old results, claimed as a job


class Command(BaseCommand):
    help = (
        "Run the background task queue, the deadline sweep every --interval seconds and the "
        "daily digest."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--interval",
            type=int,
            default=60,
            help="seconds between two deadline sweeps (default: 60)",
        )
        parser.add_argument(
            "--digest-at",
            default="08:00",
            help="local time of day after which the day's digest goes out (default: 08:00)",
        )
        parser.add_argument(
            "--lease",
            type=int,
            default=300,
            dest="lease_seconds",
            help="seconds after which a running job whose worker stopped beating is given to "
            "another worker (default: 300)",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="one pass: enqueue what is due, run the queue until it is empty, exit",
        )

    def handle(
        self, *, interval: int, digest_at: str, lease_seconds: int, once: bool, **options
    ) -> None:
        if interval < 1:
            raise CommandError("--interval must be at least 1 (seconds)")
        if lease_seconds < 3:
            raise CommandError("--lease must be at least 3 (seconds)")
        try:
            digest_time = time.fromisoformat(digest_at)
        except ValueError:
            raise CommandError(
                f"--digest-at must be a time such as 08:00, not {digest_at!r}"
            ) from None
        stop = threading.Event()
        if not once:
            self._stop_on_signals(stop)
        lease = timedelta(seconds=lease_seconds)
        worker_id = get_random_string(32)
        runner = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name=QUEUE_BACKEND,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        jobs = schedule.discover()
        sweep_interval = timedelta(seconds=interval)
        claimed: dict[str, str] = {}  # job → the last period this process saw claimed
        while True:
            now = timezone.now()
            queue.beat(worker_id)
            requeued, failed = queue.requeue_orphans(lease, now)
            if requeued or failed:
                self.stderr.write(
                    f"{requeued} job(s) of dead workers back in the queue, {failed} failed"
                )
            for job in jobs:
                period = schedule.period(job, sweep_interval)
                if period is not None:
                    self._tick(claimed, job.name, queue.slot(now, period), worker_id, job.task)
            local = timezone.localtime(now)
            if local.time() >= digest_time:
                day = local.date().isoformat()
                for job in jobs:
                    if job.when == schedule.DAILY:
                        self._tick(claimed, job.name, day, worker_id, job.task, day)
                if self._tick(claimed, PRUNE, day, worker_id, None):
                    call_command(
                        "prune_db_task_results",
                        f"--backend={QUEUE_BACKEND}",
                        "--queue-name=*",
                        f"--min-age-days={KEEP_RESULTS_DAYS}",
                        verbosity=0,
                    )
                    queue.forget_runs_before(now - timedelta(days=KEEP_RESULTS_DAYS))
            self._run_queue(runner, lease, stop)
            if once or stop.wait(POLL_SECONDS):
                return
            # A long-lived process: drop connections the database closed or that grew old.
            close_old_connections()

    def _tick(
        self, claimed: dict[str, str], job: str, period: str, worker_id: str, task, *args
    ) -> bool:
        """Claim `period` of `job` for this worker and enqueue its task; True when this worker
        won the period (another worker, or this one earlier, may have)."""
        if claimed.get(job) == period:
            return False
        try:
            if task is None:
                won = queue.claim_period(job, period, worker_id)
            else:
                won = queue.enqueue_once(job, period, worker_id, task, *args)
        except OperationalError:  # SQLite busy with another worker's write: next pass
            return False
        claimed[job] = period
        return won

    def _stop_on_signals(self, stop: threading.Event) -> None:
        def request_stop(signum, frame) -> None:
            if stop.is_set():  # asked twice: do not wait for the running task
                raise SystemExit(1)
            self.stderr.write("stopping after the running task (again to stop at once)")
            stop.set()

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)

    def _run_queue(self, runner: Worker, lease: timedelta, stop: threading.Event) -> None:
        while not stop.is_set():
            result = queue.claim_next(runner.worker_id)
            if result is None:
                return
            with queue.Heartbeat(runner.worker_id, lease):
                runner.run_task(result)
            line = f"{result.task_name} {result.status.lower()}"
            if result.status == TaskResultStatus.SUCCESSFUL:
                self.stdout.write(f"{line} {result.return_value}")
            else:
                self.stderr.write(f"{line}\n{result.traceback}")
