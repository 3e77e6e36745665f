"""Council pages: opening a meeting, the meeting with its votes, minutes, decisions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waypoint.accounts.access import requires, signed_in
from waypoint.kit.forms import apply_errors, flash_errors
from waypoint.leadership import access, selectors
from waypoint.leadership.forms import MeetingForm, MinutesForm, VoteForm
from waypoint.leadership.models import MANAGE, Candidacy, CouncilMeeting, CouncilVote
from waypoint.leadership.services import council

S = Candidacy.Stage


def _meeting_url(pk: int) -> str:
    return reverse("leadership:meeting", args=[pk])


@requires(MANAGE)
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    track = selectors.track_run_by(request.user, pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = council.open_meeting(
                actor=request.user,
                track=track,
                held_on=form.cleaned_data["held_on"],
                members=list(form.cleaned_data["members"]),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Council meeting opened."))
            return redirect(_meeting_url(meeting.pk))
    return render(request, "leadership/meeting_form.html", {"form": form, "track": track})


def _may_record(user, meeting: CouncilMeeting, candidacy: Candidacy, member) -> bool:
    """Offer a vote's buttons only where the service would take it."""
    return (
        meeting.status == CouncilMeeting.Status.OPEN
        and candidacy.stage == S.INTERVIEWED
        and access.may_record_vote(user, meeting, member)
    )


@signed_in
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = selectors.meeting_for(user, pk)
    members = list(meeting.members.order_by("last_name", "first_name", "pk"))
    candidates = selectors.before_council(user, meeting)
    votes = {
        (vote.candidacy_id, vote.member_id): vote.vote
        for vote in selectors.meeting_votes(user, meeting, candidates)
    }
    rows = [
        {
            "candidacy": candidacy,
            "votes": [
                {
                    "member": member,
                    "vote": votes.get((candidacy.pk, member.pk), ""),
                    "may_record": _may_record(user, meeting, candidacy, member),
                }
                for member in members
            ],
            "tally": selectors.tally(meeting, candidacy),
        }
        for candidacy in candidates
    ]
    return render(
        request,
        "leadership/meeting.html",
        {
            "meeting": meeting,
            "members": members,
            "rows": rows,
            "choices": CouncilVote.Choice.choices,
            "keeps_record": access.may_keep_record(user, meeting),
            "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}),
        },
    )


@signed_in
@require_POST
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            council.save_minutes(
                actor=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"]
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Minutes saved."))
    return redirect(_meeting_url(pk))


@signed_in
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
        return redirect(_meeting_url(pk))
    candidacy = selectors.candidacy_for(request.user, form.cleaned_data["candidacy"], audit=False)
    member = selectors.meeting_member(meeting, form.cleaned_data["member"])
    if member is None:
        messages.error(request, _("member: not a member of this meeting"))
        return redirect(_meeting_url(pk))
    try:
        council.record_vote(
            actor=request.user,
            meeting=meeting,
            candidacy=candidacy,
            member=member,
            vote=form.cleaned_data["vote"],
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Vote recorded."))
    return redirect(_meeting_url(pk))


@signed_in
@require_POST
def decide(request: HttpRequest, pk: int, candidacy: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    found = selectors.candidacy_for(request.user, candidacy, audit=False)
    try:
        decided = council.decide(actor=request.user, meeting=meeting, candidacy=found)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request,
            _("Decision recorded: %(name)s, %(stage)s.")
            % {"name": decided.veteran.full_name, "stage": decided.get_stage_display()},
        )
    return redirect(_meeting_url(pk))


@signed_in
@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    try:
        council.close_meeting(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Meeting closed; the minutes are signed."))
    return redirect(_meeting_url(pk))
