"""The duplicate check searches the whole country: every check is audited and rationed."""

from datetime import date

from django.urls import reverse

from waypoint.audit.models import AuditEvent
from waypoint.people import registration

API = "/api/v1/veterans/duplicates"


def test_each_check_is_audited_on_the_asker_and_on_each_record_it_matched(
    client, coordinator, sverdlovsk_veteran
):
    client.force_login(coordinator)
    answer = client.get(API, {"phone": sverdlovsk_veteran.phone}).json()
    assert answer == {"visible": [], "hidden": 1}  # routed to its keeper, never shown
    check = AuditEvent.objects.get(action=registration.DUPLICATE_CHECK)
    assert (check.actor, check.subject_id) == (coordinator, str(coordinator.pk))
    assert check.changes == {"by": [None, ["phone"]], "matches": [None, 1], "hidden": [None, 1]}
    match = AuditEvent.objects.get(action="people.veteran.duplicate_match")
    assert match.veteran_id == sverdlovsk_veteran.pk
    assert match.changes["shown"] == [None, False]


def test_a_check_with_nothing_to_search_on_is_not_counted(client, coordinator):
    client.force_login(coordinator)
    assert client.get(API, {"last_name": "Петров"}).json() == {"visible": [], "hidden": 0}
    assert not AuditEvent.objects.filter(action=registration.DUPLICATE_CHECK).exists()


def test_checks_are_limited_per_person_and_hour(client, coordinator, operator, settings):
    settings.WAYPOINT_DUPLICATE_CHECKS_PER_HOUR = 3
    client.force_login(coordinator)
    for number in range(3):
        assert client.get(API, {"phone": f"+7916555000{number}"}).status_code == 200
    refused = client.get(API, {"phone": "+79165550009"})
    assert refused.status_code == 429
    assert "at most 3 an hour" in refused.json()["detail"]
    page = client.get(reverse("people:duplicate_check"), {"phone": "+79165550009"})
    assert "at most 3 an hour" in page.content.decode()
    assert AuditEvent.objects.filter(action=registration.DUPLICATE_CHECK).count() == 3
    client.force_login(operator)  # another person's allowance is their own
    assert client.get(API, {"phone": "+79165550009"}).status_code == 200


def test_intake_refused_as_a_duplicate_keeps_the_checks_audit(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    response = client.post(
        reverse("people:intake"),
        {
            "last_name": "Новиков",
            "first_name": "Олег",
            "birth_date": date(1985, 1, 2).isoformat(),
            "sex": "m",
            "phone": moscow_veteran.phone,
            "region": "77",
            "consent_personal_data": "on",
            "consent_channel": "in_person",
        },
    )
    assert response.context["duplicate_suspected"]
    assert AuditEvent.objects.filter(
        action="people.veteran.duplicate_match", veteran_id=moscow_veteran.pk
    ).exists()
