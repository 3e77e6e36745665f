"""What each version of the career plan changed, from the stored versions; the signatures; the
dates in the reader's format, never split across lines; the same on the page and in the PDF."""

import re
from io import BytesIO

from django.utils import timezone
from pypdf import PdfReader

from tests.orientation.test_plans import prepare
from waypoint.orientation import pdf, plans, services
from waypoint.orientation.models import CareerPlan

S = "urn:test:skill:"


def skill(name: str, russian: str = "") -> dict:
    return {"uri": S + name, "label_en": name.replace("_", " "), "label_ru": russian}


def occupation(name: str, status: str, missing: list[dict], russian: str = "") -> dict:
    return {
        "id": hash(name) % 1000,
        "uri": "urn:test:occupation:" + name,
        "label_en": name.replace("_", " "),
        "label_ru": russian,
        "isco_group": "8322",
        "status": status,
        "held": [],
        "sources": [],
        "missing": missing,
        "course": None,
    }


def course_step(course_id: int, title: str, skills: list[dict], due: str) -> dict:
    return {
        "kind": "course",
        "course": {
            "id": course_id,
            "title": title,
            "provider": "Колледж",
            "weeks": 6,
            "start": due,
        },
        "skills": skills,
        "due": due,
    }


def content(occupations, steps, coordinator="Марина Белова", licences=("B",)) -> dict:
    fixed = [
        {"kind": "agree", "due": "2026-12-14"},
        {"kind": "cv", "due": "2026-12-21"},
        {"kind": "register", "due": "2026-12-28"},
        {"kind": "apply", "occupations": [], "due": "2027-03-01"},
        {"kind": "review", "due": "2027-04-01"},
    ]
    return {
        "veteran": {
            "name": "Смирнов Алексей",
            "region": "77",
            "service": [],
            "jobs": [],
            "education": [],
            "licences": list(licences),
        },
        "occupations": occupations,
        "steps": sorted(fixed + steps, key=lambda step: step["due"]),
        "coordinator": {"name": coordinator, "email": "", "organisation": ""}
        if coordinator
        else None,
        "ranking": None,
    }


FORKLIFT = skill("operate_forklift", "управлять погрузчиком")
LOADING = skill("loading_rules", "правила погрузки")
RIGGING = skill("rigging", "строповка")
WELDING = skill("welding", "сварка")
FIRST_AID = skill("first_aid", "первая помощь")
FORKLIFT_RU = "водитель погрузчика"


def versions() -> tuple[dict, dict]:
    """Before: a forklift driver (proposed) and a welder (proposed); a forklift course; rigging
    and welding to learn. After: the forklift course is done (its skills are no longer missing
    for the forklift driver, who stays, now accepted), the welder is gone with its course
    and training, a crane operator is added with a new course, first aid is to learn, and
    another coordinator took over."""
    before = content(
        [
            occupation("forklift_driver", "proposed", [FORKLIFT, LOADING, RIGGING], FORKLIFT_RU),
            occupation("welder", "proposed", [WELDING], "сварщик"),
        ],
        [
            course_step(1, "Водитель погрузчика", [FORKLIFT, LOADING], "2027-01-11"),
            course_step(2, "Сварщик", [WELDING], "2027-02-01"),
            {"kind": "training", "skills": [RIGGING], "due": "2027-01-20"},
        ],
    )
    crane = skill("operate_crane", "управлять краном")
    after = content(
        [
            occupation("forklift_driver", "accepted", [RIGGING], FORKLIFT_RU),
            occupation("crane_operator", "added", [crane, FIRST_AID], "машинист крана"),
        ],
        [
            course_step(3, "Крановщик", [crane], "2027-03-01"),
            {"kind": "training", "skills": [RIGGING, FIRST_AID], "due": "2027-01-20"},
        ],
        coordinator="Олег Петров",
        licences=("B", "C"),
    )
    return before, after


def test_the_changes_between_two_hand_made_versions():
    before, after = versions()
    said = plans.changes(before, after)
    kinds = [change["kind"] for change in said]
    assert kinds == [
        "occupation_added",
        "occupation_removed",
        "occupation_decided",
        "step_added",
        "step_done",
        "step_removed",
        "training_added",
        "coordinator",
        "profile",
    ]
    by_kind = {change["kind"]: change for change in said}
    assert by_kind["occupation_added"]["occupation"]["label_en"] == "crane operator"
    assert by_kind["occupation_removed"]["occupation"]["label_en"] == "welder"
    assert by_kind["occupation_decided"]["was"] == "proposed"
    assert by_kind["occupation_decided"]["occupation"]["status"] == "accepted"
    assert by_kind["step_added"]["step"]["course"]["id"] == 3
    assert by_kind["step_done"]["step"]["course"]["id"] == 1  # forklift: skills now held
    assert by_kind["step_removed"]["step"]["course"]["id"] == 2  # welder left with its course
    assert by_kind["training_added"]["skills"] == [FIRST_AID]


def test_training_skills_done_or_dropped():
    before, after = versions()
    # Rigging leaves the training: no longer missing for the forklift driver, who stays.
    after["occupations"][0]["missing"] = []
    after["steps"] = [s for s in after["steps"] if s["kind"] != "training"]
    said = plans.changes(before, after)
    assert {"kind": "training_done", "skills": [RIGGING]} in said
    # The same skill leaving with its occupation is dropped, not done.
    gone = [o for o in after["occupations"] if o["label_en"] != "forklift driver"]
    said = plans.changes(before, {**after, "occupations": gone})
    assert {"kind": "training_removed", "skills": [RIGGING]} in said
    # A skill a course teaches now is neither.
    moved = course_step(4, "Стропальщик", [RIGGING], "2027-01-25")
    with_course = {**before, "steps": [*after["steps"], moved]}
    assert not [c for c in plans.changes(before, with_course) if c["kind"] == "training_removed"]


def test_no_change_but_the_dates_and_the_first_version():
    before, _after = versions()
    moved = {**before, "steps": [{**step, "due": "2027-06-01"} for step in before["steps"]]}
    assert plans.changes(before, moved) == []
    assert plans.changes(None, before) == [{"kind": "first"}]
    assert plans.change_texts([], "en") == [
        "Occupations, steps and training unchanged; the skills behind them were read again."
    ]
    assert plans.change_texts([{"kind": "first"}], "ru") == ["Первая версия плана."]


def test_the_changes_in_words_in_both_languages():
    before, after = versions()
    russian = plans.change_texts(plans.changes(before, after), "ru")
    assert russian == [
        "Добавлена профессия: машинист крана (добавлено вручную).",
        "Убрана профессия: сварщик.",
        "водитель погрузчика: теперь принято (было: предложено).",
        "Добавлен шаг (срок — 01.03.2027): Пройти курс «Крановщик» (Колледж; 6 недель), "
        "в нём изучают: «управлять краном».",
        "Шаг выполнен: Пройти курс «Водитель погрузчика» (Колледж; 6 недель), в нём изучают: "
        "«управлять погрузчиком» и «правила погрузки».",
        "Убран шаг: Пройти курс «Сварщик» (Колледж; 6 недель), в нём изучают: «сварка».",
        "Обучение: добавлены навыки, которые нужно освоить: «первая помощь».",
        "Координатор: Олег Петров (ранее: Марина Белова).",
        "Обновлён профиль: служба, работа, образование или водительские права.",
    ]
    english = plans.change_texts(plans.changes(before, after), "en")
    assert english[3] == (
        "Step added (by 1\u00a0Mar\u00a02027): Take the course “Крановщик” at Колледж "
        "(6 weeks): it teaches “operate crane”."
    )


ISO = re.compile(r"\b20\d\d-\d\d-\d\d\b")


def _two_versions(coordinator, veteran) -> CareerPlan:
    run = prepare(coordinator, veteran)
    plans.save_plan(actor=coordinator, veteran=veteran)
    chosen = run.items.get(rank=2).occupation
    services.give_feedback(
        actor=coordinator, veteran=veteran, occupation=chosen, decision="accepted"
    )
    return CareerPlan.objects.filter(veteran=veteran).first()


def test_the_page_lists_the_changes_signatures_and_local_dates(client, coordinator, moscow_veteran):
    latest = _two_versions(coordinator, moscow_veteran)
    assert latest.version == 2
    client.force_login(coordinator)
    page = client.get(f"/veterans/{moscow_veteran.pk}/plan/", {"lang": "ru"}).content.decode()
    article = page[page.index("<article") : page.index("</article>")]
    changes = article[article.index('id="changes"') : article.index("Профиль")]
    assert "Что изменилось в этой версии" in changes
    assert "Убрана профессия" in changes
    assert "теперь принято (было: предложено)" in changes
    signatures = article[article.index('id="signatures"') :]
    for label in ("Подписи", "Ветеран", "Координатор", "подпись", "дата"):
        assert label in signatures
    assert "Кузнецов Дмитрий" in signatures
    assert coordinator.get_full_name() in signatures
    assert not ISO.search(article)
    due = latest.content["steps"][0]["due"]
    year, month, day = due.split("-")
    assert f'<td class="nowrap">{day}.{month}.{year}</td>' in article
    first = client.get(f"/veterans/{moscow_veteran.pk}/plan/", {"lang": "en", "version": 1})
    assert "The first version of the plan." in first.content.decode()


def _pdf_text(client, url: str, language: str) -> str:
    response = client.get(url, {"lang": language})
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)


def test_the_pdf_has_the_signatures_and_the_change_list(
    client, coordinator, moscow_veteran, caplog
):
    latest = _two_versions(coordinator, moscow_veteran)
    client.force_login(coordinator)
    russian = _pdf_text(client, f"/veterans/{moscow_veteran.pk}/plan.pdf", "ru")
    for label in ("Подписи", "Ветеран", "Координатор", "подпись", "дата"):
        assert label in russian
    assert "Что изменилось в этой версии" in russian
    for text in plans.changes_of(latest, "ru"):
        assert " ".join(text.split()) in " ".join(russian.split())
    assert "Кузнецов Дмитрий" in russian
    assert not ISO.search(russian)
    made = timezone.localtime(latest.created_at).strftime("%d.%m.%Y")
    assert f"версия 2 от {made}" in russian
    english = _pdf_text(client, f"/api/v1/veterans/{moscow_veteran.pk}/plans/1/pdf", "en")
    for label in ("Signatures", "Veteran", "Coordinator", "signature", "date"):
        assert label in english
    assert "The first version of the plan." in english
    assert not ISO.search(english)
    # Every character the plan uses is one the PDF's font has.
    assert "missing the following glyphs" not in caplog.text


def test_a_plan_without_a_coordinator_leaves_a_line_for_the_name(moscow_veteran):
    _before, after = versions()
    plan = CareerPlan.objects.create(
        veteran=moscow_veteran, version=1, content={**after, "coordinator": None}
    )
    text = "\n".join(
        page.extract_text() for page in PdfReader(BytesIO(pdf.render_plan(plan, "ru"))).pages
    )
    signatures = text[text.index("Подписи") :]
    assert signatures.split() == [
        "Подписи",
        "Ветеран",
        "Смирнов",
        "Алексей",
        "подпись",
        "дата",
        "Координатор",
        "фамилия,",
        "имя,",
        "отчество",
        "подпись",
        "дата",
    ]
