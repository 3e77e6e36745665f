"""The tracks, stages and task types a fund starts with (administrators change them in the
admin), and the Russian production calendar for 2025 and 2026 (decrees of the Government of
the Russian Federation No. 1335 of 4 Oct 2024 and No. 1466 of 24 Sep 2025); later years are
entered by an administrator when their decree is published."""

from datetime import date, timedelta

from django.db import migrations

TRACKS = [
    ("return_previous", "Return to the previous employer", "Возвращение к прежнему работодателю"),
    ("rapid_employment", "Rapid employment", "Быстрое трудоустройство"),
    ("self_employment", "Self-employment or own business", "Самозанятость или своё дело"),
    ("training_then_employment", "Training, then employment", "Обучение, затем трудоустройство"),
    ("rehabilitation_first", "Rehabilitation before work", "Реабилитация перед работой"),
]
STAGES = [
    ("intake", "Intake", "Приём", False),
    ("assessment", "Assessment", "Оценка", False),
    ("plan", "Individual plan", "Индивидуальный план", False),
    ("training", "Training", "Обучение", False),
    ("job_search", "Job search", "Поиск работы", False),
    ("placed", "Placed", "Трудоустроен", False),
    ("follow_up", "Follow-up", "Сопровождение", False),
    ("closed", "Closed", "Закрыт", True),
]
# code, English, Russian, days, working days?, priority, grace days
TASK_TYPES = [
    ("assessment", "Assessment interview", "Оценочное собеседование", 10, True, 2, 2),
    ("plan", "Individual plan", "Индивидуальный план", 15, True, 2, 2),
    ("referral", "Answer a referral", "Ответ на направление", 5, True, 3, 1),
    ("appeal", "Answer an appeal (59-FZ)", "Ответ на обращение (59-ФЗ)", 30, False, 2, 0),
    ("appeal_urgent", "Answer an urgent appeal", "Ответ на срочное обращение", 1, True, 4, 0),
    ("documents", "Request documents", "Запрос документов", 10, True, 2, 2),
    ("follow_up_call", "Follow-up call", "Контрольный звонок", 3, True, 2, 2),
    ("other", "Other", "Прочее", 5, True, 2, 2),
]


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


DAYS_OFF = {
    2025: days(date(2025, 1, 1), date(2025, 1, 8))
    + [date(2025, 2, 23), date(2025, 3, 8)]
    + days(date(2025, 5, 1), date(2025, 5, 4))
    + days(date(2025, 5, 8), date(2025, 5, 11))
    + days(date(2025, 6, 12), date(2025, 6, 15))
    + days(date(2025, 11, 2), date(2025, 11, 4))
    + [date(2025, 12, 31)],
    2026: days(date(2026, 1, 1), date(2026, 1, 11))
    + [date(2026, 2, 23), date(2026, 3, 9)]
    + days(date(2026, 5, 1), date(2026, 5, 3))
    + days(date(2026, 5, 9), date(2026, 5, 11))
    + days(date(2026, 6, 12), date(2026, 6, 14))
    + [date(2026, 11, 4), date(2026, 12, 31)],
}
WORKING = [date(2025, 11, 1)]


def seed(apps, schema_editor):
    Track = apps.get_model("cases", "Track")
    Stage = apps.get_model("cases", "Stage")
    TaskType = apps.get_model("cases", "TaskType")
    Holiday = apps.get_model("cases", "Holiday")
    for position, (code, en, ru) in enumerate(TRACKS):
        Track.objects.create(code=code, name_en=en, name_ru=ru, position=position)
    for position, (code, en, ru, closed) in enumerate(STAGES):
        Stage.objects.create(code=code, name_en=en, name_ru=ru, position=position, is_closed=closed)
    for position, (code, en, ru, n, working, priority, grace) in enumerate(TASK_TYPES):
        TaskType.objects.create(
            code=code,
            name_en=en,
            name_ru=ru,
            position=position,
            days=n,
            working_days=working,
            priority=priority,
            grace_days=grace,
        )
    Holiday.objects.bulk_create(
        [Holiday(date=day, kind="day_off") for year in DAYS_OFF.values() for day in year]
        + [Holiday(date=day, kind="working") for day in WORKING]
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
