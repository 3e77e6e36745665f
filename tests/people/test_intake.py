import pytest
from django.urls import reverse

from waypoint.audit.models import AuditEvent
from waypoint.people.models import Consent, ServiceRecord, Veteran

URL = "people:intake"


def form_data(**overrides):
    data = {
        "last_name": "Соколов",
        "first_name": "Андрей",
        "patronymic": "Викторович",
        "birth_date": "1985-03-09",
        "sex": "m",
        "phone": "8 912 345-67-89",
        "region": "77",
        "consent_personal_data": "on",
        "consent_channel": "in_person",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_intake_registers_with_consent_and_audit(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse(URL),
        form_data(
            **{
                "service-branch": "ground",
                "service-specialty": "командир отделения",
                "service-rank": "sergeant",
                "service-start_date": "2016-01-10",
                "service-end_date": "2024-02-01",
                "consent_health_data": "on",
            }
        ),
    )
    veteran = Veteran.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("people:veteran_detail", args=[veteran.pk])
    assert veteran.phone == "+79123456789"
    assert set(Consent.objects.values_list("purpose", flat=True)) == {
        "personal_data",
        "health_data",
    }
    assert ServiceRecord.objects.get().specialty == "командир отделения"
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == [
        "people.consent.give",
        "people.consent.give",
        "people.servicerecord.create",
        "people.veteran.create",
        "people.veteran.duplicate_check",
    ]


def test_call_centre_intake_is_a_phone_intake(client, operator):
    client.force_login(operator)
    page = client.get(reverse(URL))
    assert page.context["form"].initial["consent_channel"] == "phone"
    client.post(reverse(URL), form_data(consent_channel="phone"))
    veteran = Veteran.objects.get()
    assert (veteran.intake_channel, veteran.coordinator) == ("phone", None)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"last_name": None}, "last_name"),
        ({"birth_date": "2099-01-01"}, "birth_date"),
        ({"birth_date": "31.02.1990"}, "birth_date"),
        ({"region": "99"}, "region"),
        ({"phone": "12-34"}, "phone"),
        ({"email": "not-an-address"}, "email"),
        ({"consent_personal_data": None}, "consent_personal_data"),
        ({"driving_licences": "B, Z"}, "driving_licences"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(client, coordinator, overrides, field):
    client.force_login(coordinator)
    response = client.post(reverse(URL), form_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert not Veteran.objects.exists()
    assert not AuditEvent.objects.exists()


def test_service_ending_before_start_writes_nothing(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse(URL),
        form_data(
            **{
                "service-branch": "ground",
                "service-specialty": "сапёр",
                "service-rank": "private",
                "service-start_date": "2016-01-10",
                "service-end_date": "2015-01-01",
            }
        ),
    )
    assert response.status_code == 200
    assert "end_date" in response.context["service_form"].errors
    assert not Veteran.objects.exists()
    assert not AuditEvent.objects.exists()


def test_duplicate_in_scope_offers_the_existing_record(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    response = client.post(reverse(URL), form_data(phone=moscow_veteran.phone))
    page = response.content.decode()
    assert "Open the existing record" in page
    assert reverse("people:veteran_detail", args=[moscow_veteran.pk]) in page
    assert Veteran.objects.count() == 1


def test_duplicate_outside_scope_reveals_nothing(client, coordinator, sverdlovsk_veteran):
    client.force_login(coordinator)
    response = client.post(reverse(URL), form_data(phone=sverdlovsk_veteran.phone))
    page = response.content.decode()
    assert "outside your scope" in page
    assert "Попов" not in page
    assert Veteran.objects.count() == 1


def test_confirmed_different_person_is_registered(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    client.post(reverse(URL), form_data(phone=moscow_veteran.phone, confirm_not_duplicate="on"))
    assert Veteran.objects.count() == 2


def test_intake_forbidden_without_permission(client, counsellor):
    client.force_login(counsellor)
    assert client.get(reverse(URL)).status_code == 403
    assert client.post(reverse(URL), form_data()).status_code == 403
    assert not Veteran.objects.exists()
