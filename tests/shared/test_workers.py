"""Workers that scale out: each job taken once, each period enqueued once, a dead worker's job
retried. The single-process path runs on any database; the three-process tests need
PostgreSQL (DATABASE_URL), whose test database the subprocesses are pointed at."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.shared.jobs import record
from waypoint.shared import queue
from waypoint.shared.models import PeriodicRun
from waypoint.shared.schedule import QUEUE_BACKEND

ROOT = Path(__file__).resolve().parents[2]
LEASE = timedelta(seconds=60)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="several worker processes need PostgreSQL"
)


@pytest.fixture
def ledger(tmp_path, monkeypatch):
    path = tmp_path / "ledger"
    path.touch()
    monkeypatch.setenv("WAYPOINT_TEST_LEDGER", str(path))
    return path


def completions(ledger: Path) -> Counter[int]:
    return Counter(int(line) for line in ledger.read_text().split())


def test_one_worker_runs_every_job_once(db, ledger):
    for number in range(5):
        record.enqueue(number, 0)

    call_command("worker", "--once", stdout=StringIO(), stderr=StringIO())

    assert completions(ledger) == Counter(range(5))
    jobs = DBTaskResult.objects.filter(task_path=record.module_path)
    assert set(jobs.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    assert all(len(ids) == 1 for ids in jobs.values_list("worker_ids", flat=True))


def test_a_dead_workers_job_goes_back_to_the_queue_then_fails(db):
    job = record.enqueue(0, 0)
    later = timezone.now() + 2 * LEASE

    for attempt in range(1, queue.MAX_ATTEMPTS):
        assert str(queue.claim_next(f"dead-{attempt}").id) == job.id
        assert queue.claim_next("other") is None  # claimed: nobody else takes it
        assert queue.requeue_orphans(LEASE, later) == (1, 0)
        assert DBTaskResult.objects.get(id=job.id).status == TaskResultStatus.READY

    queue.claim_next("dead-last")
    assert queue.requeue_orphans(LEASE, later) == (0, 1)
    failed = DBTaskResult.objects.get(id=job.id)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path == "waypoint.shared.queue.WorkerDied"


def test_a_live_workers_job_stays_with_it(db):
    job = record.enqueue(0, 0)
    queue.claim_next("alive")
    DBTaskResult.objects.filter(id=job.id).update(started_at=timezone.now() - 2 * LEASE)
    queue.beat("alive")

    assert queue.requeue_orphans(LEASE) == (0, 0)
    assert DBTaskResult.objects.get(id=job.id).status == TaskResultStatus.RUNNING


def test_a_period_is_enqueued_by_one_worker(db):
    assert queue.enqueue_once("record", "60s:1", "first", record, 0, 0)
    assert not queue.enqueue_once("record", "60s:1", "second", record, 0, 0)
    assert queue.enqueue_once("record", "60s:2", "second", record, 0, 0) is True

    # The second period found the first's run still waiting: a backlog is not doubled.
    assert DBTaskResult.objects.filter(task_path=record.module_path).count() == 1
    assert PeriodicRun.objects.filter(job="record").count() == 2


def test_workers_name_the_same_period_whenever_they_started():
    minute = timedelta(minutes=1)
    start = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)

    assert queue.slot(start, minute) == queue.slot(start + timedelta(seconds=59), minute)
    assert queue.slot(start, minute) != queue.slot(start + minute, minute)
    assert queue.slot(start, minute) != queue.slot(start, 2 * minute)


def _worker(ledger: Path, *options: str) -> subprocess.Popen:
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
        "WAYPOINT_TEST_LEDGER": str(ledger),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "waypoint.cli", "worker", "--interval=3600", *options],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@on_postgresql
def test_three_workers_one_killed_mid_job_every_job_done_once(transactional_db, ledger):
    jobs = 12
    record.enqueue(0, 4)  # the job the first worker to take it dies in
    for number in range(1, jobs):
        record.enqueue(number, 0.2)
    workers = [_worker(ledger, "--lease=3") for _ in range(3)]
    try:
        _wait(lambda: list(ledger.parent.glob("started-0-*")), 20)
        (started,) = ledger.parent.glob("started-0-*")
        victim = next(w for w in workers if started.name.endswith(f"-{w.pid}"))
        victim.send_signal(signal.SIGKILL)
        victim.wait()

        _wait(lambda: sum(completions(ledger).values()) >= jobs, 25)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
        for worker in workers:
            worker.wait(10)

    assert completions(ledger) == Counter(range(jobs))
    results = DBTaskResult.objects.filter(task_path=record.module_path)
    assert set(results.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    assert len(results.get(args_kwargs__args=[0, 4]).worker_ids) == 2


@on_postgresql
def test_three_workers_ticking_together_enqueue_each_period_once(transactional_db, ledger):
    workers = [_worker(ledger, "--once", "--digest-at=00:00") for _ in range(3)]
    for worker in workers:
        assert worker.wait(30) == 0

    runs = Counter(PeriodicRun.objects.values_list("job", flat=True))
    assert "waypoint.cases.tasks.send_daily_digest" in runs
    assert "waypoint.cases.tasks.sweep_deadlines" in runs
    for job, periods in runs.items():
        assert periods <= 2, job  # two only if the hour turned while they started
        enqueued = DBTaskResult.objects.filter(backend_name=QUEUE_BACKEND, task_path=job)
        if job != "waypoint.shared.prune":
            assert 1 <= enqueued.count() <= periods, job
