"""Pages that used inline scripts work under the Content-Security-Policy (the browser_page
fixture fails any flow in which Chromium refused something)."""

from tests.browser.test_main_flow import ARTIFACTS, browser_page, pytestmark, sign_in  # noqa: F401
from tests.conftest import make_organisation, make_user, make_veteran


def test_tabs_print_and_the_admin_under_the_policy(
    browser_page,  # noqa: F811
    live_server,
    transactional_db,
):
    from tests.orientation.test_plans import prepare
    from waypoint.accounts.models import User

    branch = make_organisation(name="Fund branch, Moscow", region_id="77")
    coordinator = make_user("coordinator", branch, username="irina")
    veteran = make_veteran(coordinator=coordinator, recorded_by=coordinator)
    prepare(coordinator, veteran)
    page = browser_page
    sign_in(page, live_server, coordinator)

    page.goto(f"{live_server.url}/veterans/{veteran.pk}/")
    page.click("[data-tabs] a[href='?tab=consents']")
    page.wait_for_selector("[data-tabs] a[href='?tab=consents'][aria-selected=true]")
    assert page.get_attribute("[data-tabs] a[href='?tab=profile']", "aria-selected") == "false"

    page.goto(f"{live_server.url}/veterans/{veteran.pk}/plan/")
    page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")
    page.click("[data-print]")
    assert page.get_attribute("body", "data-printed") == "yes"

    chief = make_user(
        "administrator", branch, username="chief", is_staff=True, scope=User.Scope.ALL
    )
    sign_in(page, live_server, chief)
    page.goto(f"{live_server.url}/admin/accounts/user/{coordinator.pk}/change/")
    page.wait_for_selector("#id_username")
    page.screenshot(path=str(ARTIFACTS / "policy-admin.png"), full_page=True)


def test_the_appeal_form_keys_under_the_policy(
    browser_page,  # noqa: F811
    live_server,
    transactional_db,
):
    from waypoint.accounts.models import Organisation

    hotline = make_organisation(name="Hotline", kind=Organisation.Kind.CALL_CENTRE)
    operator = make_user("call_centre_operator", hotline, username="olga")
    page = browser_page
    sign_in(page, live_server, operator)
    page.goto(f"{live_server.url}/appeals/new/")
    page.fill("#veteran-q", "Иванов")
    page.press("#veteran-q", "Enter")  # searches, never submits the half-filled appeal
    assert page.url.endswith("/appeals/new/")
    page.press("#veteran-q", "Control+Enter")  # submits: the form answers with its errors
    page.wait_for_selector("[role=alert]")
