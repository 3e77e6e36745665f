"""A small labour market worked out by hand (see the expected figures in the tests).

Moscow (77): vacancies A (ISCO 8, 3 openings, pay 50–70k → 60k, open 30 days), B (ISCO 8,
2 openings, 40k, 20 days), C (ISCO 7, 4 openings, 80–100k → 90k, no dates); Sverdlovsk (66):
D (ISCO 8, 1 opening, 30k, no closing date). Six Moscow veterans (v1–v6) registered on
1 February 2026 with an ISCO-8 occupation first in their latest orientation (v1–v3 missing one
essential skill); v7 in Sverdlovsk, same group, willing to relocate. v1–v5 placed after 30,
60, 90, 100 and 120 days at 48, 54, 60, 66 and 72 thousand; four of five still employed at
the three-month follow-up.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.conftest import make_veteran
from waypoint.analytics.filters import Filters
from waypoint.employment.models import Application, Employer, FollowUp, Placement, Vacancy
from waypoint.orientation.models import OrientationRun, Recommendation
from waypoint.people.models import Preferences, Veteran
from waypoint.taxonomy.models import Occupation, Taxonomy

PERIOD = Filters(since=date(2026, 1, 1), until=date(2026, 6, 30))
MOSCOW = ZoneInfo("Europe/Moscow")


def occupation(group: str) -> Occupation:
    found = Occupation.objects.filter(isco_group__startswith=group).first()
    if found is None:
        found = Occupation.objects.create(
            taxonomy=Taxonomy.objects.first(),
            uri=f"test:{group}",
            preferred_label=f"Occupation {group}",
            isco_group=f"{group}111",
        )
    return found


def build(coordinator) -> dict:
    drivers, builders = occupation("8"), occupation("7")
    moscow_firm = Employer.objects.create(legal_name="Firm", inn="7707083893", region_id="77")
    ural_firm = Employer.objects.create(legal_name="Ural", inn="7736050003", region_id="66")

    def vacancy(n, employer, occ, region, openings, low, high, published, closes):
        return Vacancy.objects.create(
            source="test", source_id=str(n), employer=employer, title=f"V{n}", occupation=occ,
            region_id=region, openings=openings, salary_min=low, salary_max=high,
            published_on=published, closes_on=closes,
        )  # fmt: skip

    first = vacancy(
        1, moscow_firm, drivers, "77", 3, 50_000, 70_000, date(2026, 1, 10), date(2026, 2, 9)
    )
    vacancy(2, moscow_firm, drivers, "77", 2, 40_000, None, date(2026, 3, 1), date(2026, 3, 21))
    vacancy(3, moscow_firm, builders, "77", 4, 80_000, 100_000, None, None)
    vacancy(4, ural_firm, drivers, "66", 1, 30_000, None, date(2026, 2, 1), None)

    registered = datetime(2026, 2, 1, 12, 0, tzinfo=MOSCOW)
    people = []
    for n in range(1, 8):
        region = "77" if n <= 6 else "66"
        veteran = make_veteran(coordinator=coordinator, region_id=region)
        Veteran.objects.filter(pk=veteran.pk).update(
            created_at=registered, entered_on=registered.date()
        )
        run = OrientationRun.objects.create(
            veteran=veteran, taxonomy=drivers.taxonomy, taxonomy_version="test"
        )
        Recommendation.objects.create(
            run=run, occupation=drivers, rank=1, score=1.0,
            missing=[{"uri": "s", "label": "skill"}] if n <= 3 else [],
        )  # fmt: skip
        Recommendation.objects.create(run=run, occupation=builders, rank=5, score=0.5)
        Preferences.objects.create(veteran=veteran, willing_to_relocate=n == 7)
        people.append(veteran)
    for veteran, days, salary, kept in zip(
        people[:5], (30, 60, 90, 100, 120), (48, 54, 60, 66, 72), (1, 1, 1, 1, 0), strict=True
    ):
        application = Application.objects.create(
            veteran=veteran, vacancy=first, status="hired", created_by=coordinator
        )
        placement = Placement.objects.create(
            application=application,
            veteran=veteran,
            employer=moscow_firm,
            start_date=date(2026, 2, 1) + timedelta(days=days),
            salary=salary * 1000,
            recorded_by=coordinator,
        )
        FollowUp.objects.update_or_create(
            placement=placement,
            months=3,
            defaults={
                "due_on": placement.start_date + timedelta(days=91),
                "done_on": placement.start_date + timedelta(days=92),
                "still_employed": bool(kept),
            },
        )
    return {"veterans": people, "drivers": drivers, "builders": builders}
