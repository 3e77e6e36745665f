"""Well-being in a real browser: a veteran consents and completes a due PHQ-2 that is positive,
is offered the PHQ-9 at once; the clinician finds the screening in the review queue and
enrols them in counselling; the coordinator's page shows only the derived fact."""

from tests.browser.test_main_flow import ARTIFACTS, browser_page, pytestmark, sign_in  # noqa: F401
from tests.conftest import make_organisation, make_user, make_veteran


def test_veteran_screens_clinician_enrols_coordinator_sees_only_the_fact(
    browser_page,  # noqa: F811
    live_server,
    transactional_db,
):
    from waypoint.accounts.models import Organisation
    from waypoint.wellbeing.models import CareTeam

    branch = make_organisation(name="Fund branch, Moscow", region_id="77")
    coordinator = make_user("coordinator", branch, username="marina")
    clinic = make_organisation(name="Госпиталь ветеранов", kind=Organisation.Kind.CLINIC)
    clinician = make_user("clinician", clinic, username="vera")
    CareTeam.objects.create(organisation=clinic, on_duty=clinician)
    account = make_user("veteran", username="alexey")
    veteran = make_veteran(account=account, coordinator=coordinator, last_name="Смирнов")
    page = browser_page

    sign_in(page, live_server, account)
    page.goto(f"{live_server.url}/me/wellbeing/")
    page.click("text=I agree: start screening")
    page.click("#due >> text=Answer now")
    assert page.get_attribute("#instrument", "data-instrument") == "phq2"
    page.check("#id_item_1_2")
    page.check("#id_item_2_2")
    page.screenshot(path=str(ARTIFACTS / "14-phq2.png"), full_page=True)
    page.click("#instrument button[type=submit]")
    # positive (4 ≥ 3): the PHQ-9 comes next, at once
    assert page.get_attribute("#instrument", "data-instrument") == "phq9"
    for item in range(1, 9):
        page.check(f"#id_item_{item}_2")
    page.check("#id_item_9_0")
    page.click("#instrument button[type=submit]")
    assert page.get_attribute("#instrument", "data-instrument") == "gad2"

    sign_in(page, live_server, clinician)
    page.goto(f"{live_server.url}/wellbeing/")
    queue = page.locator("#queue")
    assert "Смирнов" in queue.inner_text()
    assert "moderate" in queue.inner_text()  # PHQ-9 = 16: moderately severe, tier moderate
    queue.locator("a.button").first.click()
    assert "PHQ-9: 16" in page.inner_text("body")
    page.screenshot(path=str(ARTIFACTS / "15-clinician-review.png"), full_page=True)
    page.select_option("#enrol select[name=programme]", "counselling")
    page.click("#enrol button[type=submit]")
    assert "Enrolled; follow-up screenings are scheduled." in page.inner_text("body")

    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/veterans/{veteran.pk}/")
    facts = page.inner_text("#wellbeing-summary")
    assert "enrolled in a support programme" in facts
    body = page.inner_text("body")
    for secret in ("PHQ", "moderate", "tier", "score"):
        assert secret not in body
    page.screenshot(path=str(ARTIFACTS / "16-coordinator-fact.png"), full_page=True)
