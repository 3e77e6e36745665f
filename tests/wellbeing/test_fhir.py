"""FHIR R4 export and import: every built-in instrument survives the round trip with its scoring
rules, answers keep their gaps, and a bad resource is refused naming the FHIR path and rule."""

import copy
import json

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import given, settings
from hypothesis import strategies as st

from waypoint.wellbeing import instruments
from waypoint.wellbeing.fhir import (
    DEFINITION,
    ORDINAL,
    TRANSLATION,
    FhirError,
    answers_from_response,
    instrument_from_questionnaire,
    questionnaire,
    questionnaire_response,
)

ALL = sorted(instruments.all_instruments())
WHEN = "2024-05-01T10:00:00+02:00"


def response(instrument_id, answers, **overrides):
    fields = {"response_id": "r1", "subject": "Patient/p1", "authored": WHEN, **overrides}
    return questionnaire_response(instruments.get(instrument_id), answers, **fields)


def gapped(instrument):
    """Every item answered with its highest option, except every third left missing."""
    return [
        None if position % 3 == 1 else item.values[-1]
        for position, item in enumerate(instrument.items)
    ]


@pytest.mark.parametrize("instrument_id", ALL)
def test_questionnaire_round_trip_restores_the_definition_exactly(instrument_id):
    instrument = instruments.get(instrument_id)
    exported = json.loads(json.dumps(questionnaire(instrument)))
    restored = instrument_from_questionnaire(exported, name=f"{instrument_id}.fhir.json")
    assert restored.as_definition() == instrument.as_definition()
    assert restored.source == f"{instrument_id}.fhir.json"


@pytest.mark.parametrize("instrument_id", ALL)
def test_response_round_trip_keeps_answers_and_gaps(instrument_id):
    instrument = instruments.get(instrument_id)
    answers = gapped(instrument)
    assert None in answers
    assert answers_from_response(response(instrument_id, answers), instrument) == answers


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_any_answers_survive_the_response_round_trip(data):
    instrument = instruments.get(data.draw(st.sampled_from(ALL)))
    answers = [data.draw(st.none() | st.sampled_from(item.values)) for item in instrument.items]
    assert answers_from_response(response(instrument.id, answers), instrument) == answers


@pytest.mark.parametrize("instrument_id", ALL)
def test_output_validates_with_the_r4b_models(instrument_id):
    instrument = instruments.get(instrument_id)
    exported = questionnaire(instrument)
    Questionnaire.model_validate(exported)
    QuestionnaireResponse.model_validate(response(instrument_id, gapped(instrument)))
    assert exported["url"] == f"urn:waypoint:instrument:{instrument_id}"
    assert exported["status"] == "active"
    assert exported["name"].isalnum()
    assert exported["name"][0].isupper()


def test_questionnaire_carries_codes_ordinals_citation_and_licence():
    phq9 = instruments.get("phq9")
    exported = questionnaire(phq9)
    assert exported["name"] == "PHQ9"
    assert questionnaire(instruments.get("pcptsd5"))["name"] == "PCPTSD5"
    assert exported["description"] == phq9.citation
    assert exported["copyright"] == phq9.licence
    assert [item["linkId"] for item in exported["item"]] == [item.id for item in phq9.items]
    option = exported["item"][8]["answerOption"][3]
    assert option["valueCoding"]["system"] == "urn:waypoint:instrument:phq9:options"
    assert option["valueCoding"]["code"] == "3"
    assert option["extension"] == [{"url": ORDINAL, "valueDecimal": 3}]
    carried = [ext for ext in exported["extension"] if ext["url"] == DEFINITION]
    assert json.loads(carried[0]["valueString"]) == phq9.as_definition()


def test_russian_texts_travel_as_translation_extensions():
    phq9 = instruments.get("phq9")
    exported = questionnaire(phq9)
    first = exported["item"][0]
    expected = {"url": "content", "valueString": phq9.items[0].text["ru"]}
    (translation,) = first["_text"]["extension"]
    assert translation["url"] == TRANSLATION
    assert {"url": "lang", "valueCode": "ru"} in translation["extension"]
    assert expected in translation["extension"]
    display = first["answerOption"][0]["valueCoding"]["_display"]["extension"][0]
    assert {"url": "content", "valueString": phq9.items[0].options[0].label["ru"]} in display[
        "extension"
    ]
    assert exported["_title"]["extension"][0]["url"] == TRANSLATION


def test_response_has_canonical_subject_and_no_answer_for_a_gap():
    answers = [1, None, 0, 0, 0, 0, 0, 0, 2]
    made = response("phq9", answers)
    assert made["questionnaire"] == "urn:waypoint:instrument:phq9|1"
    assert made["subject"] == {"reference": "Patient/p1"}
    assert made["status"] == "completed"
    assert "answer" not in made["item"][1]
    assert made["item"][8]["answer"] == [
        {
            "valueCoding": {
                "system": "urn:waypoint:instrument:phq9:options",
                "code": "2",
                "display": instruments.get("phq9").items[8].options[2].label["en"],
            }
        }
    ]


def test_answers_read_value_integer_absent_items_and_an_unversioned_canonical():
    phq2 = instruments.get("phq2")
    data = response("phq2", [0, 0])
    data["questionnaire"] = "urn:waypoint:instrument:phq2"
    data["status"] = "amended"
    data["item"] = [{"linkId": phq2.items[1].id, "answer": [{"valueInteger": 3}]}]
    assert answers_from_response(data, phq2) == [None, 3]


# Refusals -----------------------------------------------------------------------------------


def _phq9():
    return copy.deepcopy(questionnaire(instruments.get("phq9")))


def _without_definition(data):
    data["extension"] = [ext for ext in data["extension"] if ext["url"] != DEFINITION]


def _broken_definition(data):
    definition = json.loads(data["extension"][0]["valueString"])
    del definition["scoring"]
    data["extension"][0]["valueString"] = json.dumps(definition)


def _set(path, value):
    def change(data):
        *parents, last = path
        for key in parents:
            data = data[key]
        data[last] = value

    return change


QUESTIONNAIRE_REFUSALS = [
    (_set(["resourceType"], "QuestionnaireResponse"), "resourceType: must be 'Questionnaire'"),
    (_set(["status"], "bogus"), "status: 'bogus' is not one of draft, active"),
    (lambda data: data["item"][0].pop("type"), "item[0].type: "),
    (_without_definition, f"extension {DEFINITION}: is required: a FHIR Questionnaire carries"),
    (_set(["extension", 0, "valueString"], "{not json"), f"extension {DEFINITION}.valueString"),
    (_broken_definition, "phq9.fhir.json: scoring: is required"),
    (lambda data: data["item"].pop(), "item[8]: linkId '9' of the definition is missing"),
    (lambda data: data["item"].reverse(), "item[0].linkId: '9' where the definition has '1'"),
    (
        lambda data: data["item"].append({"linkId": "10", "type": "choice"}),
        "item[9].linkId: '10' where the definition has nothing",
    ),
    (
        _set(["item", 2, "answerOption", 1, "valueCoding", "code"], "7"),
        "item[2].answerOption: codes of linkId '3' differ",
    ),
]


@pytest.mark.parametrize(("change", "message"), QUESTIONNAIRE_REFUSALS)
def test_a_bad_questionnaire_is_refused_naming_the_path(change, message):
    data = _phq9()
    change(data)
    with pytest.raises(FhirError) as refused:
        instrument_from_questionnaire(data, name="phq9.fhir.json")
    assert message in str(refused.value)


def _second_answer(data):
    data["item"][0]["answer"].append({"valueInteger": 1})


RESPONSE_REFUSALS = [
    (_set(["resourceType"], "Questionnaire"), "resourceType: must be 'QuestionnaireResponse'"),
    (_set(["status"], "bogus"), "status: 'bogus' is not one of in-progress, completed"),
    (_set(["status"], "in-progress"), "status: 'in-progress' cannot be scored"),
    (_set(["authored"], "yesterday"), "authored: "),
    (_set(["questionnaire"], "urn:waypoint:instrument:gad7|1"), "questionnaire: must be"),
    (_set(["questionnaire"], "urn:waypoint:instrument:phq9|2"), "questionnaire: must be"),
    (
        _set(["item", 0, "answer", 0, "valueCoding", "code"], "4"),
        "item[0].answer[0].valueCoding.code: '4' is not an option of linkId '1'",
    ),
    (
        _set(["item", 0, "answer", 0], {"valueInteger": 9}),
        "item[0].answer[0].valueInteger: 9 is not an option of linkId '1'",
    ),
    (
        _set(["item", 0, "answer", 0, "valueCoding", "system"], "http://loinc.org"),
        "item[0].answer[0].valueCoding.system: must be urn:waypoint:instrument:phq9:options",
    ),
    (
        _set(["item", 0, "answer", 0], {"valueString": "often"}),
        "item[0].answer[0]: linkId '1' needs a valueCoding or a valueInteger",
    ),
    (_set(["item", 3, "linkId"], "x"), "item[3].linkId: 'x' is not an item of phq9"),
    (_set(["item", 3, "linkId"], "1"), "item[3].linkId: '1' appears more than once"),
    (_second_answer, "item[0].answer: linkId '1' has 2 answers; one at most"),
]


@pytest.mark.parametrize(("change", "message"), RESPONSE_REFUSALS)
def test_a_bad_response_is_refused_naming_the_path(change, message):
    data = copy.deepcopy(response("phq9", [1, 1, 1, 1, 1, 1, 1, 1, 1]))
    change(data)
    with pytest.raises(FhirError) as refused:
        answers_from_response(data, instruments.get("phq9"))
    assert message in str(refused.value)


@pytest.mark.parametrize(
    ("answers", "overrides", "message"),
    [
        ([1] * 8, {}, "answers: 8 given, phq9 has 9 items"),
        ([1, 1, 1, 1, 7, 1, 1, 1, 1], {}, "answers[4]: 7 is not an option of linkId '5'"),
        ([1] * 9, {"status": "bogus"}, "status: 'bogus' is not one of"),
        ([1] * 9, {"authored": "2024-05-01T10:00:00"}, "authored: "),
    ],
)
def test_a_response_that_cannot_be_written_is_refused(answers, overrides, message):
    with pytest.raises(FhirError) as refused:
        response("phq9", answers, **overrides)
    assert message in str(refused.value)
