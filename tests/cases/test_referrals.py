"""Referrals to other organisations (consent checked and recorded, a deadline task in the
receiver's queue, accept or decline with a reason, the receiver sees only its own), transfers
of a case and the supervisor's caseload hand-over page."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import make_organisation, make_user, make_veteran
from waypoint.accounts.models import Organisation, User
from waypoint.audit.models import AuditEvent
from waypoint.cases import access, casefile, referrals, services
from waypoint.cases.models import Case, Referral, Task, TaskType
from waypoint.people import services as people
from waypoint.people.models import Consent, Veteran
from waypoint.regions.models import Region
from waypoint.shared.models import Notification

P = Consent.Purpose


def with_permission(user: User, *names: str) -> User:
    for name in names:
        app, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app, codename=codename)
        )
    return User.objects.get(pk=user.pk)


@pytest.fixture
def case(coordinator, moscow_veteran):
    return services.open_case(actor=coordinator, veteran=moscow_veteran)


@pytest.fixture
def employer_org(employer) -> Organisation:
    return employer.organisation


@pytest.fixture
def rival_employer(db) -> User:
    return make_user(
        "employer_staff", make_organisation(name="Rival", kind=Organisation.Kind.EMPLOYER)
    )


@pytest.fixture
def centre_staff(db) -> User:
    centre = make_organisation(
        name="Employment centre, Moscow", kind=Organisation.Kind.EMPLOYMENT_CENTRE
    )
    return make_user("career_counsellor", centre)


def _give(coordinator, veteran, purpose):
    return people.give_consent(actor=coordinator, veteran=veteran, purpose=purpose, channel="phone")


# --- making a referral ----------------------------------------------------------------------


def test_a_referral_needs_the_consent_that_covers_the_receiver(
    case, coordinator, moscow_veteran, employer_org
):
    with pytest.raises(ValidationError) as caught:
        referrals.refer(actor=coordinator, case=case, receiver=employer_org, purpose="Водитель")
    assert list(caught.value.message_dict) == ["consent"]
    assert "Sharing the profile with employers" in caught.value.message_dict["consent"][0]
    assert not Referral.objects.exists()
    assert not Task.objects.exists()

    consent = _give(coordinator, moscow_veteran, P.SHARE_EMPLOYERS)
    referral = referrals.refer(
        actor=coordinator, case=case, receiver=employer_org, purpose="Водитель категории C"
    )
    assert referral.consent == consent
    assert referral.consent_purpose == P.SHARE_EMPLOYERS
    event = AuditEvent.objects.get(action="cases.referral.create")
    assert event.changes["consent"] == [None, consent.pk]
    assert event.veteran_id == moscow_veteran.pk


@pytest.mark.parametrize(
    ("kind", "purpose"),
    [
        (Organisation.Kind.TRAINING_PROVIDER, P.SHARE_TRAINING),
        (Organisation.Kind.EMPLOYMENT_CENTRE, P.PERSONAL_DATA),
        (Organisation.Kind.FUND_BRANCH, P.PERSONAL_DATA),
        (Organisation.Kind.CLINIC, P.PERSONAL_DATA),
    ],
)
def test_which_consent_each_receiver_needs(case, coordinator, moscow_veteran, kind, purpose):
    if purpose != P.PERSONAL_DATA:
        _give(coordinator, moscow_veteran, purpose)
    receiver = make_organisation(kind=kind)
    referral = referrals.refer(actor=coordinator, case=case, receiver=receiver, purpose="Помочь")
    assert referral.consent_purpose == purpose


def test_the_referral_task_waits_in_the_receivers_queue_for_five_working_days(
    case, coordinator, centre_staff
):
    receiver = centre_staff.organisation
    referral = referrals.refer(
        actor=coordinator, case=case, receiver=receiver, purpose="Постановка на учёт"
    )
    task = referral.task
    assert task.type == TaskType.objects.get(code="referral")
    assert task.queue == receiver
    assert task.assignee is None
    assert task.case == case
    assert task.concerns == referral
    assert task.due_at == referral.due_at
    assert task.due_at == services.due_at(task.type, receiver.region.time_zone, task.created_at)
    assert Notification.objects.filter(user=centre_staff, kind="referral").exists()
    assert task in access.tasks_visible_to(centre_staff)


@pytest.mark.parametrize(
    ("receiver_kind", "purpose", "field"),
    [
        (Organisation.Kind.DEFENCE_UNIT, "Справка", "receiver"),
        (Organisation.Kind.CALL_CENTRE, "Справка", "receiver"),
        (Organisation.Kind.EMPLOYMENT_CENTRE, "   ", "purpose"),
        (Organisation.Kind.EMPLOYMENT_CENTRE, "x" * 1001, "purpose"),
    ],
)
def test_bad_referrals_name_the_field(case, coordinator, receiver_kind, purpose, field):
    receiver = make_organisation(kind=receiver_kind)
    with pytest.raises(ValidationError) as caught:
        referrals.refer(actor=coordinator, case=case, receiver=receiver, purpose=purpose)
    assert field in caught.value.message_dict


def test_one_pending_referral_per_receiver_and_never_to_the_own_branch(
    case, coordinator, centre_staff, moscow_branch
):
    receiver = centre_staff.organisation
    referrals.refer(actor=coordinator, case=case, receiver=receiver, purpose="Учёт")
    with pytest.raises(ValidationError) as caught:
        referrals.refer(actor=coordinator, case=case, receiver=receiver, purpose="Учёт")
    assert "receiver" in caught.value.message_dict
    with pytest.raises(ValidationError):
        referrals.refer(actor=coordinator, case=case, receiver=moscow_branch, purpose="Учёт")


def test_only_the_case_team_refers(case, other_coordinator, operator, centre_staff):
    for outsider in (other_coordinator, operator):
        with pytest.raises(PermissionDenied):
            referrals.refer(
                actor=outsider, case=case, receiver=centre_staff.organisation, purpose="Учёт"
            )


# --- answering ------------------------------------------------------------------------------


@pytest.fixture
def to_employer(case, coordinator, moscow_veteran, employer_org) -> Referral:
    _give(coordinator, moscow_veteran, P.SHARE_EMPLOYERS)
    return referrals.refer(
        actor=coordinator, case=case, receiver=employer_org, purpose="Водитель погрузчика"
    )


def test_the_receiver_accepts_and_the_task_is_done(to_employer, employer, coordinator):
    accepted = referrals.answer(actor=employer, referral=to_employer, accept=True)
    assert accepted.status == Referral.Status.ACCEPTED
    assert accepted.answered_by == employer
    task = Task.objects.get(pk=to_employer.task_id)
    assert task.status == Task.Status.DONE
    event = AuditEvent.objects.get(action="cases.referral.accept")
    assert event.changes["status"] == ["pending", "accepted"]
    assert event.changes["late"] == [None, False]
    assert Notification.objects.filter(user=coordinator, kind="referral_answer").exists()
    with pytest.raises(ValidationError) as caught:
        referrals.answer(actor=employer, referral=to_employer, accept=False, reason="Передумали")
    assert "status" in caught.value.message_dict


def test_declining_needs_a_reason(to_employer, employer):
    with pytest.raises(ValidationError) as caught:
        referrals.answer(actor=employer, referral=to_employer, accept=False, reason="  ")
    assert list(caught.value.message_dict) == ["reason"]
    declined = referrals.answer(
        actor=employer, referral=to_employer, accept=False, reason="Вакансия закрыта"
    )
    assert declined.status == Referral.Status.DECLINED
    assert declined.reason == "Вакансия закрыта"
    assert Task.objects.get(pk=to_employer.task_id).status == Task.Status.DONE
    event = AuditEvent.objects.get(action="cases.referral.decline")
    assert event.changes["reason"] == [None, "Вакансия закрыта"]


def test_only_the_receivers_staff_answer(to_employer, coordinator, rival_employer, admin):
    for stranger in (coordinator, rival_employer, admin):
        with pytest.raises(PermissionDenied):
            referrals.answer(actor=stranger, referral=to_employer, accept=True)


def test_a_withdrawn_consent_leaves_only_declining(to_employer, employer, coordinator):
    people.withdraw_consent(
        actor=coordinator, veteran=to_employer.case.veteran, purpose=P.SHARE_EMPLOYERS
    )
    with pytest.raises(ValidationError) as caught:
        referrals.answer(actor=employer, referral=to_employer, accept=True)
    assert "consent" in caught.value.message_dict
    referrals.answer(actor=employer, referral=to_employer, accept=False, reason="Нет согласия")


def test_an_answer_after_the_deadline_is_taken_and_marked_late(to_employer, employer):
    Referral.objects.filter(pk=to_employer.pk).update(due_at=timezone.now() - timedelta(days=1))
    to_employer.refresh_from_db()
    answered = referrals.answer(actor=employer, referral=to_employer, accept=True)
    assert answered.is_late
    assert AuditEvent.objects.get(action="cases.referral.accept").changes["late"] == [None, True]


# --- what the receiving organisation sees ----------------------------------------------------


def test_the_receiver_sees_only_referrals_addressed_to_it(
    client, case, coordinator, moscow_veteran, to_employer, employer, rival_employer, provider
):
    _give(coordinator, moscow_veteran, P.SHARE_TRAINING)
    to_college = referrals.refer(
        actor=coordinator, case=case, receiver=provider.organisation, purpose="Электромонтёр"
    )
    other_veteran = make_veteran(coordinator=coordinator, consents=(P.SHARE_EMPLOYERS,))
    other_case = services.open_case(actor=coordinator, veteran=other_veteran)
    to_rival = referrals.refer(
        actor=coordinator, case=other_case, receiver=rival_employer.organisation, purpose="Охрана"
    )
    assert list(referrals.inbox(employer)) == [to_employer]
    assert list(access.referrals_visible_to(employer)) == [to_employer]
    assert list(referrals.inbox(provider)) == [to_college]
    assert list(referrals.inbox(rival_employer)) == [to_rival]
    assert list(referrals.inbox(coordinator)) == []  # the sending side has no inbox here

    client.force_login(employer)
    inbox = client.get("/referrals/").content.decode()
    assert "Водитель погрузчика" in inbox
    assert "Электромонтёр" not in inbox
    assert "Охрана" not in inbox
    assert client.get(f"/referrals/{to_college.pk}/").status_code == 404
    assert client.get(f"/referrals/{to_rival.pk}/").status_code == 404
    assert client.get(f"/api/v1/referrals/{to_college.pk}").status_code == 404
    listed = client.get("/api/v1/referrals").json()["items"]
    assert [item["id"] for item in listed] == [to_employer.pk]


def test_the_receiver_learns_the_name_and_the_purpose_not_the_case(
    client, case, coordinator, to_employer, employer
):
    casefile.add_note(actor=coordinator, case=case, text="Секретная заметка", visibility="case")
    client.force_login(employer)
    page = client.get(f"/referrals/{to_employer.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert case.veteran.full_name in text
    assert "Водитель погрузчика" in text
    assert "Секретная заметка" not in text
    assert f"/cases/{case.pk}/" not in text
    assert AuditEvent.objects.filter(action="cases.referral.view", actor=employer).exists()
    body = client.get(f"/api/v1/referrals/{to_employer.pk}").json()
    assert body["veteran"] == case.veteran.full_name
    assert body["purpose"] == "Водитель погрузчика"
    assert "case_id" not in body
    assert client.get(f"/cases/{case.pk}/").status_code == 403
    assert client.get(f"/api/v1/cases/{case.pk}/notes").status_code == 403
    assert client.get(f"/api/v1/cases/{case.pk}/referrals").status_code == 403


def test_referral_pages_accept_and_decline(client, to_employer, employer, rival_employer):
    client.force_login(rival_employer)
    assert client.post(f"/referrals/{to_employer.pk}/accept/").status_code == 404
    client.force_login(employer)
    response = client.post(f"/referrals/{to_employer.pk}/decline/", {"reason": ""})
    assert response.status_code == 302
    to_employer.refresh_from_db()
    assert to_employer.status == Referral.Status.PENDING
    assert client.post(f"/referrals/{to_employer.pk}/accept/").status_code == 302
    to_employer.refresh_from_db()
    assert to_employer.status == Referral.Status.ACCEPTED


def test_referral_api_create_list_accept_decline(
    client, case, coordinator, moscow_veteran, employer, centre_staff
):
    client.force_login(coordinator)
    url = f"/api/v1/cases/{case.pk}/referrals"
    refused = client.post(
        url,
        {"receiver_id": employer.organisation_id, "purpose": "Водитель"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "consent"
    _give(coordinator, moscow_veteran, P.SHARE_EMPLOYERS)
    made = [
        client.post(
            url,
            {"receiver_id": receiver, "purpose": "Водитель"},
            content_type="application/json",
        )
        for receiver in (employer.organisation_id, centre_staff.organisation_id)
    ]
    assert [answer.status_code for answer in made] == [201, 201]
    first, second = (answer.json() for answer in made)
    assert first["consent_purpose"] == "share_employers"
    assert second["consent_purpose"] == "personal_data"
    assert len(client.get(url).json()) == 2
    client.force_login(employer)
    assert client.post(f"/api/v1/referrals/{first['id']}/accept").json()["status"] == "accepted"
    client.force_login(centre_staff)
    declined = client.post(
        f"/api/v1/referrals/{second['id']}/decline", {"reason": ""}, content_type="application/json"
    )
    assert declined.status_code == 422
    assert declined.json()["detail"][0]["field"] == "reason"
    declined = client.post(
        f"/api/v1/referrals/{second['id']}/decline",
        {"reason": "Не наш район"},
        content_type="application/json",
    )
    assert declined.json()["status"] == "declined"


def test_the_timeline_tells_the_referral(case, coordinator, to_employer, employer):
    referrals.answer(actor=employer, referral=to_employer, accept=False, reason="Закрыта")
    labels = [entry.label for entry in casefile.timeline(coordinator, case)]
    assert "Referred to another organisation" in labels
    assert "Referral declined" in labels


# --- transfers ------------------------------------------------------------------------------


def test_a_transfer_within_the_branch(case, coordinator, moscow_branch, moscow_veteran):
    colleague = make_user("coordinator", moscow_branch)
    task = services.add_task(
        actor=coordinator,
        case=case,
        task_type=TaskType.objects.get(code="plan"),
        title="План",
        assignee=coordinator,
    )
    moved = referrals.transfer(actor=coordinator, case=case, coordinator=colleague)
    assert moved.coordinator == colleague
    assert moved.region_id == "77"
    assert Veteran.objects.get(pk=moscow_veteran.pk).coordinator == colleague
    assert Task.objects.get(pk=task.pk).assignee == colleague
    event = AuditEvent.objects.get(action="cases.case.transfer")
    assert event.changes == {"coordinator": [coordinator.pk, colleague.pk]}


def test_a_transfer_to_another_region_moves_the_case_and_the_record(
    case, coordinator, other_coordinator, sverdlovsk_branch, moscow_veteran
):
    moved = referrals.transfer(actor=coordinator, case=case, coordinator=other_coordinator)
    assert (moved.region_id, moved.organisation, moved.coordinator) == (
        "66",
        sverdlovsk_branch,
        other_coordinator,
    )
    veteran = Veteran.objects.get(pk=moscow_veteran.pk)
    assert (veteran.region_id, veteran.branch, veteran.coordinator) == (
        "66",
        sverdlovsk_branch,
        other_coordinator,
    )
    assert access.may_manage(User.objects.get(pk=other_coordinator.pk), moved)
    changes = AuditEvent.objects.get(action="cases.case.transfer").changes
    assert changes["region"] == ["77", "66"]
    assert AuditEvent.objects.filter(
        action="people.veteran.update", veteran_id=veteran.pk, changes__has_key="region"
    ).exists()


def test_transfer_rules(case, coordinator, other_coordinator, operator, moscow_branch):
    moscow = Region.objects.get(code="77")
    with pytest.raises(PermissionDenied):
        referrals.transfer(actor=other_coordinator, case=case, coordinator=other_coordinator)
    cases = [
        ({"coordinator": operator}, "coordinator"),  # cannot manage cases
        ({"coordinator": coordinator}, "coordinator"),  # already theirs
        ({"coordinator": other_coordinator, "region": moscow}, "region"),  # works elsewhere
        ({"coordinator": None}, "coordinator"),
    ]
    for values, field in cases:
        with pytest.raises(ValidationError) as caught:
            referrals.transfer(actor=coordinator, case=case, **values)
        assert field in caught.value.message_dict, values
    leaver = make_user("coordinator", moscow_branch, is_active=False)
    with pytest.raises(ValidationError):
        referrals.transfer(actor=coordinator, case=case, coordinator=leaver)
    # Holds the permissions but sees no veteran: could not manage the case, and nothing moves.
    blind = with_permission(
        make_user("commander", moscow_branch), "cases.manage_cases", "people.change_veteran"
    )
    with pytest.raises(ValidationError) as caught:
        referrals.transfer(actor=coordinator, case=case, coordinator=blind)
    assert "could not manage" in caught.value.message_dict["coordinator"][0]
    case.refresh_from_db()
    assert case.coordinator == coordinator
    assert Veteran.objects.get(pk=case.veteran_id).coordinator == coordinator


def test_transfer_page_and_api(client, case, coordinator, moscow_branch, other_coordinator):
    colleague = make_user("coordinator", moscow_branch)
    client.force_login(coordinator)
    assert client.get(f"/cases/{case.pk}/transfer/").status_code == 200
    response = client.post(f"/cases/{case.pk}/transfer/", {"coordinator": colleague.pk})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).coordinator == colleague
    answer = client.post(
        f"/api/v1/cases/{case.pk}/transfer",
        {"coordinator_id": other_coordinator.pk, "region": "66"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["region"] == "66"
    # The Moscow coordinator no longer sees the case that moved to Sverdlovsk.
    assert client.get(f"/cases/{case.pk}/transfer/").status_code == 404


# --- caseload hand-over ----------------------------------------------------------------------


def test_the_reassignment_page_previews_then_moves(client, admin, coordinator, moscow_branch):
    successor = make_user("coordinator", moscow_branch)
    for _ in range(2):
        services.open_case(actor=coordinator, veteran=make_veteran(coordinator=coordinator))
    client.force_login(admin)
    assert client.get("/cases/reassign/").status_code == 200
    preview = client.get(f"/cases/reassign/?source={coordinator.pk}&target={successor.pk}")
    assert "2 open cases and 0 open tasks will move" in preview.content.decode()
    assert Case.objects.filter(coordinator=coordinator).count() == 2  # nothing moved yet
    done = client.post("/cases/reassign/", {"source": coordinator.pk, "target": successor.pk})
    assert done.status_code == 302
    assert Case.objects.filter(coordinator=successor).count() == 2
    assert AuditEvent.objects.filter(action="cases.case.reassign").count() == 2


def test_a_branch_supervisor_hands_over_only_their_branchs_caseloads(
    client, moscow_branch, coordinator, other_coordinator, sverdlovsk_veteran
):
    services.open_case(actor=other_coordinator, veteran=sverdlovsk_veteran)
    supervisor = with_permission(
        make_user("coordinator", moscow_branch, scope=User.Scope.ORGANISATION),
        "cases.supervise_cases",
    )
    client.force_login(supervisor)
    response = client.post(
        "/cases/reassign/", {"source": other_coordinator.pk, "target": coordinator.pk}
    )
    assert response.status_code == 200  # the form again: not a choice for this supervisor
    assert Case.objects.get(veteran=sverdlovsk_veteran).coordinator == other_coordinator
    client.force_login(coordinator)
    assert client.get("/cases/reassign/").status_code == 403
