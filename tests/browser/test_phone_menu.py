"""At phone width the menu is one button: closed on arrival, opened by keyboard or touch
without a script of ours, every entry then reachable (issue 18)."""

from tests.browser.test_main_flow import ARTIFACTS, browser_page, pytestmark, sign_in  # noqa: F401
from tests.conftest import make_organisation, make_user
from waypoint.accounts.models import User


def test_the_menu_folds_at_375_px_and_opens_from_the_keyboard(
    browser_page,  # noqa: F811
    live_server,
    transactional_db,
):
    admin = make_user(
        "administrator",
        make_organisation(name="Фонд, центральный аппарат"),
        username="chief",
        is_staff=True,
        scope=User.Scope.ALL,
    )
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, live_server, admin)
    page.select_option("#language", "ru")
    page.wait_for_selector("html[lang=ru]")

    assert page.get_attribute(".menu", "open") is None
    assert not page.is_visible(".menu nav a[href='/veterans/']")
    assert page.evaluate("document.querySelector('.topbar').offsetHeight") < 70
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "18-menu-375-closed.png"))

    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.menu > summary')"):
            break
    assert page.inner_text(".menu > summary").strip() == "Меню"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    page.wait_for_selector(".menu[open]")
    links = page.locator(".menu nav a")
    assert links.count() > 10
    assert all(links.nth(n).is_visible() for n in range(links.count()))
    assert page.is_visible(".menu button:has-text('Выйти')")
    page.screenshot(path=str(ARTIFACTS / "18-menu-375-open.png"))
    page.keyboard.press("Escape")
    assert page.get_attribute(".menu", "open") is None
    assert page.evaluate("document.activeElement.matches('.menu > summary')")
    page.keyboard.press("Enter")
    page.wait_for_selector(".menu[open]")

    page.click(".menu nav a:has-text('Администрирование')")
    page.wait_for_url(f"{live_server.url}/manage/")
    assert page.get_attribute(".menu", "open") is None
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.set_viewport_size({"width": 1280, "height": 800})
    assert page.is_visible(".menu nav a[href='/veterans/']")
    assert not page.is_visible(".menu > summary")
