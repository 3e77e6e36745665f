"""Each role's home in a real browser, in Russian, on a phone: one world and one browser, a
check per role (a subtest each) that signs in and finds the work waiting there. Screenshots:
test-artifacts/home-<role>.png."""

from tests.browser.test_main_flow import ARTIFACTS, browser_page, pytestmark, sign_in  # noqa: F401
from tests.web.home_world import build_home_world

PHONE = {"width": 390, "height": 844}


def test_each_role_finds_its_work_at_home_in_russian(
    browser_page,  # noqa: F811
    live_server,
    transactional_db,
    subtests,
):
    world = build_home_world()
    # role → (the section's id, what must be in it)
    expected = {
        "coordinator": ("caseload", "Запросить справку из военкомата", "просрочено на 3 дня"),
        "counsellor": ("caseload", "Задача профконсультанта", "просрочено на 2 дня"),
        "clinician": ("care", "Срочные оповещения", "Смирнов Алексей Сергеевич"),
        "operator": ("hotline", "Новое обращение", world.overdue_appeal.reference),
        "employer": ("employer", "Собеседов Иван Сергеевич", "3 месяца после выхода на работу"),
        "provider": ("provider", "Машинист крана", "осталось 5 мест"),
        "commander": ("command", "Смирнов Алексей Сергеевич", "без доступа к оружию"),
        "analyst": ("figures", "Основные показатели", "Открытых вакансий"),
        "veteran": ("mine", "Согласовать план с координатором", "Марина Белова"),
        "admin": ("accounts", "Без роли", "spyaschiy"),
        "auditor": ("audit", "Выгрузки данных за последние 7 дней", "people.veteran.export"),
    }
    page = browser_page
    page.set_viewport_size(PHONE)
    for role, (section, *texts) in expected.items():
        with subtests.test(role=role):
            sign_in(page, live_server, getattr(world, role), language="ru")
            assert page.get_attribute("html", "lang") == "ru"
            found = page.inner_text(f"#{section}")
            for text in texts:
                assert text in found
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            page.screenshot(path=str(ARTIFACTS / f"home-{role}.png"), full_page=True)
