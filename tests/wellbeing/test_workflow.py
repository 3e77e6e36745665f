"""The screening workflow: consent, schedule, the two-stage battery, tiers and fired rules,
urgent alerts and their escalation, immutable responses and corrections, reviews,
programmes with follow-ups, command notices, sealing at rest and key rotation."""

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from tests.conftest import make_organisation, make_user, make_veteran
from tests.wellbeing.world import consent
from waypoint.accounts.models import Organisation
from waypoint.audit.models import AuditEvent
from waypoint.people import services as people
from waypoint.people.models import Consent
from waypoint.shared.models import Notification
from waypoint.wellbeing import facts, keys, selectors, services
from waypoint.wellbeing.access import records_visible_to
from waypoint.wellbeing.models import Alert, CareTeam, Response, Screening

PHQ9_ITEM9 = [3, 2, 2, 2, 1, 1, 1, 0, 1]


@pytest.fixture
def team(clinician):
    return CareTeam.objects.create(
        organisation=clinician.organisation, on_duty=clinician, escalate_after_minutes=15
    )


@pytest.fixture
def lead(clinician):
    return make_user("clinician", clinician.organisation)


@pytest.fixture
def person(veteran_user, coordinator, clinician, team):
    veteran = make_veteran(account=veteran_user, coordinator=coordinator, sex="m")
    consent(veteran, veteran_user)
    return veteran


def _record(person, clinician, days_ago=10):
    return services.open_record(
        actor=clinician,
        veteran=person,
        returned_on=timezone.localdate() - timedelta(days=days_ago),
    )


def _post_deployment(record):
    return record.screenings.get(occasion=Screening.Occasion.POST_DEPLOYMENT)


def test_screening_needs_consent(clinician, team, coordinator):
    veteran = make_veteran(coordinator=coordinator)
    with pytest.raises(ValidationError) as error:
        services.open_record(actor=clinician, veteran=veteran)
    assert "consent" in error.value.message_dict


def test_schedule_after_return_from_deployment(person, clinician):
    record = _record(person, clinician, days_ago=10)
    today = timezone.localdate()
    returned = today - timedelta(days=10)
    due = {s.occasion: (s.due_on, s.window_closes_on) for s in record.screenings.all()}
    assert due == {
        "post_deployment": (returned, returned + timedelta(days=30)),
        "reassessment": (returned + timedelta(days=90), returned + timedelta(days=180)),
        "annual": (returned + timedelta(days=365), returned + timedelta(days=395)),
    }
    # the person and the clinician both see what is due today
    assert [s.occasion for s in selectors.due_screenings(person.account)] == ["post_deployment"]
    assert [s.occasion for s in selectors.due_screenings(clinician)] == ["post_deployment"]


def test_a_long_ago_return_skips_closed_windows(person, clinician):
    record = _record(person, clinician, days_ago=200)
    assert [s.occasion for s in record.screenings.all()] == ["annual"]


def test_two_stage_battery_brings_the_full_instrument_after_a_positive_screener(person, clinician):
    screening = _post_deployment(_record(person, clinician))
    assert screening.pending == ["phq2", "gad2", "pcptsd5", "auditc"]
    services.submit_response(
        actor=person.account, screening=screening, instrument_id="phq2", answers=[2, 1]
    )
    screening.refresh_from_db()
    assert screening.pending == ["phq9", "gad2", "pcptsd5", "auditc"]
    assert screening.status == "in_progress"
    for instrument, answers in [
        ("phq9", [2, 2, 1, 1, 1, 1, 1, 1, 0]),
        ("gad2", [0, 1]),  # negative: no GAD-7
        ("pcptsd5", [0, None, None, None, None, None]),
        ("auditc", [1, 1, 0]),
    ]:
        services.submit_response(
            actor=person.account, screening=screening, instrument_id=instrument, answers=answers
        )
    screening.refresh_from_db()
    assert screening.status == "completed"
    assert screening.pending == []
    assert screening.tier == "moderate"
    fired = {rule["name"] for rule in screening.fired_rules}
    assert "PHQ-9 moderate or above (10 or more)" in fired
    assert "Any positive screen" in fired
    assert not screening.alerts.exists()


def test_instruments_out_of_turn_or_wrong_answers_are_refused(person, clinician):
    screening = _post_deployment(_record(person, clinician))
    with pytest.raises(ValidationError) as error:
        services.submit_response(
            actor=clinician, screening=screening, instrument_id="pcl5", answers=[0] * 20
        )
    assert "instrument" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.submit_response(
            actor=clinician, screening=screening, instrument_id="phq2", answers=[4, 0]
        )
    assert "must be one of 0, 1, 2, 3" in error.value.message_dict["answers"][0]
    assert not Response.objects.exists()


def test_a_safety_flag_alerts_the_clinician_on_duty_and_escalates_once(
    person, clinician, lead, team
):
    team.lead = lead
    team.save()
    screening = _post_deployment(_record(person, clinician))
    services.submit_response(
        actor=clinician, screening=screening, instrument_id="phq2", answers=[3, 2]
    )
    services.submit_response(
        actor=clinician, screening=screening, instrument_id="phq9", answers=PHQ9_ITEM9
    )
    alert = Alert.objects.get()
    screening.refresh_from_db()
    assert screening.tier == "urgent"
    assert alert.assigned_to == clinician
    assert Notification.objects.filter(user=clinician, kind="wellbeing_alert").count() == 1
    assert alert.escalate_at == alert.raised_at + timedelta(minutes=15)
    assert services.escalate_alerts(alert.raised_at + timedelta(minutes=14)) == 0
    assert services.escalate_alerts(alert.raised_at + timedelta(minutes=15)) == 1
    alert.refresh_from_db()
    assert alert.escalated_to == lead
    assert Notification.objects.filter(user=lead, kind="wellbeing_escalation").count() == 1
    assert services.escalate_alerts(alert.raised_at + timedelta(hours=5)) == 0


def test_an_acknowledged_alert_does_not_escalate(person, clinician):
    screening = _post_deployment(_record(person, clinician))
    services.submit_response(
        actor=clinician, screening=screening, instrument_id="phq2", answers=[3, 3]
    )
    services.submit_response(
        actor=clinician, screening=screening, instrument_id="phq9", answers=PHQ9_ITEM9
    )
    alert = Alert.objects.get()
    services.acknowledge_alert(actor=clinician, alert=alert)
    assert services.escalate_alerts(timezone.now() + timedelta(days=1)) == 0


def test_responses_are_immutable_and_corrections_are_versions(person, clinician):
    screening = _post_deployment(_record(person, clinician))
    original = services.submit_response(
        actor=person.account, screening=screening, instrument_id="phq2", answers=[2, 2]
    )
    original.total = 0
    with pytest.raises(ValidationError):
        original.save()
    with pytest.raises(ValidationError):
        Response.objects.filter(pk=original.pk).update(total=0)
    with pytest.raises(ValidationError):
        original.delete()
    with pytest.raises(ValidationError) as error:
        services.correct_response(actor=clinician, response=original, answers=[0, 0], reason=" ")
    assert "reason" in error.value.message_dict
    corrected = services.correct_response(
        actor=clinician, response=original, answers=[0, 1], reason="Ошибка переноса с бланка"
    )
    original = Response.objects.get(pk=original.pk)
    assert (original.total, original.answers) == (4, [2, 2])
    assert (corrected.version, corrected.total, corrected.supersedes_id) == (2, 1, original.pk)
    assert corrected.correction_reason == "Ошибка переноса с бланка"
    with pytest.raises(ValidationError):
        services.correct_response(actor=clinician, response=original, answers=[1, 1], reason="x")
    with pytest.raises(PermissionDenied):
        services.correct_response(
            actor=person.account, response=corrected, answers=[1, 1], reason="x"
        )
    screening.refresh_from_db()
    assert screening.tier == "none"  # retiered on the corrected answers


def test_answers_and_notes_are_sealed_at_rest(person, clinician):
    screening = _post_deployment(_record(person, clinician))
    response = services.submit_response(
        actor=clinician, screening=screening, instrument_id="phq2", answers=[3, 2]
    )
    services.review(
        actor=clinician, screening=screening, outcome="support", notes="Бессонница", plan="Сон"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers_sealed FROM wellbeing_response WHERE id = %s", [response.pk])
        (raw,) = cursor.fetchone()
        cursor.execute("SELECT notes_sealed, plan_sealed FROM wellbeing_review")
        notes, plan = cursor.fetchone()
    assert "[3, 2]" not in raw
    assert "3" not in raw.split("gAAAA")[0]
    assert raw.startswith("gAAAA")  # a Fernet token
    assert "Бессонница" not in notes
    assert "Сон" not in plan
    assert Response.objects.get(pk=response.pk).answers == [3, 2]


def test_rotate_key_reseals_everything_with_the_newest_key(person, clinician, settings):
    screening = _post_deployment(_record(person, clinician))
    response = services.submit_response(
        actor=clinician, screening=screening, instrument_id="phq2", answers=[1, 2]
    )
    old_key = settings.WAYPOINT_DATA_KEYS[0]
    new_key = Fernet.generate_key().decode()
    before = Response.objects.get(pk=response.pk).answers_sealed
    with override_settings(WAYPOINT_DATA_KEYS=[new_key, old_key]):
        call_command("wellbeing", "rotate-key", stdout=open("/dev/null", "w"))  # noqa: SIM115
        after = Response.objects.get(pk=response.pk).answers_sealed
    assert after != before
    with override_settings(WAYPOINT_DATA_KEYS=[new_key]):
        assert Response.objects.get(pk=response.pk).answers == [1, 2]
        assert keys.rotate()["response"] == 1  # idempotent: rotating again changes nothing
        assert Response.objects.get(pk=response.pk).answers == [1, 2]
    rotations = AuditEvent.objects.filter(action="wellbeing.keys.rotate")
    assert rotations.count() == 2
    assert rotations.first().changes["response"] == [None, 1]


def test_withdrawing_consent_stops_screening_and_hides_the_record(person, clinician, db):
    record = _record(person, clinician)
    keeper = make_user("clinical_record_keeper", make_organisation(kind=Organisation.Kind.CLINIC))
    people.withdraw_consent(actor=person.account, veteran=person, purpose=Consent.Purpose.WELLBEING)
    assert not records_visible_to(clinician).exists()
    assert not records_visible_to(person.account).exists()
    assert records_visible_to(keeper).get() == record
    with pytest.raises(Http404):
        selectors.record_for(clinician, person.pk)
    assert facts.for_staff(person.pk) == []
    with pytest.raises(ValidationError):
        services.schedule_screening(actor=clinician, record=record, due_on=timezone.localdate())
    assert set(record.screenings.values_list("status", flat=True)) == {"cancelled"}


def test_enrolment_schedules_follow_ups_and_shows_as_a_derived_fact(person, clinician):
    record = _record(person, clinician)
    start = timezone.localdate()
    services.enrol(actor=clinician, record=record, programme="counselling", starts_on=start)
    follow_ups = record.screenings.filter(occasion="follow_up").order_by("due_on")
    assert [s.due_on for s in follow_ups] == [
        start + timedelta(days=30),
        start + timedelta(days=90),
    ]
    assert facts.for_staff(person.pk) == [
        "well-being screening due",
        "enrolled in a support programme",
    ]


def test_command_notice_carries_only_limitations_duration_and_support(person, clinician, commander):
    record = _record(person, clinician)
    unit = commander.organisation
    with pytest.raises(ValidationError) as error:
        services.notify_command(
            actor=clinician,
            record=record,
            command=clinician.organisation,
            standard="bogus",
            limitations=[],
            until=timezone.localdate() - timedelta(days=1),
            support="",
        )
    assert set(error.value.message_dict) == {
        "standard",
        "limitations",
        "until",
        "support",
        "command",
    }
    services.notify_command(
        actor=clinician,
        record=record,
        command=unit,
        standard="harm_to_self",
        limitations=["no_weapons"],
        until=timezone.localdate() + timedelta(days=30),
        support="Поддержать, не изолировать",
    )
    (notice,) = selectors.notices_for_command(commander)
    assert notice.limitation_labels() == ["no access to weapons or ammunition"]
    assert notice.support == "Поддержать, не изолировать"
    other = make_user("commander", make_organisation(kind=Organisation.Kind.DEFENCE_UNIT))
    assert selectors.notices_for_command(other) == []


def test_only_the_care_team_and_the_person_read_a_record(person, clinician, coordinator, admin):
    record = _record(person, clinician)
    other_clinic = make_user("clinician", make_organisation(kind=Organisation.Kind.CLINIC))
    assert records_visible_to(person.account).get() == record
    assert records_visible_to(clinician).get() == record
    for outsider in (coordinator, admin, other_clinic):
        assert not records_visible_to(outsider).exists()
    admin.is_superuser = True
    admin.save()
    assert not records_visible_to(admin).exists()


def test_every_read_is_audited(person, clinician):
    from waypoint.audit.models import AuditEvent

    _record(person, clinician)
    selectors.record_for(clinician, person.pk)
    event = AuditEvent.objects.filter(action="wellbeing.record.view").get()
    assert event.actor == clinician
    assert event.changes == {}


def test_the_person_is_the_same_for_reads_and_writes(person, clinician, coordinator):
    """Reads needed `people.self_service`, writes only the linked account: an account linked
    to a record without self-service (a staff account) neither reads nor answers now."""
    record = _record(person, clinician)
    screening = _post_deployment(record)
    services.submit_response(
        actor=person.account, screening=screening, instrument_id="phq2", answers=[0, 0]
    )
    staff = make_user("call_centre_operator")
    linked = make_veteran(account=staff, coordinator=coordinator)
    consent(linked, clinician)
    other = services.open_record(actor=clinician, veteran=linked)
    assert not records_visible_to(staff).filter(pk=other.pk).exists()
    with pytest.raises(PermissionDenied):
        services.submit_response(
            actor=staff,
            screening=other.screenings.first(),
            instrument_id="phq2",
            answers=[0, 0],
        )
