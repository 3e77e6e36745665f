"""Deadlines that cannot be lost: overdue marking, escalation after a grace period in working
days, notifications given once, the daily digest and its e-mail, the worker, the page."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.conftest import make_organisation, make_user
from waypoint.audit.models import AuditEvent
from waypoint.cases import deadlines, services
from waypoint.cases.models import Task, TaskType
from waypoint.kit.workdays import end_of_day
from waypoint.shared.models import Notification
from waypoint.shared.notifications import unread_count

MSK = ZoneInfo("Europe/Moscow")
# Tue 3 Nov 2026; Wed 4 Nov is a public holiday in the seeded production calendar.
DUE = date(2026, 11, 3)


def at(day: int, hour: int = 12, minute: int = 0, zone: ZoneInfo = MSK) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=zone)


def task_for(actor, *, due: datetime, code: str = "plan", case=None, **owner) -> Task:
    """A task of type `code` (plan: grace of 2 working days) that fell due at `due`."""
    task = services.add_task(
        actor=actor,
        case=case,
        task_type=TaskType.objects.get(code=code),
        title=f"Task {code}",
        **owner,
    )
    Task.objects.filter(pk=task.pk).update(due_at=due)
    task.refresh_from_db()
    return task


def keys(user) -> set[str]:
    return set(Notification.objects.filter(user=user).values_list("key", flat=True))


@pytest.fixture
def supervisor(moscow_branch):
    return make_user("coordinator", moscow_branch, email="chief@example.org")


@pytest.fixture
def case(coordinator, supervisor, moscow_veteran):
    coordinator.supervisor = supervisor
    coordinator.save()
    return services.open_case(actor=coordinator, veteran=moscow_veteran)


def test_open_tasks_past_due_are_marked_and_their_keeper_told_once(coordinator, case):
    late = task_for(
        coordinator, due=end_of_day(DUE, "Europe/Moscow"), case=case, assignee=coordinator
    )
    not_yet = task_for(
        coordinator,
        due=end_of_day(date(2026, 11, 30), "Europe/Moscow"),
        case=case,
        assignee=coordinator,
    )
    finished = task_for(
        coordinator, due=end_of_day(DUE, "Europe/Moscow"), case=case, assignee=coordinator
    )
    services.finish_task(actor=coordinator, task=finished)

    report = deadlines.sweep(at(4))

    assert report.overdue == 1
    assert Task.objects.get(pk=late.pk).overdue_since == at(4)
    assert Task.objects.get(pk=not_yet.pk).overdue_since is None
    assert Task.objects.get(pk=finished.pk).overdue_since is None
    notice = Notification.objects.get(user=coordinator)
    assert (notice.kind, notice.key, notice.text) == ("overdue", f"overdue:{late.pk}", late.title)
    assert notice.url == f"/cases/{case.pk}/"
    assert deadlines.sweep(at(4, 13)).overdue == 0
    assert Notification.objects.count() == 1


def test_a_queue_task_tells_the_queue_members_who_manage_cases(coordinator):
    centre = make_organisation(name="Центр занятости")
    clerk = make_user("coordinator", centre)
    counsellor = make_user("career_counsellor", centre)
    make_user("call_centre_operator", centre)  # may not manage cases
    make_user("coordinator", centre, is_active=False)  # left
    late = task_for(coordinator, due=end_of_day(DUE, "Europe/Moscow"), queue=centre)

    deadlines.sweep(at(4))

    told = set(Notification.objects.filter(key=f"overdue:{late.pk}").values_list("user", flat=True))
    assert told == {clerk.pk, counsellor.pk}


def test_escalation_waits_for_the_grace_period_in_working_days(coordinator, supervisor, case):
    # Due Tue 3 Nov; Wed 4 Nov is a holiday, so the two working days of grace are Thu 5 and
    # Fri 6: the task escalates when Friday is over, not when Thursday is.
    late = task_for(
        coordinator, due=end_of_day(DUE, "Europe/Moscow"), case=case, assignee=coordinator
    )

    assert deadlines.sweep(at(4)).escalated == 0
    assert deadlines.sweep(at(6, 23, 59)).escalated == 0
    assert Task.objects.get(pk=late.pk).escalated_at is None
    assert f"escalated:{late.pk}" not in keys(supervisor)

    report = deadlines.sweep(at(7, 0, 1))

    assert report.escalated == 1
    escalated = Task.objects.get(pk=late.pk)
    assert (escalated.escalated_at, escalated.escalated_to) == (at(7, 0, 1), supervisor)
    assert keys(supervisor) == {f"escalated:{late.pk}"}
    assert deadlines.sweep(at(9)).escalated == 0
    assert keys(supervisor) == {f"escalated:{late.pk}"}


def test_escalation_follows_the_clock_where_the_task_is_kept(coordinator):
    far_east = make_organisation(name="Филиал, Владивосток", region_id="25")
    keeper = make_user("coordinator", far_east)
    boss = make_user("coordinator", far_east)
    keeper.supervisor = boss
    keeper.save()
    vladivostok = task_for(coordinator, due=end_of_day(DUE, "Asia/Vladivostok"), assignee=keeper)
    moscow = task_for(coordinator, due=end_of_day(DUE, "Europe/Moscow"), assignee=coordinator)

    # Sat 7 Nov 01:00 in Vladivostok is still Friday 18:00 in Moscow.
    deadlines.sweep(at(7, 1, zone=ZoneInfo("Asia/Vladivostok")))

    assert Task.objects.get(pk=vladivostok.pk).escalated_to == boss
    assert Task.objects.get(pk=moscow.pk).escalated_at is None


def test_who_an_escalation_goes_to(coordinator, supervisor, case, moscow_branch):
    own_boss = make_user("coordinator", moscow_branch)
    with_boss = make_user("coordinator", moscow_branch, supervisor=own_boss)
    without_boss = make_user("coordinator", moscow_branch)
    retired = make_user("coordinator", moscow_branch, is_active=False)
    boss_gone = make_user("coordinator", moscow_branch, supervisor=retired)
    queue = make_organisation(name="Очередь")
    due = end_of_day(DUE, "Europe/Moscow")
    tasks = {
        "assignee's supervisor": task_for(coordinator, due=due, case=case, assignee=with_boss),
        "coordinator's supervisor": task_for(
            coordinator, due=due, case=case, assignee=without_boss
        ),
        "inactive supervisor skipped": task_for(
            coordinator, due=due, case=case, assignee=boss_gone
        ),
        "queue task": task_for(coordinator, due=due, case=case, queue=queue),
        "nobody": task_for(coordinator, due=due, queue=queue),
    }

    report = deadlines.sweep(at(9))

    target = {name: Task.objects.get(pk=task.pk).escalated_to for name, task in tasks.items()}
    assert target == {
        "assignee's supervisor": own_boss,
        "coordinator's supervisor": supervisor,
        "inactive supervisor skipped": supervisor,
        "queue task": supervisor,
        "nobody": None,
    }
    assert Task.objects.get(pk=tasks["nobody"].pk).escalated_at == at(9)
    assert (report.escalated, report.escalated_to_nobody) == (5, 1)
    bossed = tasks["assignee's supervisor"]
    assert keys(own_boss) == {f"escalated:{bossed.pk}"}
    assert len([key for key in keys(supervisor) if key.startswith("escalated:")]) == 3


def test_a_second_sweep_at_the_same_moment_changes_nothing(coordinator, supervisor, case):
    queue = make_organisation(name="Очередь")
    make_user("coordinator", queue)
    due = end_of_day(DUE, "Europe/Moscow")
    for _ in range(3):
        task_for(coordinator, due=due, case=case, assignee=coordinator)
        task_for(coordinator, due=due, case=case, queue=queue)
    task_for(coordinator, due=end_of_day(date(2026, 11, 6), "Europe/Moscow"), assignee=coordinator)

    # Small batches, so the walk over the index takes several of them.
    first = deadlines.sweep(at(9), batch_size=2)
    state = list(
        Task.objects.order_by("pk").values_list("overdue_since", "escalated_at", "escalated_to")
    )
    notices = Notification.objects.count()
    second = deadlines.sweep(at(9), batch_size=2)

    assert (first.overdue, first.escalated, first.notifications) == (7, 6, 7 + 6)
    assert (second.overdue, second.escalated, second.notifications) == (0, 0, 0)
    assert (
        list(
            Task.objects.order_by("pk").values_list("overdue_since", "escalated_at", "escalated_to")
        )
        == state
    )
    assert Notification.objects.count() == notices
    summary = AuditEvent.objects.get(action="cases.deadline_sweep")
    assert summary.changes["overdue"] == [None, 7]
    assert summary.changes["escalated"] == [None, 6]


def test_the_daily_digest_is_given_once_a_day_with_its_email(
    coordinator, moscow_branch, django_capture_on_commit_callbacks
):
    coordinator.email = "coordinator@example.org"
    coordinator.save()
    quiet = make_user("coordinator", moscow_branch, email="")
    today = timezone.localdate()
    for due in (today - timedelta(days=3), today - timedelta(days=1), today):
        task_for(coordinator, due=end_of_day(due, "Europe/Moscow"), assignee=coordinator)
    task_for(
        coordinator,
        due=end_of_day(today + timedelta(days=5), "Europe/Moscow"),
        assignee=coordinator,
    )
    task_for(coordinator, due=end_of_day(today, "Europe/Moscow"), assignee=quiet)

    with django_capture_on_commit_callbacks(execute=True):
        report = deadlines.daily_digest(today)
    with django_capture_on_commit_callbacks(execute=True):
        again = deadlines.daily_digest(today)

    assert (report.notified, report.mailed) == (2, 1)
    assert (again.notified, again.mailed) == (0, 0)
    digest = Notification.objects.get(user=coordinator, kind="digest")
    assert digest.key == f"digest:{today.isoformat()}"
    assert digest.text == "Overdue: 2, due today: 1"
    assert Notification.objects.filter(user=quiet, kind="digest").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["coordinator@example.org"]
    assert "Overdue: 2, due today: 1" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines.daily_digest(today + timedelta(days=1)).notified == 2
    assert len(mail.outbox) == 2


def test_the_worker_runs_one_pass(coordinator, django_capture_on_commit_callbacks):
    late = task_for(coordinator, due=timezone.now() - timedelta(days=1), assignee=coordinator)
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("worker", "--once", "--digest-at=00:00", stdout=out, stderr=StringIO())

    assert Task.objects.get(pk=late.pk).overdue_since is not None
    assert keys(coordinator) == {
        f"overdue:{late.pk}",
        f"digest:{timezone.localdate().isoformat()}",
    }
    ran = DBTaskResult.objects.values_list("task_path", "status")
    assert set(ran) == {
        ("waypoint.cases.tasks.sweep_deadlines", "SUCCESSFUL"),
        ("waypoint.cases.tasks.send_daily_digest", "SUCCESSFUL"),
        ("waypoint.wellbeing.tasks.escalate_alerts", "SUCCESSFUL"),
        ("waypoint.people.tasks.tidy_imports", "SUCCESSFUL"),
    }
    assert "sweep_deadlines successful" in out.getvalue()


def test_the_notifications_page(client, coordinator, case, moscow_branch):
    late = task_for(
        coordinator, due=end_of_day(DUE, "Europe/Moscow"), case=case, assignee=coordinator
    )
    other = task_for(
        coordinator, due=end_of_day(DUE, "Europe/Moscow"), case=case, assignee=coordinator
    )
    stranger = make_user("coordinator", moscow_branch)
    Notification.objects.create(user=stranger, kind="overdue", key="overdue:0", text="not yours")
    deadlines.sweep(at(4))
    client.force_login(coordinator)

    page = client.get("/notifications/").content.decode()

    assert late.title in page
    assert "not yours" not in page
    assert "Notifications (2)" in page
    theirs = Notification.objects.get(user=stranger)
    assert client.post("/notifications/read/", {"notification": theirs.pk}).status_code == 404
    assert client.post("/notifications/read/", {"notification": "x"}).status_code == 404
    mine = Notification.objects.get(key=f"overdue:{late.pk}")
    assert client.post("/notifications/read/", {"notification": mine.pk}).status_code == 302
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert Notification.objects.get(key=f"overdue:{other.pk}").read_at is None
    assert "Notifications (1)" in client.get("/notifications/").content.decode()
    client.post("/notifications/read/")
    assert unread_count(coordinator) == 0
    assert Notification.objects.get(user=stranger).read_at is None
    assert "Notifications (" not in client.get("/notifications/").content.decode()
