"""Who may see and do what in vocational orientation. The only module that decides it: the
orientation pages, the plan and its PDF, the API and the registry's record page ask here.

Orientation is read through the registry's own gate (waypoint.people.access): these rules
narrow a record the person already sees.
"""

from waypoint.people.access import is_own_record, may_act_for
from waypoint.people.models import Veteran

VIEW = "orientation.view_orientationrun"
RUN = "orientation.run_orientation"
FEEDBACK = "orientation.give_orientation_feedback"


def may_see_orientation(user, veteran: Veteran) -> bool:
    """The ranking, the decisions and the career plan of a record the person sees: staff
    who read orientation, and the veteran on their own record."""
    return user.has_perm(VIEW) or is_own_record(user, veteran)


def may_run(user, veteran: Veteran) -> bool:
    """Rank occupations again, or bring the career plan up to date."""
    return may_act_for(user, veteran, RUN)


def may_decide(user, veteran: Veteran) -> bool:
    """Accept, reject or add an occupation."""
    return may_act_for(user, veteran, FEEDBACK)


def sees_numbers(user, veteran: Veteran) -> bool:
    """Staff read a ranking with its scores and terms; the veteran reads it in plain words."""
    return not is_own_record(user, veteran)
