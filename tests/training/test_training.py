"""Training: programmes, cohorts, the enrolment pipeline, and seats that never overbook."""

import json
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from tests.conftest import make_organisation, make_user, make_veteran
from waypoint.accounts.models import Organisation
from waypoint.people.models import Consent
from waypoint.training import services
from waypoint.training.models import Enrolment, Provider

SHARING = (Consent.Purpose.PERSONAL_DATA, Consent.Purpose.SHARE_TRAINING)
START = timezone.localdate() + timedelta(days=30)


@pytest.fixture
def cohort(provider, programme):
    return services.add_cohort(actor=provider, programme=programme, start_date=START, seats=2)


@pytest.fixture
def sharing_veteran(coordinator):
    return make_veteran(coordinator=coordinator, consents=SHARING)


def test_the_whole_pipeline(coordinator, provider, sharing_veteran, cohort):
    enrolment = services.enrol(actor=coordinator, veteran=sharing_veteran, cohort=cohort)
    assert enrolment.status == "recommended"
    for actor, step in [
        (coordinator, "applied"),
        (provider, "offered"),
        (coordinator, "accepted"),
        (provider, "enrolled"),
        (provider, "completed"),
    ]:
        enrolment = services.move(actor=actor, enrolment=enrolment, to=step)
    assert [entry[0] for entry in enrolment.history] == [
        "recommended",
        "applied",
        "offered",
        "accepted",
        "enrolled",
        "completed",
    ]
    assert services.seats_left(cohort) == 1


def test_steps_belong_to_their_side_and_order(coordinator, provider, sharing_veteran, cohort):
    enrolment = services.enrol(actor=coordinator, veteran=sharing_veteran, cohort=cohort)
    with pytest.raises(PermissionDenied):
        services.move(actor=coordinator, enrolment=enrolment, to="offered")
    with pytest.raises(ValidationError) as error:
        services.move(actor=provider, enrolment=enrolment, to="enrolled")
    assert "status" in error.value.message_dict
    stranger = make_user(
        "training_provider_staff",
        make_organisation(name="Other college", kind=Organisation.Kind.TRAINING_PROVIDER),
    )
    services.move(actor=coordinator, enrolment=enrolment, to="applied")
    with pytest.raises(PermissionDenied):
        services.move(actor=stranger, enrolment=enrolment, to="offered")


def test_consent_and_limitations_are_checked(coordinator, moscow_veteran, cohort, programme):
    with pytest.raises(ValidationError) as error:
        services.enrol(actor=coordinator, veteran=moscow_veteran, cohort=cohort)
    assert "consent" in error.value.message_dict


def test_a_full_cohort_refuses_one_more(coordinator, provider, cohort):
    veterans = [make_veteran(coordinator=coordinator, consents=SHARING) for _ in range(3)]
    enrolments = []
    for veteran in veterans:
        e = services.enrol(actor=coordinator, veteran=veteran, cohort=cohort, status="applied")
        enrolments.append(services.move(actor=provider, enrolment=e, to="offered"))
    for e in enrolments[:2]:
        services.move(actor=coordinator, enrolment=e, to="accepted")
    with pytest.raises(ValidationError) as error:
        services.move(actor=coordinator, enrolment=enrolments[2], to="accepted")
    assert error.value.message_dict == {"seats": ["the cohort is full"]}
    assert services.seats_left(cohort) == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_acceptances_for_ten_seats_leave_exactly_ten():
    from waypoint.regions.models import Region

    coordinator = make_user("coordinator", make_organisation(name="Fund, Moscow"))
    staff = make_user(
        "training_provider_staff",
        make_organisation(name="College 50", kind=Organisation.Kind.TRAINING_PROVIDER),
    )
    college = Provider.objects.create(
        organisation=staff.organisation, kind="training_centre", licence_number="Л035-1"
    )
    programme = services.save_programme(
        actor=staff,
        provider=college,
        values={
            "title": "Оператор БПЛА",
            "duration_weeks": 8,
            "format": "mixed",
            "region": Region.objects.get(code="77"),
            "payer": "state",
        },
    )
    cohort = services.add_cohort(actor=staff, programme=programme, start_date=START, seats=10)
    offered = []
    for _ in range(50):
        veteran = make_veteran(coordinator=coordinator, consents=SHARING)
        e = services.enrol(actor=coordinator, veteran=veteran, cohort=cohort, status="applied")
        offered.append(services.move(actor=staff, enrolment=e, to="offered"))
    barrier = threading.Barrier(50)
    outcomes = []

    def accept(enrolment):
        from django.db import connections

        barrier.wait()
        try:
            services.move(actor=coordinator, enrolment=enrolment, to="accepted")
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(e,)) for e in offered]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("accepted") == 10
    assert Enrolment.objects.filter(cohort=cohort, status="accepted").count() == 10


def test_pages_provider_adds_a_cohort_and_coordinator_enrols(
    client, coordinator, provider, sharing_veteran, programme
):
    client.force_login(provider)
    url = f"/training/programmes/{programme.pk}/"
    client.post(f"{url}cohorts/new/", {"start_date": START.isoformat(), "seats": 5})
    cohort = programme.cohorts.get()
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert 'class="num seats-left">5<' in page
    client.post(f"/training/cohorts/{cohort.pk}/enrol/", {"veteran": sharing_veteran.pk})
    enrolment = Enrolment.objects.get()
    client.post(f"/training/enrolments/{enrolment.pk}/applied/")
    client.force_login(provider)
    assert sharing_veteran.full_name in client.get("/training/enrolments/").content.decode()
    client.post(f"/training/enrolments/{enrolment.pk}/offered/")
    client.force_login(coordinator)
    client.post(f"/training/enrolments/{enrolment.pk}/accepted/")
    assert 'class="num seats-left">4<' in client.get(url).content.decode()
    response = client.post(
        f"/training/cohorts/{cohort.pk}/enrol/", {"veteran": 999999}, follow=True
    )
    assert "veteran: no veteran with this number in your scope" in response.content.decode()


def test_api_publish_enrol_and_move(client, coordinator, provider, college, sharing_veteran):
    client.force_login(provider)
    response = client.post(
        "/api/v1/training/programmes",
        json.dumps(
            {
                "title": "Электромонтёр",
                "duration_weeks": 10,
                "format": "on_site",
                "region": "77",
                "payer": "fund",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    programme_id = response.json()["id"]
    response = client.post(
        f"/api/v1/training/programmes/{programme_id}/cohorts",
        json.dumps({"start_date": START.isoformat(), "seats": 3}),
        content_type="application/json",
    )
    cohort_id = response.json()["id"]
    assert response.json()["seats_left"] == 3
    bad = client.post(
        "/api/v1/training/programmes",
        json.dumps(
            {
                "title": "X",
                "duration_weeks": 10,
                "format": "on_site",
                "region": "999",
                "payer": "fund",
            }
        ),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "region"
    client.force_login(coordinator)
    response = client.post(
        "/api/v1/training/enrolments",
        json.dumps({"veteran_id": sharing_veteran.pk, "cohort_id": cohort_id, "status": "applied"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    enrolment_id = response.json()["id"]
    response = client.post(
        f"/api/v1/training/enrolments/{enrolment_id}/move",
        json.dumps({"status": "offered"}),
        content_type="application/json",
    )
    assert response.status_code == 403


def test_an_allocation_round_proposes_and_a_coordinator_confirms(
    coordinator, provider, programme, capsys
):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from waypoint.training.models import AllocationRound

    small = services.add_cohort(actor=provider, programme=programme, start_date=START, seats=1)
    large = services.add_cohort(actor=provider, programme=programme, start_date=START, seats=1)
    veterans = [make_veteran(coordinator=coordinator, consents=SHARING) for _ in range(3)]
    for veteran in veterans:
        services.enrol(actor=coordinator, veteran=veteran, cohort=small, status="applied")
    services.enrol(actor=coordinator, veteran=veterans[0], cohort=large, status="applied")
    round_ = AllocationRound.objects.create(name="autumn-2026")
    round_.cohorts.set([small, large])

    call_command("allocate", "autumn-2026", "--dry-run")
    assert json_loads(capsys.readouterr().out)["veterans"] == 3
    round_.refresh_from_db()
    assert round_.status == "draft"  # a dry run keeps nothing

    # Deferred acceptance: everyone's first choice is the small cohort, which keeps one.
    call_command("allocate", "autumn-2026", "--mode", "stable")
    assert len(json_loads(capsys.readouterr().out)["assigned"]) == 1
    # The greatest total fit also uses the first veteran's second choice.
    call_command("allocate", "autumn-2026", "--mode", "optimal")
    proposal = json_loads(capsys.readouterr().out)
    assert len(proposal["assigned"]) == 2  # two seats in all
    assert len(proposal["unassigned"]) == 1
    assert set(proposal["unassigned"].values()) == {"every acceptable cohort is full"}
    with pytest.raises(CommandError, match="--as"):
        call_command("allocate", "autumn-2026", "--confirm")
    call_command("allocate", "autumn-2026", "--confirm", "--as", coordinator.username)
    assert Enrolment.objects.filter(status="offered").count() == 2
    with pytest.raises(CommandError, match="no allocation round"):
        call_command("allocate", "spring")


def json_loads(text):
    return json.loads(text)
