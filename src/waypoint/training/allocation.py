"""Allocation rounds: applications to the round's cohorts → matching.allocation → a proposal
a coordinator confirms (the chosen applications are offered their seat)."""

from datetime import timedelta

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import User
from waypoint.audit.services import record
from waypoint.matching.allocation import Problem, optimal, stable
from waypoint.orientation.models import OrientationRun
from waypoint.people.models import WorkLimitation
from waypoint.training import access
from waypoint.training.models import AllocationRound, Enrolment
from waypoint.training.selectors import with_seats_taken

MODES = {"optimal": optimal, "stable": stable}
NEUTRAL_FIT = 0.5  # an application the orientation engine has no view on
LONG_WAIT = timedelta(days=180)


def _fits(enrolments: list[Enrolment]) -> dict[int, float]:
    """Fit of each application: the veteran's best orientation score among the occupations
    the programme leads to, scaled to 0 … 1 within the veteran's ranking."""
    veterans = {e.veteran_id for e in enrolments}
    latest: dict[int, dict[int, float]] = {}
    newest = (
        OrientationRun.objects.filter(veteran=OuterRef("veteran"))
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    runs = OrientationRun.objects.filter(veteran_id__in=veterans, pk=Subquery(newest))
    for run in runs.prefetch_related("items"):
        scores = {item.occupation_id: item.score for item in run.items.all()}
        top = max(scores.values(), default=0) or 1
        latest[run.veteran_id] = {o: max(0.0, s / top) for o, s in scores.items()}
    fits = {}
    for e in enrolments:
        leads_to = [o.pk for o in e.cohort.programme.occupations.all()]
        known = [latest.get(e.veteran_id, {}).get(o) for o in leads_to]
        known = [k for k in known if k is not None]
        fits[e.pk] = round(min(1.0, max(known)), 4) if known else NEUTRAL_FIT
    return fits


def run(round_: AllocationRound, mode: str = "optimal") -> dict:
    """Solve the round and keep the proposal (nothing is offered until it is confirmed)."""
    if mode not in MODES:
        raise ValidationError({"mode": [_("optimal or stable")]})
    cohorts = list(with_seats_taken(round_.cohorts.all()).order_by("pk"))
    applications = list(
        Enrolment.objects.filter(cohort__in=cohorts, status=Enrolment.Status.APPLIED)
        .select_related("veteran", "cohort__programme")
        .prefetch_related("cohort__programme__occupations")
        .order_by("veteran_id", "pk")
    )
    fits = _fits(applications)
    cohort_at = {c.pk: i for i, c in enumerate(cohorts)}
    veterans = sorted({a.veteran_id for a in applications})
    by_veteran: dict[int, list[Enrolment]] = {v: [] for v in veterans}
    for application in applications:
        by_veteran[application.veteran_id].append(application)
    options = [
        sorted(by_veteran[v], key=lambda a: (-fits[a.pk], a.pk)) for v in veterans
    ]  # best first
    flat = [a for row in options for a in row]
    seats = np.array([max(0, c.seats - c.taken) for c in cohorts], dtype=np.int64)
    limited = set(
        WorkLimitation.objects.filter(veteran_id__in=veterans)
        .exclude(disability_group="none")
        .values_list("veteran_id", flat=True)
    )
    waited = timezone.now() - LONG_WAIT
    priority = np.array(
        [
            1 if (v in limited or by_veteran[v][0].veteran.created_at < waited) else 0
            for v in veterans
        ],
        dtype=np.int64,
    )
    problem = Problem(
        indptr=np.concatenate([[0], np.cumsum([len(row) for row in options])]).astype(np.int64),
        cohorts=np.array([cohort_at[a.cohort_id] for a in flat], dtype=np.int64),
        fit=np.array([fits[a.pk] for a in flat], dtype=np.float64),
        seats=seats,
        priority=priority,
    )
    result = MODES[mode](problem)
    reasons = result.reasons(problem)
    regions = np.array([int(by_veteran[v][0].veteran.region_id) for v in veterans], dtype=np.int64)
    proposal = {
        "assigned": {
            str(flat[o].pk): cohorts[problem.cohorts[o]].pk
            for o in result.option.tolist()
            if o >= 0
        },
        "unassigned": {str(veterans[v]): reason for v, reason in reasons.items()},
        "seats_left": {
            str(c.pk): int(left) for c, left in zip(cohorts, result.seats_left, strict=True)
        },
        "total_fit": round(result.total_fit, 4),
        "by_region": {f"{k:02d}": list(v) for k, v in result.by_group(regions).items()}
        if veterans
        else {},
        "by_priority": {str(k): list(v) for k, v in result.by_group(priority).items()}
        if veterans
        else {},
        "veterans": len(veterans),
    }
    with transaction.atomic():
        round_.mode, round_.proposal = mode, proposal
        round_.status = AllocationRound.Status.PROPOSED
        round_.save(update_fields=["mode", "proposal", "status"])
        record(
            actor=None,
            action="training.allocation.run",
            subject=round_,
            changes={"mode": [None, mode], "placed": [None, len(proposal["assigned"])]},
        )
    return proposal


def confirm(*, actor: User, round_: AllocationRound) -> int:
    """Offer the proposed seats; returns how many applications were offered."""
    if not access.may_allocate_seats(actor):
        raise PermissionDenied("training.allocate_seats")
    if round_.status != AllocationRound.Status.PROPOSED:
        raise ValidationError({"round": [_("run the round before confirming it")]})
    offered = 0
    with transaction.atomic():
        for enrolment in Enrolment.objects.filter(
            pk__in=[int(k) for k in round_.proposal["assigned"]], status=Enrolment.Status.APPLIED
        ):
            enrolment.status = Enrolment.Status.OFFERED
            enrolment.history = [
                *enrolment.history,
                ["offered", timezone.now().isoformat(), actor.pk],
            ]
            enrolment.save(update_fields=["status", "history", "updated_at"])
            record(
                actor=actor,
                action="training.enrolment.move",
                subject=enrolment,
                changes={"status": ["applied", "offered"], "round": [None, round_.name]},
            )
            offered += 1
        round_.status, round_.confirmed_by = AllocationRound.Status.CONFIRMED, actor
        round_.save(update_fields=["status", "confirmed_by"])
    return offered
