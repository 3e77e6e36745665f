"""The import flow in a real browser, in Russian at phone width: upload, the check's
progress, the report, the confirmation, the import. The worker runs between the steps; the
page learns of it by polling."""

import io
import re

from django.core.management import call_command

from tests.browser.test_main_flow import ARTIFACTS, browser_page, pytestmark, sign_in  # noqa: F401
from tests.conftest import make_organisation, make_user
from waypoint.people.models import Veteran

ROWS = [
    "last_name,first_name,birth_date,sex,phone,region,consent_personal_data",
    "Волков,Сергей,1987-06-01,m,+79160000001,77,да",
    "Лебедева,Анна,1992-03-12,ж,+79160000002,66,да",
    "Орлов,Иван,2090-01-01,m,+79160000003,77,да",
]
# Column names and values the file itself must use, the file's name, the product's name.
ALLOWED_LATIN = {"Waypoint", "veterans.csv", "birth_date", "GDPR"}


def run_worker() -> None:
    call_command("worker", "--once", stdout=io.StringIO(), stderr=io.StringIO())


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"import-{name}.png"), full_page=True)
    latin = set(re.findall(r"[A-Za-z][\w.\-]*", page.inner_text("body"))) - ALLOWED_LATIN
    assert latin == set(), f"English on the Russian page: {sorted(latin)}"


def test_coordinator_imports_a_file_in_russian_on_a_phone(
    browser_page,  # noqa: F811
    live_server,
    transactional_db,
    tmp_path,
    settings,
):
    settings.WAYPOINT_HOME = tmp_path
    coordinator = make_user(
        "coordinator",
        make_organisation(region_id="77"),
        username="irina",
        first_name="Ирина",
        last_name="Соколова",
    )
    page = browser_page
    sign_in(page, live_server, coordinator)
    page.select_option("#language", "ru")
    page.wait_for_selector("html[lang=ru]")
    page.set_viewport_size({"width": 390, "height": 844})
    upload = tmp_path / "veterans.csv"
    upload.write_text("\n".join(ROWS) + "\n", encoding="utf-8")

    page.goto(f"{live_server.url}/import/")
    page.set_input_files("#id_file", str(upload))
    page.check("#id_skip_invalid")
    page.click("main button[type=submit]")
    page.wait_for_selector("#import-job[hx-trigger]")  # queued: the page polls
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "1-waiting")

    run_worker()  # the check
    page.wait_for_selector("text=Проверено", timeout=15_000)
    assert "дата рождения не может быть в будущем" in page.inner_text("#import-job")
    shot(page, "2-report")
    assert not Veteran.objects.exists()

    page.click("#import-job button.primary")
    page.wait_for_selector("text=Ожидает записи")
    run_worker()  # the import
    page.wait_for_selector("text=Зарегистрировано новых ветеранов", timeout=15_000)
    shot(page, "3-imported")
    assert Veteran.objects.count() == 2
