"""A candidacy's page and the stage forms posted from it; the veteran's own candidacies."""

from collections.abc import Callable
from datetime import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waypoint.accounts.access import requires, signed_in
from waypoint.accounts.models import User
from waypoint.kit.forms import apply_errors, flash_errors
from waypoint.leadership import access, eligibility, selectors, services
from waypoint.leadership.forms import (
    EligibilityForm,
    InterviewForm,
    PlacementForm,
    ScoresForm,
    TestsDecisionForm,
    WithdrawForm,
)
from waypoint.leadership.models import MANAGE, Candidacy, Track
from waypoint.leadership.services import cohort
from waypoint.people.access import SELF_SERVICE, own_record_of

S = Candidacy.Stage


def candidacy_url(candidacy: Candidacy) -> str:
    return reverse("leadership:candidacy", args=[candidacy.pk])


def _history(entries: list[list]) -> list[dict]:
    # Staff's projection names who moved each stage (a user id); the candidate's does not.
    ids = {entry[2] for entry in entries if len(entry) > 2}
    names = {user.pk: str(user) for user in User.objects.filter(pk__in=ids)} if ids else {}
    return [
        {
            "label": S(entry[0]).label if entry[0] in S.values else entry[0],
            "at": datetime.fromisoformat(entry[1]),
            "by": names.get(entry[2], "") if len(entry) > 2 else "",
        }
        for entry in entries
    ]


def page_facts(seen: dict, candidacy: Candidacy) -> dict:
    """What a candidacy's facts show on a page: the reader's projection (access.py), put
    into words. The template reads the audience's fields from here, never off the row."""
    checks = seen["eligibility_checks"]
    scores = {row["test_id"]: row for row in seen["scores"]}
    decision = seen["council_decision"]
    return seen | {
        "candidacy": candidacy,
        "staff": seen["audience"] == "staff",
        "history": _history(seen["history"]),
        "checks": [(item["passed"], eligibility.explain(item)) for item in checks],
        "periods": [
            {**period, "reason": eligibility.period_reason(period["why"])}
            for item in checks
            if item["rule"] == "management"
            for period in item.get("periods", [])
        ],
        "test_rows": [(test, scores.get(test.pk)) for test in candidacy.track.tests.all()],
        "final": candidacy.stage in services.FINAL,
        "council_decision": S(decision).label if decision else "",
    }


def _candidacy_page(
    request: HttpRequest, candidacy: Candidacy, bound: dict | None = None
) -> HttpResponse:
    user = request.user
    facts = page_facts(access.candidacy_for(user, candidacy), candidacy)
    officer = access.is_officer_for(user, candidacy)
    tests = list(candidacy.track.tests.all())
    scores = {row["test_id"]: row["score"] for row in facts["scores"]}
    bound = bound or {}
    context = {
        "f": facts,
        "candidacy": candidacy,
        "track": candidacy.track,
        "staff": facts["staff"],
        "officer": officer,
        "may_withdraw": access.may_withdraw(user, candidacy) and not facts["final"],
        "tests_proposal": selectors.tests_proposal(candidacy),
        "interview_open": access.may_record_interview(user, candidacy)
        and selectors.interview_open(candidacy),
        "eligibility_form": bound.get("eligibility", EligibilityForm()),
        "scores_form": bound.get("scores", ScoresForm(tests=tests, scores=scores)),
        "tests_form": bound.get("tests", TestsDecisionForm()),
        "interview_form": bound.get(
            "interview",
            InterviewForm(
                initial={
                    "score": facts["interview_score"],
                    "held_on": facts["interview_held_on"],
                    "panel": facts["interview_panel"],
                    "notes": facts["interview_notes"],
                }
            ),
        ),
        "placement_form": bound.get("placement", PlacementForm()),
        "withdraw_form": bound.get("withdraw", WithdrawForm()),
        "standing": selectors.standing_of(user, candidacy),
    }
    return render(request, "leadership/candidacy.html", context)


@signed_in
def candidacy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _candidacy_page(request, selectors.candidacy_for(request.user, pk))


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
    candidacy = selectors.candidacy_for(request.user, pk, audit=False)
    form = make_form(candidacy)
    if form.is_valid():
        try:
            perform(candidacy, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(candidacy_url(candidacy))
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
    candidacy = selectors.candidacy_for(request.user, pk, audit=False)
    try:
        services.recheck_eligibility(actor=request.user, candidacy=candidacy)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Eligibility checked again."))
    return redirect(candidacy_url(candidacy))


def _scores_of(candidacy: Candidacy, data: dict) -> dict:
    """The form's filled-in fields, test_<id> each, as {test: score}."""
    tests = {f"test_{test.pk}": test for test in candidacy.track.tests.all()}
    return {
        tests[name]: value for name, value in data.items() if value is not None and name in tests
    }


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
        lambda candidacy, data: services.record_scores(
            actor=request.user, candidacy=candidacy, scores=_scores_of(candidacy, data)
        ),
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


@requires(SELF_SERVICE)
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in veteran's own candidacies, as the candidate sees them, and tracks open
    to them."""
    own = list(selectors.own_candidacies(request.user))
    applied = {candidacy.track_id for candidacy in own}
    return render(
        request,
        "leadership/mine.html",
        {
            "own_record": own_record_of(request.user),
            "candidacies": [
                page_facts(access.candidacy_as_seen_by_candidate(candidacy), candidacy)
                for candidacy in own
            ],
            "open_tracks": [
                track
                for track in selectors.tracks(request.user).filter(status=Track.Status.OPEN)
                if selectors.accepts_applications(track) and track.pk not in applied
            ],
        },
    )
