"""Coordinators' and counsellors' home: their own tasks, overdue first, then those due today and
in the coming week; their organisation's queue; veterans new in their caseload; for those who
assign coordinators, new veterans nobody coordinates yet; follow-up calls due; referrals from
their cases still awaiting an answer."""

from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.appeals.access import works_a_queue
from waypoint.cases import selectors
from waypoint.cases.access import answers_referrals, works_cases
from waypoint.cases.models import Task
from waypoint.employment.access import may_follow_up
from waypoint.employment.selectors import follow_ups_due
from waypoint.people.access import may_assign_coordinators, may_coordinate, may_register
from waypoint.people.selectors import awaiting_coordinator
from waypoint.web.home.parts import (
    ROWS,
    Link,
    Part,
    Row,
    Section,
    after_start,
    lateness,
    waiting_note,
)

WEEK = 7


def section(user) -> Section | None:
    if not works_cases(user):
        return None
    parts = _tasks(user)
    if user.organisation_id:
        parts.append(_queue(user))
    if may_coordinate(user):
        parts.append(_new_in_caseload(user))
    if may_assign_coordinators(user):
        parts.append(_without_coordinator(user))
    if may_follow_up(user):
        parts.append(_follow_ups(user))
    parts.append(_referrals(user))
    links = [Link(_("Open my caseload"), reverse("cases:caseload"), primary=True)]
    if may_register(user):
        links.append(Link(_("New intake"), reverse("people:intake")))
    return Section("caseload", _("My caseload and tasks"), parts, links)


def _tasks(user) -> list[Part]:
    """The person's open tasks: overdue, due by the end of today, due in the week after."""
    now = timezone.now()
    tomorrow = datetime.combine(
        timezone.localdate() + timedelta(days=1), time.min, timezone.get_current_timezone()
    )
    windows = {
        "overdue": Q(due_at__lt=now),
        "today": Q(due_at__gte=now, due_at__lt=tomorrow),
        "week": Q(due_at__gte=tomorrow, due_at__lt=tomorrow + timedelta(days=WEEK)),
    }
    mine = selectors.tasks_for(user)
    counts = mine.aggregate(**{name: Count("pk", filter=q) for name, q in windows.items()})
    caseload = reverse("cases:caseload")
    titles = {
        "overdue": (_("Overdue"), _("No overdue task.")),
        "today": (_("Due today"), _("Nothing is due today.")),
        "week": (_("Due in the next 7 days"), _("Nothing falls due in the next 7 days.")),
    }
    return [
        Part(
            title,
            counts[name],
            [_task(task) for task in mine.filter(windows[name])[:ROWS]],
            empty,
            caseload,
            tone="overdue" if name == "overdue" else "",
            when_label=_("due"),
        )
        for name, (title, empty) in titles.items()
    ]


def _queue(user) -> Part:
    """Tasks waiting in the organisation's queue, but for those another section lists."""
    queue = selectors.tasks_for(user, queue=True).exclude(concerns_type__in=_listed_elsewhere(user))
    return Part(
        _("Waiting in your organisation's queue"),
        queue.count(),
        [_task(task) for task in queue[:ROWS]],
        _("Nothing waits in your organisation's queue."),
        reverse("cases:caseload"),
        when_label=_("due"),
    )


def _listed_elsewhere(user) -> list[ContentType]:
    """What the queue's tasks may concern that has a section of its own on this person's home
    (appeals, referrals to answer): listed there, not twice."""
    return [
        ContentType.objects.get_by_natural_key(*model)
        for works_there, model in (
            (works_a_queue, ("appeals", "appeal")),
            (answers_referrals, ("cases", "referral")),
        )
        if works_there(user)
    ]


def _new_in_caseload(user) -> Part:
    new = selectors.without_a_case(user)
    return Part(
        _("New in your caseload: open a case"),
        new.count(),
        [
            Row(
                veteran.full_name,
                reverse("people:veteran_detail", args=[veteran.pk]),
                note=waiting_note(veteran.created_at),
            )
            for veteran in new[:ROWS]
        ],
        _("Every veteran you coordinate has a case."),
        f"{reverse('people:veteran_list')}?coordinator=me",
    )


def _without_coordinator(user) -> Part:
    unassigned = awaiting_coordinator(user)
    return Part(
        _("New veterans without a coordinator"),
        unassigned.count(),
        [
            Row(
                veteran.full_name,
                reverse("people:assign_coordinator", args=[veteran.pk]),
                detail=str(veteran.region),
                note=waiting_note(veteran.created_at),
            )
            for veteran in unassigned[:ROWS]
        ],
        _("Every new veteran you can see has a coordinator."),
        f"{reverse('people:veteran_list')}?status=new&ordering=registered",
    )


def _follow_ups(user) -> Part:
    """Follow-up calls due to the veterans the person coordinates (the page lists the
    region's)."""
    calls = follow_ups_due(user).filter(placement__veteran__coordinator=user)
    return Part(
        _("Follow-ups due"),
        calls.count(),
        [
            Row(
                call.placement.veteran.full_name,
                reverse("employment:placement", args=[call.placement_id]),
                detail=f"{call.placement.employer} · {after_start(call.months)}",
                when=call.due_on,
                **lateness(call.due_on),
            )
            for call in calls[:ROWS]
        ],
        _("No follow-up call is due for the veterans you coordinate."),
        reverse("employment:follow_ups_due"),
        when_label=_("due"),
    )


def _referrals(user) -> Part:
    referrals = selectors.referrals_awaiting(user)
    return Part(
        _("Referrals awaiting an answer"),
        referrals.count(),
        [
            Row(
                _("№ %(number)s to %(receiver)s")
                % {"number": referral.pk, "receiver": referral.receiver},
                reverse("cases:referral", args=[referral.pk]),
                detail=referral.case.veteran.full_name,
                when=referral.due_at,
                **lateness(referral.due_at),
            )
            for referral in referrals[:ROWS]
        ],
        _("No referral from your cases awaits an answer."),
        when_label=_("answer due"),
    )


def _task(task: Task) -> Row:
    return Row(
        task.title,
        _task_url(task),
        detail=task.case.veteran.full_name if task.case_id else str(task.type),
        when=task.due_at,
        **lateness(task.due_at),
    )


def _task_url(task: Task) -> str:
    """Where the task is done: its case, or what it concerns (an appeal, a referral)."""
    if task.case_id:
        return reverse("cases:case", args=[task.case_id])
    if task.concerns_type_id:
        concerns = ContentType.objects.get_for_id(task.concerns_type_id)
        pages = {("appeals", "appeal"): "appeals:detail", ("cases", "referral"): "cases:referral"}
        page = pages.get((concerns.app_label, concerns.model))
        if page:
            return reverse(page, args=[task.concerns_id])
    return reverse("cases:caseload")
