"""The selection council: meetings, members' votes, minutes and decisions.

A decision needs the minutes written and a vote from every member who sits on the meeting.
The council approves a candidate when more than half of its members vote for; otherwise,
abstentions included, the candidate is not approved. Members record their own votes; a
selection officer running the track may record them as the meeting's secretary.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import User
from waypoint.audit.services import diff, record
from waypoint.leadership import access
from waypoint.leadership.models import (
    COUNCIL,
    MANAGE,
    Candidacy,
    CouncilMeeting,
    CouncilVote,
    Track,
)
from waypoint.leadership.selectors import tally
from waypoint.leadership.services import check_step, locked, move, require_active

S = Candidacy.Stage


def _require_open(meeting: CouncilMeeting) -> None:
    if meeting.status != CouncilMeeting.Status.OPEN:
        raise ValidationError({"meeting": [_("the meeting is closed: its minutes are signed")]})


def open_meeting(
    *, actor: User, track: Track, held_on: date | None, members: list[User]
) -> CouncilMeeting:
    if not access.may_open_meeting(actor, track):
        raise PermissionDenied(MANAGE)
    require_active(track)
    errors = {}
    if held_on is None:
        errors["held_on"] = [_("give the date of the meeting")]
    if not members:
        errors["members"] = [_("name at least one member of the council")]
    refused = [str(member) for member in members if not access.may_sit_on_council(member)]
    if refused:
        errors["members"] = [
            _("cannot sit on the council: %(names)s") % {"names": ", ".join(refused)}
        ]
    if errors or held_on is None:  # a missing date is one of the errors
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = CouncilMeeting.objects.create(track=track, held_on=held_on, created_by=actor)
        meeting.members.set(members)
        record(
            actor=actor,
            action="leadership.meeting.open",
            subject=meeting,
            changes={
                "held_on": [None, held_on.isoformat()],
                "members": [None, sorted(member.pk for member in members)],
            },
        )
    return meeting


def save_minutes(*, actor: User, meeting: CouncilMeeting, minutes: str) -> CouncilMeeting:
    if not access.may_write_minutes(actor, meeting):
        raise PermissionDenied(COUNCIL)
    with transaction.atomic():
        current = CouncilMeeting.objects.select_for_update().get(pk=meeting.pk)
        _require_open(current)
        before = current.minutes
        current.minutes = minutes.strip()
        current.save(update_fields=["minutes"])
        record(
            actor=actor,
            action="leadership.meeting.minutes",
            subject=current,
            changes=diff({"minutes": before}, {"minutes": current.minutes}),
        )
    return current


def record_vote(
    *, actor: User, meeting: CouncilMeeting, candidacy: Candidacy, member: User, vote: str
) -> CouncilVote:
    """A member's vote (for, against, abstain); changeable until the decision."""
    if not access.may_record_vote(actor, meeting, member):
        raise PermissionDenied(COUNCIL)
    errors = {}
    if vote not in CouncilVote.Choice.values:
        errors["vote"] = [_("vote for, against, or abstain")]
    if not meeting.members.filter(pk=member.pk).exists():
        errors["member"] = [_("%(name)s does not sit on this meeting") % {"name": member}]
    if candidacy.track_id != meeting.track_id:
        errors["candidacy"] = [_("the candidacy is on another track")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _require_open(meeting)
        current = locked(candidacy)
        if current.stage != S.INTERVIEWED:
            raise ValidationError(
                {
                    "candidacy": [
                        _("the council votes on interviewed candidates; this one is: %(stage)s")
                        % {"stage": current.get_stage_display()}
                    ]
                }
            )
        row = CouncilVote.objects.filter(meeting=meeting, candidacy=current, member=member).first()
        before = row.vote if row else None
        row = row or CouncilVote(meeting=meeting, candidacy=current, member=member)
        row.vote = vote
        row.recorded_by = actor
        row.recorded_at = timezone.now()
        row.save()
        record(
            actor=actor,
            action="leadership.council.vote",
            subject=row,
            changes={"vote": [before, vote], "member": [None, member.pk]},
            veteran_id=current.veteran_id,
        )
    return row


def decide(*, actor: User, meeting: CouncilMeeting, candidacy: Candidacy) -> Candidacy:
    """Record the council's decision on a candidate by majority of its members."""
    if not access.may_record_decision(actor, meeting):
        raise PermissionDenied(COUNCIL)
    with transaction.atomic():
        meeting = CouncilMeeting.objects.select_for_update().get(pk=meeting.pk)
        _require_open(meeting)
        current = locked(candidacy)
        if current.track_id != meeting.track_id:
            raise ValidationError({"candidacy": [_("the candidacy is on another track")]})
        check_step(current, S.APPROVED)
        if not meeting.minutes.strip():
            raise ValidationError({"minutes": [_("write the minutes before recording a decision")]})
        voted = set(meeting.votes.filter(candidacy=current).values_list("member_id", flat=True))
        missing = [str(member) for member in meeting.members.all() if member.pk not in voted]
        if missing:
            raise ValidationError(
                {
                    "votes": [
                        _("not every member has voted yet: %(names)s")
                        % {"names": ", ".join(missing)}
                    ]
                }
            )
        counts = tally(meeting, current)
        approved = counts["for"] * 2 > counts["members"]
        current.council_meeting = meeting
        current.vote_tally = counts
        return move(
            actor=actor,
            candidacy=current,
            to=S.APPROVED if approved else S.REJECTED,
            action="leadership.council.decision",
            changes={"council_meeting": [None, meeting.pk], "vote_tally": [None, counts]},
        )


def close_meeting(*, actor: User, meeting: CouncilMeeting) -> CouncilMeeting:
    """Sign the minutes: no more votes or changes at this meeting. Candidates it did not
    decide on go to a later meeting."""
    if not access.may_close_meeting(actor, meeting):
        raise PermissionDenied(COUNCIL)
    with transaction.atomic():
        current = CouncilMeeting.objects.select_for_update().get(pk=meeting.pk)
        _require_open(current)
        if not current.minutes.strip():
            raise ValidationError({"minutes": [_("write the minutes before closing the meeting")]})
        current.status = CouncilMeeting.Status.CLOSED
        current.save(update_fields=["status"])
        record(
            actor=actor,
            action="leadership.meeting.close",
            subject=current,
            changes={"status": [CouncilMeeting.Status.OPEN, CouncilMeeting.Status.CLOSED]},
        )
    return current
