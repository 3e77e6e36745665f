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
    auditc = instruments.get("auditc")
    with translation.override("ru"):
        reasons = score(auditc, [2, 1, 1], "m").reasons
    assert reasons == ["порог для мужчин: 4", "положительный: сумма 4 не ниже порога 4"]
    with translation.override("en"):
        assert score(auditc, [2, 1, 0], "f").reasons[0] == "cut-off for women: 3"


def test_one_english_word_two_russian_ones():
    with translation.override("ru"):
        assert Screening.Status.COMPLETED.label == "завершён"
        assert Enrolment.Status.COMPLETED.label == "окончил обучение"
        assert labels.band("moderate") == "умеренная"
        assert Tier.MODERATE.label == "умеренный"
        assert labels.rule("Any positive screen") == "Любой положительный скрининг"
        assert labels.rule("A rule an administrator wrote") == "A rule an administrator wrote"
