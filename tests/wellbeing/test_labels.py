"""What a person reads for what the well-being records keep as codes."""

from django.utils import translation

from waypoint.training.models import Enrolment
from waypoint.wellbeing import instruments, labels
from waypoint.wellbeing.models import Screening, Tier
from waypoint.wellbeing.scoring import score


def test_instruments_by_name_and_title_never_by_id():
    assert labels.instrument_name("auditc") == "AUDIT-C"
    with translation.override("ru"):
        assert labels.instrument_title("phq2") == "Опросник состояния здоровья (PHQ-2)"
    assert labels.instrument_name("no-such") == "no-such"


def test_scoring_reasons_in_the_readers_language():
    """Scoring gives reasons as data; they read in the language of whoever looks at them."""
    auditc = instruments.get("auditc")
    reasons = score(auditc, [2, 1, 1], "m").reasons
    with translation.override("ru"):
        shown = [labels.reason(reason) for reason in reasons]
    assert shown == ["порог для мужчин: 4", "положительный: сумма 4 не ниже порога 4"]
    with translation.override("en"):
        assert labels.reason(score(auditc, [2, 1, 0], "f").reasons[0]) == "cut-off for women: 3"


def test_counted_reasons_and_flags_read_in_the_readers_language():
    phq9 = instruments.get("phq9")
    reasons = score(phq9, [3, 3, 3, 3, 3, 3, 3, None, 2]).reasons
    with translation.override("ru"):
        shown = [labels.reason(reason) for reason in reasons]
    assert shown[0].startswith("угроза безопасности: на вопрос 9 дан ответ 2")
    assert shown[1].startswith("без ответа 1 вопрос: ")


def test_one_english_word_two_russian_ones():
    with translation.override("ru"):
        assert Screening.Status.COMPLETED.label == "завершён"
        assert Enrolment.Status.COMPLETED.label == "окончил обучение"
        assert labels.band("moderate") == "умеренная"
        assert Tier.MODERATE.label == "умеренный"
        assert labels.rule("Any positive screen") == "Любой положительный скрининг"
        assert labels.rule("A rule an administrator wrote") == "A rule an administrator wrote"
