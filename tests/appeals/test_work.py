"""Who sees an appeal, working it from the queue, and closing it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.appeals.test_logging import log
from tests.conftest import make_organisation, make_user
from waypoint.appeals import selectors, services
from waypoint.appeals.access import appeals_visible_to
from waypoint.appeals.models import Appeal
from waypoint.audit.models import AuditEvent
from waypoint.cases.models import Task

SECRET = "Не спит ночами, просит записать к психологу."


@pytest.fixture
def psychological(operator, moscow_veteran, moscow_branch, clinician) -> Appeal:
    return log(operator, veteran=moscow_veteran, topic="psychological", description=SECRET)


@pytest.fixture
def appeal(operator, moscow_veteran, moscow_branch) -> Appeal:
    return log(operator, veteran=moscow_veteran)


def visible(user) -> set[int]:
    return set(appeals_visible_to(user).values_list("pk", flat=True))


def test_queue_staff_and_coordinators_in_scope_see_an_appeal(
    appeal, coordinator, counsellor, other_coordinator, admin, operator, clinician, analyst
):
    for user in (coordinator, counsellor, admin):
        assert appeal.pk in visible(user)
    for user in (other_coordinator, operator, clinician, analyst):
        assert appeal.pk not in visible(user)


def test_a_coordinator_sees_appeals_of_their_veterans_in_another_queue(
    operator, sverdlovsk_veteran, sverdlovsk_branch, other_coordinator, coordinator
):
    appeal = log(operator, veteran=sverdlovsk_veteran)
    assert appeal.organisation == sverdlovsk_branch
    assert appeal.pk in visible(other_coordinator)
    assert appeal.pk not in visible(coordinator)


def test_psychological_appeals_are_for_the_wellbeing_team_alone(
    psychological, clinician, coordinator, counsellor, admin, operator, analyst, auditor
):
    assert visible(clinician) == {psychological.pk}
    for user in (coordinator, counsellor, admin, operator, analyst, auditor):
        assert psychological.pk not in visible(user)
    another_clinic = make_organisation(
        name="Госпиталь, Екатеринбург", kind="clinic", region_id="66"
    )
    assert psychological.pk not in visible(make_user("clinician", another_clinic))


def test_the_operator_sees_only_that_they_logged_it(psychological, appeal, operator, client):
    assert selectors.logged_by(operator)[0].keys() == {"reference", "topic", "urgency", "logged_at"}
    client.force_login(operator)
    page = client.get(reverse("appeals:log"))
    assert psychological.reference in page.content.decode()
    assert SECRET not in page.content.decode()
    assert client.get(reverse("appeals:detail", args=[psychological.pk])).status_code == 404
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404


def test_not_even_an_administrator_reads_a_psychological_appeal(
    psychological, admin, clinician, client
):
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    assert client.get(reverse("appeals:detail", args=[psychological.pk])).status_code == 404
    listing = client.get(reverse("appeals:list"), {"shown": "all"}).content.decode()
    assert psychological.reference not in listing
    admin_list = client.get("/admin/appeals/appeal/").content.decode()
    assert psychological.reference not in admin_list
    client.force_login(clinician)
    page = client.get(reverse("appeals:detail", args=[psychological.pk]))
    assert SECRET in page.content.decode()
    event = AuditEvent.objects.get(action="appeals.appeal.view")
    assert (event.actor, event.subject_id) == (clinician, str(psychological.pk))


def test_every_read_is_audited(appeal, coordinator, client):
    client.force_login(coordinator)
    client.get(reverse("appeals:list"))
    client.get(reverse("appeals:detail", args=[appeal.pk]))
    client.get(f"/api/v1/appeals/{appeal.pk}")
    client.get("/api/v1/appeals")
    actions = list(
        AuditEvent.objects.filter(actor=coordinator).order_by("id").values_list("action", flat=True)
    )
    assert actions == [
        "appeals.appeal.list",
        "appeals.appeal.view",
        "appeals.appeal.view",
        "appeals.appeal.list",
    ]
    listed = AuditEvent.objects.filter(action="appeals.appeal.list").first()
    assert listed.changes["shown"][1] == [appeal.reference]


def test_take_then_answer_finishes_the_task(appeal, counsellor, coordinator):
    taken = services.take(actor=counsellor, appeal=appeal)
    task = Task.objects.get(pk=appeal.task_id)
    assert (taken.status, task.status, task.assignee) == ("in_progress", "in_progress", counsellor)
    with pytest.raises(ValidationError):
        services.take(actor=coordinator, appeal=taken)
    answered = services.answer(
        actor=counsellor, appeal=taken, outcome_kind="resolved", outcome="Направлен к работодателю."
    )
    task.refresh_from_db()
    assert task.status == "done"
    assert task.done_at is not None
    assert answered.status == "answered"
    assert answered.answered_in_time is True
    assert answered.taken_by == counsellor
    with pytest.raises(ValidationError):
        services.answer(actor=counsellor, appeal=answered, outcome_kind="resolved", outcome="…")
    actions = AuditEvent.objects.filter(subject_type="appeals.appeal").values_list(
        "action", flat=True
    )
    assert set(actions) == {"appeals.appeal.log", "appeals.appeal.take", "appeals.appeal.answer"}


def test_answering_straight_from_the_queue_takes_it_too(appeal, coordinator):
    answered = services.answer(
        actor=coordinator, appeal=appeal, outcome_kind="explained", outcome="Разъяснено."
    )
    assert answered.taken_by == coordinator
    assert answered.taken_at == answered.answered_at
    assert Task.objects.get(pk=appeal.task_id).status == "done"


def test_only_the_queue_works_an_appeal(appeal, admin, other_coordinator, clinician):
    for user in (admin, other_coordinator, clinician):
        with pytest.raises(PermissionDenied):
            services.take(actor=user, appeal=appeal)
        with pytest.raises(PermissionDenied):
            services.answer(actor=user, appeal=appeal, outcome_kind="resolved", outcome="x")


def test_an_answer_needs_a_kind_and_words(appeal, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.answer(actor=coordinator, appeal=appeal, outcome_kind="done", outcome=" ")
    assert set(refused.value.message_dict) == {"outcome_kind", "outcome"}
    assert Appeal.objects.get(pk=appeal.pk).status == "registered"


def test_the_coordinator_closes_an_answered_appeal(appeal, coordinator, counsellor):
    with pytest.raises(ValidationError):
        services.close(actor=coordinator, appeal=appeal)
    with pytest.raises(PermissionDenied):
        services.close(actor=counsellor, appeal=appeal)
    services.answer(actor=counsellor, appeal=appeal, outcome_kind="referred", outcome="В ЦЗН.")
    closed = services.close(actor=coordinator, appeal=appeal)
    assert (closed.status, closed.closed_by) == ("closed", coordinator)
    assert closed.closed_at >= closed.answered_at


def test_the_pages_take_answer_and_close(appeal, coordinator, client):
    client.force_login(coordinator)
    queue = client.get(reverse("appeals:list")).content.decode()
    assert appeal.reference in queue
    detail = reverse("appeals:detail", args=[appeal.pk])
    assert client.post(reverse("appeals:take", args=[appeal.pk])).status_code == 302
    bad = client.post(reverse("appeals:answer", args=[appeal.pk]), {"outcome_kind": "resolved"})
    assert bad.status_code == 200
    assert "This field is required" in bad.content.decode()
    response = client.post(
        reverse("appeals:answer", args=[appeal.pk]),
        {"outcome_kind": "resolved", "outcome": "Записан на собеседование."},
    )
    assert response.url == detail
    assert client.post(reverse("appeals:close", args=[appeal.pk])).url == detail
    assert Appeal.objects.get(pk=appeal.pk).status == "closed"
    mine = client.get(reverse("appeals:list"), {"shown": "mine"}).content.decode()
    assert appeal.reference not in mine


def test_a_well_being_team_member_works_and_closes_a_psychological_appeal(psychological, clinician):
    services.answer(
        actor=clinician, appeal=psychological, outcome_kind="resolved", outcome="Записан."
    )
    assert services.close(actor=clinician, appeal=psychological).status == "closed"


def test_the_hotline_page_logs_an_appeal_and_shows_the_reference(
    operator, moscow_veteran, moscow_branch, client
):
    client.force_login(operator)
    found = client.get(reverse("appeals:veteran_search"), {"q": "Кузнецов"}).content.decode()
    assert f'value="{moscow_veteran.pk}"' in found
    by_phone = "8 " + moscow_veteran.phone[2:]
    found = client.get(reverse("appeals:veteran_search"), {"q": by_phone}).content.decode()
    assert f'value="{moscow_veteran.pk}"' in found
    response = client.post(
        reverse("appeals:log"),
        {
            "caller_kind": "veteran",
            "veteran": moscow_veteran.pk,
            "topic": "documents",
            "urgency": "urgent",
            "description": "Не получил удостоверение ветерана.",
            "contact_channel": "phone",
        },
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert appeal.reference in page
    assert appeal.organisation.name in page
    assert appeal.urgency == "urgent"


def test_the_hotline_page_keeps_the_chosen_veteran_on_an_error(
    operator, moscow_veteran, moscow_branch, client
):
    client.force_login(operator)
    response = client.post(
        reverse("appeals:log"),
        {"caller_kind": "family", "veteran": moscow_veteran.pk, "topic": "legal"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert f'value="{moscow_veteran.pk}" checked' in content
    assert not Appeal.objects.exists()
