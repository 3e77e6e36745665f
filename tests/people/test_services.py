from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tests.conftest import make_veteran
from waypoint.audit.models import AuditEvent
from waypoint.people import registration as intake
from waypoint.people import services
from waypoint.people.models import Consent, Veteran, WorkLimitation


def registration(**overrides) -> intake.Registration:
    values = {
        "last_name": "Соколов",
        "first_name": "Андрей",
        "patronymic": "Викторович",
        "birth_date": date(1985, 3, 9),
        "sex": "m",
        "phone": "8 (912) 345-67-89",
        "region": "77",
        "consents": [intake.ConsentGiven("personal_data", "in_person")],
    }
    values.update(overrides)
    return intake.Registration(**values)


def test_register_normalises_and_transliterates(coordinator):
    veteran = intake.register_veteran(
        actor=coordinator, registration=registration(), channel="coordinator"
    )
    assert veteran.phone == "+79123456789"
    assert (veteran.last_name_latin, veteran.first_name_latin) == ("Sokolov", "Andrei")
    assert veteran.coordinator == coordinator
    assert veteran.branch == coordinator.organisation
    actions = list(
        AuditEvent.objects.filter(veteran_id=veteran.pk).values_list("action", flat=True)
    )
    assert sorted(actions) == ["people.consent.give", "people.veteran.create"]


def test_register_refuses_without_personal_data_consent(coordinator):
    with pytest.raises(ValidationError) as caught:
        intake.register_veteran(
            actor=coordinator, registration=registration(consents=[]), channel="coordinator"
        )
    assert "consent" in caught.value.message_dict
    assert not Veteran.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("birth_date", date(2090, 1, 1)),
        ("phone", "12"),
        ("region", "99"),
        ("last_name", "Sm1th"),
    ],
)
def test_register_names_the_bad_field(coordinator, field, value):
    with pytest.raises(ValidationError) as caught:
        intake.register_veteran(
            actor=coordinator, registration=registration(**{field: value}), channel="coordinator"
        )
    assert field in caught.value.message_dict
    assert not Veteran.objects.exists()
    assert not AuditEvent.objects.exists()


def test_duplicate_by_phone_is_refused_unless_confirmed(coordinator, moscow_veteran):
    with pytest.raises(intake.DuplicateSuspected) as caught:
        intake.register_veteran(
            actor=coordinator,
            registration=registration(phone=moscow_veteran.phone),
            channel="coordinator",
        )
    assert caught.value.check.visible == [moscow_veteran]
    intake.register_veteran(
        actor=coordinator,
        registration=registration(phone=moscow_veteran.phone),
        channel="coordinator",
        confirm_not_duplicate=True,
    )
    assert Veteran.objects.count() == 2


def test_roles_without_add_permission_cannot_register(provider):
    with pytest.raises(PermissionDenied):
        intake.register_veteran(actor=provider, registration=registration(), channel="coordinator")


def test_service_cannot_end_before_it_starts(coordinator, moscow_veteran):
    with pytest.raises(ValidationError) as caught:
        services.save_part(
            actor=coordinator,
            veteran=moscow_veteran,
            kind="service",
            values={
                "branch": "ground",
                "specialty": "механик-водитель",
                "rank": "sergeant",
                "start_date": date(2015, 1, 1),
                "end_date": date(2014, 1, 1),
            },
        )
    assert "end_date" in caught.value.message_dict


def test_other_region_coordinator_gets_404(other_coordinator, moscow_veteran):
    with pytest.raises(Http404):
        services.update_veteran(
            actor=other_coordinator, veteran=moscow_veteran, changes={"address": "x"}
        )


def test_work_limitation_needs_health_consent_and_redacts_audit(coordinator, moscow_veteran):
    values = {"disability_group": "3", "restrictions": ["no_heavy_lifting"]}
    with pytest.raises(ValidationError) as caught:
        services.set_work_limitation(actor=coordinator, veteran=moscow_veteran, values=values)
    assert "consent" in caught.value.message_dict
    services.give_consent(
        actor=coordinator, veteran=moscow_veteran, purpose="health_data", channel="in_person"
    )
    services.set_work_limitation(actor=coordinator, veteran=moscow_veteran, values=values)
    event = AuditEvent.objects.get(action="people.worklimitation.save")
    assert event.changes["disability_group"] == ["[redacted]", "[redacted]"]
    services.withdraw_consent(actor=coordinator, veteran=moscow_veteran, purpose="health_data")
    assert not WorkLimitation.objects.filter(veteran=moscow_veteran).exists()


def test_withdrawn_personal_data_consent_closes_the_record(coordinator):
    veteran = make_veteran(coordinator=coordinator)
    services.withdraw_consent(actor=coordinator, veteran=veteran, purpose="personal_data")
    veteran.refresh_from_db()
    assert veteran.status == Veteran.Status.CLOSED
    with pytest.raises(ValidationError):
        services.update_veteran(actor=coordinator, veteran=veteran, changes={"address": "x"})
    assert Consent.objects.get(veteran=veteran).withdrawn_by == coordinator
