"""Who may see and do what with hotline appeals. The only module that decides it: views, API,
the admin, home pages and services ask here.

`appeals_visible_to` is the one read gate; `appeals_logged_by` is the operator's narrow view of
their own log; `appeals_counted_for` is what the reports count (figures, never an appeal).
"""

from django.db.models import Q, QuerySet

from waypoint.appeals.models import (
    CLOSE,
    CONFIDENTIAL_TOPICS,
    LOG,
    REPORTS,
    ROUTING,
    VIEW,
    WORK,
    Appeal,
)
from waypoint.cases import access as cases
from waypoint.people.access import veterans_visible_to

DELETE_RULES = "appeals.delete_routingrule"
# What the operator who logged an appeal learns of it afterwards: that they did, nothing more.
OPERATOR_SEES = ("reference", "topic", "urgency", "logged_at")


def appeals_visible_to(user) -> QuerySet[Appeal]:
    """The one read gate for appeals.

    - The staff of the organisation whose queue holds the appeal (with `work_appeals`).
    - Holders of `view_appeal` (coordinators, administrators): appeals about veterans whose
      record they may see; those with scope "all" also appeals without a veteran.
    - Appeals about psychological help only to the first: the well-being team that holds
      them. Nobody else, administrators included; the operator who logged one sees only
      that they did (`appeals_logged_by`), never what followed.
    """
    if not user.is_authenticated or not user.is_active:
        return Appeal.objects.none()
    team = Q(pk__in=[])
    if works_a_queue(user):
        team = Q(organisation_id=user.organisation_id)
    scope = Q(pk__in=[])
    if user.has_perm(VIEW):
        scope = Q(veteran__in=veterans_visible_to(user))
        if user.effective_scope == "all":
            scope |= Q(veteran__isnull=True)
    return Appeal.objects.filter(team | (scope & ~Q(topic__in=CONFIDENTIAL_TOPICS)))


def appeals_logged_by(user) -> QuerySet[Appeal]:
    """The operator's own log, deliberately outside the read gate: callers read no more than
    OPERATOR_SEES of it (and, right after logging, the reference's queue and due date to read
    out to the caller)."""
    if not user.is_authenticated or not user.is_active:
        return Appeal.objects.none()
    return Appeal.objects.filter(logged_by=user)


def appeals_counted_for(user) -> QuerySet[Appeal]:
    """What the reports count: every appeal in the person's scope, psychological ones
    included, for figures only; it is never a way to read one appeal."""
    if not user.is_authenticated or not user.has_perm(REPORTS):
        return Appeal.objects.none()
    appeals = Appeal.objects.all()
    if user.effective_scope == "region" and user.organisation_id:
        return appeals.filter(region_id=user.organisation.region_id)
    if user.effective_scope != "all":
        return appeals.filter(organisation_id=user.organisation_id)
    return appeals


def works_a_queue(user) -> bool:
    """Staff of an organisation who work the appeals in its queue."""
    return user.has_perm(WORK) and bool(user.organisation_id)


def may_list(user) -> bool:
    return user.has_perm(WORK) or user.has_perm(VIEW)


def may_log(user) -> bool:
    return user.has_perm(LOG)


def may_work_on(user, appeal: Appeal) -> bool:
    """Take or answer: staff of the queue's organisation (or whoever holds its task) who work
    appeals."""
    return user.has_perm(WORK) and appeal.task is not None and cases.may_work_on(user, appeal.task)


def may_close(user, appeal: Appeal) -> bool:
    """The coordinator, in scope, closes an answered appeal."""
    return user.has_perm(CLOSE) and appeals_visible_to(user).filter(pk=appeal.pk).exists()


def may_change_routing(user) -> bool:
    return user.has_perm(ROUTING)


def may_delete_rules(user) -> bool:
    return user.has_perm(DELETE_RULES)


def may_see_reports(user) -> bool:
    """Appeal figures by topic, region and outcome (counted over appeals_counted_for)."""
    return user.has_perm(REPORTS)
