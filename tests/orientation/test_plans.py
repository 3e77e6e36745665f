"""The individual career plan: versions, content, printable page and PDF in both languages."""

from datetime import date, timedelta

from django.utils import timezone

from waypoint.employment import services as employment
from waypoint.employment.models import Employer
from waypoint.kit.russian_ids import make_inn
from waypoint.orientation import plans, services
from waypoint.orientation.models import CareerPlan
from waypoint.people import services as people
from waypoint.people.models import Consent
from waypoint.regions.models import Region


def prepare(coordinator, veteran):
    people.save_part(
        actor=coordinator,
        veteran=veteran,
        kind="service",
        values={
            "branch": "ground",
            "specialty": "связист",
            "rank": "sergeant",
            "start_date": date(2015, 1, 1),
            "end_date": date(2020, 1, 1),
        },
    )
    return services.orient_veteran(actor=coordinator, veteran=veteran)


def test_versions_follow_the_decisions(coordinator, moscow_veteran):
    run = prepare(coordinator, moscow_veteran)
    first = plans.save_plan(actor=coordinator, veteran=moscow_veteran)
    assert first.version == 1
    assert [o["status"] for o in first.content["occupations"]] == ["proposed"] * 3
    assert plans.save_plan(actor=coordinator, veteran=moscow_veteran).version == 1  # unchanged
    chosen = run.items.get(rank=2).occupation
    services.give_feedback(
        actor=coordinator, veteran=moscow_veteran, occupation=chosen, decision="accepted"
    )
    latest = CareerPlan.objects.filter(veteran=moscow_veteran).first()
    assert latest.version == 2
    assert [o["uri"] for o in latest.content["occupations"]] == [chosen.uri]
    assert latest.content["occupations"][0]["status"] == "accepted"
    assert CareerPlan.objects.filter(veteran=moscow_veteran).count() == 2  # old one kept
    kinds = [step["kind"] for step in latest.content["steps"]]
    assert kinds[0] == "agree"
    assert "apply" in kinds
    dues = [step["due"] for step in latest.content["steps"]]
    assert dues == sorted(dues)
    assert latest.content["coordinator"]["name"] == coordinator.get_full_name()


def test_missing_skills_become_dated_training_steps(coordinator, moscow_veteran):
    prepare(coordinator, moscow_veteran)
    plan = plans.save_plan(actor=coordinator, veteran=moscow_veteran)
    missing = {s["uri"] for o in plan.content["occupations"] for s in o["missing"]}
    trained = {
        s["uri"]
        for step in plan.content["steps"]
        if step["kind"] == "training"
        for s in step["skills"]
    }
    assert trained
    assert trained <= missing
    text = plans.step_text(next(s for s in plan.content["steps"] if s["kind"] == "training"), "ru")
    assert text.startswith("Обучение")


def test_pages_and_pdf_in_both_languages(client, coordinator, moscow_veteran):
    prepare(coordinator, moscow_veteran)
    client.force_login(coordinator)
    url = f"/veterans/{moscow_veteran.pk}/plan/"
    english = client.get(url, {"lang": "en"}).content.decode()
    assert "Individual career plan" in english
    assert "telecommunications technician" in english
    russian = client.get(url, {"lang": "ru"}).content.decode()
    assert "Индивидуальный план" in russian
    assert "электромонтёр связи" in russian
    for language in ("en", "ru"):
        response = client.get(f"/veterans/{moscow_veteran.pk}/plan.pdf", {"lang": language})
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    assert client.get(url, {"version": "99"}).status_code == 404
    api = client.get(f"/api/v1/veterans/{moscow_veteran.pk}/plans/1/pdf?lang=ru")
    assert api.content.startswith(b"%PDF")


def test_the_veteran_reads_their_own_plan(client, veteran_user, own_veteran):
    client.force_login(veteran_user)
    response = client.get(f"/veterans/{own_veteran.pk}/plan/")
    assert response.status_code == 200
    assert client.get(f"/api/v1/veterans/{own_veteran.pk}/plans").json()[0]["version"] == 1


def test_at_work_the_plan_names_the_job_and_its_steps_are_the_follow_up_calls(
    coordinator, employer, moscow_veteran
):
    prepare(coordinator, moscow_veteran)
    before = plans.save_plan(actor=coordinator, veteran=moscow_veteran)
    assert "work" not in before.content
    Consent.objects.create(
        veteran=moscow_veteran,
        purpose=Consent.Purpose.SHARE_EMPLOYERS,
        text_version="1",
        channel="in_person",
        given_at=timezone.now(),
        recorded_by=coordinator,
    )
    company = Employer.objects.create(
        legal_name="ООО «Связьмонтаж»",
        inn=make_inn("770000002"),
        region_id="77",
        organisation=employer.organisation,
    )
    vacancy = employment.save_vacancy(
        actor=employer,
        employer=company,
        values={"title": "Монтажник связи", "region": Region.objects.get(code="77")},
    )
    application = employment.apply(actor=coordinator, veteran=moscow_veteran, vacancy=vacancy)
    application = employment.move(actor=employer, application=application, to="offered")
    start = timezone.localdate() - timedelta(days=10)
    employment.hire(actor=employer, application=application, start_date=start, salary=70_000)

    at_work = plans.save_plan(actor=coordinator, veteran=moscow_veteran)
    assert at_work.version == 2
    work = at_work.content["work"]
    assert (work["title"], work["employer"], work["since"]) == (
        "Монтажник связи",
        "ООО «Связьмонтаж»",
        start.isoformat(),
    )
    steps = at_work.content["steps"]
    assert [(s["kind"], s.get("months")) for s in steps] == [
        ("work", None),
        ("follow_up", 3),
        ("follow_up", 6),
        ("follow_up", 12),
    ]
    assert plans.step_text(steps[0], "ru") == "Выйти на работу: Монтажник связи, ООО «Связьмонтаж»"
    assert plans.step_text(steps[2], "ru").startswith(
        "Контрольный звонок координатора через 6 месяцев"
    )
    assert plans.readable(at_work.content, "ru")["work"].startswith("Работает: Монтажник связи")
    said = plans.change_texts(plans.changes(before.content, at_work.content), "ru")
    assert any(text.startswith("Работает: Монтажник связи, ООО «Связьмонтаж», с ") for text in said)
    # The plan of the day before work started still had the job search.
    assert "work" not in plans.build_content(moscow_veteran, today=start - timedelta(days=1))
