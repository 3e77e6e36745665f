"""Who may see which analytics, and what a viewer may see of the people behind a number. The
only module that decides it: the dashboard pages, the drill-downs, the exports, the API, the
monthly PDF, the home page's key figures and the worker's warm-up all ask here.

Two permissions open the panels (labour market; programme outcomes); the scope holds a regional
viewer to their organisation's region. Behind a number (`drill_down_as_seen_by`) a viewer sees
the records they may open in the registry by name, everyone else an anonymised list, and a
viewer who may open none of them sees nothing at all about fewer than five people.
"""

from dataclasses import dataclass

from waypoint.analytics import suppression as hide
from waypoint.analytics.models import VIEW_MARKET, VIEW_OUTCOMES
from waypoint.people.access import veterans_visible_to

NO_REGION = "—"  # a regional viewer without an organisation: no region's figures


class ServerViewer:
    """The server itself (the monthly report, the worker's warm-up): every panel of every
    region, as the given audience would open them."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    effective_scope = "all"
    organisation_id = None

    def __init__(self, audience: str = "analyst"):
        self.audience = audience

    def has_perm(self, permission: str) -> bool:
        return permission.startswith("analytics.")


def may_view_market(user) -> bool:
    return user.has_perm(VIEW_MARKET)


def may_view_outcomes(user) -> bool:
    return user.has_perm(VIEW_OUTCOMES)


def panels_visible_to(user) -> list[str]:
    """The overview needs both permissions; the outcomes and cohorts tabs share one."""
    market, results = may_view_market(user), may_view_outcomes(user)
    panels = ["overview"] if market and results else []
    if market:
        panels.append("market")
    if results:
        panels += ["outcomes", "cohorts"]
    return panels


def audience(user) -> str:
    """Whose dashboard the overview is: a regional branch (held to its region), fund
    management (sees the veterans' records across regions) or a labour analyst."""
    if isinstance(user, ServerViewer):
        return user.audience
    if user.effective_scope != "all":
        return "branch"
    return "fund" if user.has_perm("people.view_veteran") else "analyst"


def region_held_to(user) -> str | None:
    """The region whose figures a viewer without the 'all' scope is held to, whatever the
    filter asks; None for a viewer of every region."""
    if user.effective_scope == "all":
        return None
    return user.organisation.region_id if user.organisation_id else NO_REGION


@dataclass(frozen=True)
class DrillDown:
    """What a viewer may see of the people behind a number: whom by name, how many, and
    whether the rows are listed at all."""

    named: frozenset[int]  # veteran ids shown with their record
    people: int | str  # the count as shown ("<5" for an anonymous viewer of a small number)
    listed: bool

    def names(self, veteran) -> bool:
        return veteran.pk in self.named


def drill_down_as_seen_by(user, shown: list, people: int) -> DrillDown:
    """`shown`: the veterans listed behind a number (their total is `people`). Names only for
    the records the viewer may open; for a viewer who may open none of them the count is
    suppressed and there are no rows under five people."""
    ids = [veteran.pk for veteran in shown]
    named = frozenset(veterans_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    anonymous_only = not named
    return DrillDown(
        named=named,
        # hide.count answers None only for None, and `people` is a number.
        people=hide.count(people) if anonymous_only else people,  # type: ignore[arg-type]
        listed=not (anonymous_only and people < hide.THRESHOLD),
    )
