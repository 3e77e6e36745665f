"""Demo well-being data: a care team at every clinic (the Moscow clinician on duty), and a
dozen Moscow veterans who agreed to screening some days after they entered the programme,
each with screenings answered since (so the trend chart has a story):

- calm: screened on return and again months later; the next yearly screening is ahead;
- strained: a screening answered this week with a risk found, waiting in the review queue;
- struggling: a hard start that eased, then a screening answered minutes ago with a safety
  flag: an urgent alert the clinician on duty has not acknowledged yet;
- supported: a hard start, reviewed, in counselling since; the command was told what duties to
  spare the person from, and until when (the notice says nothing else), and the counselling's
  follow-up screenings are answered or due.

The demo veteran who signs in has a calm record and a screening to answer now. Written
through the services as the clinician and the veterans, each step on the demo's clock
(people.demo.clock), so every score is exact and every step checked, audited and dated when
it happened.
"""

import random
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from waypoint.accounts.models import Organisation, User
from waypoint.audit.services import record_all
from waypoint.people.demo import Person, clock, event, moment
from waypoint.people.models import Consent
from waypoint.shared.models import Notification
from waypoint.wellbeing import services
from waypoint.wellbeing.models import (
    CareTeam,
    CommandNotice,
    Enrolment,
    Record,
    Screening,
)

PEOPLE = 8
KINDS = ["struggling", "supported", "strained", "calm", "strained", "supported", "calm", "strained"]
NOTICES = 2  # supported people whose command was told
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
PLANS = {
    "calm": "Скрининг по графику, раз в год.",
    "strained": "Повторный скрининг через три месяца; беседа с психологом по желанию.",
    "struggling": "Индивидуальное консультирование раз в неделю, повторный скрининг после курса.",
}


class Clinic:
    """The Moscow clinician's hand: screenings answered now through the services, then dated
    when they happened."""

    def __init__(self, rng: random.Random, clinician: User):
        self.rng, self.clinician, self.today = rng, clinician, timezone.localdate()
        self.events: list = []

    def record(self, person: Person, consented: datetime) -> Record:
        veteran = person.veteran
        consent = Consent.objects.create(
            veteran=veteran,
            purpose=Consent.Purpose.WELLBEING,
            text_version="2026-11",
            channel=Consent.Channel.IN_PERSON,
            given_at=consented,
            recorded_by=self.clinician,
        )
        purpose = {"purpose": [None, consent.purpose]}
        self.events.append(
            event(self.clinician, "people.consent.give", consent, consented, purpose)
        )
        service = veteran.service_records.first()
        with clock(consented):
            # Opened without the schedule open_record would add from today: the demo writes
            # the screenings of the months since.
            record = Record.objects.create(
                veteran=veteran,
                care_team=CareTeam.objects.get(organisation_id=self.clinician.organisation_id),
                returned_on=service.end_date if service else None,
            )
        self.events.append(event(self.clinician, "wellbeing.record.open", record, consented))
        return record

    def screen(self, record: Record, when: datetime, mood: str, *, by=None) -> Screening:
        """A screening answered at `when` (by the person, or on paper with the clinician);
        an alert it raised is acknowledged within minutes unless it was raised just now."""
        with clock(when):
            screening = services.schedule_screening(
                actor=self.clinician,
                record=record,
                due_on=timezone.localdate(when),
                occasion=self._occasion(record, timezone.localdate(when)),
            )
            self.answer(screening, by or self.clinician, mood)
        if timezone.now() - when > timedelta(hours=1):
            read = when + timedelta(minutes=self.rng.randint(4, 20))
            for alert in screening.alerts.all():
                with clock(read):
                    services.acknowledge_alert(actor=self.clinician, alert=alert)
                Notification.objects.filter(
                    key__in=[f"wellbeing_alert:{alert.pk}", f"wellbeing_escalation:{alert.pk}"]
                ).update(read_at=read)
        return screening

    def answer(self, screening: Screening, actor: User, mood: str) -> None:
        while True:
            screening.refresh_from_db()
            if not screening.is_open or not screening.pending:
                return
            instrument = screening.pending[0]
            services.submit_response(
                actor=actor,
                screening=screening,
                instrument_id=instrument,
                answers=PROFILES[mood][instrument],
            )

    def review(self, screening: Screening, when: datetime, outcome: str, plan: str) -> None:
        with clock(when):
            services.review(actor=self.clinician, screening=screening, outcome=outcome, plan=plan)

    def _occasion(self, record: Record, day: date) -> str:
        if record.returned_on is None:
            return Screening.Occasion.AD_HOC
        after = (day - record.returned_on).days
        if after <= 30:
            return Screening.Occasion.POST_DEPLOYMENT
        if 90 <= after <= 180:
            return Screening.Occasion.REASSESSMENT
        return Screening.Occasion.AD_HOC


@transaction.atomic
def build_wellbeing_demo(people: list[Person], *, seed: int = 2026) -> None:
    rng = random.Random(seed)
    clinician = User.objects.get(username="clinician")
    commander = User.objects.get(username="commander")
    for clinic in Organisation.objects.filter(kind=Organisation.Kind.CLINIC):
        CareTeam.objects.get_or_create(organisation=clinic)
    team = CareTeam.objects.get(organisation_id=clinician.organisation_id)
    services.configure_team(actor=clinician, team=team, on_duty=clinician, lead=clinician)
    clinic = Clinic(rng, clinician)
    today = clinic.today
    own = next((p for p in people if p.veteran.account_id), None)
    moscow = [
        p
        for p in people
        if p.veteran.region_id == "77"
        and p is not own
        and p.coordinator is not None
        and p.story.entered <= today - timedelta(days=45)
        and p.story.close_reason != "left_programme"
    ]
    told = 0
    for index, person in enumerate(moscow[:PEOPLE]):
        kind = KINDS[index % len(KINDS)]
        told += _person(clinic, person, kind, commander if told < NOTICES else None)
    if own is not None:
        _own(clinic, own)
    record_all(clinic.events)


def _person(clinic: Clinic, person: Person, kind: str, commander: User | None) -> int:
    """One person's screenings since they agreed; returns 1 when the command was told."""
    rng, today, now = clinic.rng, clinic.today, timezone.now()
    story = person.story
    consented = moment(story.entered + timedelta(days=rng.randint(3, 14)), rng)
    record = clinic.record(person, consented)
    first = consented + timedelta(days=rng.randint(1, 7))
    start = "calm" if kind == "calm" else "struggling" if kind == "supported" else "strained"
    screening = clinic.screen(record, first, start)
    later = first + timedelta(days=rng.randint(95, 130))
    if kind == "calm":
        if screening.tier not in ("", "none"):
            clinic.review(screening, first + timedelta(days=2), "no_action", PLANS["calm"])
        last = first
        if later < now - timedelta(days=14):
            last = later
            clinic.screen(record, later, "calm")
        due = max(
            timezone.localdate(first) + timedelta(days=365),
            today + timedelta(days=rng.randint(3, 20)),
        )
        with clock(last + timedelta(hours=1)):  # the next one booked when the last was done
            services.schedule_screening(
                actor=clinic.clinician,
                record=record,
                due_on=due,
                occasion=Screening.Occasion.ANNUAL,
            )
        return 0
    if kind in ("strained", "struggling"):
        clinic.review(screening, first + timedelta(days=2), "no_action", PLANS["strained"])
        if kind == "strained":
            recent = now - timedelta(days=rng.randint(2, 9), hours=rng.randint(1, 5))
            clinic.screen(record, max(recent, first + timedelta(days=20)), "strained")
        else:
            clinic.screen(record, now - timedelta(minutes=rng.randint(8, 20)), "struggling")
        return 0
    # Supported: reviewed two days after a hard start, counselling from the week after.
    reviewed = first + timedelta(days=2)
    clinic.review(screening, reviewed, "support", PLANS["struggling"])
    with clock(reviewed + timedelta(hours=1)):
        services.enrol(
            actor=clinic.clinician,
            record=record,
            programme=Enrolment.Programme.COUNSELLING,
            starts_on=timezone.localdate(reviewed + timedelta(days=5)),
            screening=screening,
            notes="Индивидуальное консультирование раз в неделю.",
        )
    follow_ups = record.screenings.filter(status=Screening.Status.DUE).order_by("due_on")
    for follow_up, mood in zip(follow_ups, ["strained", "calm"], strict=False):  # easing
        answered = timezone.make_aware(
            datetime.combine(follow_up.due_on + timedelta(days=rng.randint(1, 6)), first.time())
        )
        if answered < now - timedelta(days=1):
            with clock(answered):
                clinic.answer(follow_up, clinic.clinician, mood)
            clinic.review(follow_up, answered + timedelta(days=1), "no_action", PLANS["strained"])
    if commander is None:
        return 0
    with clock(reviewed + timedelta(days=1)):
        services.notify_command(
            actor=clinic.clinician,
            record=record,
            command=Organisation.objects.get(pk=commander.organisation_id),
            standard=CommandNotice.Standard.HARM_TO_SELF,
            limitations=[
                CommandNotice.Limitation.NO_WEAPONS,
                CommandNotice.Limitation.NO_DEPLOYMENT,
            ],
            until=today + timedelta(days=rng.randint(45, 120)),
            support="Не привлекать к военным сборам до окончания срока; отпускать на "
            "консультации по вторникам.",
        )
    return 1


def _own(clinic: Clinic, person: Person) -> None:
    """The demo veteran: screened calm on return to civilian life, answered it themself; the
    reassessment is due now."""
    consented = moment(person.story.entered + timedelta(days=3), clinic.rng)
    record = clinic.record(person, consented)
    clinic.screen(record, consented + timedelta(days=2), "calm", by=person.veteran.account)
    services.schedule_screening(
        actor=clinic.clinician,
        record=record,
        due_on=clinic.today,
        occasion=Screening.Occasion.REASSESSMENT,
    )
