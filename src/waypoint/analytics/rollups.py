"""Derived tables the dashboard reads instead of recomputing the costliest aggregates for
every filter combination. A rollup is rebuilt as a whole, in one transaction, when it is
older than WAYPOINT_ANALYTICS_REFRESH_MINUTES (always, when that is 0); `waypoint worker`
rebuilds them ahead of the visitors (analytics.tasks)."""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from waypoint.analytics.filters import Filters
from waypoint.analytics.models import PreferredGroup, Rollup, SupplyCell
from waypoint.analytics.sql import JSONArrayLength
from waypoint.people.models import Preferences
from waypoint.taxonomy import normalization
from waypoint.taxonomy.models import Occupation

SUPPLY = "supply"


def _stale(refreshed_at) -> bool:
    minutes = settings.WAYPOINT_ANALYTICS_REFRESH_MINUTES
    return refreshed_at is None or timezone.now() - refreshed_at >= timedelta(minutes=minutes)


def fresh_supply():
    """The supply cells, rebuilt first if they are stale."""
    found = Rollup.objects.filter(name=SUPPLY).values_list("refreshed_at", flat=True).first()
    if _stale(found):
        refresh_supply()
    return SupplyCell.objects.all()


def refresh_supply(force: bool = False) -> int:
    """Rebuild the supply cells: stated preferences resolved to groups, then one aggregate
    over them and the latest orientations' recommendations."""
    from waypoint.analytics import market  # market reads the rollup: import at call time

    with transaction.atomic():
        Rollup.objects.get_or_create(name=SUPPLY)
        # The lock: a second rebuild waits here, then finds the rollup fresh and returns.
        lock = Rollup.objects.select_for_update().get(name=SUPPLY)
        started = timezone.now()
        if not force and lock.refreshed_at and not _stale(lock.refreshed_at):
            return 0
        PreferredGroup.objects.all().delete()
        PreferredGroup.objects.bulk_create(_preferred_groups(market.SEEKING))
        cells = [
            SupplyCell(
                region=region,
                major=major or "",
                recommended=people,
                relocating=movers,
                near=short,
            )
            for region, major, people, movers, short in _supply_counts(market)
        ]
        SupplyCell.objects.all().delete()
        SupplyCell.objects.bulk_create(cells)
        lock.refreshed_at = started
        lock.save(update_fields=["refreshed_at"])
    return len(cells)


def _preferred_groups(seeking) -> list[PreferredGroup]:
    """Seeking veterans' desired occupations as typed (one per line), each distinct text
    resolved once by the normaliser the orientation uses, to its major group."""
    stated = (
        Preferences.objects.filter(veteran__status__in=seeking)
        .exclude(desired_occupations="")
        .values_list("veteran_id", "desired_occupations")
    )
    wanted = {
        (veteran, line.strip())
        for veteran, text in stated.iterator(chunk_size=5000)
        for line in text.splitlines()
        if line.strip()
    }
    texts = sorted({line for _veteran, line in wanted})
    if not texts:
        return []
    try:
        found = normalization.normalize(texts, k=1, military=False)
    except LookupError:  # no taxonomy imported yet: nothing to resolve against
        return []
    occupation_of = {text: hits[0].pk for text, hits in zip(texts, found, strict=True) if hits}
    group_of = dict(
        Occupation.objects.filter(pk__in=set(occupation_of.values())).values_list(
            "pk", "isco_group"
        )
    )
    majors = {text: (group_of.get(pk) or "")[:1] for text, pk in occupation_of.items()}
    pairs = {(veteran, majors[line]) for veteran, line in wanted if majors.get(line)}
    return [PreferredGroup(veteran_id=veteran, major=major) for veteran, major in pairs]


def _supply_counts(market):
    """(region, major, veterans, of them willing to move, of them one short training away)
    over the union of recommended and preferred groups, each veteran once per cell."""
    recommended = (
        market.recommended(Filters())
        .annotate(
            person=F("run__veteran"),
            home=F("region"),
            grp=F("major"),
            mover=F("run__veteran__preferences__willing_to_relocate"),
            gap=JSONArrayLength("missing"),
        )
        .annotate(
            short=Case(When(gap__gte=1, gap__lte=market.NEAR, then=Value(1)), default=Value(0))
        )
        .values("person", "home", "grp", "mover", "short")
        .order_by()
    )
    preferred = (
        PreferredGroup.objects.filter(veteran__status__in=market.SEEKING)
        .annotate(
            person=F("veteran_id"),
            home=F("veteran__region_id"),
            grp=F("major"),
            mover=F("veteran__preferences__willing_to_relocate"),
        )
        .annotate(short=Value(0))
        .values("person", "home", "grp", "mover", "short")
        .order_by()
    )
    both, params = recommended.union(preferred, all=True).order_by().query.sql_with_params()
    sql = (
        "SELECT home, grp, COUNT(DISTINCT person),"  # noqa: S608 - generated by the ORM
        " COUNT(DISTINCT CASE WHEN mover THEN person END),"
        " COUNT(DISTINCT CASE WHEN short = 1 THEN person END)"
        f" FROM ({both}) AS supply GROUP BY home, grp"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
