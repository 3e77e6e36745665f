"""Who may see and do what in well-being. The only module that decides it: pages, API, FHIR
exchange, services, the home page parts and the template tags ask here.

Need-to-know is the design. The person (`people.access.is_own_record`, the one definition of
"the veteran themself", for reads and writes alike) and the clinicians of their care team read
answers, scores and tiers while screening consent stands; the clinical record keeper reads
every record, also after withdrawal; a commander reads only the command notices sent to their
unit, through `notice_as_seen_by_command`, never an answer, a score, a tier or the standard.
Other staff get derived facts (`wellbeing.facts`). Missing and forbidden both answer 404.
"""

from typing import Any

from django.db.models import Q, QuerySet

from waypoint.accounts.models import User
from waypoint.people.access import SELF_SERVICE, is_own_record
from waypoint.people.models import Veteran
from waypoint.wellbeing.models import (
    CONFIGURE,
    KEEP_RECORDS,
    PROVIDE_CARE,
    RECEIVE_NOTICES,
    Alert,
    CareTeam,
    CommandNotice,
    Enrolment,
    Record,
    Response,
    Screening,
    consented,
)

# Roles ---------------------------------------------------------------------------------


def provides_care(user) -> bool:
    """A clinician of a care team (the route-level gate of the clinician's pages)."""
    return user.has_perm(PROVIDE_CARE)


def keeps_records(user) -> bool:
    """The clinical record keeper: reads every record, withdrawn consent included."""
    return user.has_perm(KEEP_RECORDS)


def receives_notices(user) -> bool:
    """A commander: receives the duty limitations clinicians disclose to their unit."""
    return user.has_perm(RECEIVE_NOTICES)


# Read gates ----------------------------------------------------------------------------


def records_visible_to(user) -> QuerySet[Record]:
    """The one read gate: the person, their care team's clinicians while consent stands,
    and the clinical record keeper (who alone still sees records after withdrawal)."""
    if not user.is_authenticated or not user.is_active:
        return Record.objects.none()
    if keeps_records(user):
        return Record.objects.all()
    allowed = Q(pk__in=[])
    if user.has_perm(SELF_SERVICE):
        allowed |= Q(veteran__account=user)
    if provides_care(user) and user.organisation_id:
        allowed |= Q(care_team__organisation_id=user.organisation_id)
    return Record.objects.filter(allowed).filter(consented())


def screenings_visible_to(user) -> QuerySet[Screening]:
    return Screening.objects.filter(record__in=records_visible_to(user))


def responses_visible_to(user) -> QuerySet[Response]:
    return Response.objects.filter(screening__record__in=records_visible_to(user))


def alerts_visible_to(user) -> QuerySet[Alert]:
    return Alert.objects.filter(screening__record__in=records_visible_to(user))


def enrolments_visible_to(user) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(record__in=records_visible_to(user))


def may_read_command_notices(user) -> bool:
    """A commander of a unit: without a unit there is nobody whose duties they command."""
    return receives_notices(user) and bool(user.organisation_id)


def notices_visible_to_command(user) -> QuerySet[CommandNotice]:
    """The notices to the commander's unit. A notice is a disclosure already made: it stays
    readable after the person withdraws screening consent."""
    if not may_read_command_notices(user):
        return CommandNotice.objects.none()
    return CommandNotice.objects.filter(command_id=user.organisation_id)


# Predicates ----------------------------------------------------------------------------


def is_care_team(user, record: Record) -> bool:
    """A clinician of the clinic whose team keeps the record."""
    return provides_care(user) and user.organisation_id == record.care_team.organisation_id


def team_clinicians(team: CareTeam) -> QuerySet[User]:
    """The active clinicians of a team: who an unacknowledged alert escalates to when the team
    has no lead."""
    return (
        User.objects.filter(
            organisation_id=team.organisation_id,
            is_active=True,
            groups__permissions__codename="provide_care",
            groups__permissions__content_type__app_label="wellbeing",
        )
        .distinct()
        .order_by("pk")
    )


def may_open_record(user, veteran: Veteran, record: Record | None = None) -> bool:
    """The person on their own record, or a clinician (of the team, once a record exists)."""
    if is_own_record(user, veteran):
        return True
    if record is None:
        return provides_care(user)
    return is_care_team(user, record)


def may_answer(user, record: Record) -> bool:
    """Answer a screening: the person, or a clinician of the team entering a paper form."""
    return is_own_record(user, record.veteran) or is_care_team(user, record)


def may_treat(user, record: Record) -> bool:
    """Clinical acts on a record: review, correct, schedule, enrol, acknowledge an alert, end
    a programme, notify the command. Only the care team, never the record keeper."""
    return is_care_team(user, record)


def may_configure_team(user, team: CareTeam) -> bool:
    """Who is on duty: the team's own clinicians, or whoever configures well-being."""
    return user.has_perm(CONFIGURE) or (
        provides_care(user) and user.organisation_id == team.organisation_id
    )


def may_configure(user) -> bool:
    """Care teams and risk rules in the admin."""
    return user.has_perm(CONFIGURE)


def may_consent(user, veteran: Veteran) -> bool:
    """Give or withdraw screening consent on the person's own page."""
    return is_own_record(user, veteran)


# Projections: one per audience ---------------------------------------------------------


def response_as_seen_by_care(response: Response) -> dict[str, Any]:
    """What the care team, the record keeper and the person read of a response: the answers
    and the scores derived from them (the person reads their own answers, by law)."""
    return {
        "id": response.pk,
        "instrument": response.instrument,
        "version": response.version,
        "supersedes_id": response.supersedes_id,
        "total": response.total,
        "subscales": response.subscales,
        "band": response.band,
        "positive": response.positive,
        "flags": response.flags,
        "answers": response.answers,
        "submitted_at": response.submitted_at,
    }


def notice_as_seen_by_command(notice: CommandNotice) -> dict[str, Any]:
    """What a commander may learn (Federal Law 323-FZ, art. 13: only what the clinician
    deliberately discloses): who, which duties to limit, until when and how to support. Never
    the notification standard, an answer, a score, a tier or a diagnosis."""
    return {
        "id": notice.pk,
        "veteran_id": notice.record.veteran_id,
        "veteran_name": notice.record.veteran.full_name,
        "limitations": notice.limitation_labels(),
        "until": notice.limitations_until,
        "support": notice.support,
        "issued_at": notice.issued_at,
    }


def screening_as_seen_by(user, screening: Screening) -> dict[str, Any]:
    """A screening with every version of its responses. The care team and the record keeper
    also read its triage (the tier and the rules that fired); the person reads their own
    answers and scores, not the triage, which orders the clinicians' queue and nothing else
    (their page never showed it)."""
    triage = not is_own_record(user, screening.record.veteran)
    return {
        "id": screening.pk,
        "occasion": screening.occasion,
        "status": screening.status,
        "due_on": screening.due_on,
        "window_closes_on": screening.window_closes_on,
        "pending": screening.pending,
        "tier": screening.tier if triage else None,
        "fired_rules": screening.fired_rules if triage else None,
        "completed_at": screening.completed_at,
        "reviewed": hasattr(screening, "review"),
        "responses": [
            response_as_seen_by_care(response) for response in screening.responses.order_by("pk")
        ],
    }
