"""Deadlines that cannot be lost: the sweep that marks open tasks overdue and escalates them to
a supervisor, the daily digest, and the in-app notifications both leave.

The sweep is set-based so that it stays well under a minute on a million open tasks
(bench/deadline_sweep.py): it finds its tasks through the partial index `task_open_due`, marks
or escalates them 10,000 at a time with one UPDATE, and writes their notifications with
multi-row INSERTs in the same transaction, so a task is never marked without its notice.
Notifications are written through waypoint.shared.notifications, idempotent by (person, key):
a sweep or a digest run twice changes nothing more.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from waypoint.accounts.models import User
from waypoint.audit.services import record_bulk
from waypoint.cases.models import Case, Task, TaskType
from waypoint.cases.services import MANAGE, production_calendar
from waypoint.kit.workdays import Calendar
from waypoint.regions.data import MOSCOW, TIME_ZONES
from waypoint.shared import notifications
from waypoint.shared.notifications import Notice

OPEN = (Task.Status.OPEN, Task.Status.IN_PROGRESS)
BATCH = 10_000
OVERDUE, ESCALATED, DIGEST = "overdue", "escalated", "digest"


@dataclass
class SweepReport:
    now: datetime
    overdue: int = 0  # tasks marked overdue
    escalated: int = 0  # tasks escalated, with or without someone to tell
    escalated_to_nobody: int = 0  # no active supervisor of the assignee or the coordinator
    notifications: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.overdue or self.escalated)

    def as_dict(self) -> dict:
        return {**asdict(self), "now": self.now.isoformat()}

    def __str__(self) -> str:
        return (
            f"overdue={self.overdue} escalated={self.escalated} "
            f"escalated_to_nobody={self.escalated_to_nobody} notifications={self.notifications}"
        )


@dataclass
class DigestReport:
    day: date
    notified: int = 0
    mailed: int = 0

    def as_dict(self) -> dict:
        return {**asdict(self), "day": self.day.isoformat()}

    def __str__(self) -> str:
        return f"day={self.day} notified={self.notified} mailed={self.mailed}"


@dataclass
class _Links:
    """Where a notice points: the task's case, else the caseload with the person's tasks."""

    caseload: str = field(default_factory=lambda: reverse("cases:caseload"))
    # reverse() once, then format: the sweep writes up to a hundred thousand links.
    case_pattern: str = field(
        default_factory=lambda: reverse("cases:case", args=[987654321]).replace("987654321", "{}")
    )

    def for_case(self, case_id: int | None) -> str:
        return self.case_pattern.format(case_id) if case_id else self.caseload


def sweep(now: datetime | None = None, *, batch_size: int = BATCH) -> SweepReport:
    """Mark open tasks past due as overdue and tell whoever keeps them; escalate those overdue
    for more than their type's grace period (working days) to a supervisor and tell them.
    One audit event summarises a sweep that changed anything."""
    report = SweepReport(now=now or timezone.now())
    links = _Links()
    _mark_overdue(report, links, batch_size)
    _escalate(report, links, batch_size)
    if report.changed:
        with transaction.atomic():
            # The subject is the task table as a whole: one event for thousands of tasks,
            # which carry the same time in overdue_since / escalated_at.
            record_bulk(
                actor=None, action="cases.deadline_sweep", model=Task, counts=report.as_dict()
            )
    return report


def _batches(candidates, batch_size: int):
    """The ids of `candidates`, oldest due first, `batch_size` at a time, each batch yielded
    inside its own transaction. The caller takes every task it is given out of `candidates`
    (and someone else may take more), so the walk goes on from the last due date instead of
    re-reading the batches already done."""
    since = None
    while True:
        with transaction.atomic():
            batch = candidates if since is None else candidates.filter(due_at__gte=since)
            rows = list(batch.order_by("due_at").values_list("pk", "due_at")[:batch_size])
            if rows:
                yield [pk for pk, _due in rows]
        if len(rows) < batch_size:
            return
        since = rows[-1][1]


def _mark_overdue(report: SweepReport, links: _Links, batch_size: int) -> None:
    now = report.now
    due = Task.objects.filter(status__in=OPEN, due_at__lt=now, overdue_since=None)
    for ids in _batches(due, batch_size):
        report.overdue += due.filter(pk__in=ids).update(overdue_since=now)
        # Those marked now: a task finished since the batch was read is not announced.
        rows = list(
            Task.objects.filter(pk__in=ids, overdue_since=now).values_list(
                "pk", "assignee_id", "queue_id", "case_id", "title"
            )
        )
        members = _queue_members({queue for _pk, who, queue, _case, _title in rows if not who})
        report.notifications += _notify(
            (
                (user_id, OVERDUE, pk, case_id, title)
                for pk, assignee_id, queue_id, case_id, title in rows
                for user_id in ([assignee_id] if assignee_id else members.get(queue_id, ()))
            ),
            now,
            links,
        )


def escalation_threshold(now: datetime, zone: str, grace: int, calendar: Calendar) -> datetime:
    """Tasks kept in `zone` and due before the returned moment have, at `now`, been overdue
    for more than `grace` working days: their due date plus `grace` working days is a day
    that has already ended there. Due dates are working days ending at local midnight."""
    local_zone = ZoneInfo(zone)
    today = now.astimezone(local_zone).date()
    day = today - timedelta(days=1)
    # The last due date whose grace has run out; the search is short (a term plus holidays).
    while calendar.add_working_days(day, grace) >= today:
        day -= timedelta(days=1)
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=local_zone)


def _keeper_region():
    """The region whose clock a task's deadline follows: its assignee's organisation's, else
    its queue's (as when the deadline was set, see services.add_task)."""
    return Coalesce("assignee__organisation__region_id", "queue__region_id")


def _escalate(report: SweepReport, links: _Links, batch_size: int) -> None:
    now = report.now
    calendar = production_calendar()
    types_by_grace: dict[int, list[int]] = defaultdict(list)
    for grace, type_id in TaskType.objects.values_list("grace_days", "pk"):
        types_by_grace[grace].append(type_id)
    regions_by_zone: dict[str, list[str]] = defaultdict(list)
    for code, zone in TIME_ZONES.items():
        if zone != MOSCOW:
            regions_by_zone[zone].append(code)
    escalate_to = Coalesce(
        Subquery(
            User.objects.filter(pk=OuterRef("assignee_id"), supervisor__is_active=True).values(
                "supervisor_id"
            )[:1]
        ),
        Subquery(
            Case.objects.filter(
                pk=OuterRef("case_id"), coordinator__supervisor__is_active=True
            ).values("coordinator__supervisor_id")[:1]
        ),
    )
    for grace, type_ids in sorted(types_by_grace.items()):
        limits = {
            zone: escalation_threshold(now, zone, grace, calendar)
            for zone in [MOSCOW, *regions_by_zone]
        }
        limit = models.Case(
            *[
                models.When(keeper_region__in=codes, then=Value(limits[zone]))
                for zone, codes in regions_by_zone.items()
            ],
            default=Value(limits[MOSCOW]),
            output_field=models.DateTimeField(),
        )
        late = (
            Task.objects.filter(
                status__in=OPEN,
                type_id__in=type_ids,
                due_at__lt=max(limits.values()),
                overdue_since__isnull=False,
                escalated_at=None,
            )
            .alias(keeper_region=_keeper_region())
            .alias(escalate_before=limit)
            .filter(due_at__lt=F("escalate_before"))
        )
        # One read of the group (ids only), then batches by id: a LIMIT over the per-zone
        # condition would make the database sort the whole group again for every batch.
        late_ids = list(late.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(late_ids), batch_size):
            ids = late_ids[start : start + batch_size]
            with transaction.atomic():
                report.escalated += Task.objects.filter(
                    pk__in=ids, status__in=OPEN, escalated_at=None
                ).update(escalated_at=now, escalated_to=escalate_to)
                rows = list(
                    Task.objects.filter(pk__in=ids, escalated_at=now).values_list(
                        "pk", "escalated_to_id", "case_id", "title"
                    )
                )
                report.escalated_to_nobody += sum(1 for row in rows if row[1] is None)
                report.notifications += _notify(
                    (
                        (supervisor_id, ESCALATED, pk, case_id, title)
                        for pk, supervisor_id, case_id, title in rows
                        if supervisor_id is not None
                    ),
                    now,
                    links,
                )


def _may_work_queues() -> models.QuerySet[User]:
    """Active people who may work on their organisation's queue: those who manage cases."""
    app_label, codename = MANAGE.split(".")
    holds = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    return User.objects.filter(Q(is_superuser=True) | holds, is_active=True)


def _queue_members(queue_ids: set[int]) -> dict[int, list[int]]:
    members: dict[int, list[int]] = defaultdict(list)
    rows = (
        _may_work_queues()
        .filter(organisation_id__in=queue_ids)
        .values_list("organisation_id", "pk")
        .distinct()
    )
    for organisation_id, user_id in rows:
        members[organisation_id].append(user_id)
    return members


def _notify(notices: Iterable[tuple], now: datetime, links: _Links) -> int:
    """Write the notices (person, kind, task id, case id, task title) not given yet; returns
    how many were written. Run inside the transaction that made the change they announce."""
    return notifications.send(
        (
            Notice(user_id, kind, title, links.for_case(case_id), f"{kind}:{task_id}")
            for user_id, kind, task_id, case_id, title in notices
        ),
        at=now,
    )


def daily_digest(day: date | None = None) -> DigestReport:
    """One notification per person with open tasks overdue or due on `day` (in the
    programme's time zone), and the same counts by e-mail to those with an address. Once a
    day: a second run finds every notice given and sends nothing."""
    day = day or timezone.localdate()
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    tasks = Task.objects.filter(status__in=OPEN, due_at__lt=end).order_by()
    by_owner = {
        "assignee_id": tasks.filter(assignee__isnull=False),
        "queue_id": tasks.filter(assignee__isnull=True),
    }
    members = _queue_members(
        set(by_owner["queue_id"].values_list("queue_id", flat=True).distinct())
    )
    for owner, owned in by_owner.items():
        totals = owned.values(owner).annotate(
            overdue=Count("pk", filter=Q(due_at__lt=start)),
            today=Count("pk", filter=Q(due_at__gte=start)),
        )
        for row in totals:
            people = [row[owner]] if owner == "assignee_id" else members.get(row[owner], ())
            for user_id in people:
                counts[user_id][0] += row["overdue"]
                counts[user_id][1] += row["today"]
    key = f"{DIGEST}:{day.isoformat()}"
    report = DigestReport(day=day)
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        # Locking the recipients makes two digests of one day take turns, so the second sees
        # the first one's notices and mails nobody twice.
        recipients = list(
            User.objects.select_for_update()
            .filter(pk__in=list(counts), is_active=True)
            .order_by("pk")
            .values_list("pk", "email")
        )
        given = notifications.already_notified(key, [row[0] for row in recipients])
        fresh = [(pk, email) for pk, email in recipients if pk not in given]
        when = formats.date_format(day, "DATE_FORMAT")
        caseload = reverse("cases:caseload")
        notifications.send(
            Notice(pk, DIGEST, _digest_line(*counts[pk]), caseload, key) for pk, _email in fresh
        )
        mail = [
            EmailMessage(
                subject=_("Waypoint: your tasks on %(day)s") % {"day": when},
                body=_digest_mail(when, *counts[pk]),
                to=[email],
            )
            for pk, email in fresh
            if email
        ]
        if mail:
            transaction.on_commit(lambda: mailers.default.send_messages(mail))
        report.notified, report.mailed = len(fresh), len(mail)
    return report


def _digest_line(overdue: int, today: int) -> str:
    return _("Overdue: %(overdue)d, due today: %(today)d") % {"overdue": overdue, "today": today}


def _digest_mail(when: str, overdue: int, today: int) -> str:
    # Counts only: names and task titles stay inside Waypoint, not in anyone's mailbox.
    return "\n\n".join(
        [
            _("Your open tasks in Waypoint on %(day)s.") % {"day": when},
            _digest_line(overdue, today),
            _("Sign in to Waypoint and open “My caseload” to see them."),
        ]
    )
