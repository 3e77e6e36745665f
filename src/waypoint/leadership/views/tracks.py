"""Track pages: the list, a track, its form and status, applying and nominating, the
shortlist and the cohort."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waypoint.accounts.access import requires
from waypoint.kit.forms import apply_errors, flash_errors
from waypoint.leadership import access, selectors, services
from waypoint.leadership.forms import (
    DeclarationForm,
    NominateForm,
    TestFormSet,
    TrackForm,
    tests_of,
)
from waypoint.leadership.models import MANAGE, VIEW_TRACK, Candidacy, Track
from waypoint.leadership.services import cohort
from waypoint.leadership.views.candidacies import candidacy_url
from waypoint.people.access import SELF_SERVICE, own_record_of

S = Candidacy.Stage


def _track_url(pk: int) -> str:
    return reverse("leadership:track", args=[pk])


@requires(VIEW_TRACK)
def tracks(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "leadership/tracks.html",
        {
            "tracks": selectors.tracks(request.user),
            "manages": access.may_create_track(request.user),
            "own_record": own_record_of(request.user),
        },
    )


@requires(VIEW_TRACK)
def track_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    track = selectors.track_for(user, pk)
    runs = access.may_run_track(user, track)
    own_record = own_record_of(user)
    own = selectors.own_candidacies(user).filter(track=track).first() if own_record else None
    accepting = selectors.accepts_applications(track)
    staff = access.sees_candidacies_of(user, track)
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
            "nominates": accepting and access.may_nominate(user),
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
            return redirect(_track_url(track.pk))
    return render(
        request, "leadership/track_form.html", {"form": form, "tests": tests, "track": track}
    )


@requires(MANAGE)
def track_new(request: HttpRequest) -> HttpResponse:
    return _track_form(request, None)


@requires(MANAGE)
def track_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # The form is offered only to those who may save it: 403 for anyone else.
    return _track_form(request, selectors.track_run_by(request.user, pk))


@requires(MANAGE)
@require_POST
def track_status(request: HttpRequest, pk: int, status: str) -> HttpResponse:
    track = selectors.track_to_act_on(pk)
    try:
        services.set_track_status(actor=request.user, track=track, to=status)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Track status changed."))
    return redirect(_track_url(pk))


def _apply(request: HttpRequest, track: Track, veteran, form: DeclarationForm, done: str):
    try:
        candidacy = services.apply(
            actor=request.user,
            track=track,
            veteran=veteran,
            has_disqualifying_record=form.cleaned_data["has_disqualifying_record"],
        )
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect(_track_url(track.pk))
    messages.success(request, done)
    return redirect(candidacy_url(candidacy))


@requires(SELF_SERVICE)
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    track = selectors.track_to_act_on(pk)
    veteran = own_record_of(request.user)
    if veteran is None:
        messages.error(request, _("No veteran record is linked to your account."))
        return redirect(_track_url(pk))
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Answer the question about a disqualifying record."))
        return redirect(_track_url(pk))
    return _apply(
        request,
        track,
        veteran,
        form,
        _("Your application is in. A selection officer will review it."),
    )


@requires(MANAGE)
@require_POST
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    track = selectors.track_to_act_on(pk)
    form = NominateForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
        return redirect(_track_url(pk))
    veteran = selectors.veteran_in_scope(request.user, form.cleaned_data["veteran"])
    if veteran is None:
        messages.error(request, _("veteran: no veteran with this number in your scope"))
        return redirect(_track_url(pk))
    return _apply(
        request, track, veteran, form, _("%(name)s is nominated.") % {"name": veteran.full_name}
    )


@requires(MANAGE)
def shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    track = selectors.track_run_by(request.user, pk)
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
    track = selectors.track_run_by(request.user, pk)
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
    track = selectors.track_run_by(request.user, pk)
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
