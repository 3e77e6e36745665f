"""Vocational orientation end to end on the bundled starter taxonomy."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from waypoint.audit.models import AuditEvent
from waypoint.orientation import services
from waypoint.orientation.models import Feedback, OrientationRun
from waypoint.people import services as people
from waypoint.people.models import WorkLimitation
from waypoint.taxonomy.models import Occupation

STARTER = "urn:waypoint:starter:occupation:"


def service(specialty: str) -> dict:
    return {
        "branch": "ground",
        "specialty": specialty,
        "rank": "sergeant",
        "start_date": date(2016, 3, 1),
        "end_date": date(2022, 3, 1),
    }


def top_isco(results, k: int = 5) -> list[str]:
    return [result.isco_group for result in results[:k]]


@pytest.mark.parametrize(
    ("specialty", "wanted"),
    [
        # driving and mobile machinery (83xx), vehicle and machinery mechanics (723x)
        ("механик-водитель БМП", ("83", "723")),
        ("водитель автомобиля, военный водитель", ("83", "723")),
        # telecom and network technicians, electronics (7422, 3512-3513, 7421)
        ("связист-телефонист", ("742", "351", "3522")),
        # health associate professionals and care workers (32xx, 53xx)
        ("санитарный инструктор", ("32", "53")),
    ],
)
def test_a_demo_style_veteran_gets_fitting_occupations(
    coordinator, moscow_veteran, specialty, wanted
):
    people.save_part(
        actor=coordinator, veteran=moscow_veteran, kind="service", values=service(specialty)
    )
    run = services.orient_veteran(actor=coordinator, veteran=moscow_veteran)
    groups = [item.occupation.isco_group for item in run.items.order_by("rank")[:5]]
    assert any(group.startswith(wanted) for group in groups), groups


def test_runs_are_stored_with_the_taxonomy_and_parameters(coordinator, moscow_veteran):
    people.save_part(
        actor=coordinator, veteran=moscow_veteran, kind="service", values=service("сапёр")
    )
    first = services.orient_veteran(actor=coordinator, veteran=moscow_veteran)
    second = services.orient_veteran(actor=coordinator, veteran=moscow_veteran)
    assert OrientationRun.objects.filter(veteran=moscow_veteran).count() == 2
    assert first.taxonomy_version.startswith("Waypoint starter taxonomy")
    assert first.parameters["transfer_cap"] == pytest.approx(0.5)
    assert first.parameters["sources"]["confirmed"] == 1.0
    item = first.items.first()
    assert item.rank == 1
    assert item.matched
    assert "terms" not in item.matched[0]
    assert sum(item.terms.values()) == pytest.approx(item.score, abs=1e-4)
    assert any("military specialty: сапёр" in s["sources"] for s in item.matched)
    assert second.created_at >= first.created_at


def test_rejected_occupations_are_not_recommended_again(coordinator, moscow_veteran):
    people.save_part(
        actor=coordinator, veteran=moscow_veteran, kind="service", values=service("сварщик")
    )
    first = services.orient_veteran(actor=coordinator, veteran=moscow_veteran).items.first()
    with pytest.raises(ValidationError) as error:
        services.give_feedback(
            actor=coordinator,
            veteran=moscow_veteran,
            occupation=first.occupation,
            decision="rejected",
        )
    assert "reason" in error.value.message_dict
    services.give_feedback(
        actor=coordinator,
        veteran=moscow_veteran,
        occupation=first.occupation,
        decision="rejected",
        reason="does not want to weld any more",
    )
    again = services.orient_veteran(actor=coordinator, veteran=moscow_veteran)
    assert first.occupation_id not in set(again.items.values_list("occupation_id", flat=True))


def test_an_occupation_added_by_hand_counts_as_a_preference(coordinator, moscow_veteran):
    chosen = Occupation.objects.get(uri=STARTER + "beekeeper")
    services.give_feedback(
        actor=coordinator, veteran=moscow_veteran, occupation=chosen, decision="added"
    )
    run = services.orient_veteran(actor=coordinator, veteran=moscow_veteran)
    item = run.items.get(occupation=chosen)
    assert item.terms["preference"] > 0


def test_a_work_limitation_rules_occupations_out(coordinator, moscow_veteran):
    people.save_part(
        actor=coordinator,
        veteran=moscow_veteran,
        kind="job",
        values={"title": "водитель грузовика", "start_year": 2010},
    )
    WorkLimitation.objects.create(
        veteran=moscow_veteran, restrictions=["no_driving"], recorded_by=coordinator
    )
    run = services.orient_veteran(actor=coordinator, veteran=moscow_veteran)
    groups = list(run.items.values_list("occupation__isco_group", flat=True))
    assert groups
    assert not any(group.startswith(("832", "833", "834")) for group in groups)


def test_a_confirmed_skill_is_credited_as_confirmed(coordinator, moscow_veteran):
    first_aid = people.save_part(
        actor=coordinator, veteran=moscow_veteran, kind="skill", values={"name": "первая помощь"}
    )
    people.confirm_skill(actor=coordinator, veteran=moscow_veteran, pk=first_aid.pk)
    people.save_part(
        actor=coordinator, veteran=moscow_veteran, kind="skill", values={"name": "сварка"}
    )
    run = services.orient_veteran(actor=coordinator, veteran=moscow_veteran)
    sources = {s["label"]: s["sources"] for item in run.items.all() for s in item.matched}
    assert any(source.startswith("confirmed") for source in sources["give first aid"])


def test_what_if_profile_and_its_errors(db):
    results = services.what_if(
        {
            "military_specialties": ["связист"],
            "civilian_jobs": ["охранник"],
            "duties": "монтаж и обслуживание радиостанций",
            "skills": ["urn:waypoint:starter:skill:first_aid", "english"],
            "education_level": 3,
            "region": "66",
            "limitations": ["no_night_shifts"],
            "desired_occupations": ["монтажник связи"],
            "licences": ["B"],
        },
        k=5,
    )
    assert len(results) == 5
    assert all(not r.isco_group.startswith("5414") for r in results)  # no night security work
    assert all(not r.isco_group.startswith("2") for r in results)  # ISCED 3 cannot reach 6
    for bad, field in [
        ({"education_level": 12}, "education_level"),
        ({"limitations": ["no_fun"]}, "limitations"),
        ({"region": "999"}, "region"),
        ({"skills": "welding"}, "skills"),
        ({"salary": 1}, "salary"),
        ({"licences": ["Z"]}, "licences"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.what_if(bad)
        assert field in error.value.message_dict


def test_command_profile_json(tmp_path, capsys, db):
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"military_specialties": ["санинструктор"]}), encoding="utf-8")
    call_command("orient", "--profile", str(profile), "--top", "3", "--json")
    results = json.loads(capsys.readouterr().out)
    assert len(results) == 3
    assert {"uri", "label", "isco_group", "score", "matched", "missing"} <= set(results[0])
    profile.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not JSON"):
        call_command("orient", "--profile", str(profile))
    profile.write_text(json.dumps({"education_level": "high"}), encoding="utf-8")
    with pytest.raises(CommandError, match="education_level"):
        call_command("orient", "--profile", str(profile))


def test_command_all_and_one(coordinator, moscow_veteran, sverdlovsk_veteran, capsys):
    for veteran in (moscow_veteran, sverdlovsk_veteran):
        veteran.driving_licences = "B"
        veteran.save(update_fields=["driving_licences"])
    call_command("orient", "--all")
    assert "2 veterans oriented" in capsys.readouterr().out
    assert OrientationRun.objects.count() == 2
    # Every write is audited: each run of the batch as a single run is, by the system.
    audited = AuditEvent.objects.filter(action="orientation.run")
    assert sorted(audited.values_list("subject_id", flat=True)) == sorted(
        str(pk) for pk in OrientationRun.objects.values_list("pk", flat=True)
    )
    assert {event.veteran_id for event in audited} == {moscow_veteran.pk, sverdlovsk_veteran.pk}
    assert {event.actor_id for event in audited} == {None}
    call_command("orient", "--veteran", str(moscow_veteran.pk), "--top", "2")
    assert capsys.readouterr().out.count("ISCO") == 2
    with pytest.raises(CommandError, match="no veteran number"):
        call_command("orient", "--veteran", "999999")


def test_pages_rank_decide_and_add(client, coordinator, moscow_veteran):
    people.save_part(
        actor=coordinator, veteran=moscow_veteran, kind="service", values=service("связист")
    )
    client.force_login(coordinator)
    url = f"/veterans/{moscow_veteran.pk}/orientation/"
    # The record holds evidence: the first look ranks (by the system), a click ranks again.
    assert "telecommunications technician" in client.get(url).content.decode()
    assert OrientationRun.objects.get().created_by is None
    assert client.post(f"{url}run/").status_code == 302
    page = client.get(url).content.decode()
    assert "telecommunications technician" in page
    occupation = OrientationRun.objects.first().items.first().occupation
    response = client.post(
        f"{url}feedback/", {"occupation": occupation.pk, "decision": "rejected"}, follow=True
    )
    assert "reason: say why the occupation does not fit" in response.content.decode()
    client.post(f"{url}feedback/", {"occupation": occupation.pk, "decision": "accepted"})
    assert Feedback.objects.get().decision == "accepted"
    response = client.post(
        f"{url}feedback/", {"occupation": "x", "decision": "accepted"}, follow=True
    )
    assert "occupation: choose one of the occupations listed" in response.content.decode()
    assert "beekeeper" in client.get(f"{url}add/", {"q": "пчеловод"}).content.decode()


def test_a_veteran_sees_and_acts_on_their_own_orientation_only(
    client, veteran_user, own_veteran, moscow_veteran
):
    client.force_login(veteran_user)
    own = f"/veterans/{own_veteran.pk}/orientation/"
    assert client.get(own).status_code == 200
    own_veteran.driving_licences = "B,C"
    own_veteran.save(update_fields=["driving_licences"])
    assert client.post(f"{own}run/").status_code == 302
    occupation = OrientationRun.objects.get(veteran=own_veteran).items.first().occupation
    client.post(f"{own}feedback/", {"occupation": occupation.pk, "decision": "accepted"})
    assert Feedback.objects.get(veteran=own_veteran).given_by == veteran_user
    assert client.get(f"/veterans/{moscow_veteran.pk}/orientation/").status_code == 404
    assert client.get(f"/api/v1/veterans/{own_veteran.pk}/orientation").status_code == 200


def test_api_what_if_and_feedback_errors(client, coordinator, moscow_veteran):
    client.force_login(coordinator)
    response = client.post(
        "/api/v1/orientation/what-if",
        json.dumps({"profile": {"civilian_jobs": ["сварщик"]}, "top": 3}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()[0]["uri"] == STARTER + "welder"
    response = client.post(
        "/api/v1/orientation/what-if",
        json.dumps({"profile": {"education_level": -1}}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "education_level"
    response = client.post(
        f"/api/v1/veterans/{moscow_veteran.pk}/orientation/feedback",
        json.dumps({"occupation_id": 999999, "decision": "accepted"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "occupation_id"
    assert client.get(f"/api/v1/veterans/{moscow_veteran.pk}/orientation").status_code == 404


def test_an_import_ranks_occupations_for_everyone(coordinator, django_capture_on_commit_callbacks):
    from tests.people.test_import import GOOD, HEADER, csv_bytes, run

    header = HEADER + ",driving_licences"
    rows = [GOOD[0] + ",B", GOOD[1] + ",C", GOOD[2] + ","]
    with django_capture_on_commit_callbacks(execute=True):
        report = run(coordinator, csv_bytes(rows, header=header))
    assert report.created == 3
    # Two hold evidence (a driving licence); the third has nothing to rank on yet.
    assert OrientationRun.objects.count() == 2


def test_activating_a_taxonomy_ranks_again(
    coordinator, moscow_veteran, django_capture_on_commit_callbacks
):
    from waypoint.taxonomy import services as taxonomy_services

    moscow_veteran.driving_licences = "B"
    moscow_veteran.save(update_fields=["driving_licences"])
    with django_capture_on_commit_callbacks(execute=True):
        taxonomy_services.activate("starter")
    assert OrientationRun.objects.filter(veteran=moscow_veteran).count() == 1


def test_the_veteran_page_shows_the_latest_top_occupations(
    client, coordinator, clinician, moscow_veteran
):
    people.save_part(
        actor=coordinator, veteran=moscow_veteran, kind="service", values=service("связист")
    )
    client.force_login(coordinator)
    page = client.get(f"/veterans/{moscow_veteran.pk}/").content.decode()
    assert "telecommunications technician" in page  # ranked the first time anyone looks
    services.orient_veteran(actor=coordinator, veteran=moscow_veteran)
    page = client.get(f"/veterans/{moscow_veteran.pk}/").content.decode()
    assert "telecommunications technician" in page
    client.force_login(clinician)  # sees the record, not its orientation
    page = client.get(f"/veterans/{moscow_veteran.pk}/").content.decode()
    assert "orientation-summary" not in page


def test_every_work_limitation_has_a_rule():
    from waypoint.orientation.rules import LIMITATION_RULES

    assert set(LIMITATION_RULES) == set(WorkLimitation.Restriction.values)
