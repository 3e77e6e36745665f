"""Reads for orientation pages and API, behind the registry's own gate."""

from django.http import Http404

from waypoint.audit.services import record
from waypoint.orientation.access import may_see_orientation
from waypoint.orientation.models import CareerPlan, Feedback, OrientationRun
from waypoint.people.models import Veteran
from waypoint.people.selectors import veteran_for


def veteran_for_orientation(user, pk: int) -> Veteran:
    """The veteran (an audited read), or 404 when out of scope or orientation is not theirs
    to see."""
    veteran = veteran_for(user, pk, audit=False)
    if not may_see_orientation(user, veteran):
        raise Http404("no such veteran")
    record(actor=user, action="people.veteran.view", subject=veteran)
    return veteran


def runs(veteran: Veteran):
    return OrientationRun.objects.filter(veteran=veteran).select_related("created_by")


def run_for(veteran: Veteran, run_id: int | None = None) -> OrientationRun | None:
    found = runs(veteran)
    if run_id is not None:
        run = found.filter(pk=run_id).first()
        if run is None:
            raise Http404("no such orientation run")
        return run
    return found.first()


def feedback_for(veteran: Veteran):
    return Feedback.objects.filter(veteran=veteran).select_related("occupation", "given_by")


def plans_of(veteran: Veteran):
    """Every version of the veteran's career plan, newest first."""
    return CareerPlan.objects.filter(veteran=veteran)


def latest_plan(veteran: Veteran) -> CareerPlan | None:
    """The newest version of the veteran's career plan, if one was made."""
    return CareerPlan.objects.filter(veteran=veteran).first()
