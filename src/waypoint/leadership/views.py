"""Leadership track pages: tracks, each candidacy through selection, the council, the
shortlist and cohort, and the veteran's own status."""

from collections.abc import Callable
from datetime import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waypoint.accounts.access import requires, signed_in
from waypoint.accounts.models import User
from waypoint.audit.services import record
from waypoint.kit.forms import apply_errors, flash_errors
from waypoint.leadership import cohort, council, eligibility, selectors, services
from waypoint.leadership.forms import (
    DeclarationForm,
    EligibilityForm,
    InterviewForm,
    MeetingForm,
    MinutesForm,
    NominateForm,
    PlacementForm,
    ScoresForm,
    TestFormSet,
    TestsDecisionForm,
    TrackForm,
    VoteForm,
    WithdrawForm,
    tests_of,
)
from waypoint.leadership.models import (
    MANAGE,
    VIEW_CANDIDACY,
    Candidacy,
    CouncilVote,
    Track,
)
from waypoint.people.access import veterans_visible_to
from waypoint.people.models import Veteran

VIEW = "leadership.view_track"
S = Candidacy.Stage


def _own_record(user) -> Veteran | None:
    if not user.has_perm("people.self_service"):
        return None
    return getattr(user, "veteran_record", None)


def _candidacy_url(candidacy: Candidacy) -> str:
    return reverse("leadership:candidacy", args=[candidacy.pk])


@requires(VIEW)
def tracks(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "leadership/tracks.html",
        {
            "tracks": selectors.tracks(),
            "manages": request.user.has_perm(MANAGE),
            "own_record": _own_record(request.user),
        },
    )


@requires(VIEW)
def track_detail(request: HttpRequest, pk: int) -> HttpResponse:
    track = get_object_or_404(selectors.tracks(), pk=pk)
    user = request.user
    runs = services.runs_track(user, track)
    own_record = _own_record(user)
    own = track.candidacies.filter(veteran=own_record).first() if own_record else None
    accepting = selectors.accepts_applications(track)
    staff = user.has_perm(VIEW_CANDIDACY) or runs
    return render(
        request,
        "leadership/track.html",
        {
            "track": track,
            "tests": list(track.tests.all()),
            "runs": runs,
            "accepting": accepting,
            "counts": selectors.stage_counts(track) if staff else None,
            "candidacies": list(selectors.candidacies_for(user, track=track)[:500])
            if staff
            else [],
            "staff": staff,
            "meetings": list(selectors.meetings_for(user, track)),
            "own_record": own_record,
            "own_candidacy": own,
            "declaration_form": DeclarationForm(),
            "nominate_form": NominateForm(),
            "nominates": accepting and user.has_perm(MANAGE),
            "next_status": services.next_track_status(track) if runs else None,
        },
    )


def _track_form(request: HttpRequest, track: Track | None) -> HttpResponse:
    initial = model_to_dict(track, fields=TrackForm.Meta.fields) if track else None
    form = TrackForm(request.POST or None, initial=initial)
    tests = TestFormSet(
        request.POST or None,
        prefix="tests",
        initial=[
            {"name": t.name, "max_score": t.max_score, "pass_mark": t.pass_mark, "weight": t.weight}
            for t in track.tests.all()
        ]
        if track
        else None,
    )
    if request.method == "POST" and form.is_valid() and tests.is_valid():
        values = {name: form.cleaned_data[name] for name in TrackForm.Meta.fields}
        try:
            track = services.save_track(
                actor=request.user, values=values, tests=tests_of(tests), track=track
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Track saved."))
            return redirect(reverse("leadership:track", args=[track.pk]))
    return render(
        request, "leadership/track_form.html", {"form": form, "tests": tests, "track": track}
    )


@requires(MANAGE)
def track_new(request: HttpRequest) -> HttpResponse:
    return _track_form(request, None)


@requires(MANAGE)
def track_edit(request: HttpRequest, pk: int) -> HttpResponse:
    track = get_object_or_404(Track, pk=pk)
    if not services.runs_track(request.user, track):
        raise PermissionDenied(MANAGE)
    return _track_form(request, track)


@requires(MANAGE)
@require_POST
def track_status(request: HttpRequest, pk: int, status: str) -> HttpResponse:
    track = get_object_or_404(Track, pk=pk)
    try:
        services.set_track_status(actor=request.user, track=track, to=status)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Track status changed."))
    return redirect(reverse("leadership:track", args=[pk]))


@requires("people.self_service")
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    track = get_object_or_404(Track, pk=pk)
    back = reverse("leadership:track", args=[pk])
    veteran = _own_record(request.user)
    if veteran is None:
        messages.error(request, _("No veteran record is linked to your account."))
        return redirect(back)
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Answer the question about a disqualifying record."))
        return redirect(back)
    try:
        candidacy = services.apply(
            actor=request.user,
            track=track,
            veteran=veteran,
            has_disqualifying_record=form.cleaned_data["has_disqualifying_record"],
        )
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect(back)
    messages.success(request, _("Your application is in. A selection officer will review it."))
    return redirect(_candidacy_url(candidacy))


@requires(MANAGE)
@require_POST
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    track = get_object_or_404(Track, pk=pk)
    back = reverse("leadership:track", args=[pk])
    form = NominateForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
        return redirect(back)
    veteran = veterans_visible_to(request.user).filter(pk=form.cleaned_data["veteran"]).first()
    if veteran is None:
        messages.error(request, _("veteran: no veteran with this number in your scope"))
        return redirect(back)
    try:
        candidacy = services.apply(
            actor=request.user,
            track=track,
            veteran=veteran,
            has_disqualifying_record=form.cleaned_data["has_disqualifying_record"],
        )
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect(back)
    messages.success(request, _("%(name)s is nominated.") % {"name": veteran.full_name})
    return redirect(_candidacy_url(candidacy))


def _history(candidacy: Candidacy, *, with_names: bool) -> list[dict]:
    names = {}
    if with_names:
        ids = {entry[2] for entry in candidacy.history if len(entry) > 2}
        names = {user.pk: str(user) for user in User.objects.filter(pk__in=ids)}
    return [
        {
            "label": S(entry[0]).label if entry[0] in S.values else entry[0],
            "at": datetime.fromisoformat(entry[1]),
            "by": names.get(entry[2], "") if with_names else "",
        }
        for entry in candidacy.history
    ]


def _candidate_facts(candidacy: Candidacy, *, staff: bool) -> dict:
    """What a candidacy shows: the candidate sees their own facts and scores, never the
    council's named votes; staff also see the interview's notes and the standing."""
    checks = candidacy.eligibility.get("checks", [])
    periods = [
        {**period, "reason": eligibility.period_reason(period["why"])}
        for item in checks
        if item["rule"] == "management"
        for period in item.get("periods", [])
    ]
    scores = {score.test_id: score for score in candidacy.scores.all()}
    return {
        "candidacy": candidacy,
        "history": _history(candidacy, with_names=staff),
        "checks": [(item["passed"], eligibility.explain(item)) for item in checks],
        "periods": periods,
        "proposed_eligible": candidacy.eligibility.get("eligible"),
        "test_rows": [(test, scores.get(test.pk)) for test in candidacy.track.tests.all()],
        "final": candidacy.stage in services.FINAL,
        # Once the council decided, anything but "not approved" means it approved.
        "council_decision": (S.REJECTED if candidacy.stage == S.REJECTED else S.APPROVED).label
        if candidacy.council_meeting_id
        else "",
    }


def _candidacy_page(
    request: HttpRequest, candidacy: Candidacy, bound: dict | None = None
) -> HttpResponse:
    user = request.user
    officer = services.is_officer_for(user, candidacy)
    staff = officer or user.has_perm(VIEW_CANDIDACY)
    tests = list(candidacy.track.tests.all())
    scores = {score.test_id: score.score for score in candidacy.scores.all()}
    bound = bound or {}
    context = {
        "f": _candidate_facts(candidacy, staff=staff),
        "candidacy": candidacy,
        "track": candidacy.track,
        "staff": staff,
        "officer": officer,
        "may_withdraw": services.may_withdraw(user, candidacy)
        and candidacy.stage not in services.FINAL,
        "tests_proposal": selectors.tests_proposal(candidacy),
        "interview_open": officer
        and (
            candidacy.stage == S.TESTED
            or (candidacy.stage == S.INTERVIEWED and not candidacy.votes.exists())
        ),
        "eligibility_form": bound.get("eligibility", EligibilityForm()),
        "scores_form": bound.get("scores", ScoresForm(tests=tests, scores=scores)),
        "tests_form": bound.get("tests", TestsDecisionForm()),
        "interview_form": bound.get(
            "interview",
            InterviewForm(
                initial={
                    "score": candidacy.interview_score,
                    "held_on": candidacy.interview_held_on,
                    "panel": candidacy.interview_panel,
                    "notes": candidacy.interview_notes,
                }
            ),
        ),
        "placement_form": bound.get("placement", PlacementForm()),
        "withdraw_form": bound.get("withdraw", WithdrawForm()),
        "standing": next(
            (
                standing
                for standing in selectors.standings(candidacy.track)
                if standing.candidacy.pk == candidacy.pk
            ),
            None,
        )
        if staff and candidacy.stage in selectors.RANKABLE
        else None,
    }
    return render(request, "leadership/candidacy.html", context)


@signed_in
def candidacy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidacy = selectors.candidacy_for(request.user, pk)
    if candidacy is None:
        raise Http404("no such candidacy")
    record(actor=request.user, action="leadership.candidacy.view", subject=candidacy)
    return _candidacy_page(request, candidacy)


def _stage_action(
    request: HttpRequest,
    pk: int,
    name: str,
    make_form: Callable[[Candidacy], forms.Form],
    perform: Callable[[Candidacy, dict], object],
    done: str,
) -> HttpResponse:
    """A stage form posted from the candidacy page: done, or the page again with the
    errors next to the fields they name."""
    candidacy = selectors.candidacy_for(request.user, pk)
    if candidacy is None:
        raise Http404("no such candidacy")
    form = make_form(candidacy)
    if form.is_valid():
        try:
            perform(candidacy, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(_candidacy_url(candidacy))
    return _candidacy_page(request, candidacy, bound={name: form})


@requires(MANAGE)
@require_POST
def eligibility_decision(request: HttpRequest, pk: int) -> HttpResponse:
    return _stage_action(
        request,
        pk,
        "eligibility",
        lambda candidacy: EligibilityForm(request.POST),
        lambda candidacy, data: services.decide_eligibility(
            actor=request.user,
            candidacy=candidacy,
            eligible=data["decision"] == "eligible",
            note=data["note"],
        ),
        _("Eligibility decided."),
    )


@requires(MANAGE)
@require_POST
def recheck(request: HttpRequest, pk: int) -> HttpResponse:
    candidacy = selectors.candidacy_for(request.user, pk)
    if candidacy is None:
        raise Http404("no such candidacy")
    try:
        services.recheck_eligibility(actor=request.user, candidacy=candidacy)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Eligibility checked again."))
    return redirect(_candidacy_url(candidacy))


def _save_scores(actor, candidacy: Candidacy, data: dict) -> None:
    tests = {f"test_{test.pk}": test for test in candidacy.track.tests.all()}
    for name, value in data.items():
        if value is not None and name in tests:
            services.record_score(actor=actor, candidacy=candidacy, test=tests[name], score=value)


@requires(MANAGE)
@require_POST
def scores(request: HttpRequest, pk: int) -> HttpResponse:
    def form(candidacy: Candidacy) -> ScoresForm:
        return ScoresForm(request.POST, tests=list(candidacy.track.tests.all()), scores={})

    return _stage_action(
        request,
        pk,
        "scores",
        form,
        lambda candidacy, data: _save_scores(request.user, candidacy, data),
        _("Scores saved."),
    )


@requires(MANAGE)
@require_POST
def tests_decision(request: HttpRequest, pk: int) -> HttpResponse:
    return _stage_action(
        request,
        pk,
        "tests",
        lambda candidacy: TestsDecisionForm(request.POST),
        lambda candidacy, data: services.decide_tests(
            actor=request.user,
            candidacy=candidacy,
            passed=data["decision"] == "passed",
            note=data["note"],
        ),
        _("Tests decided."),
    )


@requires(MANAGE)
@require_POST
def interview(request: HttpRequest, pk: int) -> HttpResponse:
    return _stage_action(
        request,
        pk,
        "interview",
        lambda candidacy: InterviewForm(request.POST),
        lambda candidacy, data: services.record_interview(
            actor=request.user, candidacy=candidacy, **data
        ),
        _("Interview recorded."),
    )


@requires(MANAGE)
@require_POST
def place(request: HttpRequest, pk: int) -> HttpResponse:
    return _stage_action(
        request,
        pk,
        "placement",
        lambda candidacy: PlacementForm(request.POST),
        lambda candidacy, data: cohort.place(actor=request.user, candidacy=candidacy, **data),
        _("Placement recorded."),
    )


@signed_in
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _stage_action(
        request,
        pk,
        "withdraw",
        lambda candidacy: WithdrawForm(request.POST),
        lambda candidacy, data: services.withdraw(
            actor=request.user, candidacy=candidacy, reason=data["reason"]
        ),
        _("The candidacy is withdrawn."),
    )


def _run_track(request: HttpRequest, pk: int) -> Track:
    track = get_object_or_404(Track, pk=pk)
    if not services.runs_track(request.user, track):
        raise PermissionDenied(MANAGE)
    return track


@requires(MANAGE)
def shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    track = _run_track(request, pk)
    ranking = selectors.standings(track)
    return render(
        request,
        "leadership/shortlist.html",
        {
            "track": track,
            "tests": list(track.tests.all()),
            "ranking": ranking,
            "awaiting_council": track.candidacies.filter(stage=S.INTERVIEWED).count(),
            "awaiting_shortlist": sum(1 for s in ranking if s.candidacy.stage == S.APPROVED),
            "holding_places": sum(1 for s in ranking if s.candidacy.stage in cohort.HOLDS_PLACE),
        },
    )


@requires(MANAGE)
@require_POST
def shortlist_publish(request: HttpRequest, pk: int) -> HttpResponse:
    track = _run_track(request, pk)
    try:
        ranking = cohort.publish_shortlist(actor=request.user, track=track)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The shortlist ranks %(n)s candidates.") % {"n": len(ranking)})
    return redirect(reverse("leadership:shortlist", args=[pk]))


@requires(MANAGE)
@require_POST
def cohort_form(request: HttpRequest, pk: int) -> HttpResponse:
    track = _run_track(request, pk)
    try:
        moved = cohort.form_cohort(actor=request.user, track=track)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request,
            _("%(cohort)s joined the cohort; %(reserve)s went on the reserve list.") % moved,
        )
    return redirect(reverse("leadership:shortlist", args=[pk]))


@requires(MANAGE)
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    track = _run_track(request, pk)
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
            return redirect(reverse("leadership:meeting", args=[meeting.pk]))
    return render(request, "leadership/meeting_form.html", {"form": form, "track": track})


def _meeting(request: HttpRequest, pk: int):
    meeting = selectors.meetings_for(request.user).filter(pk=pk).first()
    if meeting is None:
        raise Http404("no such meeting")
    return meeting


@signed_in
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    user = request.user
    members = list(meeting.members.order_by("last_name", "first_name", "pk"))
    candidates = selectors.before_council(user, meeting)
    votes = {
        (vote.candidacy_id, vote.member_id): vote.vote
        for vote in meeting.votes.filter(candidacy__in=candidates)
    }
    secretary = services.runs_track(user, meeting.track)
    rows = [
        {
            "candidacy": candidacy,
            "votes": [
                {
                    "member": member,
                    "vote": votes.get((candidacy.pk, member.pk), ""),
                    "may_record": meeting.status == "open"
                    and candidacy.stage == S.INTERVIEWED
                    and (secretary or member.pk == user.pk),
                }
                for member in members
            ],
            "tally": council.tally(meeting, candidacy),
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
            "keeps_record": council.keeps_record(user, meeting),
            "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}),
        },
    )


@signed_in
@require_POST
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
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
    return redirect(reverse("leadership:meeting", args=[pk]))


@signed_in
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    back = reverse("leadership:meeting", args=[pk])
    form = VoteForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
        return redirect(back)
    candidacy = selectors.candidacy_for(request.user, form.cleaned_data["candidacy"])
    if candidacy is None:
        raise Http404("no such candidacy")
    member = meeting.members.filter(pk=form.cleaned_data["member"]).first()
    if member is None:
        messages.error(request, _("member: not a member of this meeting"))
        return redirect(back)
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
    return redirect(back)


@signed_in
@require_POST
def decide(request: HttpRequest, pk: int, candidacy: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    found = selectors.candidacy_for(request.user, candidacy)
    if found is None:
        raise Http404("no such candidacy")
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
    return redirect(reverse("leadership:meeting", args=[pk]))


@signed_in
@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    try:
        council.close_meeting(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Meeting closed; the minutes are signed."))
    return redirect(reverse("leadership:meeting", args=[pk]))


@requires("people.self_service")
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in veteran's own candidacies, and tracks open to them."""
    own = list(selectors.own_candidacies(request.user))
    applied = {candidacy.track_id for candidacy in own}
    return render(
        request,
        "leadership/mine.html",
        {
            "own_record": _own_record(request.user),
            "candidacies": [_candidate_facts(candidacy, staff=False) for candidacy in own],
            "open_tracks": [
                track
                for track in selectors.tracks().filter(status=Track.Status.OPEN)
                if selectors.accepts_applications(track) and track.pk not in applied
            ],
        },
    )
