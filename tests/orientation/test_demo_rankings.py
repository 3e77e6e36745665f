"""Issue 17: every demo veteran with evidence has a ranking, whatever the status of the case
(66 of 300 had none when only new and active records were ranked)."""

from waypoint.orientation import services
from waypoint.orientation.engine import engine_for
from waypoint.orientation.models import OrientationRun
from waypoint.people.models import Veteran


def test_every_demo_veteran_with_evidence_has_a_ranking(db):
    from waypoint.web.demo import build_world

    _logins, ranked = build_world(veterans=40)
    engine = engine_for()
    veterans = list(services._veterans_with_evidence().order_by("pk"))
    evidence = services.evidence_of(engine, veterans)
    with_evidence = {v.pk for v, e in zip(veterans, evidence, strict=True) if e.strength}
    have_runs = set(OrientationRun.objects.values_list("veteran_id", flat=True))
    assert with_evidence <= have_runs
    assert ranked == len(have_runs)
    statuses = set(Veteran.objects.filter(pk__in=have_runs).values_list("status", flat=True))
    assert {"in_training", "employed"} <= statuses  # not only new and active ones
    # The first veteran of a coordinator's list has one too.
    first = Veteran.objects.exclude(coordinator=None).order_by("last_name", "first_name").first()
    assert first.pk in have_runs
