"""The lists behind a number (the drill-downs), as every door gets them: permission, the
viewer's region, then `access.drill_down_as_seen_by` decides whom the viewer sees by name,
and the names shown are a read of those records, in the audit log like the other lists."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from waypoint.analytics import access, market, outcomes
from waypoint.analytics import suppression as hide
from waypoint.analytics.filters import Filters
from waypoint.audit.services import record

DRILL_ROWS = 500  # the list behind a number, not a register: the count above says how many


def behind_supply(user, f: Filters) -> dict:
    """The veterans behind a shortage cell (f.region × f.group), each once, with their best
    recommendation in the group and whether they stated it as desired."""
    if not access.may_view_market(user):
        raise PermissionDenied
    behind = market.behind_supply(f)
    people = behind["veterans"].count()
    shown = list(behind["veterans"].order_by("pk")[:DRILL_ROWS])
    ids = [veteran.pk for veteran in shown]
    best = {}
    for row in (
        behind["recommendations"]
        .filter(run__veteran__in=ids)
        .select_related("occupation", "run")
        .order_by("-rank")
    ):
        best[row.run.veteran_id] = row  # ordered worst first: the best rank is kept
    stated = set(behind["stated"].filter(veteran__in=ids).values_list("veteran_id", flat=True))
    return _behind_the_number(
        user,
        "supply",
        f,
        people,
        shown,
        lambda veteran, named: {
            "recommendation": best.get(veteran.pk),
            "stated": veteran.pk in stated,
        },
    )


def behind_placement(user, f: Filters, by: str, key: str | None) -> dict:
    """The veterans behind a row of placement and retention: registered in the period, when
    they started work and whether they kept it; the wait in 30-day bands for those not
    shown by name. Adds `label`, the row's name as the records give it."""
    if not access.may_view_outcomes(user):
        raise PermissionDenied
    veterans = outcomes.behind_placement(f, by, key)
    people = veterans.count()
    shown = list(veterans.order_by("entered_on", "pk")[:DRILL_ROWS])
    kept = outcomes.follow_ups_done([veteran.pk for veteran in shown])

    def row(veteran, named: bool) -> dict:
        wait = (veteran.first_start - veteran.entered_on).days if veteran.first_start else None
        return {
            "registered": veteran.entered_on.strftime("%Y-%m"),
            "started": veteran.first_start if named else None,
            "wait": wait if named or wait is None else hide.days_band(wait),
            "kept": [kept.get((veteran.pk, months)) for months in (3, 6, 12)],
        }

    return {
        "label": next((veteran.label for veteran in shown if veteran.label), key),
        **_behind_the_number(user, "placement", f, people, shown, row),
    }


def _behind_the_number(
    user, drill: str, f: Filters, people: int, shown: list, row: Callable[..., dict]
) -> dict:
    """What both drill-downs show: a row per veteran (`row(veteran, named)` adds the
    drill-down's own columns), as `access.drill_down_as_seen_by` allows. Names on the
    screen are a read of those records, audited like the other lists."""
    seen = access.drill_down_as_seen_by(user, shown, people)
    if seen.named:
        with transaction.atomic():
            record(
                actor=user,
                action="analytics.drill.list",
                subject=user,
                changes={
                    "drill": [None, drill],
                    "filters": [None, f.query()],
                    "shown": [None, sorted(seen.named)],
                },
            )
    today = timezone.localdate()
    listed = [
        {
            "number": number,
            "veteran": veteran if seen.names(veteran) else None,
            "age": hide.age_band(veteran.birth_date, today),
            **row(veteran, seen.names(veteran)),
        }
        for number, veteran in enumerate(shown, start=1)
    ]
    return {
        "people": seen.people,
        "rows": listed if seen.listed else [],
        "more": max(people - len(shown), 0),
    }
