"""The main flow in a real browser: Debian's Chromium driven by Playwright.

Screenshots go to test-artifacts/ at the repository root.
"""

import os
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps

from tests.conftest import PASSWORD, make_user

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="apt-get install -y chromium"),
]


def sign_in(page, live_server, user, language: str = "") -> None:
    """Sign `user` in through the login page (after signing anyone else out), in `language`
    when given."""
    page.context.clear_cookies()
    if language:
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _reference_data_back() -> None:
    """A live-server test runs after others whose flush removed what data migrations wrote:
    case stages, tracks and task types come back as their migration writes them."""
    from waypoint.cases.models import Stage

    if not Stage.objects.exists():
        import_module("waypoint.cases.migrations.0002_reference_data").seed(apps, None)


@pytest.fixture
def browser_page(live_server, transactional_db):
    from playwright.sync_api import sync_playwright

    _reference_data_back()

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        # Every flow also checks that the Content-Security-Policy refused nothing the page
        # needs: Chromium reports each refusal on the console.
        refused = []
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        yield page
        browser.close()
    assert refused == []
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def test_coordinator_registers_finds_and_switches_to_russian(
    browser_page, live_server, transactional_db
):
    from tests.conftest import make_organisation

    branch = make_organisation(name="Fund branch, Moscow", region_id="77")
    coordinator = make_user("coordinator", branch, username="marina")
    page = browser_page
    sign_in(page, live_server, coordinator)

    page.click("text=New intake")
    page.fill("#id_last_name", "Тимофеев")
    page.fill("#id_first_name", "Георгий")
    page.fill("#id_patronymic", "Ильич")
    page.fill("#id_birth_date", "1989-07-14")
    page.select_option("#id_sex", "m")
    page.fill("#id_phone", "+7 905 123-45-67")
    page.select_option("#id_region", "77")
    page.check("#id_consent_personal_data")
    page.screenshot(path=str(ARTIFACTS / "1-intake.png"), full_page=True)
    page.click("button:has-text('Register')")
    page.wait_for_selector("text=is registered")
    assert "Тимофеев Георгий Ильич" in page.inner_text("h1")
    page.screenshot(path=str(ARTIFACTS / "2-veteran.png"), full_page=True)

    page.click("nav >> text=Veterans")
    # The search fires 300 ms after typing. Wait for its answer: the list already shows the
    # veteran before it, and a search still in flight would race the language form's request.
    with page.expect_response(lambda response: "q=" in response.url):
        page.fill("#q", "Тимоф")
    page.wait_for_selector("#results >> text=Тимофеев Георгий Ильич")
    page.screenshot(path=str(ARTIFACTS / "3-list.png"), full_page=True)

    page.select_option("#language", "ru")
    page.wait_for_selector("html[lang=ru]")
    assert "Ветераны" in page.inner_text("nav")
    page.screenshot(path=str(ARTIFACTS / "4-russian.png"), full_page=True)


def test_phone_layout(browser_page, live_server, transactional_db):
    browser_page.set_viewport_size({"width": 375, "height": 740})
    browser_page.goto(f"{live_server.url}/login/")
    width = browser_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    browser_page.screenshot(path=str(ARTIFACTS / "5-phone-login.png"), full_page=True)


def test_coordinator_searches_the_taxonomy_and_corrects_an_occupation(
    browser_page, live_server, transactional_db
):
    from datetime import date

    from tests.conftest import make_organisation, make_veteran
    from waypoint.people import services

    branch = make_organisation(name="Fund branch, Moscow", region_id="77")
    coordinator = make_user("coordinator", branch, username="oleg")
    veteran = make_veteran(coordinator=coordinator, recorded_by=coordinator)
    services.save_part(
        actor=coordinator,
        veteran=veteran,
        kind="service",
        values={
            "branch": "ground",
            "specialty": "механик-водитель БМП",
            "rank": "private",
            "start_date": date(2016, 5, 1),
            "end_date": date(2020, 5, 1),
        },
    )
    page = browser_page
    sign_in(page, live_server, coordinator)

    page.click("nav >> text=Occupations")
    page.fill("#q", "водитель грузовика")  # suggestions arrive as one types, no submit
    page.wait_for_selector("#suggestions >> text=truck driver")
    page.screenshot(path=str(ARTIFACTS / "5-taxonomy-search.png"), full_page=True)
    page.click("#suggestions >> text=truck driver >> nth=0")
    page.wait_for_selector("h2:has-text('Essential skills')")
    page.screenshot(path=str(ARTIFACTS / "6-occupation.png"), full_page=True)

    page.goto(f"{live_server.url}/veterans/{veteran.pk}/?tab=service")
    assert "driver-mechanic" in page.inner_text(".occupation")
    page.click(".occupation >> text=correct")
    page.fill("#q", "военный водитель")  # candidates follow the typing
    page.wait_for_selector("#candidates label:has-text('military driver') >> nth=0")
    # A selector, not a JavaScript predicate: the page's policy refuses evaluated strings.
    page.wait_for_selector("#candidates >> text=tank", state="detached")
    page.check("#candidates label:has-text('military driver') input")
    page.screenshot(path=str(ARTIFACTS / "7-correct-occupation.png"), full_page=True)
    page.click("button:has-text('Use this occupation')")
    page.wait_for_selector(".occupation >> text=set by")
    assert "military driver" in page.inner_text(".occupation")


def test_coordinator_ranks_occupations_accepts_one_and_prints_the_plan(
    browser_page, live_server, transactional_db
):
    from datetime import date

    from tests.conftest import make_organisation, make_veteran
    from waypoint.people import services

    branch = make_organisation(name="Fund branch, Moscow", region_id="77")
    coordinator = make_user("coordinator", branch, username="irina")
    veteran = make_veteran(coordinator=coordinator, recorded_by=coordinator)
    services.save_part(
        actor=coordinator,
        veteran=veteran,
        kind="service",
        values={
            "branch": "ground",
            "specialty": "связист-телефонист",
            "rank": "sergeant",
            "start_date": date(2016, 5, 1),
            "end_date": date(2021, 5, 1),
        },
    )
    page = browser_page
    sign_in(page, live_server, coordinator)

    page.goto(f"{live_server.url}/veterans/{veteran.pk}/")
    # The record holds a specialty: ranked the first time anyone looks.
    assert "telecommunications technician" in page.inner_text(".orientation-summary")
    page.click(".orientation-summary >> text=Why, and all occupations")
    page.click("button:has-text('Rank occupations now')")
    page.wait_for_selector("text=Occupations ranked again.")
    first = page.inner_text(".recommendations > li:first-child h2")
    assert "telecommunications technician" in first
    assert "You already have" in page.inner_text(".recommendations > li:first-child .explanation")
    page.click(".recommendations > li:first-child summary")
    assert "score" in page.inner_text(".recommendations > li:first-child details")
    page.screenshot(path=str(ARTIFACTS / "8-orientation.png"), full_page=True)
    page.click(".recommendations > li:first-child button:has-text('Accept')")
    page.wait_for_selector("text=Decision saved.")

    page.click("text=Individual career plan")
    page.wait_for_selector("h1:has-text('Individual career plan')")
    assert "telecommunications technician" in page.inner_text("article")
    assert "accepted" in page.inner_text("article")
    page.screenshot(path=str(ARTIFACTS / "9-career-plan.png"), full_page=True)
    page.click(".no-print a:has-text('Русский')")
    page.wait_for_selector("h1:has-text('Индивидуальный план')")


def test_provider_adds_a_cohort_coordinator_enrols_and_the_seat_count_drops(
    browser_page, live_server, transactional_db
):
    from tests.conftest import make_organisation, make_veteran
    from waypoint.accounts.models import Organisation
    from waypoint.people.models import Consent
    from waypoint.regions.models import Region
    from waypoint.training.models import Programme, Provider

    branch = make_organisation(name="Fund branch, Moscow", region_id="77")
    coordinator = make_user("coordinator", branch, username="pavel")
    college = make_organisation(name="Колледж связи", kind=Organisation.Kind.TRAINING_PROVIDER)
    staff = make_user("training_provider_staff", college, username="nina")
    provider = Provider.objects.create(
        organisation=college, kind="vocational_school", licence_number="Л035-9"
    )
    programme = Programme.objects.create(
        provider=provider,
        title="Монтажник связи",
        duration_weeks=8,
        format="on_site",
        region=Region.objects.get(code="77"),
        payer="fund",
    )
    veteran = make_veteran(
        coordinator=coordinator,
        consents=(Consent.Purpose.PERSONAL_DATA, Consent.Purpose.SHARE_TRAINING),
    )
    page = browser_page

    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/training/programmes/{programme.pk}/")
    page.fill("#id_start_date", "2031-09-01")
    page.fill("#id_seats", "12")
    page.click("button:has-text('Add the cohort')")
    page.wait_for_selector("text=Cohort added.")
    assert page.inner_text(".seats-left") == "12"

    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/training/programmes/{programme.pk}/")
    page.fill("input[name=veteran]", str(veteran.pk))
    page.click("button:has-text('Put on the list')")
    page.wait_for_selector("text=is on the cohort's list")
    page.click("nav >> text=Enrolments")
    page.click("button:has-text('applied')")
    page.wait_for_selector("text=Enrolment updated.")

    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/training/enrolments/")
    page.click("button:has-text('offered a seat')")
    page.wait_for_selector("text=Enrolment updated.")

    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/training/enrolments/")
    page.click("button:has-text('accepted the seat')")
    page.wait_for_selector("text=Enrolment updated.")
    page.goto(f"{live_server.url}/training/programmes/{programme.pk}/")
    assert page.inner_text(".seats-left") == "11"
    page.screenshot(path=str(ARTIFACTS / "10-training-seats.png"), full_page=True)


def test_employer_publishes_coordinator_proposes_and_the_hire_is_followed_up(
    browser_page, live_server, transactional_db
):
    from django.utils import timezone

    from tests.conftest import make_organisation, make_veteran
    from waypoint.accounts.models import Organisation
    from waypoint.employment.models import Employer, FollowUp
    from waypoint.kit.russian_ids import make_inn
    from waypoint.people import services as people
    from waypoint.people.models import Consent

    branch = make_organisation(name="Fund branch, Moscow", region_id="77")
    coordinator = make_user("coordinator", branch, username="pavel")
    company = make_organisation(name="ООО «Грузовик»", kind=Organisation.Kind.EMPLOYER)
    staff = make_user("employer_staff", company, username="artur")
    Employer.objects.create(
        legal_name="ООО «Грузовик»", inn=make_inn("770000021"), region_id="77", organisation=company
    )
    veteran = make_veteran(
        coordinator=coordinator,
        consents=(Consent.Purpose.PERSONAL_DATA, Consent.Purpose.SHARE_EMPLOYERS),
    )
    people.save_part(
        actor=coordinator,
        veteran=veteran,
        kind="job",
        values={"title": "водитель грузовика", "start_year": 2012, "end_year": 2019},
    )
    page = browser_page

    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/vacancies/new/")
    page.fill("#id_title", "Водитель грузового автомобиля")
    page.select_option("#id_region", "77")
    page.fill("#id_salary_max", "95000")
    page.fill("#id_openings", "2")
    page.fill("#id_required_skills", "drive trucks")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Vacancy saved.")

    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/veterans/{veteran.pk}/vacancies/")
    page.wait_for_selector("text=Водитель грузового автомобиля")
    page.screenshot(path=str(ARTIFACTS / "11-matching-vacancies.png"), full_page=True)
    page.click("button:has-text('Propose')")
    page.wait_for_selector("text=The application is with the employer.")

    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/applications/")
    page.click(f"text={veteran.full_name}")
    page.click("button:has-text('offered the job')")
    page.wait_for_selector("text=Application updated.")
    page.fill("#id_start_date", timezone.localdate().isoformat())
    page.fill("#id_salary", "90000")
    page.click("button:has-text('Record the hire')")
    page.wait_for_selector("text=Hired")
    assert FollowUp.objects.filter(placement__veteran=veteran).count() == 3
    page.screenshot(path=str(ARTIFACTS / "12-hired.png"), full_page=True)


def test_operator_logs_an_appeal_the_branch_answers_and_the_coordinator_closes_it(
    browser_page, live_server, transactional_db
):
    from tests.conftest import make_organisation, make_veteran
    from waypoint.accounts.models import Organisation
    from waypoint.appeals.models import Appeal
    from waypoint.cases.models import TaskType

    # A flush after an earlier browser test empties the migrations' reference data.
    TaskType.objects.get_or_create(
        code="appeal",
        defaults={
            "name_en": "Answer an appeal",
            "name_ru": "Ответ на обращение",
            "days": 30,
            "working_days": False,
        },
    )
    branch = make_organisation(name="Fund branch, Moscow", region_id="77")
    make_organisation(name="Fund branch, Yekaterinburg", region_id="66")
    coordinator = make_user("coordinator", branch, username="marina")
    counsellor = make_user("career_counsellor", branch, username="pavel")
    hotline = make_organisation(name="Hotline", kind=Organisation.Kind.CALL_CENTRE)
    operator = make_user("call_centre_operator", hotline, username="svetlana")
    veteran = make_veteran(coordinator=coordinator, last_name="Тимофеев", first_name="Георгий")
    page = browser_page

    sign_in(page, live_server, operator)
    page.click("nav >> text=Log an appeal")
    page.fill("#veteran-q", "Тимоф")  # results follow the typing
    page.wait_for_selector(f"#veteran-choices input[value='{veteran.pk}']")
    page.check(f"#veteran-choices input[value='{veteran.pk}']")
    page.select_option("#id_topic", "employment")
    page.fill("#id_description", "Ищет работу водителем, просит перезвонить вечером.")
    page.screenshot(path=str(ARTIFACTS / "13-log-appeal.png"), full_page=True)
    page.press("#id_description", "Control+Enter")
    page.wait_for_selector("#logged .reference")
    appeal = Appeal.objects.get()
    assert page.inner_text("#logged .reference") == appeal.reference
    assert appeal.organisation == branch

    sign_in(page, live_server, counsellor)
    page.click("nav >> text=Appeals")
    page.click(f"#appeals >> text={appeal.reference}")
    page.click("button:has-text('Take it')")
    page.wait_for_selector("text=The appeal is yours to answer.")
    page.select_option("#id_outcome_kind", "resolved")
    page.fill("#id_outcome", "Предложены три вакансии водителя, записан на собеседование.")
    page.click("button:has-text('Record the answer')")
    page.wait_for_selector("text=Answer recorded.")

    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/appeals/?shown=all")
    page.click(f"#appeals >> text={appeal.reference}")
    page.click("button:has-text('Close the appeal')")
    page.wait_for_selector("text=Appeal closed.")
    assert page.inner_text("#status") == "closed"
    page.screenshot(path=str(ARTIFACTS / "14-appeal-closed.png"), full_page=True)
    appeal.refresh_from_db()
    assert (appeal.status, appeal.closed_by) == ("closed", coordinator)


def test_a_veteran_reads_plain_words_in_russian_on_a_phone(
    browser_page, live_server, transactional_db
):
    """Issue 17: at 390 px, in Russian, a veteran reads sentences and no score."""
    import re

    from tests.conftest import make_organisation, make_veteran

    branch = make_organisation(name="Fund branch, Moscow", region_id="77")
    coordinator = make_user("coordinator", branch, username="olga")
    account = make_user("veteran", username="sasha")
    veteran = make_veteran(coordinator=coordinator, recorded_by=coordinator, account=account)
    veteran.driving_licences = "B,C,CE"
    veteran.save(update_fields=["driving_licences"])
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, account)
    page.select_option("#language", "ru")
    page.wait_for_selector("html[lang=ru]")
    page.goto(f"{live_server.url}/veterans/{veteran.pk}/orientation/")
    text = page.inner_text("main")
    assert "Вы уже владеете" in text
    assert (
        "водительское удостоверение категории C"
        not in page.inner_text(".recommendations > li:first-child .explanation").split(
            "нужно добавить"
        )[-1]
    )
    assert not re.search(r"\b0[.,]\d\d\b", text)
    assert "оценка" not in text
    page.screenshot(path=str(ARTIFACTS / "17-veteran-orientation-ru-390.png"), full_page=True)
