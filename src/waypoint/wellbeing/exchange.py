"""FHIR R4 exchange with the database: a stored response out as a QuestionnaireResponse, a
QuestionnaireResponse in as the answers to an open screening, and an organisation's
instrument in as a Questionnaire (written to the instruments directory after the schema
check). The conversions themselves are in wellbeing.fhir."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError

from waypoint.accounts.models import User
from waypoint.wellbeing import fhir, instruments, services
from waypoint.wellbeing.models import Response, Screening


def response_resource(response: Response) -> dict:
    return fhir.questionnaire_response(
        instruments.get(response.instrument),
        response.answers,
        response_id=f"waypoint-response-{response.pk}",
        subject=f"Patient/waypoint-veteran-{response.screening.record.veteran_id}",
        authored=response.submitted_at.isoformat(),
        status="amended" if response.supersedes_id else "completed",
    )


def import_response(*, actor: User, screening: Screening, data: dict) -> Response:
    """Answers from another system's QuestionnaireResponse, for an instrument the screening
    asks now; validated against the FHIR models and the instrument, then submitted."""
    canonical = str(data.get("questionnaire", "")) if isinstance(data, dict) else ""
    instrument_id = canonical.split("|")[0].removeprefix("urn:waypoint:instrument:")
    try:
        instrument = instruments.get(instrument_id)
        answers = fhir.answers_from_response(data, instrument)
    except (instruments.InstrumentError, fhir.FhirError) as exc:
        raise ValidationError({"resource": [str(exc)]}) from exc
    return services.submit_response(
        actor=actor, screening=screening, instrument_id=instrument.id, answers=answers
    )


def import_questionnaire(data: dict, *, name: str = "questionnaire") -> Path:
    """Add an organisation's instrument from a Questionnaire exported by Waypoint (it carries
    the scoring definition). Refused when the id is taken: instruments are versioned data."""
    instrument = fhir.instrument_from_questionnaire(data, name=name)
    if instrument.id in instruments.all_instruments():
        raise fhir.FhirError(f"id: {instrument.id!r} is already defined")
    directory = instruments.extra_directory()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{instrument.id}.json"
    path.write_text(
        json.dumps(instrument.as_definition(), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return path
