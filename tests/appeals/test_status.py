"""The caller's status check: public, reveals only the status and the date due, the same
answer for a wrong reference or a wrong phone, throttled per client address."""

import json
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.appeals.test_logging import log
from waypoint.appeals import services
from waypoint.appeals.models import Appeal, StatusCheckFailure
from waypoint.audit.models import AuditEvent

API = "/api/v1/appeals/status"


@pytest.fixture
def appeal(operator, moscow_veteran, moscow_branch) -> Appeal:
    return log(
        operator,
        veteran=moscow_veteran,
        caller_kind="family",
        caller_name="Кузнецова Ольга",
        caller_phone="+7 903 765-43-21",
        description="Когда выплатят компенсацию за лечение?",
        topic="payments",
    )


def check(client, reference: str, phone: str, method: str = "get"):
    if method == "get":
        return client.get(API, {"reference": reference, "phone": phone})
    return client.post(
        API, json.dumps({"reference": reference, "phone": phone}), content_type="application/json"
    )


@pytest.mark.parametrize("method", ["get", "post"])
def test_reference_and_phone_give_the_status_and_date_due_only(client, appeal, method):
    response = check(client, appeal.reference.lower(), "8 903 765 43 21", method)
    assert response.status_code == 200
    local_due = appeal.due_at.astimezone(ZoneInfo("Europe/Moscow")).date()
    assert response.json() == {
        "found": True,
        "status": "registered",
        "due_date": local_due.isoformat(),
    }
    event = AuditEvent.objects.get(action="appeals.appeal.status_check")
    assert event.actor is None
    assert event.subject_id == str(appeal.pk)


def test_a_wrong_phone_and_a_wrong_reference_look_the_same(client, appeal):
    wrong_phone = check(client, appeal.reference, "+79030000000")
    next_reference = appeal.reference[:-1] + str(int(appeal.reference[-1]) + 1)
    wrong_reference = check(client, next_reference, appeal.caller_phone)
    assert wrong_phone.status_code == wrong_reference.status_code == 200
    assert wrong_phone.content == wrong_reference.content
    assert wrong_phone.json() == {"found": False, "status": None, "due_date": None}
    assert StatusCheckFailure.objects.count() == 2


def test_the_page_says_nothing_else(client, appeal):
    page = client.post(
        reverse("appeals:status"), {"reference": appeal.reference, "phone": appeal.caller_phone}
    )
    content = page.content.decode()
    assert "registered" in content
    for secret in (
        appeal.description,
        appeal.caller_name,
        appeal.organisation.name,
        appeal.veteran.last_name,
        appeal.get_topic_display(),
    ):
        assert secret not in content

    def answer_of(response) -> str:
        text = response.content.decode()
        return text[text.index('id="answer"') : text.index("</div>", text.index('id="answer"'))]

    wrong_phone = client.get(
        reverse("appeals:status"), {"reference": appeal.reference, "phone": "+79030000000"}
    )
    wrong_reference = client.get(
        reverse("appeals:status"), {"reference": "A-2000-000009", "phone": appeal.caller_phone}
    )
    assert answer_of(wrong_phone) == answer_of(wrong_reference)
    assert "No appeal matches" in answer_of(wrong_phone)


def test_the_answer_follows_the_appeal(client, appeal, coordinator):
    services.answer(actor=coordinator, appeal=appeal, outcome_kind="explained", outcome="Ответ.")
    data = check(client, appeal.reference, appeal.caller_phone).json()
    assert data["status"] == "answered"
    assert "Ответ" not in json.dumps(data)


def test_guessing_is_throttled_per_address(client, appeal):
    for n in range(services.CHECK_LIMIT):
        assert check(client, f"A-2000-{n:06d}", appeal.caller_phone).status_code == 200
    assert check(client, appeal.reference, appeal.caller_phone).status_code == 429
    page = client.get(
        reverse("appeals:status"), {"reference": appeal.reference, "phone": appeal.caller_phone}
    )
    assert page.status_code == 429
    assert "registered" not in page.content.decode()
    other = check(client, appeal.reference, appeal.caller_phone, "post")
    assert other.status_code == 429
    elsewhere = client.get(
        API, {"reference": appeal.reference, "phone": appeal.caller_phone}, REMOTE_ADDR="10.0.0.9"
    )
    assert elsewhere.json()["found"] is True


def test_successful_checks_do_not_count(client, appeal):
    for _ in range(services.CHECK_LIMIT + 2):
        assert check(client, appeal.reference, appeal.caller_phone).json()["found"] is True


@pytest.mark.parametrize(
    ("reference", "phone", "field"),
    [("12345", "+79031112233", "reference"), ("A-2026-000001", "12", "phone")],
)
def test_malformed_input_is_422_naming_the_field(client, reference, phone, field):
    response = check(client, reference, phone)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field
    page = client.get(reverse("appeals:status"), {"reference": reference, "phone": phone})
    assert page.status_code == 200
    assert 'class="error"' in page.content.decode()


def test_the_empty_form_is_public(client):
    page = client.get(reverse("appeals:status"))
    assert page.status_code == 200
    assert 'id="answer"' not in page.content.decode()
