"""Employment: vacancies employers publish, applications, hires that never overfill a
vacancy, follow-ups, and what employers may see of a candidate."""

import json
import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from tests.conftest import make_organisation, make_user, make_veteran
from waypoint.accounts.models import Organisation
from waypoint.audit.models import AuditEvent
from waypoint.employment import services
from waypoint.employment.access import HIRING_FIELDS, hiring_profile
from waypoint.employment.models import Application, Employer, FollowUp, Placement, Vacancy
from waypoint.kit.dates import add_months
from waypoint.kit.russian_ids import make_inn
from waypoint.people.models import Consent, WorkLimitation
from waypoint.regions.models import Region

SHARING = (Consent.Purpose.PERSONAL_DATA, Consent.Purpose.SHARE_EMPLOYERS)


@pytest.fixture
def company(employer) -> Employer:
    return Employer.objects.create(
        legal_name="ООО «Ромашка»",
        inn=make_inn("770000001"),
        region_id="77",
        organisation=employer.organisation,
    )


@pytest.fixture
def vacancy(employer, company) -> Vacancy:
    return services.save_vacancy(
        actor=employer,
        employer=company,
        values={
            "title": "Водитель категории C",
            "region": Region.objects.get(code="77"),
            "salary_min": 70_000,
            "salary_max": 90_000,
            "openings": 2,
            "veteran_quota": 1,
        },
    )


@pytest.fixture
def sharing_veteran(coordinator):
    return make_veteran(coordinator=coordinator, consents=SHARING)


def test_an_employer_publishes_and_the_title_reads_as_an_occupation(vacancy):
    assert vacancy.source == "manual"
    assert vacancy.source_id == str(vacancy.pk)
    assert vacancy.occupation is not None
    assert "driver" in vacancy.occupation.preferred_label
    assert AuditEvent.objects.filter(action="employment.vacancy.save").count() == 1


def test_vacancy_rules_name_the_field(employer, company):
    base = {"title": "Сварщик", "region": Region.objects.get(code="77")}
    cases = [
        ({"salary_min": 90_000, "salary_max": 50_000}, "salary_max"),
        ({"openings": 1, "veteran_quota": 3}, "veteran_quota"),
        ({"accessible_for": ["no_flying"]}, "accessible_for"),
        ({"published_on": date(2026, 5, 1), "closes_on": date(2026, 4, 1)}, "closes_on"),
        ({"colour": "red"}, "colour"),
    ]
    for extra, field in cases:
        with pytest.raises(ValidationError) as caught:
            services.save_vacancy(actor=employer, employer=company, values={**base, **extra})
        assert field in caught.value.message_dict
    assert not Vacancy.objects.exists()


def test_only_the_employers_own_staff_publish(provider, company):
    other = make_user("employer_staff", make_organisation(kind=Organisation.Kind.EMPLOYER))
    for actor in (provider, other):
        with pytest.raises(PermissionDenied):
            services.save_vacancy(
                actor=actor, employer=company, values={"title": "x", "region_id": "77"}
            )


def test_skills_are_read_from_what_the_employer_types(db):
    skills = services.skills_named(["welding", "", "forklift"])
    assert len(skills) == 2
    with pytest.raises(ValidationError) as caught:
        services.skills_named(["qqqqzzzz xxyyy"])
    assert "qqqqzzzz xxyyy" in caught.value.message_dict["required_skills"][0]


def test_application_to_placement_and_follow_ups(coordinator, employer, sharing_veteran, vacancy):
    application = services.apply(actor=coordinator, veteran=sharing_veteran, vacancy=vacancy)
    assert application.status == "proposed"
    application = services.move(actor=employer, application=application, to="interview")
    application = services.move(
        actor=employer, application=application, to="offered", note="с понедельника"
    )
    start = timezone.localdate() - timedelta(days=100)
    placement = services.hire(
        actor=employer, application=application, start_date=start, salary=80_000
    )
    assert Application.objects.get().status == "hired"
    assert [s[0] for s in Application.objects.get().history] == [
        "proposed",
        "interview",
        "offered",
        "hired",
    ]
    due = [(f.months, f.due_on) for f in placement.follow_ups.all()]
    assert due == [(m, add_months(start, m)) for m in (3, 6, 12)]
    three = placement.follow_ups.get(months=3)
    services.record_follow_up(
        actor=coordinator, follow_up=three, still_employed=True, same_employer=True
    )
    three.refresh_from_db()
    assert three.done_on == timezone.localdate()
    assert three.still_employed
    assert Placement.objects.get().ended_on is None
    six = placement.follow_ups.get(months=6)
    services.record_follow_up(
        actor=coordinator, follow_up=six, still_employed=False, same_employer=None
    )
    assert Placement.objects.get().ended_on == timezone.localdate()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "employment.application.create",
        "employment.application.move",
        "employment.placement.create",
        "employment.follow_up.record",
    } <= actions


def test_steps_belong_to_their_side(coordinator, employer, sharing_veteran, vacancy):
    application = services.apply(actor=coordinator, veteran=sharing_veteran, vacancy=vacancy)
    with pytest.raises(PermissionDenied):
        services.move(actor=coordinator, application=application, to="offered")
    with pytest.raises(PermissionDenied):
        services.move(actor=employer, application=application, to="withdrawn")
    with pytest.raises(ValidationError) as caught:
        services.hire(
            actor=employer, application=application, start_date=timezone.localdate(), salary=1
        )
    assert "status" in caught.value.message_dict
    services.move(actor=coordinator, application=application, to="withdrawn")
    with pytest.raises(ValidationError):
        services.move(actor=employer, application=application, to="interview")


def test_consent_is_needed_and_limitations_never_reach_the_employer(
    coordinator, moscow_veteran, sharing_veteran, vacancy
):
    with pytest.raises(ValidationError) as caught:
        services.apply(actor=coordinator, veteran=moscow_veteran, vacancy=vacancy)
    assert "consent" in caught.value.message_dict
    WorkLimitation.objects.create(
        veteran=sharing_veteran, restrictions=["no_night_shifts"], notes="после контузии"
    )
    profile = hiring_profile(sharing_veteran)
    assert set(profile) == set(HIRING_FIELDS)
    text = json.dumps(profile, ensure_ascii=False, default=str)
    for secret in ("контузии", "no_night_shifts", "1990-05-17", "birth"):
        assert secret not in text


def test_a_filled_vacancy_refuses_one_more_hire(coordinator, employer, vacancy):
    hires = []
    for _ in range(3):
        veteran = make_veteran(coordinator=coordinator, consents=SHARING)
        application = services.apply(actor=coordinator, veteran=veteran, vacancy=vacancy)
        application = services.move(actor=employer, application=application, to="offered")
        hires.append(application)
    for application in hires[:2]:
        services.hire(
            actor=employer, application=application, start_date=timezone.localdate(), salary=70_000
        )
    with pytest.raises(ValidationError) as caught:
        services.hire(
            actor=employer, application=hires[2], start_date=timezone.localdate(), salary=70_000
        )
    assert "vacancy" in caught.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_hires_for_three_openings_leave_exactly_three():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite has a single writer")
    coordinator = make_user("coordinator", make_organisation(name="Branch", region_id="77"))
    staff = make_user("employer_staff", make_organisation(kind=Organisation.Kind.EMPLOYER))
    company = Employer.objects.create(
        legal_name="АО «Тест»",
        inn=make_inn("770000002"),
        region_id="77",
        organisation=staff.organisation,
    )
    vacancy = Vacancy.objects.create(
        employer=company, source_id="x", title="Кладовщик", region_id="77", openings=3
    )
    offers = []
    for _ in range(20):
        veteran = make_veteran(coordinator=coordinator, consents=SHARING)
        application = services.apply(actor=coordinator, veteran=veteran, vacancy=vacancy)
        offers.append(services.move(actor=staff, application=application, to="offered"))
    outcomes = []
    barrier = threading.Barrier(20)

    def hire(application):
        barrier.wait()
        try:
            services.hire(
                actor=staff, application=application, start_date=timezone.localdate(), salary=1
            )
            outcomes.append("hired")
        except ValidationError:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=hire, args=(a,)) for a in offers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("hired") == 3
    assert Placement.objects.count() == 3


def test_follow_up_rules(coordinator, employer, sharing_veteran, vacancy):
    application = services.apply(actor=coordinator, veteran=sharing_veteran, vacancy=vacancy)
    application = services.move(actor=employer, application=application, to="offered")
    placement = services.hire(
        actor=employer, application=application, start_date=timezone.localdate(), salary=70_000
    )
    follow_up = placement.follow_ups.get(months=3)
    with pytest.raises(ValidationError) as caught:
        services.record_follow_up(
            actor=coordinator, follow_up=follow_up, still_employed=True, same_employer=None
        )
    assert "same_employer" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.record_follow_up(
            actor=coordinator,
            follow_up=follow_up,
            still_employed=True,
            same_employer=True,
            on=timezone.localdate() + timedelta(days=2),
        )
    assert "done_on" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.record_follow_up(
            actor=employer, follow_up=follow_up, still_employed=True, same_employer=True
        )


def test_employer_pages_candidates_and_withdrawn_consent(
    client, coordinator, employer, sharing_veteran, vacancy
):
    application = services.apply(actor=coordinator, veteran=sharing_veteran, vacancy=vacancy)
    client.force_login(employer)
    page = client.get(f"/vacancies/{vacancy.pk}/").content.decode()
    assert sharing_veteran.full_name in page
    detail = client.get(f"/applications/{application.pk}/").content.decode()
    assert sharing_veteran.phone in detail
    assert AuditEvent.objects.filter(action="employment.candidate.view").exists()
    Consent.objects.filter(purpose=Consent.Purpose.SHARE_EMPLOYERS).update(
        withdrawn_at=timezone.now()
    )
    page = client.get(f"/vacancies/{vacancy.pk}/").content.decode()
    assert sharing_veteran.full_name not in page
    assert "consent withdrawn" in page
    detail = client.get(f"/applications/{application.pk}/").content.decode()
    assert sharing_veteran.phone not in detail
    assert sharing_veteran.last_name not in detail
    api = client.get(f"/api/v1/applications/{application.pk}").json()
    assert api["candidate"] is None
    assert api["veteran_id"] is None


def test_only_the_employers_staff_meet_a_withheld_candidate_on_every_route(
    client, admin, coordinator, employer, sharing_veteran, vacancy
):
    """An administrator holds manage_own_vacancies too, yet is no employer's staff: the
    applications page, the application page and the API all show them the person."""
    application = services.apply(actor=coordinator, veteran=sharing_veteran, vacancy=vacancy)
    Consent.objects.filter(purpose=Consent.Purpose.SHARE_EMPLOYERS).update(
        withdrawn_at=timezone.now()
    )
    for user, sees in ((admin, True), (coordinator, True), (employer, False)):
        client.force_login(user)
        listed = client.get("/applications/").content.decode()
        detail = client.get(f"/applications/{application.pk}/").content.decode()
        rows = client.get("/api/v1/applications").json()["items"]
        one = client.get(f"/api/v1/applications/{application.pk}").json()
        assert (sharing_veteran.full_name in listed) is sees, user
        assert (sharing_veteran.phone in detail) is sees, user
        assert (rows[0]["candidate_name"] == sharing_veteran.full_name) is sees, user
        assert (one["candidate"] is not None) is sees, user


def test_pages_propose_interview_hire_and_follow_up(
    client, coordinator, employer, sharing_veteran, vacancy
):
    client.force_login(coordinator)
    response = client.post(
        f"/vacancies/{vacancy.pk}/apply/", {"veteran": sharing_veteran.pk}, follow=True
    )
    assert "The application is with the employer." in response.content.decode()
    application = Application.objects.get()
    client.force_login(employer)
    client.post(f"/applications/{application.pk}/interview/", {"note": "вторник, 10:00"})
    client.post(f"/applications/{application.pk}/offered/")
    start = timezone.localdate() - timedelta(days=95)
    response = client.post(
        f"/applications/{application.pk}/hire/",
        {"start_date": start.isoformat(), "salary": "75000"},
        follow=True,
    )
    assert response.status_code == 200
    placement = Placement.objects.get()
    client.force_login(coordinator)
    due = client.get("/follow-ups/").content.decode()
    assert sharing_veteran.full_name in due
    follow_up = FollowUp.objects.get(months=3)
    client.post(f"/follow-ups/{follow_up.pk}/", {"still_employed": "yes", "same_employer": "yes"})
    follow_up.refresh_from_db()
    assert follow_up.still_employed is True
    assert sharing_veteran.full_name not in client.get("/follow-ups/").content.decode()
    veteran_page = client.get(f"/veterans/{sharing_veteran.pk}/").content.decode()
    assert f"/placements/{placement.pk}/" in veteran_page


def test_the_veteran_applies_themself(client, own_veteran, vacancy):
    Consent.objects.create(
        veteran=own_veteran,
        purpose=Consent.Purpose.SHARE_EMPLOYERS,
        text_version="1",
        channel=Consent.Channel.SELF_SERVICE,
        given_at=timezone.now(),
        recorded_by=own_veteran.account,
    )
    client.force_login(own_veteran.account)
    client.post(f"/vacancies/{vacancy.pk}/apply/")
    assert Application.objects.get().status == "applied"
    assert "You have applied" in client.get(f"/vacancies/{vacancy.pk}/").content.decode()


def test_api_publish_apply_move_hire(client, coordinator, employer, company, sharing_veteran):
    client.force_login(employer)
    body = {"title": "Охранник", "region": "77", "openings": 1, "skill_ids": []}
    response = client.post("/api/v1/vacancies", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    vacancy_id = response.json()["id"]
    bad = client.post(
        "/api/v1/vacancies",
        json.dumps({**body, "region": "ZZ"}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "region"
    client.force_login(coordinator)
    response = client.post(
        "/api/v1/applications",
        json.dumps({"veteran_id": sharing_veteran.pk, "vacancy_id": vacancy_id}),
        content_type="application/json",
    )
    assert response.status_code == 201
    application_id = response.json()["id"]
    client.force_login(employer)
    moved = client.post(
        f"/api/v1/applications/{application_id}/move",
        json.dumps({"status": "offered"}),
        content_type="application/json",
    )
    assert moved.json()["status"] == "offered"
    assert moved.json()["candidate"]["name"] == sharing_veteran.full_name
    hired = client.post(
        f"/api/v1/applications/{application_id}/hire",
        json.dumps({"start_date": "2026-12-01", "salary": 0}),
        content_type="application/json",
    )
    assert hired.status_code == 422
    assert hired.json()["detail"][0]["field"] == "salary"
    hired = client.post(
        f"/api/v1/applications/{application_id}/hire",
        json.dumps({"start_date": timezone.localdate().isoformat(), "salary": 65000}),
        content_type="application/json",
    )
    assert hired.status_code == 201
    assert len(hired.json()["follow_ups"]) == 3
    client.force_login(coordinator)
    placement_id = hired.json()["id"]
    recorded = client.put(
        f"/api/v1/placements/{placement_id}/follow-ups/3",
        json.dumps({"still_employed": True, "same_employer": True}),
        content_type="application/json",
    )
    assert recorded.status_code == 200
    assert recorded.json()["still_employed"] is True


def test_another_employer_sees_nothing_of_these_candidates(
    client, coordinator, sharing_veteran, vacancy
):
    application = services.apply(actor=coordinator, veteran=sharing_veteran, vacancy=vacancy)
    rival = make_user("employer_staff", make_organisation(kind=Organisation.Kind.EMPLOYER))
    Employer.objects.create(
        legal_name="АО «Конкурент»",
        inn=make_inn("770000031"),
        region_id="77",
        organisation=rival.organisation,
    )
    client.force_login(rival)
    assert client.get(f"/applications/{application.pk}/").status_code == 404
    assert client.get(f"/vacancies/{vacancy.pk}/candidates/").status_code == 403
    assert client.get(f"/vacancies/{vacancy.pk}/edit/").status_code == 404
    assert sharing_veteran.full_name not in client.get("/applications/").content.decode()
    assert client.get(f"/veterans/{sharing_veteran.pk}/").status_code in (403, 404)
    assert client.get(f"/veterans/{sharing_veteran.pk}/limitations/").status_code in (403, 404)
