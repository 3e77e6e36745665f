"""The deadline sweep at scale: N open tasks (default 1,000,000) in PostgreSQL, about 10 % of
them past due, swept by `waypoint.cases.deadlines.sweep`, against the issue's target of 60 s.

    .venv/bin/python bench/deadline_sweep.py [--tasks N] [--keep]

With DATABASE_URL set, that database is migrated and used; otherwise a scratch database is
created on the local server (postgres@127.0.0.1:5432) and dropped afterwards.

The world: 120 organisations in regions from Kaliningrad to Kamchatka, 2,400 staff in teams
of 19 under a supervisor (one organisation in ten has none), 40,000 veterans each with a case;
tasks of every seeded type, 85 % assigned to a person and 15 % in an organisation's queue,
70 % within a case, 10 % due in the last 60 days and the rest in the next 60. They are written
with COPY.

Timed side by side, on the same data:
- sweep: the first sweep, which finds every past-due task unmarked (the worst case);
- second sweep: the same moment again, which must change nothing (idempotence; also what
  every minute costs once the backlog is done);
- baseline: the obvious per-row ORM loop (for each past-due task: save it, get_or_create the
  notices, work out the grace period and the supervisor in Python, save again), run on a
  sample of 10,000 past-due tasks inside a transaction that is rolled back, and extrapolated
  to all of them.
The last line is `RESULT tasks=… overdue=… sweep_s=… second_sweep_s=… baseline_s=… ratio=…`,
ratio being baseline_s / sweep_s.
"""

import argparse
import io
import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import scratch_db

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 60
SAMPLE = 10_000
TITLES = [
    "Оценочное собеседование",
    "Составить индивидуальный план",
    "Ответить на направление",
    "Ответ на обращение",
    "Запросить справку о доходах",
    "Запросить военный билет",
    "Контрольный звонок через месяц",
    "Согласовать обучение",
    "Подобрать вакансии",
    "Передать документы в центр занятости",
]
# Kaliningrad, Moscow, the Urals, Siberia, the Far East and Kamchatka.
REGIONS = ["77", "78", "50", "39", "66", "74", "54", "24", "38", "25", "27", "41", "02", "16"]


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=SAMPLE, help="baseline sample size")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    return parser.parse_args()


def build_world(n_tasks: int, rng: random.Random, now: datetime) -> None:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import connection

    from waypoint.accounts.models import Organisation, User
    from waypoint.cases.models import Case, Stage, TaskType
    from waypoint.people.models import Veteran

    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bench branch {n}",
            kind=Organisation.Kind.FUND_BRANCH,
            region_id=REGIONS[n % len(REGIONS)],
        )
        for n in range(120)
    )
    coordinators = Group.objects.get(name="coordinator")
    locked = make_password(None)  # nobody signs in
    staff: list[User] = []
    for organisation in organisations:
        chief = User(username=f"chief{organisation.pk}", organisation=organisation, password=locked)
        chief.save()
        # One team in ten has no supervisor: its escalations go to the case coordinator's.
        boss = None if organisation.pk % 10 == 0 else chief
        staff += User.objects.bulk_create(
            User(
                username=f"staff{organisation.pk}-{n}",
                organisation=organisation,
                supervisor=boss,
                password=locked,
                email=f"staff{organisation.pk}-{n}@example.org",
            )
            for n in range(19)
        )
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=coordinators.pk) for user in staff
    )
    veterans = Veteran.objects.bulk_create(
        (
            Veteran(
                last_name="Иванов",
                first_name="Пётр",
                birth_date=date(1990, 1, 1),
                sex="m",
                phone=f"+7916{n:07d}",
                region_id=rng.choice(REGIONS),
                coordinator=rng.choice(staff),
            )
            for n in range(40_000)
        ),
        batch_size=5_000,
    )
    stage = Stage.objects.filter(is_closed=False).order_by("position").first()
    cases = Case.objects.bulk_create(
        (
            Case(
                veteran=veteran,
                coordinator_id=veteran.coordinator_id,
                organisation_id=rng.choice(organisations).pk,
                region_id=veteran.region_id,
                stage=stage,
                stage_since=now,
            )
            for veteran in veterans
        ),
        batch_size=5_000,
    )
    case_ids = [case.pk for case in cases]
    staff_ids = [user.pk for user in staff]
    organisation_ids = [organisation.pk for organisation in organisations]
    type_ids = list(TaskType.objects.values_list("pk", flat=True))
    columns = (
        "title, description, priority, status, created_at, due_at, assignee_id, queue_id,"
        " case_id, type_id"
    )
    connection.ensure_connection()
    with connection.connection.cursor() as raw:
        with raw.copy(f"COPY cases_task ({columns}) FROM STDIN") as copy:
            for _ in range(n_tasks):
                past_due = rng.random() < 0.10
                days = rng.uniform(-60, 0) if past_due else rng.uniform(0.01, 60)
                queued = rng.random() < 0.15
                copy.write_row(
                    (
                        rng.choice(TITLES),
                        "",
                        2,
                        "open" if rng.random() < 0.8 else "in_progress",
                        now - timedelta(days=70),
                        now + timedelta(days=days),
                        None if queued else rng.choice(staff_ids),
                        rng.choice(organisation_ids) if queued else None,
                        rng.choice(case_ids) if rng.random() < 0.7 else None,
                        rng.choice(type_ids),
                    )
                )
        raw.execute("VACUUM ANALYZE cases_task")


def naive_sweep(now: datetime, limit: int) -> int:
    """The per-row loop one writes first; returns how many tasks it handled."""
    from zoneinfo import ZoneInfo

    from waypoint.accounts.models import User
    from waypoint.cases.models import Task
    from waypoint.cases.services import production_calendar
    from waypoint.shared.models import Notification

    calendar = production_calendar()
    handled = 0
    past_due = Task.objects.filter(
        status__in=["open", "in_progress"], due_at__lt=now, overdue_since=None
    ).order_by("due_at")[:limit]
    for task in past_due:
        task.overdue_since = now
        task.save(update_fields=["overdue_since"])
        if task.assignee_id:
            keepers = [task.assignee]
        else:
            keepers = list(User.objects.filter(organisation=task.queue, groups__name="coordinator"))
        for keeper in keepers:
            Notification.objects.get_or_create(
                user=keeper,
                key=f"overdue:{task.pk}",
                defaults={"kind": "overdue", "text": task.title},
            )
        keeper_organisation = task.assignee.organisation if task.assignee_id else task.queue
        zone = ZoneInfo(keeper_organisation.region.time_zone)
        due_day = task.due_at.astimezone(zone).date()
        today = now.astimezone(zone).date()
        if calendar.add_working_days(due_day, task.type.grace_days) < today:
            target = task.assignee.supervisor if task.assignee_id else None
            if target is None and task.case_id and task.case.coordinator_id:
                target = task.case.coordinator.supervisor
            task.escalated_at = now
            task.escalated_to = target
            task.save(update_fields=["escalated_at", "escalated_to"])
            if target is not None:
                Notification.objects.get_or_create(
                    user=target,
                    key=f"escalated:{task.pk}",
                    defaults={"kind": "escalated", "text": task.title},
                )
        handled += 1
    return handled


def main() -> None:
    arguments = parse()
    url, scratch = scratch_db.create("wp_bench_deadlines")
    home = tempfile.mkdtemp(prefix="wp-bench-deadlines-")
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "waypoint.settings",
            "WAYPOINT_HOME": home,
            "WAYPOINT_DEBUG": "1",
        }
    )
    sys.path.insert(0, str(ROOT / "src"))
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import transaction
        from django.utils import timezone

        from waypoint.cases.deadlines import sweep
        from waypoint.cases.models import Task
        from waypoint.shared.models import Notification

        call_command("migrate", verbosity=0)
        now = timezone.now()
        started = time.perf_counter()
        build_world(arguments.tasks, random.Random(arguments.seed), now)
        print(f"generated {arguments.tasks:,} tasks in {time.perf_counter() - started:.1f} s")
        overdue = Task.objects.filter(due_at__lt=now, overdue_since=None).count()

        started = time.perf_counter()
        with transaction.atomic():
            handled = naive_sweep(now, arguments.sample)
            transaction.set_rollback(True)
        sample_s = time.perf_counter() - started
        baseline_s = sample_s / handled * overdue
        print(f"baseline: {handled:,} tasks in {sample_s:.1f} s, so {baseline_s:.0f} s for all")

        started = time.perf_counter()
        report = sweep(now)
        sweep_s = time.perf_counter() - started
        print(f"sweep: {report} in {sweep_s:.1f} s")
        assert report.overdue == overdue, (report.overdue, overdue)

        notices = Notification.objects.count()
        started = time.perf_counter()
        again = sweep(now)
        second_sweep_s = time.perf_counter() - started
        print(f"second sweep at the same moment: {again} in {second_sweep_s:.2f} s")
        assert not again.changed
        assert again.notifications == 0
        assert Notification.objects.count() == notices

        verdict = "within" if sweep_s < TARGET_SECONDS else "OVER"
        print(f"{verdict} the {TARGET_SECONDS} s target on {os.cpu_count()} cores")
        print(
            f"RESULT tasks={arguments.tasks} overdue={overdue} sweep_s={sweep_s:.1f}"
            f" second_sweep_s={second_sweep_s:.2f} baseline_s={baseline_s:.0f}"
            f" ratio={baseline_s / sweep_s:.1f}"
        )
    finally:
        if not arguments.keep:
            scratch_db.drop(scratch)


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, line_buffering=True)
    main()
