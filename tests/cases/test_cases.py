"""Cases: deadline arithmetic with holidays and time zones, the case's life, tasks, caseload
reassignment, and the pages and API."""

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import make_organisation, make_user, make_veteran
from waypoint.audit.models import AuditEvent
from waypoint.cases import services
from waypoint.cases.models import Case, Stage, Task, TaskType, Track
from waypoint.kit.workdays import Calendar, end_of_day

MSK = ZoneInfo("Europe/Moscow")


def test_working_days_skip_weekends_holidays_and_count_moved_working_days():
    calendar = Calendar(
        days_off=frozenset({date(2026, 11, 4)}), working=frozenset({date(2026, 11, 7)})
    )
    # Tue 3 Nov + 1 working day skips the 4 Nov holiday → Thu 5 Nov.
    assert calendar.add_working_days(date(2026, 11, 3), 1) == date(2026, 11, 5)
    # Fri 6 Nov + 1 → Sat 7 Nov, made a working day by decree.
    assert calendar.add_working_days(date(2026, 11, 6), 1) == date(2026, 11, 7)
    assert calendar.add_working_days(date(2026, 11, 7), 1) == date(2026, 11, 9)
    assert calendar.add_working_days(date(2026, 11, 8), 0) == date(2026, 11, 9)
    # 30 calendar days from 4 Dec end on Sun 3 Jan → the next working day.
    new_year = Calendar(days_off=frozenset(date(2027, 1, d) for d in range(1, 9)))
    assert new_year.due_date(date(2026, 12, 4), 30, working_days=False) == date(2027, 1, 11)


def test_deadlines_end_at_midnight_where_the_task_is_kept(db):
    appeal = TaskType.objects.get(code="appeal")
    start = datetime(2026, 11, 20, 22, 30, tzinfo=ZoneInfo("UTC"))  # 21 Nov in Vladivostok
    calendar = services.production_calendar()
    moscow = services.due_at(appeal, "Europe/Moscow", start, calendar)
    far_east = services.due_at(appeal, "Asia/Vladivostok", start, calendar)
    assert moscow == end_of_day(date(2026, 12, 21), "Europe/Moscow")  # 20 Dec is a Sunday
    assert far_east == end_of_day(date(2026, 12, 21), "Asia/Vladivostok")
    assert far_east < moscow  # the same calendar day ends seven hours earlier there
    referral = TaskType.objects.get(code="referral")  # 5 working days, over 4 Nov 2026
    start = datetime(2026, 11, 2, 9, tzinfo=MSK)
    assert services.due_at(referral, "Europe/Moscow", start, calendar).date() == date(2026, 11, 10)


def test_seeded_calendar_knows_the_new_year_holidays(db):
    calendar = services.production_calendar()
    assert not calendar.is_working_day(date(2026, 1, 9))
    assert calendar.is_working_day(date(2026, 1, 12))
    assert calendar.is_working_day(date(2025, 11, 1))  # a Saturday worked in 2025


def test_a_case_opens_moves_and_closes(coordinator, moscow_veteran):
    case = services.open_case(actor=coordinator, veteran=moscow_veteran)
    assert case.stage.code == "intake"
    assert case.coordinator == coordinator
    with pytest.raises(ValidationError):
        services.open_case(actor=coordinator, veteran=moscow_veteran)
    services.move(
        actor=coordinator,
        case=case,
        stage=Stage.objects.get(code="assessment"),
        track=Track.objects.get(code="rapid_employment"),
    )
    task = services.add_task(
        actor=coordinator,
        case=case,
        task_type=TaskType.objects.get(code="assessment"),
        title="Оценочное собеседование",
        assignee=coordinator,
    )
    with pytest.raises(ValidationError) as caught:
        services.move(actor=coordinator, case=case, stage=Stage.objects.get(code="closed"))
    assert "stage" in caught.value.message_dict
    services.finish_task(actor=coordinator, task=task)
    services.move(actor=coordinator, case=case, stage=Stage.objects.get(code="closed"))
    case.refresh_from_db()
    assert case.closed_at is not None
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert {"cases.case.open", "cases.case.move", "cases.task.create", "cases.task.status"} <= set(
        actions
    )


def test_only_the_team_manages_a_case(coordinator, other_coordinator, operator, moscow_veteran):
    with pytest.raises(PermissionDenied):
        services.open_case(actor=other_coordinator, veteran=moscow_veteran)
    case = services.open_case(actor=coordinator, veteran=moscow_veteran)
    for outsider in (other_coordinator, operator):
        with pytest.raises(PermissionDenied):
            services.move(actor=outsider, case=case, stage=Stage.objects.get(code="plan"))


def test_a_queue_task_is_taken_by_its_organisation(coordinator, moscow_veteran):
    centre = make_organisation(name="Центр занятости", region_id="66")
    clerk = make_user("coordinator", centre)
    case = services.open_case(actor=coordinator, veteran=moscow_veteran)
    task = services.add_task(
        actor=coordinator,
        case=case,
        task_type=TaskType.objects.get(code="documents"),
        title="Справка",
        queue=centre,
    )
    assert task.due_at.tzinfo is not None
    assert str(task.due_at.astimezone(ZoneInfo("Asia/Yekaterinburg")).time()) == "23:59:59"
    taken = services.finish_task(actor=clerk, task=task, status="in_progress")
    assert taken.assignee == clerk
    with pytest.raises(ValidationError):
        services.add_task(actor=coordinator, case=case, task_type=task.type, title="nobody's")


def test_a_leaving_coordinators_caseload_moves(admin, coordinator, moscow_branch):
    successor = make_user("coordinator", moscow_branch)
    veterans = [make_veteran(coordinator=coordinator) for _ in range(3)]
    for veteran in veterans:
        case = services.open_case(actor=coordinator, veteran=veteran)
        services.add_task(
            actor=coordinator,
            case=case,
            task_type=TaskType.objects.get(code="plan"),
            title="План",
            assignee=coordinator,
        )
    with pytest.raises(PermissionDenied):
        services.reassign_caseload(actor=coordinator, source=coordinator, target=successor)
    assert services.reassign_caseload(actor=admin, source=coordinator, target=successor) == 3
    assert Case.objects.filter(coordinator=successor).count() == 3
    assert Task.objects.filter(assignee=successor, status="open").count() == 3
    assert AuditEvent.objects.filter(action="cases.case.reassign").count() == 3


def test_pages(client, coordinator, admin, moscow_veteran):
    client.force_login(coordinator)
    response = client.post(f"/cases/open/{moscow_veteran.pk}/", {"summary": "ищет работу"})
    case = Case.objects.get()
    assert response.url == f"/cases/{case.pk}/"
    client.post(f"/cases/{case.pk}/move/", {"stage": Stage.objects.get(code="plan").pk})
    client.post(
        f"/cases/{case.pk}/tasks/new/",
        {"type": TaskType.objects.get(code="plan").pk, "title": "План", "assignee": coordinator.pk},
    )
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "План" in page
    caseload = client.get("/cases/?stage=plan").content.decode()
    assert moscow_veteran.full_name in caseload
    task = Task.objects.get()
    client.post(f"/tasks/{task.pk}/done/", {"next": f"/cases/{case.pk}/"})
    assert Task.objects.get().status == "done"
    client.force_login(admin)
    assert coordinator.last_name in client.get("/cases/supervision/").content.decode()


def test_api(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    made = client.post(
        "/api/v1/cases",
        json.dumps({"veteran_id": moscow_veteran.pk}),
        content_type="application/json",
    )
    assert made.status_code == 201
    case_id = made.json()["id"]
    bad = client.post(
        f"/api/v1/cases/{case_id}/move",
        json.dumps({"stage": "nowhere"}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "stage"
    task = client.post(
        f"/api/v1/cases/{case_id}/tasks",
        json.dumps({"type": "plan", "title": "План", "assignee_id": coordinator.pk}),
        content_type="application/json",
    )
    assert task.status_code == 201
    assert client.get("/api/v1/tasks").json()["items"][0]["title"] == "План"
    done = client.post(
        f"/api/v1/tasks/{task.json()['id']}/status",
        json.dumps({"status": "done"}),
        content_type="application/json",
    )
    assert done.json()["status"] == "done"
