"""Writes for the leadership track: tracks, and each candidacy's way through selection.

Every stage change goes through `move`, which refuses a step NEXT does not allow, dates it in
the candidacy's history and records the audit event in the same transaction. Eligibility and
the tests' pass marks only propose an outcome: a selection officer decides, and has to give a
reason to decide against the proposal. The council's decisions are in services/council.py, the
shortlist, cohort and placements in services/cohort.py. Each service asks access.py whether the
actor may act, so the page and the API that call it get the same answer.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import User
from waypoint.audit.services import diff, record, snapshot
from waypoint.leadership import access, eligibility
from waypoint.leadership.models import MANAGE, Candidacy, Score, Track, TrackTest
from waypoint.leadership.selectors import tests_proposal
from waypoint.people.access import is_own_record
from waypoint.people.models import Veteran

S = Candidacy.Stage
NEXT: dict[str, set[str]] = {
    S.APPLIED: {S.ELIGIBLE, S.NOT_ELIGIBLE, S.WITHDRAWN},
    S.ELIGIBLE: {S.TESTED, S.NOT_PASSED, S.WITHDRAWN},
    S.TESTED: {S.INTERVIEWED, S.WITHDRAWN},
    S.INTERVIEWED: {S.APPROVED, S.REJECTED, S.WITHDRAWN},
    S.APPROVED: {S.SHORTLISTED, S.WITHDRAWN},
    S.SHORTLISTED: {S.COHORT, S.RESERVE, S.WITHDRAWN},
    S.RESERVE: {S.COHORT, S.WITHDRAWN},
    S.COHORT: {S.PLACED, S.WITHDRAWN},
}
# Stages a candidacy cannot leave.
FINAL = frozenset({S.NOT_ELIGIBLE, S.NOT_PASSED, S.REJECTED, S.PLACED, S.WITHDRAWN})
# Still in selection: a track cannot close while any candidacy is at one of these.
IN_SELECTION = (S.APPLIED, S.ELIGIBLE, S.TESTED, S.INTERVIEWED, S.APPROVED, S.SHORTLISTED)
TRACK_STEPS: list[str] = [Track.Status.OPEN, Track.Status.SELECTION, Track.Status.CLOSED]
TRACK_FIELDS = [
    "title",
    "description",
    "region",
    "cohort_size",
    "applications_open",
    "applications_close",
    "min_education",
    "min_management_years",
    "requires_clean_record",
    "interview_max_score",
    "interview_weight",
]
TEST_FIELDS = ("name", "max_score", "pass_mark", "weight")


def require(allowed: bool) -> None:
    """Refuse (403) an action access.py does not allow."""
    if not allowed:
        raise PermissionDenied(MANAGE)


def require_active(track: Track) -> None:
    if track.status == Track.Status.CLOSED:
        raise ValidationError({"track": [_("the track is closed: its selection is over")]})


def check_step(candidacy: Candidacy, to: str) -> None:
    if to not in NEXT.get(candidacy.stage, set()):
        raise ValidationError(
            {
                "stage": [
                    _("a candidacy cannot go from “%(a)s” to “%(b)s”")
                    % {"a": candidacy.get_stage_display(), "b": S(to).label}
                ]
            }
        )


def locked(candidacy: Candidacy) -> Candidacy:
    return Candidacy.objects.select_for_update().select_related("track").get(pk=candidacy.pk)


def move(
    *, actor: User, candidacy: Candidacy, to: str, action: str, changes: dict | None = None
) -> Candidacy:
    """One step, dated and audited. Call inside the transaction that makes it."""
    check_step(candidacy, to)
    before = candidacy.stage
    candidacy.stage = to
    candidacy.history = [*candidacy.history, [to, timezone.now().isoformat(), actor.pk]]
    candidacy.save()
    record(
        actor=actor,
        action=action,
        subject=candidacy,
        changes={"stage": [before, to], **(changes or {})},
    )
    return candidacy


def _clean_tests(tests: list[dict]) -> list[dict]:
    cleaned, names, errors = [], set(), []
    for number, test in enumerate(tests, start=1):
        name = str(test.get("name", "")).strip()
        try:
            max_score, pass_mark, weight = (
                # A missing figure is None: int() raises the TypeError caught below.
                int(test.get(key))  # type: ignore[arg-type]
                for key in ("max_score", "pass_mark", "weight")
            )
        except (TypeError, ValueError):
            errors.append(
                _("test %(n)s: give whole numbers for the scores and weight") % {"n": number}
            )
            continue
        if not name:
            errors.append(_("test %(n)s: give the test a name") % {"n": number})
        elif name.lower() in names:
            errors.append(
                _("test %(n)s: another test has the name %(name)s") % {"n": number, "name": name}
            )
        names.add(name.lower())
        if not 1 <= max_score <= 1000:
            errors.append(_("%(name)s: the highest score must be from 1 to 1000") % {"name": name})
        elif not 0 <= pass_mark <= max_score:
            errors.append(
                _("%(name)s: the pass mark must be from 0 to the highest score, %(max)s")
                % {"name": name, "max": max_score}
            )
        if not 0 <= weight <= 100:
            errors.append(_("%(name)s: the weight must be from 0 to 100") % {"name": name})
        cleaned.append(
            {"name": name, "max_score": max_score, "pass_mark": pass_mark, "weight": weight}
        )
    if errors:
        raise ValidationError({"tests": errors})
    return cleaned


def _test_rows(track: Track) -> list[dict]:
    return [{key: getattr(test, key) for key in TEST_FIELDS} for test in track.tests.all()]


def save_track(
    *, actor: User, values: dict, tests: list[dict] | None = None, track: Track | None = None
) -> Track:
    """Create or edit a track and, when given, replace its tests. The tests are frozen once
    a score is entered or a candidate is past the tests."""
    if track is None:
        require(access.may_create_track(actor))
    else:
        require(access.may_edit_track(actor, track))
    unknown = sorted(set(values) - set(TRACK_FIELDS))
    if unknown:
        raise ValidationError({name: [_("unknown field")] for name in unknown})
    track = track or Track(created_by=actor)
    before = {} if track.pk is None else snapshot(track, TRACK_FIELDS)
    for name, value in values.items():
        setattr(track, name, value)
    if not access.may_run_region(actor, track.region_id):
        raise ValidationError(
            {
                "region": [
                    _(
                        "you run tracks of your own region only; a nationwide track needs "
                        "a selection officer whose scope is the whole country"
                    )
                ]
            }
        )
    track.full_clean(exclude=["created_by"])
    old_tests = [] if track.pk is None else _test_rows(track)
    new_tests = old_tests if tests is None else _clean_tests(tests)
    if new_tests != old_tests and track.pk is not None:
        started = (
            Score.objects.filter(test__track=track).exists()
            or track.candidacies.exclude(stage__in=(S.APPLIED, S.ELIGIBLE, S.NOT_ELIGIBLE)).exists()
        )
        if started:
            raise ValidationError(
                {
                    "tests": [
                        _(
                            "scores are entered or candidates are past the tests: the tests "
                            "can no longer change"
                        )
                    ]
                }
            )
    if sum(test["weight"] for test in new_tests) + track.interview_weight == 0:
        raise ValidationError(
            {"interview_weight": [_("the weights of the tests and the interview add up to zero")]}
        )
    with transaction.atomic():
        track.save()
        changes = diff(before, snapshot(track, TRACK_FIELDS))
        if new_tests != old_tests:
            track.tests.all().delete()
            TrackTest.objects.bulk_create(
                TrackTest(track=track, position=position, **test)
                for position, test in enumerate(new_tests)
            )
            changes["tests"] = [old_tests, new_tests]
        record(actor=actor, action="leadership.track.save", subject=track, changes=changes)
    return track


def next_track_status(track: Track) -> str | None:
    """The status a track may move on to, if any."""
    position = TRACK_STEPS.index(track.status)
    return TRACK_STEPS[position + 1] if position + 1 < len(TRACK_STEPS) else None


def set_track_status(*, actor: User, track: Track, to: str) -> Track:
    """Open → selection → closed, one step at a time."""
    require(access.may_change_track_status(actor, track))
    if to not in Track.Status.values:
        raise ValidationError({"status": [_("unknown status")]})
    with transaction.atomic():
        current = Track.objects.select_for_update().get(pk=track.pk)
        if TRACK_STEPS.index(to) != TRACK_STEPS.index(current.status) + 1:
            raise ValidationError(
                {
                    "status": [
                        _(
                            "a track goes from open to selection to closed, one step at a "
                            "time; this one is %(status)s"
                        )
                        % {"status": current.get_status_display()}
                    ]
                }
            )
        if to == Track.Status.CLOSED:
            waiting = current.candidacies.filter(stage__in=IN_SELECTION).count()
            if waiting:
                raise ValidationError(
                    {
                        "status": [
                            _(
                                "%(n)s candidacies are still in selection: decide on them or "
                                "record their withdrawal first"
                            )
                            % {"n": waiting}
                        ]
                    }
                )
        before = current.status
        current.status = to
        current.save(update_fields=["status", "updated_at"])
        record(
            actor=actor,
            action="leadership.track.status",
            subject=current,
            changes={"status": [before, to]},
        )
    return current


def apply(
    *, actor: User, track: Track, veteran: Veteran, has_disqualifying_record: bool
) -> Candidacy:
    """The veteran applies, or their coordinator nominates them. Eligibility is checked at
    once, as a proposal for a selection officer."""
    require(access.may_apply(actor, veteran))
    if track.status != Track.Status.OPEN:
        raise ValidationError({"track": [_("the track is not open for applications")]})
    today = timezone.localdate()
    if not track.applications_open <= today <= track.applications_close:
        raise ValidationError(
            {
                "track": [
                    _("applications are accepted from %(open)s to %(close)s")
                    % {
                        "open": track.applications_open.isoformat(),
                        "close": track.applications_close.isoformat(),
                    }
                ]
            }
        )
    duplicate = ValidationError(
        {"veteran": [_("the veteran is already a candidate on this track")]}
    )
    if Candidacy.objects.filter(track=track, veteran=veteran).exists():
        raise duplicate
    own = is_own_record(actor, veteran)
    route = Candidacy.Route.SELF if own else Candidacy.Route.NOMINATED
    proposal = eligibility.check(track, veteran, has_disqualifying_record=has_disqualifying_record)
    now = timezone.now()
    try:
        with transaction.atomic():
            candidacy = Candidacy.objects.create(
                track=track,
                veteran=veteran,
                route=route,
                stage=S.APPLIED,
                has_disqualifying_record=has_disqualifying_record,
                attested_by=actor,
                attested_at=now,
                eligibility=proposal,
                history=[[S.APPLIED, now.isoformat(), actor.pk]],
                created_by=actor,
            )
            record(
                actor=actor,
                action="leadership.candidacy.apply",
                subject=candidacy,
                changes={
                    "stage": [None, S.APPLIED],
                    "route": [None, route],
                    "track": [None, track.pk],
                    "has_disqualifying_record": [None, has_disqualifying_record],
                    "eligible_proposed": [None, proposal["eligible"]],
                },
            )
    except IntegrityError:
        raise duplicate from None
    return candidacy


def recheck_eligibility(*, actor: User, candidacy: Candidacy) -> Candidacy:
    """Check the rules again, after the veteran's record was completed."""
    require(access.may_recheck_eligibility(actor, candidacy))
    with transaction.atomic():
        current = locked(candidacy)
        if current.stage != S.APPLIED:
            raise ValidationError(
                {"stage": [_("eligibility is checked again only before it is decided")]}
            )
        before = current.eligibility.get("eligible")
        current.eligibility = eligibility.check(
            current.track,
            current.veteran,
            has_disqualifying_record=current.has_disqualifying_record,
        )
        current.save(update_fields=["eligibility", "updated_at"])
        record(
            actor=actor,
            action="leadership.candidacy.recheck",
            subject=current,
            changes={"eligible_proposed": [before, current.eligibility["eligible"]]},
        )
    return current


def _against_proposal_needs_note(decision: bool, proposal: bool, note: str) -> None:
    if decision != proposal and not note.strip():
        raise ValidationError(
            {"note": [_("give the reason for deciding against the system's proposal")]}
        )


def decide_eligibility(
    *, actor: User, candidacy: Candidacy, eligible: bool, note: str = ""
) -> Candidacy:
    """A selection officer's decision on eligibility: the system only proposed it."""
    require(access.may_decide_eligibility(actor, candidacy))
    with transaction.atomic():
        current = locked(candidacy)
        require_active(current.track)
        to = S.ELIGIBLE if eligible else S.NOT_ELIGIBLE
        check_step(current, to)
        proposed = bool(current.eligibility.get("eligible"))
        _against_proposal_needs_note(eligible, proposed, note)
        current.eligibility_note = note.strip()
        current.eligibility_decided_by = actor
        return move(
            actor=actor,
            candidacy=current,
            to=to,
            action="leadership.candidacy.eligibility",
            changes={"eligible_proposed": [None, proposed], "note": [None, note.strip()]},
        )


def record_score(*, actor: User, candidacy: Candidacy, test: TrackTest, score: int) -> Score:
    """A test score, entered or corrected while the candidate is taking the tests."""
    require(access.may_record_score(actor, candidacy))
    with transaction.atomic():
        current = locked(candidacy)
        require_active(current.track)
        if current.stage != S.ELIGIBLE:
            raise ValidationError(
                {
                    "stage": [
                        _(
                            "test scores are entered while the candidate is taking the tests; "
                            "this candidacy is: %(stage)s"
                        )
                        % {"stage": current.get_stage_display()}
                    ]
                }
            )
        if test.track_id != current.track_id:
            raise ValidationError({"test": [_("the test is not one of this track's")]})
        if (
            isinstance(score, bool)
            or not isinstance(score, int)
            or not 0 <= score <= test.max_score
        ):
            raise ValidationError(
                {
                    "score": [
                        _("a whole number from 0 to %(max)s is expected for %(test)s")
                        % {"max": test.max_score, "test": test.name}
                    ]
                }
            )
        row = Score.objects.filter(candidacy=current, test=test).first()
        before = row.score if row else None
        row = row or Score(candidacy=current, test=test)
        row.score = score
        row.entered_by = actor
        row.entered_at = timezone.now()
        row.save()
        record(
            actor=actor,
            action="leadership.score.record",
            subject=row,
            changes={"score": [before, score], "test": [None, test.name]},
            veteran_id=current.veteran_id,
        )
    return row


def record_scores(
    *, actor: User, candidacy: Candidacy, scores: dict[TrackTest, int]
) -> list[Score]:
    """Several test scores at once, all or none: the page's form of every test, the API's
    one test."""
    require(access.may_record_score(actor, candidacy))
    with transaction.atomic():
        return [
            record_score(actor=actor, candidacy=candidacy, test=test, score=score)
            for test, score in scores.items()
        ]


def decide_tests(*, actor: User, candidacy: Candidacy, passed: bool, note: str = "") -> Candidacy:
    """A selection officer's decision on the tests, once every test is scored; the pass
    marks only propose it."""
    require(access.may_decide_tests(actor, candidacy))
    with transaction.atomic():
        current = locked(candidacy)
        require_active(current.track)
        to = S.TESTED if passed else S.NOT_PASSED
        check_step(current, to)
        proposal = tests_proposal(current)
        if proposal.missing:
            raise ValidationError(
                {
                    "scores": [
                        _("no score yet for: %(tests)s")
                        % {"tests": ", ".join(test.name for test in proposal.missing)}
                    ]
                }
            )
        _against_proposal_needs_note(passed, proposal.passed, note)
        current.tests_note = note.strip()
        current.tests_decided_by = actor
        return move(
            actor=actor,
            candidacy=current,
            to=to,
            action="leadership.candidacy.tests",
            changes={"passed_proposed": [None, proposal.passed], "note": [None, note.strip()]},
        )


INTERVIEW_FIELDS = ["interview_score", "interview_held_on", "interview_panel", "interview_notes"]


def record_interview(
    *,
    actor: User,
    candidacy: Candidacy,
    score: int,
    held_on: date,
    panel: str,
    notes: str = "",
) -> Candidacy:
    """The interview's score, date, panel and notes; correctable until the council votes."""
    require(access.may_record_interview(actor, candidacy))
    with transaction.atomic():
        current = locked(candidacy)
        track = current.track
        require_active(track)
        if current.stage not in (S.TESTED, S.INTERVIEWED):
            raise ValidationError(
                {
                    "stage": [
                        _(
                            "an interview is recorded once the tests are passed; this "
                            "candidacy is: %(stage)s"
                        )
                        % {"stage": current.get_stage_display()}
                    ]
                }
            )
        if current.votes.exists():
            raise ValidationError(
                {"stage": [_("the council has started voting: the interview can no longer change")]}
            )
        errors = {}
        if (
            isinstance(score, bool)
            or not isinstance(score, int)
            or not (0 <= score <= track.interview_max_score)
        ):
            errors["score"] = [
                _("a whole number from 0 to %(max)s is expected")
                % {"max": track.interview_max_score}
            ]
        if held_on is None:
            errors["held_on"] = [_("give the date of the interview")]
        elif held_on > timezone.localdate():
            errors["held_on"] = [_("the interview cannot be in the future")]
        if not panel.strip():
            errors["panel"] = [_("name the members of the interview panel")]
        if errors:
            raise ValidationError(errors)
        before = snapshot(current, INTERVIEW_FIELDS)
        current.interview_score = score
        current.interview_held_on = held_on
        current.interview_panel = panel.strip()
        current.interview_notes = notes.strip()
        changes = diff(before, snapshot(current, INTERVIEW_FIELDS))
        if current.stage == S.TESTED:
            return move(
                actor=actor,
                candidacy=current,
                to=S.INTERVIEWED,
                action="leadership.candidacy.interview",
                changes=changes,
            )
        current.save()
        record(
            actor=actor, action="leadership.candidacy.interview", subject=current, changes=changes
        )
    return current


def withdraw(*, actor: User, candidacy: Candidacy, reason: str = "") -> Candidacy:
    """The veteran, or a selection officer for them, ends the candidacy at any stage."""
    require(access.may_withdraw(actor, candidacy))
    with transaction.atomic():
        current = locked(candidacy)
        if current.stage in FINAL:
            raise ValidationError(
                {
                    "stage": [
                        _("the candidacy is over (%(stage)s): there is nothing to withdraw from")
                        % {"stage": current.get_stage_display()}
                    ]
                }
            )
        before = current.stage
        current.withdrawal_reason = reason.strip()[:300]
        return move(
            actor=actor,
            candidacy=current,
            to=S.WITHDRAWN,
            action="leadership.candidacy.withdraw",
            changes={"withdrawn_from": [None, before], "reason": [None, current.withdrawal_reason]},
        )
