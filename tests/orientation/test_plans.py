"""The individual career plan: versions, content, printable page and PDF in both languages."""

from datetime import date

from waypoint.orientation import plans, services
from waypoint.orientation.models import CareerPlan
from waypoint.people import services as people


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
