"""Derived, non-diagnostic facts other modules may show (the coordinator's view): never an
instrument, an answer, a score or a tier. Nothing at all once screening consent is withdrawn."""

from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.wellbeing.models import Enrolment, Record, Screening, consented


def for_staff(veteran_id: int) -> list[str]:
    record = Record.objects.filter(veteran_id=veteran_id).filter(consented()).first()
    if record is None:
        return []
    facts = []
    due = record.screenings.filter(
        status__in=[Screening.Status.DUE, Screening.Status.IN_PROGRESS],
        due_on__lte=timezone.localdate(),
    )
    if due.filter(occasion=Screening.Occasion.FOLLOW_UP).exists():
        facts.append(_("well-being follow-up due"))
    elif due.exists():
        facts.append(_("well-being screening due"))
    today = timezone.localdate()
    active = Enrolment.objects.filter(record=record, ended_at=None, starts_on__lte=today).exclude(
        ends_on__lt=today
    )
    if active.exists():
        facts.append(_("enrolled in a support programme"))
    return facts
