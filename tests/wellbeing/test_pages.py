"""Pages, commands and need-to-know beyond the permission matrix: what coordinators,
commanders and administrators can reach (facts only; notices only; configuration only),
the person's own page, the timeline, and the instrument files an organisation adds."""

import json
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.conftest import make_organisation, make_user, make_veteran
from tests.wellbeing.world import consent
from waypoint.accounts.models import Organisation
from waypoint.cases import services as cases
from waypoint.cases.casefile import timeline
from waypoint.wellbeing import facts, instruments, services
from waypoint.wellbeing.models import CareTeam, Response, Screening


@pytest.fixture
def person(veteran_user, coordinator, clinician, commander):
    CareTeam.objects.create(organisation=clinician.organisation, on_duty=clinician)
    veteran = make_veteran(account=veteran_user, coordinator=coordinator)
    consent(veteran, veteran_user)
    record = services.open_record(actor=veteran_user, veteran=veteran)
    screening = record.screenings.get()
    services.submit_response(
        actor=veteran_user, screening=screening, instrument_id="phq2", answers=[3, 3]
    )
    services.submit_response(
        actor=veteran_user,
        screening=screening,
        instrument_id="phq9",
        answers=[3, 3, 3, 2, 2, 2, 2, 1, 1],
    )
    services.enrol(
        actor=clinician, record=record, programme="lighter_duty", starts_on=timezone.localdate()
    )
    services.notify_command(
        actor=clinician,
        record=record,
        command=commander.organisation,
        standard="harm_to_self",
        limitations=["no_weapons", "no_night_duty"],
        until=timezone.localdate() + timedelta(days=45),
        support="Регулярные беседы, без ночных нарядов",
    )
    return veteran


SECRETS = ("PHQ", "19", "harm to self", "urgent", "Safety", "tier")


def test_the_coordinator_sees_derived_facts_only(client, person, coordinator):
    client.force_login(coordinator)
    page = client.get(f"/veterans/{person.pk}/").content.decode()
    assert "enrolled in a support programme" in page
    assert "well-being screening due" in page  # the screening is still in progress
    for secret in ("PHQ", "harm to self", "lighter duty", "urgent", "Safety flag"):
        assert secret not in page
    assert client.get(f"/wellbeing/veterans/{person.pk}/").status_code == 403


def test_the_case_timeline_shows_no_wellbeing_event(person, coordinator):
    case = cases.open_case(actor=coordinator, veteran=person)
    case.opened_at = timezone.now() - timedelta(days=1)
    case.save()
    labels = " ".join(f"{entry.label} {entry.detail}" for entry in timeline(coordinator, case))
    assert "well-being" not in labels.lower()
    assert "screening" not in labels.lower()


def test_the_commander_reads_limitations_never_the_standard_or_scores(client, person, commander):
    client.force_login(commander)
    page = client.get("/command/notices/").content.decode()
    assert "no access to weapons or ammunition" in page
    assert "Регулярные беседы" in page
    # At phone width each cell of the card names its column (the dates are otherwise two
    # unlabelled dates: until when, and since when).
    assert 'data-label="Until"' in page
    # What the commander reads: the text, not the tokens in attributes (a CSRF token or a
    # nonce may well hold "19").
    text = re.sub(r"<[^>]*>", " ", page)
    for secret in SECRETS:
        assert not re.search(rf"\b{secret}\b", text), secret
    api = client.get("/api/v1/wellbeing/command-notices").json()
    assert set(api[0]) == {
        "id",
        "veteran_id",
        "veteran_name",
        "limitations",
        "until",
        "support",
        "issued_at",
    }
    assert client.get(f"/api/v1/wellbeing/veterans/{person.pk}").status_code == 404


def test_the_person_sees_scores_and_what_was_disclosed(client, person, veteran_user):
    client.force_login(veteran_user)
    page = client.get("/me/wellbeing/").content.decode()
    assert "What was disclosed to my command" in page
    assert "no night or extended shifts" in page
    assert "19 of 27: moderately severe" in page
    # The instrument's code may name an element (id="chart-phq9"), never what a person reads.
    assert "phq9" not in re.sub(r"<[^>]*>", " ", page)
    assert client.get(f"/api/v1/wellbeing/veterans/{person.pk}").status_code == 200


def test_the_person_reads_their_answers_and_scores_but_not_the_triage(
    client, person, veteran_user, clinician
):
    """Page and API agree: the tier and the rules that fired order the clinicians' queue."""
    client.force_login(veteran_user)
    own = client.get(f"/api/v1/wellbeing/veterans/{person.pk}").json()
    answered = [s for s in own["screenings"] if s["responses"]]
    assert answered
    assert {(s["tier"], s["fired_rules"]) for s in own["screenings"]} == {(None, None)}
    assert answered[0]["responses"][0]["answers"]
    client.force_login(clinician)
    care = client.get(f"/api/v1/wellbeing/veterans/{person.pk}").json()
    assert {s["tier"] for s in care["screenings"] if s["responses"]} - {None, ""}


def test_the_commanders_home_page_and_api_share_one_projection(client, person, commander):
    client.force_login(commander)
    api = client.get("/api/v1/wellbeing/command-notices").json()
    home = facts.duties_in_force(commander)
    assert [(n["id"], n["limitations"], n["support"]) for n in home] == [
        (n["id"], n["limitations"], n["support"]) for n in api
    ]
    assert set(home[0]) == set(api[0])
    page = client.get("/").content.decode()
    assert "; ".join(api[0]["limitations"]) in page


def test_the_admin_holds_configuration_only():
    registered = {model._meta.label for model in admin.site._registry}
    assert {"wellbeing.CareTeam", "wellbeing.RiskRule"} <= registered
    assert (
        not {
            "wellbeing.Response",
            "wellbeing.Screening",
            "wellbeing.Review",
            "wellbeing.Record",
            "wellbeing.CommandNotice",
            "wellbeing.Alert",
            "wellbeing.Enrolment",
        }
        & registered
    )


def test_an_urgent_alert_shows_on_the_clinicians_page(client, person, clinician):
    client.force_login(clinician)
    page = client.get("/wellbeing/").content.decode()
    assert "Safety flag" in page
    assert person.last_name in page


def test_the_answer_form_refuses_a_missing_screening_and_completes(client, person, veteran_user):
    client.force_login(veteran_user)
    assert client.get("/wellbeing/screenings/999999/answer/").status_code == 404
    screening = Screening.objects.get(record__veteran=person, occasion="annual")
    response = client.post(
        f"/wellbeing/screenings/{screening.pk}/answer/", {"item_1": "0", "item_2": "0"}
    )
    assert response.status_code == 302
    assert Response.objects.filter(instrument="gad2").count() == 1


def test_export_and_import_a_questionnaire(tmp_path, monkeypatch):
    monkeypatch.setenv("WAYPOINT_INSTRUMENTS_DIR", str(tmp_path / "instruments"))
    out = tmp_path / "phq9.json"
    call_command("wellbeing", "export-questionnaire", "phq9", "--output", str(out))
    data = json.loads(out.read_text())
    assert data["resourceType"] == "Questionnaire"
    with pytest.raises(CommandError, match="already defined"):
        call_command("wellbeing", "import-questionnaire", str(out))
    definition = next(
        e for e in data["extension"] if e["url"] == "urn:waypoint:fhir:instrument-definition"
    )
    changed = json.loads(definition["valueString"])
    changed["id"], changed["name"] = "phq9local", "PHQ-9 (local)"
    definition["valueString"] = json.dumps(changed, ensure_ascii=False)
    data["id"] = "phq9local"
    out.write_text(json.dumps(data, ensure_ascii=False))
    call_command("wellbeing", "import-questionnaire", str(out), stdout=StringIO())
    assert instruments.get("phq9local").name == "PHQ-9 (local)"
    listing = StringIO()
    call_command("wellbeing", "instruments", stdout=listing)
    assert "phq9local" in listing.getvalue()


def test_a_bad_organisation_instrument_is_refused_naming_file_field_and_rule(tmp_path, monkeypatch):
    directory = tmp_path / "instruments"
    directory.mkdir()
    monkeypatch.setenv("WAYPOINT_INSTRUMENTS_DIR", str(directory))
    definition = instruments.get("gad2").as_definition()
    definition["id"] = "isi"
    definition["scoring"] = {
        **definition["scoring"],
        "bands": [{"name": "none", "min": 0, "max": 7}, {"name": "mild", "min": 9, "max": 14}],
    }
    (directory / "isi.json").write_text(json.dumps(definition))
    with pytest.raises(instruments.InstrumentError, match=r"^isi.json: scoring.bands\[1\].min"):
        instruments.all_instruments()
    with pytest.raises(CommandError, match="bands must be contiguous"):
        call_command("wellbeing", "instruments", stdout=StringIO())


def test_the_management_command_scores_like_the_cli():
    out = StringIO()
    call_command("wellbeing", "score", "gad7", "--answers", "3,3,3,3,3,0,0", "--json", stdout=out)
    assert json.loads(out.getvalue())["band"] == "severe"
    with pytest.raises(CommandError) as error:
        call_command("wellbeing", "score", "gad7", "--answers", "3,3", stdout=StringIO())
    assert error.value.returncode == 2


def test_the_record_keeper_reads_every_record_even_after_withdrawal(client, person, veteran_user):
    from waypoint.people import services as people

    keeper = make_user("clinical_record_keeper", make_organisation(kind=Organisation.Kind.CLINIC))
    people.withdraw_consent(actor=veteran_user, veteran=person, purpose="wellbeing")
    client.force_login(keeper)
    listing = client.get("/wellbeing/records/?q=" + person.last_name[:3]).content.decode()
    assert "withdrawn" in listing
    page = client.get(f"/wellbeing/records/{person.pk}/").content.decode()
    assert "PHQ-9: 19" in page
    assert client.get("/wellbeing/").status_code == 403  # no care work, records only


def test_wellbeing_events_are_hidden_from_the_audit_log_except_for_auditors(
    client, person, admin, auditor
):
    from waypoint.audit.access import events_visible_to
    from waypoint.audit.models import AuditEvent

    assert AuditEvent.objects.filter(subject_type__startswith="wellbeing.").exists()
    admin.is_superuser = True
    admin.save()
    assert not events_visible_to(admin).filter(subject_type__startswith="wellbeing.").exists()
    assert events_visible_to(auditor).filter(subject_type__startswith="wellbeing.").exists()
    client.force_login(admin)
    # The sidebar may list the well-being configuration; the events themselves must not show.
    listing = client.get("/admin/audit/auditevent/").content.decode()
    assert "wellbeing." not in listing.split('id="result_list"', 1)[-1]
    assert "wellbeing.record" not in listing


def test_a_superuser_configures_care_teams_but_reads_no_record(client, person, admin):
    admin.is_superuser = True
    admin.save()
    assert admin.has_perm("wellbeing.configure_wellbeing")
    from waypoint.accounts.models import RELATION_PERMISSIONS

    for relation in RELATION_PERMISSIONS:
        assert not admin.has_perm(relation)
    client.force_login(admin)
    assert client.get("/admin/wellbeing/careteam/").status_code == 200
    assert client.get("/wellbeing/").status_code == 403
    assert client.get(f"/api/v1/wellbeing/veterans/{person.pk}").status_code == 404


def test_a_commander_without_a_unit_reads_no_notices_on_either_route(client, person):
    """The page answered an empty list and the API 403; both now refuse."""
    client.force_login(make_user("commander"))
    assert client.get("/command/notices/").status_code == 403
    assert client.get("/api/v1/wellbeing/command-notices").status_code == 403
