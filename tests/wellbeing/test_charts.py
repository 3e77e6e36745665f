"""One chart per instrument on its own scale, its bands from the definition, dates in the
reader's format and a text alternative; "My answers" with dates, names, results in words and
the answers themselves; and who sees none of it."""

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone, translation

from tests.wellbeing.world import consent
from waypoint.people import services as people
from waypoint.people.models import Consent
from waypoint.wellbeing import charts, instruments, services
from waypoint.wellbeing.models import CareTeam, Response

MOSCOW = timezone.get_fixed_timezone(180)


def result(instrument_id: str, total: int, day: int, *, sex: str = "") -> Response:
    """An unsaved response, scored as the instrument's rules score it, on 2026-03-<day>."""
    instrument = instruments.get(instrument_id)
    band = next(
        (b["name"] for b in instrument.scoring.get("bands", []) if b["min"] <= total <= b["max"]),
        "",
    )
    return Response(
        instrument=instrument_id,
        total=total,
        band=band,
        positive=total >= (instrument.cut_off(sex) or 10**6),
        sex=sex,
        submitted_at=datetime(2026, 3, day, 12, tzinfo=MOSCOW),
    )


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_one_chart_per_instrument_each_on_its_own_scale():
    responses = [
        result("phq2", 4, 1),
        result("phq9", 16, 1),
        result("gad7", 6, 1),
        result("auditc", 5, 1, sex="m"),
        result("phq9", 9, 20),
        result("k10", 25, 20),
    ]
    with translation.override("en"):
        drawn = charts.for_responses(responses, "en")
    # Instruments with severity bands first, then cut-off only, then the two-stage screeners.
    assert [c.slug for c in drawn] == ["gad7", "k10", "phq9", "auditc", "phq2"]
    for chart in drawn:
        low, high = instruments.get(chart.slug).total_range()
        assert (chart.low, chart.high) == (low, high)
        ticks = texts(chart.svg)
        assert str(high) in ticks
        assert str(low) in ticks
        assert chart.svg.count("<svg") == 1
    phq9 = next(c for c in drawn if c.slug == "phq9")
    assert (phq9.low, phq9.high) == (0, 27)
    assert [p.total for p in phq9.points] == [16, 9]
    assert "Total score, 0–27" in phq9.svg
    assert ">Date<" in phq9.svg
    k10 = next(c for c in drawn if c.slug == "k10")
    assert (k10.low, k10.high) == (10, 50)  # K10 starts at 10, not 0


@pytest.mark.parametrize("instrument_id", sorted(instruments.all_instruments()))
def test_bands_come_from_the_definition(instrument_id):
    instrument = instruments.get(instrument_id)
    low, high = instrument.total_range()
    sex = "f" if instrument.needs_sex else ""
    with translation.override("en"):
        chart = charts.chart(instrument, [result(instrument_id, high, 1, sex=sex)], "en")
    defined = instrument.scoring.get("bands", [])
    if defined:
        assert [(b.low, b.high, b.label) for b in chart.bands] == [
            (band["min"], band["max"], band["name"]) for band in defined
        ]
    else:  # a cut-off only: below it and from it up
        cut = instrument.cut_off(sex)
        assert [(b.low, b.high) for b in chart.bands] == [(low, cut - 1), (cut, high)]
        assert [b.label for b in chart.bands] == ["below the cut-off", "positive screen"]
    drawn = texts(chart.svg)
    for band in chart.bands:
        assert f"{band.label} {band.low}–{band.high}" in drawn
        assert f'fill="{band.shade}"' in chart.svg
    # The least severe band is the palest green, the most severe the red.
    assert chart.bands[0].shade == charts.SHADES[0]
    assert chart.bands[-1].shade == charts.SHADES[-1]


def test_band_names_in_russian_and_the_auditc_cut_off_by_sex():
    with translation.override("ru"):
        phq9 = charts.chart(instruments.get("phq9"), [result("phq9", 12, 1)], "ru")
        women = charts.chart(instruments.get("auditc"), [result("auditc", 3, 1, sex="f")], "ru")
        men = charts.chart(instruments.get("auditc"), [result("auditc", 3, 1, sex="m")], "ru")
    assert [b.label for b in phq9.bands] == [
        "минимальная",
        "лёгкая",
        "умеренная",
        "умеренно тяжёлая",
        "тяжёлая",
    ]
    assert phq9.rows == [("01.03.2026", 12, "умеренная")]
    assert [(b.low, b.high) for b in women.bands] == [(0, 2), (3, 12)]
    assert [(b.low, b.high) for b in men.bands] == [(0, 3), (4, 12)]
    assert women.rows[0][2] == "положительный скрининг"
    assert men.rows[0][2] == "ниже порогового значения"


def test_dates_in_the_readers_format_and_a_text_alternative():
    responses = [result("gad7", 12, 1), result("gad7", 7, 28)]
    with translation.override("ru"):
        russian = charts.for_responses(responses, "ru")[0]
    with translation.override("en"):
        english = charts.for_responses(responses, "en")[0]
    assert "01.03.2026" in texts(russian.svg)
    assert "28.03.2026" in texts(russian.svg)
    assert "1\u00a0Mar\u00a02026" in texts(english.svg)
    assert "2026-03" not in russian.svg + english.svg
    # The picture names itself and says what it shows in a sentence screen readers read.
    assert 'role="img"' in english.svg
    assert 'aria-labelledby="chart-gad7-title chart-gad7-desc"' in english.svg
    assert '<title id="chart-gad7-title">Generalized Anxiety Disorder scale (GAD-7)</title>' in (
        english.svg
    )
    assert english.summary == (
        "GAD-7, scale 0–21: 2 results from 1\u00a0Mar\u00a02026 to 28\u00a0Mar\u00a02026; "
        "the latest is 7 (mild)."
    )
    assert f'<desc id="chart-gad7-desc">{english.summary}</desc>' in english.svg
    assert russian.summary.startswith("GAD-7, шкала 0–21: 2 результата с 01.03.2026 по 28.03.2026")
    assert english.rows == [
        ("1\u00a0Mar\u00a02026", 12, "moderate"),
        ("28\u00a0Mar\u00a02026", 7, "mild"),
    ]


def test_the_results_in_words():
    phq9 = instruments.get("phq9")
    with translation.override("ru"):
        assert charts.score_text(phq9, result("phq9", 16, 1), "ru") == "16 из 27: умеренно тяжёлая"
        unscored = Response(instrument="phq9", total=None)
        assert charts.score_text(phq9, unscored, "ru") == "баллы не подсчитаны"
    with translation.override("en"):
        phq2 = instruments.get("phq2")
        assert charts.score_text(phq2, result("phq2", 4, 1), "en") == "4 of 6: positive screen"
        assert charts.score_text(phq2, result("phq2", 1, 1), "en") == "1 of 6: below the cut-off"


# Pages ------------------------------------------------------------------------------------


@pytest.fixture
def screened(veteran_user, coordinator, clinician):
    """`veteran_user`'s record with two screenings: PHQ-2 and PHQ-9 a month ago, PHQ-2 today."""
    from tests.conftest import make_veteran

    CareTeam.objects.create(organisation=clinician.organisation, on_duty=clinician)
    veteran = make_veteran(account=veteran_user, coordinator=coordinator, last_name="Орлов")
    consent(veteran, veteran_user)
    record = services.open_record(actor=veteran_user, veteran=veteran)
    first = record.screenings.get()
    services.submit_response(
        actor=veteran_user, screening=first, instrument_id="phq2", answers=[3, 2]
    )
    services.submit_response(
        actor=veteran_user,
        screening=first,
        instrument_id="phq9",
        answers=[3, 2, 2, 2, 1, 1, 1, 1, 0],
    )
    month_ago = timezone.now() - timedelta(days=30)
    Response._base_manager.filter(screening=first).update(submitted_at=month_ago)
    second = services.schedule_screening(
        actor=clinician, record=record, due_on=timezone.localdate()
    )
    services.submit_response(
        actor=veteran_user, screening=second, instrument_id="phq2", answers=[1, 0]
    )
    return veteran


def _ru(client) -> None:
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"


def test_the_clinician_sees_a_chart_per_instrument(client, screened, clinician):
    client.force_login(clinician)
    _ru(client)
    page = client.get(f"/wellbeing/veterans/{screened.pk}/").content.decode()
    assert page.count('class="scorechart"') == 2
    assert page.index('id="chart-phq9"') < page.index('id="chart-phq2"')
    assert "Опросник состояния здоровья (PHQ-9)" in page
    assert "умеренно тяжёлая 15–19" in page
    assert "Результаты в виде таблицы" in page
    assert timezone.localdate().strftime("%d.%m.%Y") in page


def test_my_answers_show_dates_names_results_and_the_answers(client, screened, veteran_user):
    client.force_login(veteran_user)
    _ru(client)
    page = client.get("/me/wellbeing/").content.decode()
    section = page[page.index('id="results"') : page.index('id="programmes"')]
    assert page.count('class="scorechart"') == 2
    # Newest first, each screening dated in the reader's format.
    today = timezone.localdate().strftime("%d.%m.%Y")
    month_ago = (timezone.localdate() - timedelta(days=30)).strftime("%d.%m.%Y")
    assert section.index(today) < section.index(month_ago)
    assert "Опросник состояния здоровья (PHQ-9)" in section
    assert "13 из 27: умеренная" in section
    assert "1 из 6: ниже порогового значения" in section
    assert "5 из 6: положительный скрининг" in section
    # The answers as the question and the answer chosen, in words (no codes, no values).
    assert "У вас было плохое настроение, вы были подавлены" in section
    assert "— <strong>Почти каждый день</strong>" in section
    assert "phq9" not in section
    assert "3 · " not in section


def test_my_answers_follow_the_record_gate(client, screened, veteran_user, coordinator):
    """Only the person reads them, and only while consent stands; another veteran and the
    coordinator read nothing of them."""
    from tests.conftest import make_user, make_veteran

    client.force_login(veteran_user)
    people.withdraw_consent(actor=veteran_user, veteran=screened, purpose=Consent.Purpose.WELLBEING)
    page = client.get("/me/wellbeing/").content.decode()
    assert "Feeling down, depressed, or hopeless" not in page
    assert "scorechart" not in page

    other = make_user("veteran")
    make_veteran(account=other, coordinator=coordinator, last_name="Зайцев")
    client.force_login(other)
    page = client.get("/me/wellbeing/").content.decode()
    assert "Feeling down" not in page
    assert "scorechart" not in page
    client.force_login(coordinator)
    assert client.get("/me/wellbeing/").status_code == 403


def test_no_chart_data_reaches_a_commander(client, screened, clinician, commander):
    services.notify_command(
        actor=clinician,
        record=screened.wellbeing_record,
        command=commander.organisation,
        standard="harm_to_self",
        limitations=["no_weapons"],
        until=timezone.localdate() + timedelta(days=30),
        support="Беседы раз в неделю",
    )
    client.force_login(commander)
    for url in (
        f"/wellbeing/veterans/{screened.pk}/",
        f"/wellbeing/records/{screened.pk}/",
        "/me/wellbeing/",
        f"/api/v1/wellbeing/veterans/{screened.pk}",
    ):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert b"scorechart" not in response.content
    notices = client.get("/command/notices/").content.decode()
    assert "Беседы раз в неделю" in notices
    for leak in ("<svg", "scorechart", "PHQ", "15–19", "moderately severe", "positive screen"):
        assert leak not in notices


def test_the_record_keeper_sees_the_charts_too(client, screened):
    from tests.conftest import make_organisation, make_user
    from waypoint.accounts.models import Organisation

    keeper = make_user("clinical_record_keeper", make_organisation(kind=Organisation.Kind.CLINIC))
    client.force_login(keeper)
    page = client.get(f"/wellbeing/records/{screened.pk}/").content.decode()
    assert page.count('class="scorechart"') == 2
