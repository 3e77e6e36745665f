"""A large veteran import on SQLite while other people write: the case of issue 16, where a
9.5 MB CSV of 157,559 rows held the database's one write lock for 182 s in its check alone and
every sign-in, session and audit write failed meanwhile.

    .venv/bin/python bench/veteran_import.py [--rows 157559] [--batch 200]

Runs on a scratch SQLite database in a temporary WAYPOINT_HOME, with the production settings
(WAL, IMMEDIATE transactions, a 20 s lock wait). The file has the required columns, a
patronymic and a service record on one row in ten: 9.9 MiB for the issue's
157,559 rows. It is checked, then imported, by the job's own functions
(waypoint.people.import_jobs), in this process. Meanwhile another thread
makes a short write every 50 ms, as the site would (an UPDATE of a veteran, in a transaction),
and records how long each waited and whether any failed.

Prints the file's size, the check's and the import's time, the longest write transaction the
import held and how many it made, the re-ranking of everyone that follows an import (in the
worker, batch by batch), and the concurrent writes: how many, the slowest, failures. The last
line is `RESULT rows=… check_s=… import_s=… longest_txn_ms=… orient_s=… writes=…
slowest_write_ms=… failed_writes=…`.
"""

import argparse
import csv
import io
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAST = ["Волков", "Лебедев", "Смирнов", "Попов", "Орлов", "Белов", "Ильин", "Козлов", "Зуев"]
FIRST = ["Сергей", "Андрей", "Иван", "Олег", "Павел", "Роман", "Денис", "Артём", "Глеб"]
PATRONYMIC = ["Петрович", "", "", "", "", "", "", "", "", ""]
SPECIALTIES = ["водитель", "сапёр", "механик-водитель", "связист", "повар", "стрелок"]
REGIONS = ["77", "78", "50", "66", "74", "54", "16", "02"]


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=157_559)
    parser.add_argument("--batch", type=int, default=200, help="rows per write transaction")
    return parser.parse_args()


def veterans_csv(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "last_name",
            "first_name",
            "patronymic",
            "birth_date",
            "sex",
            "phone",
            "region",
            "consent_personal_data",
            "specialty",
            "service_start",
        ]
    )
    days = 28 * 12 * 38  # birth dates from 1965 to 2002: with the names, each row a new person
    for n in range(rows):
        year = 1965 + n // (28 * 12) % 38
        service = n % 10 == 0
        writer.writerow(
            [
                LAST[n // days % len(LAST)],
                FIRST[n // days // len(LAST) % len(FIRST)],
                PATRONYMIC[n % len(PATRONYMIC)],
                f"{year}-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}",
                "m",
                f"89{n:09d}",
                REGIONS[n % len(REGIONS)],
                "да",
                SPECIALTIES[n % len(SPECIALTIES)] if service else "",
                f"{year + 20}-05-01" if service else "",
            ]
        )
    return out.getvalue().encode()


class Transactions:
    """Times each write transaction the importing thread holds: from its BEGIN to its COMMIT
    (what runs on commit, after it, holds no lock)."""

    def __init__(self):
        self.durations: list[float] = []

    def install(self, thread_id: int) -> None:
        from django.db import connection, connections, transaction

        wrapper_class = type(connections["default"])
        durations, started = self.durations, {}
        enter, commit = transaction.Atomic.__enter__, wrapper_class._commit

        def timed_enter(atomic):
            if threading.get_ident() == thread_id and not connection.in_atomic_block:
                started["at"] = time.perf_counter()
            return enter(atomic)

        def timed_commit(wrapper):
            result = commit(wrapper)
            begun = started.pop("at", None)
            if begun is not None and threading.get_ident() == thread_id:
                durations.append(time.perf_counter() - begun)
            return result

        transaction.Atomic.__enter__ = timed_enter
        wrapper_class._commit = timed_commit


def keep_writing(veteran_pk: int, stop: threading.Event, waits: list, failures: list) -> None:
    """A short write every 50 ms, as sign-ins and edits do, until stopped."""
    from django.db import OperationalError, connections, transaction
    from django.utils import timezone

    from waypoint.people.models import Veteran

    while not stop.wait(0.05):
        begun = time.perf_counter()
        try:
            with transaction.atomic():
                Veteran.objects.filter(pk=veteran_pk).update(updated_at=timezone.now())
        except OperationalError as exc:
            failures.append(str(exc))
        waits.append(time.perf_counter() - begun)
    connections.close_all()


def main() -> None:
    options = parse()
    home = tempfile.mkdtemp(prefix="waypoint-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        WAYPOINT_HOME=home, WAYPOINT_DEBUG="1", DJANGO_SETTINGS_MODULE="waypoint.settings"
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from waypoint.accounts.models import Organisation, User
    from waypoint.orientation.services import orient_all
    from waypoint.people import import_jobs
    from waypoint.people.models import Veteran
    from waypoint.people.signals import veterans_imported

    call_command("migrate", verbosity=0)
    branch = Organisation.objects.create(name="Bench branch", kind="fund_branch", region_id="77")
    actor = User.objects.create_user("bench", organisation=branch, is_superuser=True)
    someone = Veteran.objects.create(
        last_name="Тестов",
        first_name="Тест",
        birth_date="1980-01-01",
        sex="m",
        phone="+70000000000",
        region_id="77",
        intake_channel="coordinator",
    )
    data = veterans_csv(options.rows)
    print(f"file: {len(data) / 1024 / 1024:.1f} MB, {options.rows:,} rows; SQLite in {home}")
    import_jobs.BATCH = options.batch
    transactions = Transactions()
    transactions.install(threading.get_ident())
    stop, waits, failures = threading.Event(), [], []
    writer = threading.Thread(target=keep_writing, args=(someone.pk, stop, waits, failures))
    writer.start()
    stream = io.BytesIO(data)
    try:
        job = import_jobs.open_job(
            actor=actor, filename="veterans.csv", encoding="utf-8", skip_invalid=False
        )
        begun = time.perf_counter()
        import_jobs.check(job, stream)
        check_s = time.perf_counter() - begun
        print(f"check: {check_s:.1f} s, {job.created:,} new, {job.rejected_lines:,} rejected")
        job = import_jobs.confirm(actor=actor, job=job)
        begun = time.perf_counter()
        stream.seek(0)
        # Re-ranking everyone after an import is orientation's work, timed on its own below.
        veterans_imported.disconnect(dispatch_uid="orientation.import")
        import_jobs.commit(job, stream)
        import_s = time.perf_counter() - begun
        written = len(transactions.durations)
        begun = time.perf_counter()
        oriented = orient_all()
        orient_s = time.perf_counter() - begun
    finally:
        stop.set()
        writer.join()
    job.refresh_from_db()
    held = sorted(transactions.durations[:written])
    longest, median = held[-1] * 1000, held[len(held) // 2] * 1000
    print(
        f"import: {import_s:.1f} s, {job.created:,} veterans, status {job.status}; "
        f"{written:,} write transactions (check and import), median {median:.0f} ms, "
        f"99th percentile {held[int(len(held) * 0.99)] * 1000:.0f} ms, the longest {longest:.0f} ms"
    )
    longest_orient = max(transactions.durations[written:], default=0) * 1000
    print(
        f"then orientation for everyone: {orient_s:.1f} s, {oriented:,} veterans, the longest "
        f"transaction {longest_orient:.0f} ms"
    )
    slowest = max(waits) * 1000
    print(
        f"concurrent writes: {len(waits):,}, the slowest waited {slowest:.0f} ms, "
        f"{len(failures)} failed" + (f" ({failures[0]})" if failures else "")
    )
    print(
        f"RESULT rows={options.rows} check_s={check_s:.1f} import_s={import_s:.1f} "
        f"longest_txn_ms={longest:.0f} orient_s={orient_s:.1f} writes={len(waits)} "
        f"slowest_write_ms={slowest:.0f} failed_writes={len(failures)}"
    )


if __name__ == "__main__":
    main()
