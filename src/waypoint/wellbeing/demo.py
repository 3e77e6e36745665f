"""Demo well-being data: a care team at every clinic (the Moscow clinician on duty), twelve
Moscow veterans who consented to screening, each with screenings answered over the past
year (so the trend chart has a story), a review queue with every tier, one urgent alert
waiting, support programmes with follow-ups, and one notice to the demo commander's unit.

Written through the services as the demo clinician and the veterans, so every step is
checked and audited; only the times are moved into the past afterwards.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from waypoint.accounts.models import Organisation, User
from waypoint.people.models import Consent, Veteran
from waypoint.wellbeing import services
from waypoint.wellbeing.models import (
    CareTeam,
    CommandNotice,
    Enrolment,
    Response,
    Review,
    Screening,
)

PEOPLE = 12
# Answers per screener for a calm, a strained and a struggling person (then full forms).
PROFILES = {
    "calm": {"phq2": [0, 1], "gad2": [1, 0], "pcptsd5": [1, 0, 0, 1, 0, 0], "auditc": [1, 1, 0]},
    "strained": {
        "phq2": [2, 1],
        "gad2": [2, 2],
        "pcptsd5": [1, 1, 1, 1, 0, 0],
        "auditc": [2, 1, 1],
        "phq9": [2, 1, 2, 2, 1, 1, 1, 0, 0],
        "gad7": [2, 2, 1, 2, 1, 1, 1],
        "pcl5": [2, 1, 0, 2, 1, 2, 1, 0, 1, 1, 2, 1, 1, 1, 1, 0, 2, 1, 1, 2],
    },
    "struggling": {
        "phq2": [3, 2],
        "gad2": [2, 3],
        "pcptsd5": [1, 1, 1, 1, 1, 1],
        "auditc": [3, 2, 2],
        "phq9": [3, 2, 3, 3, 2, 2, 2, 1, 1],
        "gad7": [3, 2, 2, 3, 2, 2, 2],
        "pcl5": [3, 3, 2, 3, 3, 3, 3, 1, 3, 2, 3, 2, 3, 2, 2, 1, 3, 3, 2, 3],
    },
}


def _answer_all(screening: Screening, actor: User, profile: dict) -> None:
    while True:
        screening.refresh_from_db()
        if not screening.is_open or not screening.pending:
            return
        instrument = screening.pending[0]
        services.submit_response(
            actor=actor, screening=screening, instrument_id=instrument, answers=profile[instrument]
        )


@transaction.atomic
def build_wellbeing_demo(*, seed: int = 2026) -> None:
    rng = random.Random(seed)
    clinician = User.objects.get(username="clinician")
    commander = User.objects.get(username="commander")
    for clinic in Organisation.objects.filter(kind=Organisation.Kind.CLINIC):
        CareTeam.objects.get_or_create(organisation=clinic)
    team = CareTeam.objects.get(organisation_id=clinician.organisation_id)
    services.configure_team(actor=clinician, team=team, on_duty=clinician, lead=clinician)
    today = timezone.localdate()
    people = list(
        Veteran.objects.filter(region_id="77", account__isnull=False).order_by("pk")[:PEOPLE]
    ) or list(Veteran.objects.filter(region_id="77").order_by("pk")[:PEOPLE])
    for index, veteran in enumerate(people):
        actor = veteran.account or clinician
        if not services.has_consent(veteran):
            Consent.objects.create(
                veteran=veteran,
                purpose=Consent.Purpose.WELLBEING,
                text_version="2026-11",
                channel=Consent.Channel.IN_PERSON,
                given_at=timezone.now() - timedelta(days=400),
                recorded_by=clinician,
            )
        returned = today - timedelta(days=rng.choice([20, 120, 200, 400]))
        record = services.open_record(actor=clinician, veteran=veteran, returned_on=returned)
        kind = ("calm", "strained", "struggling")[index % 3]
        # Two earlier screenings make a trend: a hard start that is easing, or the reverse.
        for months_ago, mood in ((9, "struggling" if kind != "calm" else "strained"), (4, kind)):
            past = services.schedule_screening(
                actor=clinician, record=record, due_on=today, occasion=Screening.Occasion.AD_HOC
            )
            _answer_all(past, clinician, PROFILES[mood])
            when = timezone.now() - timedelta(days=30 * months_ago)
            Screening.objects.filter(pk=past.pk).update(
                due_on=when.date(),
                window_closes_on=when.date() + timedelta(days=30),
                completed_at=when,
            )
            # The demo's clock: answers keep their content, only their date moves back.
            Response._base_manager.filter(screening=past).update(submitted_at=when)
            for alert in past.alerts.all():
                services.acknowledge_alert(actor=clinician, alert=alert)
            if past.tier != "none" and months_ago == 9:
                services.review(
                    actor=clinician,
                    screening=past,
                    outcome=Review.Outcome.WATCHFUL_WAITING,
                    plan="Повторный скрининг через месяц, беседа с психологом по желанию.",
                )
        due = record.screenings.filter(status=Screening.Status.DUE, due_on__lte=today).first()
        if due is not None and index % 4 != 3:
            _answer_all(due, actor, PROFILES[kind])
    struggling = [p for i, p in enumerate(people) if i % 3 == 2]
    if struggling:
        record = struggling[0].wellbeing_record
        services.enrol(
            actor=clinician,
            record=record,
            programme=Enrolment.Programme.COUNSELLING,
            starts_on=today - timedelta(days=10),
            notes="Индивидуальное консультирование раз в неделю.",
        )
        services.notify_command(
            actor=clinician,
            record=record,
            command=Organisation.objects.get(pk=commander.organisation_id),
            standard=CommandNotice.Standard.HARM_TO_MISSION,
            limitations=[
                CommandNotice.Limitation.NO_NIGHT_DUTY,
                CommandNotice.Limitation.TIME_FOR_APPOINTMENTS,
            ],
            until=today + timedelta(days=60),
            support="Отпускать на консультации по вторникам; без ночных смен до окончания срока.",
        )
