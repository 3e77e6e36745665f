"""The well-being part of the permission matrix's world, built for the well-being module's rows.

`clinician`'s clinic is the care team (clinician on duty). The matrix's veteran consents,
their record opens with a return from deployment ten days ago; the post-deployment screening
has a positive PHQ-2 and a PHQ-9 with item 9 answered (an urgent alert), and GAD-2, PC-PTSD-5
and AUDIT-C still to answer. One counselling enrolment; `commander`'s unit is the command.
"""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.people.models import Consent, Veteran
from waypoint.wellbeing import services
from waypoint.wellbeing.models import CareTeam, Screening


def consent(veteran: Veteran, recorded_by) -> Consent:
    return Consent.objects.create(
        veteran=veteran,
        purpose=Consent.Purpose.WELLBEING,
        text_version="2026-11",
        channel=Consent.Channel.IN_PERSON,
        given_at=timezone.now(),
        recorded_by=recorded_by,
    )


def wellbeing_world(persona: Callable[[str], User], veteran_id: int) -> dict:
    """`persona(name)` gives the persona `name` (a fixture, or one of a module's world)."""
    clinician = persona("clinician")
    commander = persona("commander")
    CareTeam.objects.create(organisation=clinician.organisation, on_duty=clinician)
    veteran = Veteran.objects.get(pk=veteran_id)
    consent(veteran, clinician)
    record = services.open_record(
        actor=clinician, veteran=veteran, returned_on=timezone.localdate() - timedelta(days=10)
    )
    screening = record.screenings.get(occasion=Screening.Occasion.POST_DEPLOYMENT)
    response = services.submit_response(
        actor=clinician, screening=screening, instrument_id="phq2", answers=[3, 2]
    )
    services.submit_response(
        actor=clinician,
        screening=screening,
        instrument_id="phq9",
        answers=[3, 2, 2, 2, 1, 1, 1, 0, 1],
    )
    enrolment = services.enrol(
        actor=clinician,
        record=record,
        programme="counselling",
        starts_on=timezone.localdate(),
    )
    return {
        "wb_screening": screening.pk,
        "wb_response": response.pk,
        "wb_alert": screening.alerts.get().pk,
        "wb_enrolment": enrolment.pk,
        "wb_command": commander.organisation_id,
    }
