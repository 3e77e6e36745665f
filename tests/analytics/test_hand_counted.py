"""Every outcome indicator on a world small enough to count on one's fingers; each expected
figure is worked out in the comment beside it. Dates are days before today (T), so the
"has the placement reached 3/6/12 months" rule always sees the same ages.

Moscow (77), entered the programme in the period:
  a  entered T-300, job from T-240 (60 days), follow-ups: 3 months kept, 6 months gone
  b  entered T-300, job from T-330: before entry, so employed at entry, not placed
  c  entered T-200, job from T-180 (20 days), left on T-120; a 6-month follow-up wrongly
     marked done "still employed" (the month has not come: it must not count)
  d  entered T-100, no job
  h  entered T-300, job from T-290 (10 days), no follow-up, no leaving date: unknown
Sverdlovsk (66):
  e  entered T-150, job from T-150 (0 days), no follow-up: unknown
  f  entered T-50, hired to start at T+10: not placed yet
  g  entered T-500: outside the period (its job from T-400 counts nowhere)
"""

from dataclasses import replace
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.conftest import make_veteran
from waypoint.analytics import outcomes, suppression, timeliness
from waypoint.analytics.filters import Filters
from waypoint.cases import services as cases
from waypoint.cases.models import Task, TaskType
from waypoint.employment.models import Application, Employer, FollowUp, Placement, Vacancy
from waypoint.people.models import Veteran

T = timezone.localdate()
PERIOD = Filters(since=T - timedelta(days=400), until=T + timedelta(days=30))


def day(offset: int):
    return T + timedelta(days=offset)


@pytest.fixture
def no_suppression(monkeypatch):
    """The figures themselves; suppression has its own tests (test_indicators)."""
    monkeypatch.setattr(suppression, "THRESHOLD", 1)


@pytest.fixture
def world(db, admin):
    firm = Employer.objects.create(legal_name="Firm", inn="7707083893", region_id="77")
    vacancy = Vacancy.objects.create(
        source="test", source_id="1", employer=firm, title="Driver", region_id="77", openings=9
    )
    people = {}

    def veteran(name, region, entered, job=None, ended=None, follow_ups=()):
        person = make_veteran(region_id=region, phone=f"+7916{len(people) + 1:07d}")
        Veteran.objects.filter(pk=person.pk).update(entered_on=day(entered))
        person.refresh_from_db()
        people[name] = person
        if job is not None:
            application = Application.objects.create(
                veteran=person, vacancy=vacancy, status="hired", created_by=admin
            )
            placement = Placement.objects.create(
                application=application, veteran=person, employer=firm, start_date=day(job),
                salary=50_000, ended_on=None if ended is None else day(ended), recorded_by=admin,
            )  # fmt: skip
            for months, kept in follow_ups:
                FollowUp.objects.update_or_create(
                    placement=placement,
                    months=months,
                    defaults={"due_on": day(job), "done_on": T, "still_employed": kept},
                )
        return person

    veteran("a", "77", -300, job=-240, follow_ups=[(3, True), (6, False)])
    veteran("b", "77", -300, job=-330)
    veteran("c", "77", -200, job=-180, ended=-120, follow_ups=[(6, True)])
    veteran("d", "77", -100)
    veteran("h", "77", -300, job=-290)
    veteran("e", "66", -150, job=-150)
    veteran("f", "66", -50, job=10)
    veteran("g", "66", -500, job=-400)
    return people


def by_code(table):
    return {row["code"]: row for row in table.rows}


def test_placement_employed_at_entry_and_days_to_placement(world, no_suppression):
    rows = by_code(outcomes.placement_outcomes(PERIOD, with_pay_ratio=False).suppressed())
    moscow, ural = rows["77"], rows["66"]
    # Moscow: a b c d h entered (5); a c h placed (3 ÷ 5 = 60 %); b employed at entry (1 ÷ 5)
    assert (moscow["registered"], moscow["placed"], moscow["rate"]) == (5, 3, 60.0)
    assert moscow["at_entry"] == 1
    assert moscow["at_entry_rate"] == 20.0
    # waits 10, 20, 60 days: nearest rank ceil(.75)=1, ceil(1.5)=2, ceil(2.25)=3
    assert (moscow["wait_q1"], moscow["wait_median"], moscow["wait_q3"]) == (10, 20, 60)
    # Sverdlovsk: e and f entered (g before the period); e placed the day she entered; f's
    # job has not started
    assert (ural["registered"], ural["placed"], ural["rate"]) == (2, 1, 50.0)
    assert (ural["at_entry"], ural["wait_median"]) == (0, 0)


def test_days_to_placement_are_never_negative(world, no_suppression):
    """Regression: counted from the record's creation, or with a job held before entry taken
    for the placement, the waits ran from -303 to -43 days."""
    (total,) = outcomes.placement_outcomes(PERIOD, "total", with_pay_ratio=False).rows
    # all: 0 (e), 10 (h), 20 (c), 60 (a); b's job 30 days before entry is not a placement
    assert (total["wait_q1"], total["wait_median"], total["wait_q3"]) == (0, 10, 20)
    assert (total["registered"], total["placed"], total["at_entry"]) == (7, 4, 1)
    waits = [
        (veteran.first_start - veteran.entered_on).days
        for veteran in outcomes.behind_placement(PERIOD, "total", "all")
        if veteran.first_start
    ]
    assert sorted(waits) == [0, 10, 20, 60]


def test_retention_counts_only_placements_old_enough_with_a_known_outcome(world, no_suppression):
    moscow = by_code(outcomes.placement_outcomes(PERIOD, with_pay_ratio=False))["77"]
    # 3 months: a kept (follow-up), c left at T-120 before its mark (~T-88), h unknown → 1 ÷ 2
    assert moscow["retained_3"] == 50.0
    # 6 months: a gone (follow-up); c's mark is still ahead, whatever its follow-up says;
    # h unknown → 0 ÷ 1
    assert moscow["retained_6"] == 0.0
    # 12 months: nobody's job is a year old → no figure, not 100 %
    assert moscow["retained_12"] is None
    ural = by_code(outcomes.placement_outcomes(PERIOD, with_pay_ratio=False))["66"]
    assert ural["retained_3"] is None  # e reached 3 months but nobody followed up


def test_retained_at_rule():
    start = T - timedelta(days=400)
    assert outcomes.retained_at(start, None, True, 12) is True
    assert outcomes.retained_at(start, start + timedelta(days=30), True, 3) is False  # left
    assert outcomes.retained_at(start, T, None, 12) is True  # left after the mark
    assert outcomes.retained_at(start, None, None, 3) is None  # nobody asked
    assert outcomes.retained_at(T - timedelta(days=10), None, True, 3) is None  # too young


def test_cohorts_and_trend_follow_the_entry_date(world, no_suppression):
    month = day(-300).strftime("%Y-%m")
    row = by_code(outcomes.cohorts(PERIOD))[month]
    # a, b, h entered that month: b employed at entry, a and h placed, a kept at 3 months
    assert (row["registered"], row["at_entry"], row["placed"], row["retained_3"]) == (3, 1, 2, 1)
    trend = by_code(outcomes.trend(PERIOD))
    # placements started in the period: g T-400 (g entered before it, but the trend counts
    # starts), h T-290, a T-240, c T-180, e T-150; b's job (T-330) began before b's entry
    assert sum(r["placed"] for r in trend.values()) == 5
    assert trend[day(-330).strftime("%Y-%m")]["placed"] == 0
    assert sum(r["registered"] for r in trend.values()) == 7


def test_key_figures_show_employed_at_entry(world, no_suppression):
    figures = {row["code"]: row["value"] for row in outcomes.headline(PERIOD).rows}
    # 7 entrants, 4 placed (57.1 %), 1 employed at entry (14.3 %), median wait 10 days;
    # at 6 months only a's placement is known: gone → 0 %
    assert (figures["registered"], figures["placed"], figures["rate"]) == (7, 4, 57.1)
    assert (figures["at_entry"], figures["wait"], figures["retained"]) == (14.3, 10, 0.0)


def test_deadline_compliance_counts_only_deadlines_that_passed(world, admin, no_suppression):
    """Regression: a task still open before its deadline counted as missed, so every region
    showed 0.0 % while its tasks were due later in the month."""
    kind = TaskType.objects.first()
    five_pm = time(17, 0)

    def due(offset):
        return timezone.make_aware(datetime.combine(day(offset), five_pm))

    def task(person, due_offset, done_offset=None, status="open", done_at=None):
        case = person.cases.first() or cases.open_case(actor=admin, veteran=person)
        if done_offset is not None:
            done_at = due(done_offset)
        Task.objects.create(
            case=case, type=kind, title="T", assignee=admin, due_at=due(due_offset),
            done_at=done_at,
            status="done" if done_at else status,
        )  # fmt: skip

    moscow, ural = world["a"], world["e"]
    task(moscow, -10, done_offset=-11)  # in time
    task(moscow, -10, done_offset=-9)  # a day late
    task(moscow, -5)  # still open after its deadline: missed
    task(moscow, 5)  # due in five days: cannot be late yet, left out
    task(moscow, 5, done_offset=-1)  # done ahead of a deadline still to come: in time
    task(moscow, -3, status="cancelled")  # cancelled: left out
    task(ural, -20, done_offset=-21)  # in time
    task(ural, -2, done_at=due(-2))  # done at the very minute of the deadline: in time
    task(ural, 3)  # not yet due: left out
    rows = by_code(timeliness.compliance(PERIOD))
    # Moscow: 4 counted (in time, late, missed, done early), 2 in time → 50 %
    assert (rows["77"]["tasks_due"], rows["77"]["tasks_rate"]) == (4, 50.0)
    # Sverdlovsk: 2 counted, both in time → 100 %
    assert (rows["66"]["tasks_due"], rows["66"]["tasks_rate"]) == (2, 100.0)
    assert rows["77"]["name"] == "Moscow"
    assert rows["66"]["name"] != "66"


def test_region_filter_keeps_to_the_region(world, no_suppression):
    moscow_only = replace(PERIOD, region="77")
    assert set(by_code(outcomes.placement_outcomes(moscow_only, with_pay_ratio=False))) == {"77"}
    (total,) = outcomes.placement_outcomes(moscow_only, "total", with_pay_ratio=False).rows
    assert (total["registered"], total["placed"]) == (5, 3)
