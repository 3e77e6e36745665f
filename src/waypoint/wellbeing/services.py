"""Writes: records, screenings, responses and corrections, alerts, reviews, programmes and
command notices. Each takes the actor, validates, authorizes, writes and audits in one
transaction. Audit events name what happened, never an answer, a score or a tier."""

import json
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from waypoint.accounts.models import Organisation, User
from waypoint.audit.services import record as audit
from waypoint.people.models import Consent, Veteran
from waypoint.shared.notifications import notify
from waypoint.wellbeing import access, instruments, schedule, tiers
from waypoint.wellbeing.models import (
    Alert,
    CareTeam,
    CommandNotice,
    Enrolment,
    Record,
    Response,
    Review,
    RiskRule,
    Screening,
    sealed,
)
from waypoint.wellbeing.scoring import ScoringError, score


def has_consent(veteran: Veteran) -> bool:
    return Consent.objects.filter(
        veteran=veteran, purpose=Consent.Purpose.WELLBEING, withdrawn_at=None
    ).exists()


def _require_consent(veteran: Veteran) -> None:
    if not has_consent(veteran):
        raise ValidationError(
            {"consent": [_("screening needs the veteran's consent to well-being screening")]}
        )


def _require_clinician(actor: User, record: Record) -> None:
    if not access.may_treat(actor, record):
        raise PermissionDenied


# Records and the schedule ----------------------------------------------------------------


def team_for(veteran: Veteran, actor: User) -> CareTeam:
    """The actor's own team for a clinician; for the person, a team of their region."""
    if access.provides_care(actor) and actor.organisation_id:
        team = CareTeam.objects.filter(organisation_id=actor.organisation_id).first()
    else:
        team = CareTeam.objects.filter(
            organisation__region_id=veteran.region_id, organisation__is_active=True
        ).first()
    if team is None:
        raise ValidationError(
            {"care_team": [_("no care team (a clinic's well-being team) serves this region yet")]}
        )
    return team


def open_record(*, actor: User, veteran: Veteran, returned_on: date | None = None) -> Record:
    """Start (or resume) screening for a consenting veteran and schedule what falls due."""
    if not access.may_open_record(actor, veteran):
        raise PermissionDenied
    _require_consent(veteran)
    if returned_on is not None and returned_on > timezone.localdate():
        raise ValidationError({"returned_on": [_("the return date cannot be in the future")]})
    with transaction.atomic():
        record = Record.objects.select_for_update().filter(veteran=veteran).first()
        if record is not None:
            if not access.may_open_record(actor, veteran, record):
                raise PermissionDenied
            return record
        record = Record.objects.create(
            veteran=veteran, care_team=team_for(veteran, actor), returned_on=returned_on
        )
        audit(actor=actor, action="wellbeing.record.open", subject=record)
        today = timezone.localdate()
        for occasion, due_on, closes_on in schedule.windows(returned_on, today):
            _schedule(record, occasion, due_on, closes_on, actor)
    return record


def _schedule(
    record: Record, occasion: str, due_on: date, closes_on: date, actor: User | None
) -> Screening:
    screening = Screening.objects.create(
        record=record,
        occasion=occasion,
        due_on=due_on,
        window_closes_on=closes_on,
        pending=list(schedule.SCREENERS),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit(actor=actor, action="wellbeing.screening.schedule", subject=screening)
    return screening


def schedule_screening(
    *, actor: User, record: Record, due_on: date, occasion: str = Screening.Occasion.AD_HOC
) -> Screening:
    _require_clinician(actor, record)
    _require_consent(record.veteran)
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": [_("a screening cannot fall due in the past")]})
    if occasion not in Screening.Occasion.values:
        raise ValidationError({"occasion": [_("unknown occasion")]})
    with transaction.atomic():
        return _schedule(record, occasion, due_on, due_on + timedelta(days=schedule.WINDOW), actor)


def cancel_open_screenings(*, actor: User, veteran: Veteran, purpose: str, **kwargs) -> int:
    """When screening consent is withdrawn, from any page: what was due is cancelled (kept,
    never answered). Receives people.signals.consent_withdrawn, inside its transaction."""
    if purpose != Consent.Purpose.WELLBEING:
        return 0
    with transaction.atomic():
        screenings = list(
            Screening.objects.select_for_update(of=("self",)).filter(
                record__veteran=veteran,
                status__in=[Screening.Status.DUE, Screening.Status.IN_PROGRESS],
            )
        )
        for screening in screenings:
            screening.status = Screening.Status.CANCELLED
            screening.save(update_fields=["status"])
            audit(actor=actor, action="wellbeing.screening.cancel", subject=screening)
    return len(screenings)


# Responses ----------------------------------------------------------------------------


def score_answers(instrument_id: str, answers: list[int | None], sex: str | None):
    """The instrument and its exact score; bad input is a ValidationError naming the field."""
    try:
        instrument = instruments.get(instrument_id)
        return instrument, score(instrument, answers, sex or None)
    except (instruments.InstrumentError, ScoringError) as exc:
        field, _sep, message = str(exc).partition(": ")
        raise ValidationError({field if message else "answers": [message or str(exc)]}) from exc


def submit_response(
    *, actor: User, screening: Screening, instrument_id: str, answers: list[int | None]
) -> Response:
    """Answers to the next instrument of an open screening, by the person or by a clinician
    of the team entering a paper form. A positive screener brings its full instrument next."""
    record = screening.record
    veteran = record.veteran
    if not access.may_answer(actor, record):
        raise PermissionDenied
    _require_consent(veteran)
    with transaction.atomic():
        screening = Screening.objects.select_for_update().get(pk=screening.pk)
        if not screening.is_open:
            raise ValidationError({"screening": [_("this screening is no longer open")]})
        if instrument_id not in screening.pending:
            raise ValidationError(
                {
                    "instrument": [
                        _("%(id)s is not asked in this screening now") % {"id": instrument_id}
                    ]
                }
            )
        instrument, result = score_answers(instrument_id, answers, veteran.sex)
        response = _store(screening, instrument, result, answers, actor, veteran)
        screening.pending.remove(instrument_id)
        full = instrument.full_instrument
        if result.positive and full and full not in screening.pending:
            screening.pending.insert(0, full)
        screening.status = Screening.Status.IN_PROGRESS
        if not screening.pending:
            screening.status = Screening.Status.COMPLETED
            screening.completed_at = timezone.now()
            if screening.occasion == Screening.Occasion.ANNUAL:
                due_on, closes_on = schedule.next_annual(screening)
                _schedule(record, Screening.Occasion.ANNUAL, due_on, closes_on, None)
        screening.save(update_fields=["pending", "status", "completed_at"])
        audit(actor=actor, action="wellbeing.response.submit", subject=response)
        _retier(screening, actor)
    return response


def _store(screening, instrument, result, answers, actor, veteran, *, supersedes=None, reason=""):
    return Response.objects.create(
        screening=screening,
        instrument=instrument.id,
        instrument_version=instrument.version,
        version=(supersedes.version + 1) if supersedes else 1,
        supersedes=supersedes,
        answers_sealed=sealed(json.dumps(answers)),
        correction_reason_sealed=sealed(reason),
        sex=veteran.sex or "",
        total=result.total,
        subscales=result.subscales,
        band=result.band or "",
        positive=result.positive,
        flags=result.flags,
        submitted_at=timezone.now(),
        submitted_by=actor,
    )


def correct_response(
    *, actor: User, response: Response, answers: list[int | None], reason: str
) -> Response:
    """A new version that supersedes the response; the original stays as it was."""
    record = response.screening.record
    _require_clinician(actor, record)
    if not reason.strip():
        raise ValidationError({"reason": [_("say why the answers are corrected")]})
    with transaction.atomic():
        current = Response.objects.select_for_update().get(pk=response.pk)
        if Response.objects.filter(supersedes=current).exists():
            raise ValidationError({"response": [_("correct the latest version")]})
        instrument, result = score_answers(current.instrument, answers, record.veteran.sex)
        corrected = _store(
            current.screening,
            instrument,
            result,
            answers,
            actor,
            record.veteran,
            supersedes=current,
            reason=reason,
        )
        audit(actor=actor, action="wellbeing.response.correct", subject=corrected)
        _retier(current.screening, actor)
    return corrected


def current_responses(screening: Screening) -> list[Response]:
    return list(screening.responses.filter(superseded_by__isnull=True).order_by("pk"))


def _retier(screening: Screening, actor: User) -> None:
    rules = RiskRule.objects.filter(is_active=True)
    tier, fired = tiers.evaluate(rules, current_responses(screening))
    screening.tier = tier
    screening.fired_rules = [f.as_dict() for f in fired]
    screening.save(update_fields=["tier", "fired_rules"])
    for rule in fired:
        if rule.raises_alert:
            _raise_alert(screening, rule.name, actor)


def _raise_alert(screening: Screening, reason: str, actor: User) -> Alert | None:
    if screening.alerts.filter(reason=reason).exists():
        return None
    team = screening.record.care_team
    now = timezone.now()
    alert = Alert.objects.create(
        screening=screening,
        reason=reason,
        raised_at=now,
        assigned_to=team.on_duty,
        escalate_at=now + timedelta(minutes=team.escalate_after_minutes),
    )
    audit(actor=actor, action="wellbeing.alert.raise", subject=alert)
    if team.on_duty is not None:
        _notify(
            team.on_duty,
            alert,
            "wellbeing_alert",
            gettext_noop("Urgent well-being alert: see it now"),
        )
    return alert


def _notify(user: User, alert: Alert, kind: str, text: str) -> None:
    from django.urls import reverse

    notify(
        [user],
        kind=kind,
        text=text,
        url=reverse("wellbeing:home") + "#alerts",
        key=f"{kind}:{alert.pk}",
    )


def acknowledge_alert(*, actor: User, alert: Alert) -> Alert:
    _require_clinician(actor, alert.screening.record)
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.acknowledged_at is None:
            alert.acknowledged_at, alert.acknowledged_by = timezone.now(), actor
            alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
            audit(actor=actor, action="wellbeing.alert.acknowledge", subject=alert)
    return alert


def escalate_alerts(now=None) -> int:
    """Alerts nobody acknowledged in time go to the team's lead (or, without one, to every
    clinician of the team). Idempotent: an alert escalates once."""
    now = now or timezone.now()
    escalated = 0
    with transaction.atomic():
        due = (
            Alert.objects.select_for_update(of=("self",))
            .filter(acknowledged_at=None, escalated_at=None, escalate_at__lte=now)
            .select_related("screening__record__care_team")
        )
        for alert in due:
            team = alert.screening.record.care_team
            targets = [team.lead] if team.lead is not None else list(access.team_clinicians(team))
            alert.escalated_at = now
            alert.escalated_to = targets[0] if targets else None
            alert.save(update_fields=["escalated_at", "escalated_to"])
            audit(actor=None, action="wellbeing.alert.escalate", subject=alert)
            for user in targets:
                _notify(
                    user,
                    alert,
                    "wellbeing_escalation",
                    gettext_noop("Urgent well-being alert not acknowledged in time: see it now"),
                )
            escalated += 1
    return escalated


# Reviews, programmes, command notices ----------------------------------------------------


def review(
    *, actor: User, screening: Screening, outcome: str, notes: str = "", plan: str = ""
) -> Review:
    _require_clinician(actor, screening.record)
    if outcome not in Review.Outcome.values:
        raise ValidationError({"outcome": [_("choose an outcome")]})
    screening = Screening.objects.select_related("record").get(pk=screening.pk)
    if screening.status == Screening.Status.DUE:
        raise ValidationError({"screening": [_("nothing has been answered yet")]})
    with transaction.atomic():
        if Review.objects.filter(screening=screening).exists():
            raise ValidationError({"screening": [_("this screening is already reviewed")]})
        done = Review.objects.create(
            screening=screening,
            clinician=actor,
            reviewed_at=timezone.now(),
            outcome=outcome,
            notes_sealed=sealed(notes),
            plan_sealed=sealed(plan),
        )
        audit(actor=actor, action="wellbeing.review.add", subject=screening)
        if outcome == Review.Outcome.WATCHFUL_WAITING:
            today = timezone.localdate()
            _schedule(
                screening.record,
                Screening.Occasion.FOLLOW_UP,
                today + timedelta(days=30),
                today + timedelta(days=30 + schedule.WINDOW),
                actor,
            )
    return done


def enrol(
    *,
    actor: User,
    record: Record,
    programme: str,
    starts_on: date,
    ends_on: date | None = None,
    notes: str = "",
    screening: Screening | None = None,
) -> Enrolment:
    """Enrol the person in a support programme (decided with them) and schedule follow-ups."""
    _require_clinician(actor, record)
    _require_consent(record.veteran)
    if programme not in Enrolment.Programme.values:
        raise ValidationError({"programme": [_("choose a programme")]})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": [_("the end cannot come before the start")]})
    if screening is not None and screening.record_id != record.pk:
        raise ValidationError({"screening": [_("the screening is another person's")]})
    with transaction.atomic():
        enrolment = Enrolment.objects.create(
            record=record,
            screening=screening,
            programme=programme,
            starts_on=starts_on,
            ends_on=ends_on,
            notes_sealed=sealed(notes),
            enrolled_by=actor,
        )
        audit(actor=actor, action="wellbeing.enrolment.add", subject=enrolment)
        for days in Enrolment.FOLLOW_UPS[Enrolment.Programme(programme)]:
            due_on = starts_on + timedelta(days=days)
            if ends_on is None or due_on <= ends_on + timedelta(days=schedule.WINDOW):
                _schedule(
                    record,
                    Screening.Occasion.FOLLOW_UP,
                    due_on,
                    due_on + timedelta(days=schedule.WINDOW),
                    actor,
                )
    return enrolment


def end_enrolment(*, actor: User, enrolment: Enrolment) -> Enrolment:
    _require_clinician(actor, enrolment.record)
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.ended_at is None:
            enrolment.ended_at = timezone.now()
            enrolment.save(update_fields=["ended_at"])
            audit(actor=actor, action="wellbeing.enrolment.end", subject=enrolment)
    return enrolment


def notify_command(
    *,
    actor: User,
    record: Record,
    command: Organisation,
    standard: str,
    limitations: list[str],
    until: date,
    support: str,
) -> CommandNotice:
    """A clinician's deliberate disclosure: duty limitations, until when, how to support."""
    _require_clinician(actor, record)
    errors: dict[str, list[str]] = {}
    if standard not in CommandNotice.Standard.values:
        errors["standard"] = [_("choose the notification standard that applies")]
    if not limitations or not set(limitations) <= set(CommandNotice.Limitation.values):
        errors["limitations"] = [_("choose at least one duty limitation from the list")]
    if until < timezone.localdate():
        errors["until"] = [_("the limitation cannot end in the past")]
    if not support.strip():
        errors["support"] = [_("say how the command can support")]
    if command.kind != Organisation.Kind.DEFENCE_UNIT:
        errors["command"] = [_("a notice goes to a defence ministry unit")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        notice = CommandNotice.objects.create(
            record=record,
            command=command,
            standard=standard,
            limitations=sorted(set(limitations)),
            limitations_until=until,
            support_sealed=sealed(support),
            issued_at=timezone.now(),
            issued_by=actor,
        )
        audit(actor=actor, action="wellbeing.notice.issue", subject=notice)
    return notice


def configure_team(
    *,
    actor: User,
    team: CareTeam,
    on_duty: User | None,
    lead: User | None = None,
    escalate_after_minutes: int | None = None,
) -> CareTeam:
    """Who is on duty: a clinician of the team (the team's own clinicians set it)."""
    if not access.may_configure_team(actor, team):
        raise PermissionDenied
    for field, user in (("on_duty", on_duty), ("lead", lead)):
        if user is not None and user.organisation_id != team.organisation_id:
            raise ValidationError({field: [_("choose a clinician of this team")]})
    with transaction.atomic():
        team.on_duty = on_duty
        if lead is not None:
            team.lead = lead
        if escalate_after_minutes is not None:
            if escalate_after_minutes < 1:
                raise ValidationError({"escalate_after_minutes": [_("at least one minute")]})
            team.escalate_after_minutes = escalate_after_minutes
        team.save()
        audit(actor=actor, action="wellbeing.careteam.change", subject=team)
    return team
