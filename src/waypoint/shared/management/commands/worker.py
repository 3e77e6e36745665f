"""`waypoint worker`: the background process. It runs the task queue kept in the database
(the "database" backend of TASKS) and keeps the clock of the periodic jobs the apps declare
(waypoint.shared.schedule): every --interval seconds those of each sweep (the deadline sweep,
escalation of well-being alerts, the tidying of imports), others on their own period (warming
the analytics panels), once a day after --digest-at (the programme's local time) the daily
ones (the digest); then it runs whatever is queued: imports of veterans among it. `--once`
makes one such pass and exits.

The queue is django-tasks-db's; this command drives its worker one task at a time so that a
stop (SIGTERM, Ctrl+C) lets the running task finish. See docs/operations.md.
"""

import signal
import threading
from datetime import datetime, time, timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.tasks import Task, TaskResultStatus
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from waypoint.shared import schedule
from waypoint.shared.schedule import QUEUE_BACKEND

POLL_SECONDS = 1.0  # how often the queue is looked at between sweeps
KEEP_RESULTS_DAYS = 14


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
            "--once",
            action="store_true",
            help="one pass: enqueue what is due, run the queue until it is empty, exit",
        )

    def handle(self, *, interval: int, digest_at: str, once: bool, **options) -> None:
        if interval < 1:
            raise CommandError("--interval must be at least 1 (seconds)")
        try:
            digest_time = time.fromisoformat(digest_at)
        except ValueError:
            raise CommandError(
                f"--digest-at must be a time such as 08:00, not {digest_at!r}"
            ) from None
        stop = threading.Event()
        if not once:
            self._stop_on_signals(stop)
        runner = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name=QUEUE_BACKEND,
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        jobs = schedule.discover()
        sweep_interval = timedelta(seconds=interval)
        next_run: dict[str, datetime] = {}
        digest_day = None
        while True:
            now = timezone.now()
            for job in jobs:
                period = schedule.period(job, sweep_interval)
                if period is not None and now >= next_run.get(job.name, now):
                    self._enqueue(job.task)
                    next_run[job.name] = now + period
            local = timezone.localtime(now)
            if local.date() != digest_day and local.time() >= digest_time:
                # A restart enqueues the day's jobs again: the digest notices and mails
                # nobody twice.
                for job in jobs:
                    if job.when == schedule.DAILY:
                        self._enqueue(job.task, local.date().isoformat())
                digest_day = local.date()
                call_command(
                    "prune_db_task_results",
                    f"--backend={QUEUE_BACKEND}",
                    "--queue-name=*",
                    f"--min-age-days={KEEP_RESULTS_DAYS}",
                    verbosity=0,
                )
            self._run_queue(runner, stop)
            if once or stop.wait(POLL_SECONDS):
                return
            # A long-lived process: drop connections the database closed or that grew old.
            close_old_connections()

    def _stop_on_signals(self, stop: threading.Event) -> None:
        def request_stop(signum, frame) -> None:
            if stop.is_set():  # asked twice: do not wait for the running task
                raise SystemExit(1)
            self.stderr.write("stopping after the running task (again to stop at once)")
            stop.set()

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)

    def _enqueue(self, task: Task, *args) -> None:
        """Enqueue unless the same task is already waiting (another worker, or a backlog)."""
        waiting = DBTaskResult.objects.filter(
            backend_name=QUEUE_BACKEND, task_path=task.module_path, status=TaskResultStatus.READY
        )
        if not waiting.exists():
            task.enqueue(*args)

    def _run_queue(self, runner: Worker, stop: threading.Event) -> None:
        while not stop.is_set():
            ready = DBTaskResult.objects.ready().filter(backend_name=QUEUE_BACKEND)
            with exclusive_transaction(ready.db):
                result = ready.get_locked()
                if result is not None:
                    result.claim(runner.worker_id)
            if result is None:
                return
            runner.run_task(result)
            line = f"{result.task_name} {result.status.lower()}"
            if result.status == TaskResultStatus.SUCCESSFUL:
                self.stdout.write(f"{line} {result.return_value}")
            else:
                self.stderr.write(f"{line}\n{result.traceback}")
