"""Exact scoring against the published manuals: every band boundary, the missing-item
rules, the sex-specific cut-offs, the PCL-5 cluster rule and the PC-PTSD-5 gate."""

import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waypoint.wellbeing import instruments
from waypoint.wellbeing.scoring import ScoringError, parse_answers, score

ALL = sorted(instruments.all_instruments())


def run(instrument_id, answers, sex=None):
    return score(instruments.get(instrument_id), answers, sex)


def spread(total, n_items, top):
    """Answers to n items (each 0..top) that add up to total."""
    answers = []
    for _ in range(n_items):
        value = min(top, total)
        answers.append(value)
        total -= value
    assert total == 0
    return answers


def test_all_ten_instruments_are_shipped_with_texts_in_both_languages():
    assert set(ALL) >= {
        "phq9",
        "phq8",
        "phq2",
        "gad7",
        "gad2",
        "pcl5",
        "pcptsd5",
        "auditc",
        "k6",
        "k10",
    }
    for instrument in instruments.all_instruments().values():
        assert instrument.redistributable
        assert instrument.citation
        assert instrument.licence
        for item in instrument.items:
            assert item.text["en"]
            assert item.text["ru"]


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately severe"),
        (19, "moderately severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands_at_every_boundary(total, band):
    answers = [*spread(total, 8, 3), 0] if total <= 24 else [3] * 8 + [total - 24]
    result = run("phq9", answers)
    assert (result.total, result.band) == (total, band)
    assert result.positive is (total >= 10)


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_phq9_item_9_raises_safety_whatever_the_total(item9):
    result = run("phq9", [0] * 8 + [item9])
    assert result.total == item9
    assert result.band == "minimal"
    assert result.flags == ["safety"]
    assert not result.positive


def test_phq9_item_9_raises_safety_even_when_too_much_is_missing_to_score():
    result = run("phq9", [None, None, None, 0, 0, 0, 0, 0, 1])
    assert result.total is None
    assert result.flags == ["safety"]


def test_phq9_prorates_up_to_two_missing_items_and_refuses_three():
    # 8 answered summing to 9: 9 × 9 / 8 = 10.125 → 10
    assert run("phq9", [1, 1, 1, 1, 1, 1, 1, None, 2]).total == 10
    # 7 answered summing to 7: 7 × 9 / 7 = 9
    assert run("phq9", [1, 1, 1, 1, 1, 1, 1, None, None]).total == 9
    # half rounds up: 7 answered summing to 5 → 6.43 → 6; 8 answered summing to 4 → 4.5 → 5
    assert run("phq9", [1, 1, 1, 1, 1, 0, 0, None, None]).total == 6
    assert run("phq9", [1, 1, 1, 1, 0, 0, 0, None, 0]).total == 5
    refused = run("phq9", [1, 1, 1, 1, 1, 1, None, None, None])
    assert (refused.total, refused.band, refused.positive) == (None, None, False)
    assert refused.missing == ["7", "8", "9"]


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_bands(total, band):
    result = run("gad7", spread(total, 7, 3))
    assert (result.band, result.positive) == (band, total >= 10)


@pytest.mark.parametrize(("instrument", "n"), [("phq8", 8), ("phq9", 9)])
def test_phq8_has_the_phq9_bands_on_its_own_range(instrument, n):
    assert run(instrument, [3] * n).band == "severe"
    assert run("phq8", [3] * 8).total == 24


@pytest.mark.parametrize("instrument", ["phq2", "gad2"])
@pytest.mark.parametrize(
    ("answers", "positive"),
    [([1, 1], False), ([2, 0], False), ([2, 1], True), ([0, 3], True), ([3, 3], True)],
)
def test_two_item_screeners_are_positive_at_3(instrument, answers, positive):
    result = run(instrument, answers)
    assert result.positive is positive
    assert result.band is None


@pytest.mark.parametrize("instrument", ["phq2", "gad2"])
def test_two_item_screeners_are_not_scored_with_an_item_missing(instrument):
    assert run(instrument, [3, None]).total is None


def test_screeners_name_their_full_instrument():
    assert instruments.get("phq2").full_instrument == "phq9"
    assert instruments.get("gad2").full_instrument == "gad7"
    assert instruments.get("pcptsd5").full_instrument == "pcl5"


def test_pcl5_total_and_clusters():
    answers = list(range(5)) * 4  # 0,1,2,3,4 repeated
    result = run("pcl5", answers)
    assert result.total == 40
    assert result.subscales == {
        "B": 10,
        "C": 1,
        "D": 2 + 3 + 4 + 0 + 1 + 2 + 3,
        "E": 4 + 0 + 1 + 2 + 3 + 4,
    }
    assert result.positive  # cut-point 33


@pytest.mark.parametrize(("total", "positive"), [(32, False), (33, True)])
def test_pcl5_cut_point(total, positive):
    assert run("pcl5", spread(total, 20, 4)).positive is positive


def _pcl5(b=0, c=0, d=0, e=0, rating=2):
    """Answers with the first b, c, d, e items of each cluster rated `rating`, others 1."""
    answers = [1] * 20
    for start, count in ((0, b), (5, c), (7, d), (14, e)):
        for offset in range(count):
            answers[start + offset] = rating
    return answers


def test_pcl5_provisional_diagnosis_needs_1_b_1_c_2_d_2_e_items_at_2_or_more():
    assert "provisional_diagnosis" in run("pcl5", _pcl5(1, 1, 2, 2)).flags
    for short in [(0, 1, 2, 2), (1, 0, 2, 2), (1, 1, 1, 2), (1, 1, 2, 1)]:
        assert "provisional_diagnosis" not in run("pcl5", _pcl5(*short)).flags
    # a 1 ("a little bit") is not a symptom, however many
    assert run("pcl5", [1] * 20).flags == []
    assert "provisional_diagnosis" in run("pcl5", _pcl5(5, 2, 7, 6, rating=4)).flags


def test_pcl5_is_not_scored_with_an_item_missing():
    result = run("pcl5", [4] * 19 + [None])
    assert result.total is None
    assert result.subscales == {"B": None, "C": None, "D": None, "E": None}
    assert "provisional_diagnosis" not in result.flags


def test_pcptsd5_scores_0_when_the_trauma_gate_is_no():
    result = run("pcptsd5", [0, None, None, None, None, None])
    assert (result.total, result.positive) == (0, False)
    assert run("pcptsd5", [0, 1, 1, 1, 1, 1]).total == 0


@pytest.mark.parametrize(
    ("items", "positive"),
    [([1, 1, 0, 0, 0], False), ([1, 1, 1, 0, 0], True), ([1, 1, 1, 1, 1], True)],
)
def test_pcptsd5_counts_yes_answers_after_a_yes_gate(items, positive):
    result = run("pcptsd5", [1, *items])
    assert (result.total, result.positive) == (sum(items), positive)


def test_pcptsd5_without_the_gate_or_with_an_item_missing_is_not_scored():
    assert run("pcptsd5", [None, 1, 1, 1, 1, 1]).total is None
    assert run("pcptsd5", [1, 1, 1, None, 1, 1]).total is None


@pytest.mark.parametrize(
    ("answers", "sex", "positive"),
    [
        ([1, 1, 1], "m", False),
        ([2, 1, 1], "m", True),
        ([1, 1, 0], "f", False),
        ([1, 1, 1], "f", True),
        ([4, 4, 4], "f", True),
        ([0, 0, 0], "m", False),
    ],
)
def test_auditc_cut_offs_differ_by_sex(answers, sex, positive):
    assert run("auditc", answers, sex).positive is positive


def test_auditc_without_sex_is_refused_naming_the_field():
    with pytest.raises(ScoringError, match=r"^sex: .*4 or more for men, 3 or more for women"):
        run("auditc", [1, 1, 1])


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (10, "low"),
        (15, "low"),
        (16, "moderate"),
        (21, "moderate"),
        (22, "high"),
        (29, "high"),
        (30, "very high"),
        (50, "very high"),
    ],
)
def test_k10_bands(total, band):
    answers = [v + 1 for v in spread(total - 10, 10, 4)]
    result = run("k10", answers)
    assert (result.total, result.band, result.positive) == (total, band, total >= 22)


def test_k10_imputes_one_missing_item_and_refuses_two():
    # nine answers of 2 → mean 2 → 20
    assert run("k10", [2] * 9 + [None]).total == 20
    assert run("k10", [2] * 8 + [None, None]).total is None
    with pytest.raises(ScoringError, match="answer 1"):
        run("k10", [0] * 10)  # K10 answers run 1-5


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "low"), (4, "low"), (5, "moderate"), (12, "moderate"), (13, "serious"), (24, "serious")],
)
def test_k6_bands(total, band):
    result = run("k6", spread(total, 6, 4))
    assert (result.band, result.positive) == (band, total >= 13)


@pytest.mark.parametrize(
    ("instrument_id", "answers", "message"),
    [
        ("phq9", [1] * 8, r"answers: PHQ-9 has 9 answers"),
        ("phq9", [1] * 8 + [4], r"answer 9 \(item 9\) is 4; it must be one of 0, 1, 2, 3"),
        ("pcptsd5", [1, 1, 1, 1, 1], r"the gate question first, then 5 items"),
        ("gad7", [-1] * 7, r"answer 1"),
    ],
)
def test_wrong_answers_are_refused_naming_the_rule(instrument_id, answers, message):
    with pytest.raises(ScoringError, match=message):
        run(instrument_id, answers)


def test_parse_answers_reads_empty_fields_as_missing():
    assert parse_answers("3,,1") == [3, None, 1]
    with pytest.raises(ScoringError, match="answer 2 is 'x'"):
        parse_answers("1,x")


@st.composite
def complete_answers(draw, instrument_id):
    instrument = instruments.get(instrument_id)
    return [draw(st.sampled_from(item.values)) for item in instrument.items]


@pytest.mark.parametrize("instrument_id", ALL)
def test_totals_stay_in_range_and_bands_cover_it(instrument_id):
    instrument = instruments.get(instrument_id)
    low, high = instrument.total_range()

    @given(complete_answers(instrument_id), st.sampled_from(["m", "f"]))
    def check(answers, sex):
        result = score(instrument, answers, sex)
        assert low <= result.total <= high or (instrument.gate and result.total == 0)
        if instrument.scoring.get("bands"):
            assert result.band is not None

    check()


@pytest.mark.parametrize(
    "instrument_id", [i for i in ALL if instruments.get(i).scoring.get("bands")]
)
def test_bands_are_monotone_in_the_total(instrument_id):
    instrument = instruments.get(instrument_id)
    order = [band["name"] for band in instrument.scoring["bands"]]

    @given(complete_answers(instrument_id), complete_answers(instrument_id))
    def check(first, second):
        a, b = score(instrument, first, "m"), score(instrument, second, "m")
        if a.total <= b.total:
            assert order.index(a.band) <= order.index(b.band)
            assert a.positive <= b.positive

    check()


@given(
    st.lists(st.sampled_from([0, 1, 2, 3]), min_size=9, max_size=9),
    st.sets(st.integers(0, 8), max_size=2),
)
def test_prorated_phq9_stays_in_range(answers, gaps):
    with_gaps = [None if i in gaps else v for i, v in enumerate(answers)]
    result = run("phq9", with_gaps)
    assert 0 <= result.total <= 27


# The command line --------------------------------------------------------------------


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "waypoint", "wellbeing", "score", *args],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )


def test_cli_prints_one_json_object_without_any_configuration():
    done = cli("phq9", "--answers", "3,,1,0,0,0,0,0,1", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["total"] == 6
    assert result["band"] == "mild"
    assert result["positive"] is False
    assert result["flags"] == ["safety"]
    assert result["subscales"] == {}


def test_reasons_are_data_read_in_english_without_django():
    reason = score(instruments.get("auditc"), [2, 1, 1], "m").reasons[0]
    assert (reason.message, reason.params) == ("cut-off for men: %(cut)s", {"cut": 4})
    done = cli("gad7", "--answers", "1,,,,1,1,1", "--json")
    assert json.loads(done.stdout)["reasons"] == [
        "not scored: 3 items unanswered, the rule allows 2"
    ]


def test_cli_pcl5_and_auditc():
    pcl5 = json.loads(cli("pcl5", "--answers", ",".join(["2"] * 20), "--json").stdout)
    assert pcl5["total"] == 40
    assert pcl5["subscales"] == {"B": 10, "C": 4, "D": 14, "E": 12}
    assert "provisional_diagnosis" in pcl5["flags"]
    women = json.loads(cli("auditc", "--answers", "1,1,1", "--sex", "f", "--json").stdout)
    assert women["positive"] is True


def test_cli_not_scorable_prints_null_total():
    result = json.loads(cli("gad7", "--answers", "1,,,,1,1,1", "--json").stdout)
    assert result["total"] is None
    assert result["band"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["phq9", "--answers", "1,2"], "answers: PHQ-9 has 9 answers"),
        (["phq9", "--answers", "1,1,1,1,1,1,1,1,7"], "must be one of 0, 1, 2, 3"),
        (["nope", "--answers", "1"], "instrument: 'nope' is unknown"),
        (["auditc", "--answers", "1,1,1"], "sex:"),
        (["auditc", "--answers", "1,1,1", "--sex", "x"], "invalid choice"),
    ],
)
def test_cli_bad_input_exits_2_with_a_message(args, message):
    done = cli(*args, "--json")
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""
