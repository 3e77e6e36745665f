"""The home page: each role's sections, their counts and order, what never shows through from
the people next door, and a bounded number of queries whatever the data."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import make_user
from tests.web.home_world import _task, build_home_world
from waypoint.analytics import dashboard
from waypoint.analytics.filters import Filters
from waypoint.audit.models import AuditEvent
from waypoint.web.home import sections_for
from waypoint.web.home.parts import Part, Section


@pytest.fixture(scope="module")
def home_world(django_db_setup, django_db_blocker):
    """Built once for the module and rolled back after its last test; each test runs in a
    savepoint inside it (`db`), so what one test adds the next never sees."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_home_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(home_world, db):
    return home_world


def home(user) -> dict[str, Section]:
    with translation.override("en"):
        return {section.key: section for section in sections_for(user)}


def part(section: Section, title: str) -> Part:
    (found,) = [p for p in section.parts if p.title == title]
    return found


def texts(found: Part) -> list[str]:
    return [row.text for row in found.rows]


def counts(section: Section) -> dict[str, int | None]:
    return {p.title: p.count for p in section.parts}


def test_coordinator_sees_overdue_tasks_first_then_today_then_the_week(world):
    caseload = home(world.coordinator)["caseload"]
    assert counts(caseload) == {
        "Overdue": 2,
        "Due today": 1,
        "Due in the next 7 days": 1,
        "Waiting in your organisation's queue": 1,
        "New in your caseload: open a case": 1,
        "New veterans without a coordinator": 1,
        "Follow-ups due": 1,
        "Referrals awaiting an answer": 1,
    }
    overdue = part(caseload, "Overdue")
    assert texts(overdue) == ["Запросить справку из военкомата", "Оценочное собеседование"]
    assert [row.note for row in overdue.rows] == ["3 days overdue", "1 day overdue"]
    assert {row.tone for row in overdue.rows} == {"overdue"}
    assert overdue.rows[0].detail == "Смирнов Алексей Сергеевич"
    assert overdue.rows[0].url.startswith("/cases/")
    assert texts(part(caseload, "Due today")) == ["Составить индивидуальный план"]
    assert texts(part(caseload, "Due in the next 7 days")) == ["Позвонить работодателю"]
    # The appeal's and the referral's tasks in the queue have sections of their own.
    assert texts(part(caseload, "Waiting in your organisation's queue")) == [
        "Проверить входящие документы"
    ]
    assert texts(part(caseload, "New in your caseload: open a case")) == [
        "Кузнецов Дмитрий Сергеевич"
    ]
    unassigned = part(caseload, "New veterans without a coordinator")
    assert [row.text.split()[0] for row in unassigned.rows] == ["Новиков"]  # not Орлов (66)
    assert unassigned.rows[0].url.endswith("/coordinator/")
    (call,) = part(caseload, "Follow-ups due").rows
    assert call.text == "Принятов Иван Сергеевич"
    assert call.note == "3 days overdue"
    assert part(home(world.other_coordinator)["caseload"], "Follow-ups due").count == 0
    (referral,) = part(caseload, "Referrals awaiting an answer").rows
    assert referral.detail == "Смирнов Алексей Сергеевич"
    assert referral.tone == "overdue"


def test_another_coordinators_work_never_appears(world):
    mine = home(world.coordinator)
    theirs = home(world.other_coordinator)
    rows = [row.text for section in mine.values() for p in section.parts for row in p.rows]
    assert "Чужая просроченная задача" not in rows
    assert texts(part(theirs["caseload"], "Overdue")) == ["Чужая просроченная задача"]
    assert part(theirs["caseload"], "Due today").count == 0
    # Sverdlovsk's new veteran is theirs to assign, Moscow's is not.
    assert [
        row.text.split()[0]
        for row in part(theirs["caseload"], "New veterans without a coordinator").rows
    ] == ["Орлов"]
    assert part(theirs["appeals"], "Open appeals, the answer due soonest first").count == 1


def test_counsellor_sees_their_own_tasks_and_no_assignment_of_coordinators(world):
    caseload = home(world.counsellor)["caseload"]
    assert texts(part(caseload, "Overdue")) == ["Задача профконсультанта"]
    titles = [p.title for p in caseload.parts]
    assert "New veterans without a coordinator" not in titles  # the role may not assign
    assert part(caseload, "New in your caseload: open a case").count == 0


def test_the_appeals_queue_leads_with_the_overdue_and_its_listing_is_audited(world):
    before = AuditEvent.objects.filter(action="appeals.appeal.list").count()
    queue = home(world.coordinator)["appeals"]
    (appeals,) = queue.parts
    assert appeals.count == 2
    assert texts(appeals)[0] == world.overdue_appeal.reference
    assert appeals.rows[0].tone == "overdue"
    assert "urgent" in appeals.rows[1].detail
    assert AuditEvent.objects.filter(action="appeals.appeal.list").count() == before + 1


def test_referrals_to_answer_are_the_organisations(world):
    (inbox,) = home(world.coordinator)["referrals"].parts
    assert inbox.count == 1
    assert inbox.rows[0].text == "Белов Пётр Сергеевич"
    (employer_inbox,) = home(world.employer)["referrals"].parts
    assert employer_inbox.count == 1
    assert employer_inbox.rows[0].tone == "overdue"


def test_clinician_sees_urgent_alerts_first_and_only_their_care_teams(world):
    sections = home(world.clinician)
    assert list(sections) == ["care", "appeals", "referrals"]
    care = sections["care"]
    assert counts(care) == {
        "Urgent alerts": 1,
        "Awaiting your review": 1,
        "Screenings and follow-ups due": 1,
    }
    for found in care.parts:
        assert texts(found) == ["Смирнов Алексей Сергеевич"]  # never Орлова (the other clinic)
    # The psychological appeal is the well-being team's, in their queue.
    (appeals,) = sections["appeals"].parts
    assert appeals.count == 1
    assert "psychological help" in appeals.rows[0].detail


def test_nobody_but_the_care_team_sees_the_psychological_appeal(world):
    for user in (world.coordinator, world.counsellor, world.admin):
        details = [row.detail for row in home(user)["appeals"].parts[0].rows]
        assert not any("psychological" in detail for detail in details)


def test_operator_has_the_hotline_and_sees_no_queue_or_what_followed(client, world):
    sections = home(world.operator)
    assert list(sections) == ["hotline"]
    hotline = sections["hotline"]
    assert hotline.links[0].url == reverse("appeals:log")
    assert reverse("people:intake") in [link.url for link in hotline.links]
    assert part(hotline, "Calls you logged today").count == 4
    logged = part(hotline, "What you logged lately")
    assert world.overdue_appeal.reference in texts(logged)
    assert {row.url for row in logged.rows} == {""}  # the operator may not open them
    assert not any("overdue" in row.note for row in logged.rows)
    client.force_login(world.operator)
    with translation.override("en"):
        page = client.get(reverse("web:home")).content.decode()
    assert "Calls you logged today" in page
    assert "and 4 more" not in page  # a count alone lists nothing, so nothing "more"


def test_employer_sees_their_candidates_only_and_no_one_who_withdrew_consent(world):
    sections = home(world.employer)
    assert list(sections) == ["employer", "referrals"]
    employer = sections["employer"]
    assert counts(employer) == {
        "New candidates": 2,
        "Awaiting your decision": 1,
        "Follow-ups of your hires": 1,
    }
    new = part(employer, "New candidates")
    assert texts(new) == ["Смирнов Алексей Сергеевич", "profile withheld: consent withdrawn"]
    everything = [row.text for p in employer.parts for row in p.rows]
    assert not any("Чужой" in text or "Скрытов" in text for text in everything)
    assert texts(part(employer, "Awaiting your decision")) == ["Собеседов Иван Сергеевич"]
    (follow_up,) = part(employer, "Follow-ups of your hires").rows
    assert follow_up.text == "Принятов Иван Сергеевич"
    assert follow_up.detail.startswith("3 months after the start")
    assert follow_up.when == timezone.localdate() - timedelta(days=3)
    assert follow_up.tone == "overdue"


def test_provider_sees_their_applicants_and_cohorts_with_free_seats_soon(world):
    provider = home(world.provider)["provider"]
    awaiting = part(provider, "Awaiting your decision")
    assert awaiting.count == 2
    assert [row.note for row in awaiting.rows] == [
        "accepted the seat: enrol",  # the full cohort starts first
        "applied: offer a seat",
    ]
    assert not any(row.text.startswith("Белов") for row in awaiting.rows)
    starting = part(provider, "Cohorts starting in the next 30 days with seats left")
    assert starting.count == 1
    assert texts(starting) == ["Машинист крана"]
    assert starting.rows[0].note == "5 seats left"


def test_commander_sees_only_notices_in_force_for_their_unit_and_each_read_is_audited(world):
    before = AuditEvent.objects.filter(action="wellbeing.notice.view").count()
    (in_force,) = home(world.commander)["command"].parts
    assert in_force.count == 1
    assert texts(in_force) == ["Смирнов Алексей Сергеевич"]
    assert in_force.rows[0].detail == "no access to weapons or ammunition"
    assert AuditEvent.objects.filter(action="wellbeing.notice.view").count() == before + 1


def test_analyst_sees_the_dashboards_key_figures(world):
    figures = home(world.analyst)["figures"]
    with translation.override("en"):
        table = dashboard.table(world.analyst, Filters(), "key-figures")
    assert [(f.label, f.value) for f in figures.figures] == [
        (str(row["figure"]), row["value"]) for row in table.rows
    ]
    assert all(f.url.startswith(reverse("analytics:home") + "?panel=") for f in figures.figures)
    # A coordinator's home stays with their caseload: the figures are one click away.
    assert "figures" not in home(world.coordinator)


def test_veteran_sees_their_plan_applications_screening_and_coordinator(world):
    (mine,) = home(world.veteran).values()
    assert mine.key == "mine"
    steps = part(mine, "Next steps of my career plan")
    assert steps.rows[0].text == "Agree this plan with your coordinator"
    assert all(row.when >= timezone.localdate() for row in steps.rows)
    applications = part(mine, "My open applications")
    assert applications.count == 2
    assert texts(applications) == ["Водитель погрузчика", "Машинист крана"]
    (screening,) = part(mine, "Well-being screenings coming up").rows
    assert screening.note == "you can answer now"
    assert mine.contact.name == "Марина Белова"
    assert mine.contact.email == "marina@fund.example"


def test_a_veteran_without_a_record_is_told_what_happens_next(db):
    (mine,) = home(make_user("veteran")).values()
    assert "not linked" in mine.intro


def test_administrator_sees_accounts_to_review_imports_and_the_audit_log(world):
    sections = home(world.admin)
    assert list(sections)[-2:] == ["accounts", "audit"]
    assert "mine" not in sections  # the role's self-service permission names no record
    accounts = sections["accounts"]
    assert texts(part(accounts, "Without a role")) == ["Без Роли"]
    assert [row.detail for row in part(accounts, "Not used for 90 days").rows] == ["spyaschiy"]
    (imports,) = sections["imports"].parts
    assert texts(imports) == ["ветераны.csv"]
    assert imports.rows[0].note == "check the report and confirm"


def test_auditor_sees_the_exports_and_the_latest_events(world):
    audit = home(world.auditor)["audit"]
    exports = part(audit, "Exports of data in the last 7 days")
    assert exports.count == 1
    assert texts(exports) == ["people.veteran.export"]
    assert part(audit, "Latest events").rows


def test_several_roles_read_in_order_urgent_care_first(world):
    from django.contrib.auth.models import Group

    from waypoint.accounts.models import User

    world.clinician.groups.add(Group.objects.get(name="coordinator"))
    keys = list(home(User.objects.get(pk=world.clinician.pk)))
    assert keys.index("care") < keys.index("caseload") < keys.index("appeals")


def test_without_a_role_the_page_says_what_to_do(client, db):
    from waypoint.accounts.models import User

    client.force_login(User.objects.create(username="nobody"))
    page = client.get(reverse("web:home")).content.decode()
    assert "Your account has no role yet" in page


@pytest.mark.parametrize(
    ("persona", "most"),
    [
        ("coordinator", 34),
        ("counsellor", 31),
        ("clinician", 27),
        ("operator", 16),
        ("employer", 22),
        ("provider", 21),
        ("commander", 17),
        ("analyst", 48),  # the dashboard's overview, computed afresh (tests keep no cache)
        ("veteran", 19),
        ("admin", 45),
        ("auditor", 18),
    ],
)
def test_home_pages_stay_within_their_queries(
    client, world, persona, most, django_assert_max_num_queries
):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("web:home")).status_code == 200  # sessions, caches warmed
    with django_assert_max_num_queries(most):
        client.get(reverse("web:home"))


def test_more_work_takes_no_more_queries(client, world):
    """Rows are read a part at a time: ten more overdue tasks, referrals and appeals cost no
    query more."""
    client.force_login(world.coordinator)
    client.get(reverse("web:home"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("web:home"))
    case = world.smirnov.cases.get()
    for number in range(10):
        _task(f"Ещё задача {number}", offset=-4, case=case, assignee=world.coordinator)
    with CaptureQueriesContext(connection) as after:
        page = client.get(reverse("web:home")).content.decode()
    assert len(after) == len(before)
    assert "and 7 more" in page  # 12 overdue, 5 shown
