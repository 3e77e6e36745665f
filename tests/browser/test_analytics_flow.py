"""Analytics in a real browser: an analyst opens the dashboard, applies a filter, downloads
an export and opens the anonymised list behind a number."""

from tests.browser.test_main_flow import ARTIFACTS, browser_page, pytestmark, sign_in  # noqa: F401
from tests.conftest import make_organisation, make_user


def test_analyst_filters_the_dashboard_and_downloads_an_export(
    browser_page,  # noqa: F811
    live_server,
    transactional_db,
):
    from tests.analytics.world import build
    from waypoint.accounts.models import Organisation

    branch = make_organisation(name="Fund branch, Moscow", region_id="77")
    coordinator = make_user("coordinator", branch, username="marina")
    build(coordinator)
    centre = make_organisation(name="Labour ministry", kind=Organisation.Kind.EMPLOYMENT_CENTRE)
    analyst = make_user("labour_analyst", centre, username="lena")
    page = browser_page
    sign_in(page, live_server, analyst)
    page.goto(f"{live_server.url}/analytics/")
    page.fill("#since", "2026-01-01")
    page.fill("#until", "2026-06-30")
    page.click("#filters button[type=submit]")
    # The analyst's own dashboard first: key figures, the monthly trend, the shortage bars.
    assert "Openings in open vacancies" in page.inner_text("#key-figures")
    assert page.locator("svg.trend").count() == 1
    page.screenshot(path=str(ARTIFACTS / "17-analytics-overview.png"), full_page=True)
    page.click("[role=tab] >> text=Labour market")
    assert "Sverdlovsk" in page.inner_text("#demand-by-region")
    page.select_option("#region", "77")
    page.click("#filters button[type=submit]")
    regions = page.inner_text("#demand-by-region")
    assert "Moscow" in regions
    assert "Sverdlovsk" not in regions
    page.screenshot(path=str(ARTIFACTS / "18-analytics-market.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#shortage >> text=CSV")
    path = download.value.path()
    text = open(path, encoding="utf-8-sig").read()  # noqa: SIM115
    assert text.startswith("Region,Occupation group,Openings")
    assert "Moscow" in text
    assert download.value.suggested_filename == "shortage.csv"
    # From a number to the people behind it: Moscow's placement row, anonymised for the analyst.
    page.click("[role=tab] >> text=Outcomes")
    page.click("#placement-by-region a >> text=Moscow")
    page.wait_for_url("**/analytics/drill/outcomes/**")
    assert page.inner_text("h1") == "Region: Moscow"
    assert page.locator("#drill tbody tr").count() == 6
    assert "anonymised" in page.inner_text("#drill")
    page.screenshot(path=str(ARTIFACTS / "19-analytics-drill-outcomes.png"), full_page=True)
