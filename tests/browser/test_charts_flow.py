"""The well-being charts and "My answers" as people see them: on a 390-pixel phone, in
Russian, for the clinician and for the veteran; nothing runs off the side of the screen."""

from datetime import timedelta

from tests.browser.test_main_flow import ARTIFACTS, browser_page, pytestmark, sign_in  # noqa: F401
from tests.conftest import make_organisation, make_user, make_veteran

PHONE = {"width": 390, "height": 844}


def _russian(page, live_server) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "ru", "url": live_server.url}])


def test_clinician_and_veteran_read_the_charts_on_a_phone_in_russian(
    browser_page,  # noqa: F811
    live_server,
    transactional_db,
):
    from django.utils import timezone

    from tests.wellbeing.world import consent
    from waypoint.accounts.models import Organisation
    from waypoint.wellbeing import services
    from waypoint.wellbeing.models import CareTeam, Response

    clinic = make_organisation(name="Госпиталь ветеранов", kind=Organisation.Kind.CLINIC)
    clinician = make_user("clinician", clinic, username="vera")
    CareTeam.objects.create(organisation=clinic, on_duty=clinician)
    account = make_user("veteran", username="alexey")
    veteran = make_veteran(account=account, last_name="Смирнов")
    consent(veteran, account)
    record = services.open_record(actor=account, veteran=veteran)
    for months_ago, phq2, phq9 in ((6, [3, 3], [3, 3, 2, 3, 2, 2, 2, 1, 0]), (0, [2, 1], None)):
        screening = services.schedule_screening(
            actor=clinician, record=record, due_on=timezone.localdate()
        )
        services.submit_response(
            actor=account, screening=screening, instrument_id="phq2", answers=phq2
        )
        if phq9:
            services.submit_response(
                actor=account, screening=screening, instrument_id="phq9", answers=phq9
            )
        when = timezone.now() - timedelta(days=30 * months_ago)
        Response._base_manager.filter(screening=screening).update(submitted_at=when)
    page = browser_page
    page.set_viewport_size(PHONE)

    sign_in(page, live_server, account)
    _russian(page, live_server)
    page.goto(f"{live_server.url}/me/wellbeing/")
    assert page.locator("svg.scorechart").count() == 2
    results = page.inner_text("#results")
    assert "Опросник состояния здоровья (PHQ-9)" in results
    assert "18 из 27: умеренно тяжёлая" in results
    page.locator("#results details").first.click()
    assert "Вам не хотелось ничего делать" in page.inner_text("#results")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "30-veteran-my-answers-ru-390.png"), full_page=True)

    sign_in(page, live_server, clinician)
    _russian(page, live_server)
    page.goto(f"{live_server.url}/wellbeing/veterans/{veteran.pk}/")
    charts = page.locator("svg.scorechart")
    assert charts.count() == 2
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
    assert "умеренно тяжёлая 15–19" in page.text_content("#chart-phq9")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "31-clinician-charts-ru-390.png"), full_page=True)
