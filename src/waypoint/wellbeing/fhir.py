"""FHIR R4 Questionnaire and QuestionnaireResponse for the screening instruments.

Export writes every item as a choice question whose options carry the ordinal value, with the
Russian texts as translation extensions. FHIR has no place for scoring rules, so the whole
Waypoint definition travels in one extension: import reads the rules from there and checks that
the FHIR items still agree with them. Every resource is checked against the R4 (4.3, R4B) models
of fhir.resources, and a bad one is refused naming the FHIR path and the rule.

Pure Python like instruments.py: no Django, no database.
"""

import json
import re
from itertools import zip_longest
from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItemAnswer,
)
from pydantic import BaseModel, ValidationError

from waypoint.wellbeing import instruments
from waypoint.wellbeing.instruments import Instrument, InstrumentError, Item

DEFINITION = "urn:waypoint:fhir:instrument-definition"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
SCORABLE = ("completed", "amended")


class FhirError(ValueError):
    """A resource that cannot be read or written; the message names the FHIR path and rule."""


def canonical_url(instrument: Instrument) -> str:
    return f"urn:waypoint:instrument:{instrument.id}"


def questionnaire(instrument: Instrument) -> dict[str, Any]:
    """The instrument as a FHIR Questionnaire carrying its full Waypoint definition."""
    system = _option_system(instrument)
    definition = json.dumps(instrument.as_definition(), ensure_ascii=False, sort_keys=True)
    data = {
        "resourceType": "Questionnaire",
        "id": instrument.id,
        "extension": [{"url": DEFINITION, "valueString": definition}],
        "url": canonical_url(instrument),
        "version": instrument.version,
        "name": _computable_name(instrument.name),
        **_texts("title", instrument.title),
        "status": "active",
        "description": instrument.citation,
        "copyright": instrument.licence,
        "item": [
            {
                "linkId": item.id,
                **_texts("text", item.text),
                "type": "choice",
                "required": False,
                "answerOption": [
                    {
                        "extension": [{"url": ORDINAL, "valueDecimal": option.value}],
                        "valueCoding": {
                            "system": system,
                            "code": str(option.value),
                            **_texts("display", option.label),
                        },
                    }
                    for option in item.options
                ],
            }
            for item in instrument.items
        ],
    }
    return _validated(Questionnaire, data).model_dump(mode="json", exclude_none=True)


def instrument_from_questionnaire(data: dict[str, Any], name: str = "questionnaire") -> Instrument:
    """The Instrument a Questionnaire exported by `questionnaire` describes, rules and all."""
    resource = _validated(Questionnaire, data)
    carried = [ext for ext in resource.extension or [] if ext.url == DEFINITION]
    if not carried:
        raise FhirError(
            f"extension {DEFINITION}: is required: a FHIR Questionnaire carries no scoring rules, "
            "so only one exported by Waypoint (which holds the instrument definition) can be "
            "imported; add other instruments as definition files"
        )
    if len(carried) > 1 or not isinstance(carried[0].valueString, str):
        raise FhirError(f"extension {DEFINITION}: must appear once, with a valueString")
    try:
        definition = json.loads(carried[0].valueString)
    except json.JSONDecodeError as exc:
        raise FhirError(f"extension {DEFINITION}.valueString: not JSON ({exc})") from None
    try:
        instrument = instruments.parse(definition, source=name, name=name)
    except InstrumentError as exc:
        raise FhirError(str(exc)) from None
    _check_items_agree(resource, instrument)
    return instrument


def questionnaire_response(
    instrument: Instrument,
    answers: list[int | None],
    *,
    response_id: str,
    subject: str,
    authored: str,
    status: str = "completed",
) -> dict[str, Any]:
    """Answers in item order (None for a missing one) as a FHIR QuestionnaireResponse."""
    if len(answers) != len(instrument.items):
        raise FhirError(
            f"answers: {len(answers)} given, {instrument.id} has {len(instrument.items)} items"
        )
    system = _option_system(instrument)
    items = []
    for position, (item, value) in enumerate(zip(instrument.items, answers, strict=True)):
        entry: dict[str, Any] = {"linkId": item.id, "text": item.text["en"]}
        if value is not None:
            option = next((option for option in item.options if option.value == value), None)
            if option is None:
                raise FhirError(
                    f"answers[{position}]: {value!r} is not an option of linkId {item.id!r} "
                    f"({_listed(item.values)})"
                )
            coding = {"system": system, "code": str(value), "display": option.label["en"]}
            entry["answer"] = [{"valueCoding": coding}]
        items.append(entry)
    data = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        "questionnaire": f"{canonical_url(instrument)}|{instrument.version}",
        "status": status,
        "subject": {"reference": subject},
        "authored": authored,
        "item": items,
    }
    return _validated(QuestionnaireResponse, data).model_dump(mode="json", exclude_none=True)


def answers_from_response(data: dict[str, Any], instrument: Instrument) -> list[int | None]:
    """The answers in item order, None where an item is absent or has no answer."""
    resource = _validated(QuestionnaireResponse, data)
    if resource.status not in SCORABLE:
        raise FhirError(f"status: {resource.status!r} cannot be scored; only completed or amended")
    url, _, version = (resource.questionnaire or "").partition("|")
    if url != canonical_url(instrument) or version not in ("", instrument.version):
        raise FhirError(
            f"questionnaire: must be {canonical_url(instrument)}|{instrument.version} "
            f"(the version may be left out), not {resource.questionnaire!r}"
        )
    system = _option_system(instrument)
    by_id = {item.id: item for item in instrument.items}
    found: dict[str, int | None] = {}
    for position, entry in enumerate(resource.item or []):
        where = f"item[{position}]"
        item = by_id.get(entry.linkId)
        if item is None:
            raise FhirError(f"{where}.linkId: {entry.linkId!r} is not an item of {instrument.id}")
        if entry.linkId in found:
            raise FhirError(f"{where}.linkId: {entry.linkId!r} appears more than once")
        given = entry.answer or []
        if len(given) > 1:
            raise FhirError(
                f"{where}.answer: linkId {entry.linkId!r} has {len(given)} answers; one at most"
            )
        found[item.id] = _value(given[0], item, system, f"{where}.answer[0]") if given else None
    return [found.get(item.id) for item in instrument.items]


# Helpers ------------------------------------------------------------------------------------


def _option_system(instrument: Instrument) -> str:
    return f"{canonical_url(instrument)}:options"


def _computable_name(name: str) -> str:
    """FHIR's que-0 wants [A-Z][A-Za-z0-9_]*: 'PC-PTSD-5' becomes 'PCPTSD5'."""
    cleaned = re.sub(r"[^A-Za-z0-9_]", "", name)
    cleaned = cleaned[:1].upper() + cleaned[1:]
    return cleaned if cleaned[:1].isalpha() else f"Instrument{cleaned}"


def _texts(key: str, texts: dict[str, str]) -> dict[str, Any]:
    """The English text under key; the other languages as translation extensions under _key."""
    translations = [
        {
            "url": TRANSLATION,
            "extension": [
                {"url": "lang", "valueCode": language},
                {"url": "content", "valueString": text},
            ],
        }
        for language, text in texts.items()
        if language != "en" and text
    ]
    return {key: texts["en"], **({f"_{key}": {"extension": translations}} if translations else {})}


def _listed(values: tuple[int, ...]) -> str:
    return "options: " + ", ".join(str(value) for value in values)


def _validated[Resource: BaseModel](model: type[Resource], data: Any) -> Resource:
    kind = model.__name__
    if not isinstance(data, dict):
        raise FhirError(f"{kind}: must be a JSON object")
    if data.get("resourceType") != kind:
        raise FhirError(f"resourceType: must be {kind!r}, not {data.get('resourceType')!r}")
    try:
        resource = model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        path = "".join(f"[{at}]" if isinstance(at, int) else f".{at}" for at in error["loc"])
        rule = " ".join(error["msg"].removeprefix("Value error, ").split())
        raise FhirError(f"{path.lstrip('.') or kind}: {rule}") from None
    _check_codes(resource, "")
    return resource


def _check_codes(element: BaseModel, path: str) -> None:
    """fhir.resources lists the codes of required bindings but leaves checking them to us.

    A list that ends in '+' is only the start of a longer value set, so it cannot refuse a code.
    """
    for name, field in type(element).model_fields.items():
        value = getattr(element, name)
        where = f"{path}{field.alias or name}"
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        codes = extra.get("enum_values")
        complete = isinstance(codes, list) and "+" not in codes
        if complete and isinstance(value, str) and value not in codes:
            raise FhirError(f"{where}: {value!r} is not one of {', '.join(map(str, codes))}")
        if isinstance(value, BaseModel):
            _check_codes(value, f"{where}.")
        for position, child in enumerate(value if isinstance(value, list) else []):
            if isinstance(child, BaseModel):
                _check_codes(child, f"{where}[{position}].")


def _check_items_agree(resource: Questionnaire, instrument: Instrument) -> None:
    for position, (entry, item) in enumerate(zip_longest(resource.item or [], instrument.items)):
        where = f"item[{position}]"
        if entry is None:
            raise FhirError(f"{where}: linkId {item.id!r} of the definition is missing")
        if item is None or entry.linkId != item.id:
            expected = "nothing" if item is None else repr(item.id)
            raise FhirError(f"{where}.linkId: {entry.linkId!r} where the definition has {expected}")
        codes = [getattr(option.valueCoding, "code", None) for option in entry.answerOption or []]
        if codes != [str(value) for value in item.values]:
            raise FhirError(
                f"{where}.answerOption: codes of linkId {item.id!r} differ from the definition's "
                f"({_listed(item.values)})"
            )


def _value(answer: QuestionnaireResponseItemAnswer, item: Item, system: str, where: str) -> int:
    coding = answer.valueCoding
    if coding is not None and coding.system not in (None, system):
        raise FhirError(f"{where}.valueCoding.system: must be {system}")
    if coding is not None:
        field, given = "valueCoding.code", coding.code
    elif answer.valueInteger is not None:
        field, given = "valueInteger", answer.valueInteger
    else:
        raise FhirError(f"{where}: linkId {item.id!r} needs a valueCoding or a valueInteger")
    by_code = {str(value): value for value in item.values}
    if str(given) not in by_code:
        raise FhirError(
            f"{where}.{field}: {given!r} is not an option of linkId {item.id!r} "
            f"({_listed(item.values)})"
        )
    return by_code[str(given)]
