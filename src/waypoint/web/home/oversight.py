"""Homes of those who look after the system rather than after veterans: imports waiting for
whoever started them, accounts an administrator should look at, the audit log's latest
events and exports, and the clinical record keeper's way in."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.accounts import selectors as accounts
from waypoint.accounts.access import may_change_accounts
from waypoint.audit.access import may_read_log
from waypoint.audit.selectors import events_for
from waypoint.people.import_jobs import pending_for
from waypoint.people.import_models import ImportJob
from waypoint.web.home.parts import ROWS, Link, Part, Row, Section
from waypoint.wellbeing.facts import keeps_records

EXPORT_DAYS = 7


def imports_section(user) -> Section | None:
    """Only while an import waits for the person or runs: importing is occasional work."""
    pending = pending_for(user)
    count = pending.count()
    if not count:
        return None
    return Section(
        "imports",
        _("My imports"),
        [
            Part(
                _("Waiting for you or still running"),
                count,
                [
                    Row(
                        job.filename,
                        reverse("people:import_job", args=[job.pk]),
                        detail=job.get_status_display(),
                        when=job.created_at,
                        note=_("check the report and confirm")
                        if job.status == ImportJob.Status.CHECKED
                        else "",
                    )
                    for job in pending[:ROWS]
                ],
                "",
                reverse("people:import"),
                when_label=_("started"),
            )
        ],
    )


def accounts_section(user) -> Section | None:
    if not may_change_accounts(user):
        return None

    def rows(users) -> list[Row]:
        return [
            Row(
                account.get_full_name() or account.username,
                reverse("admin:accounts_user_change", args=[account.pk]),
                detail=account.username,
                when=account.last_login,
                note="" if account.last_login else _("never signed in"),
            )
            for account in users[:ROWS]
        ]

    roleless, dormant = accounts.without_a_role(), accounts.dormant()
    users = reverse("admin:accounts_user_changelist")
    return Section(
        "accounts",
        _("Accounts to review"),
        [
            Part(
                _("Without a role"),
                roleless.count(),
                rows(roleless),
                _("Every active account has a role."),
                users,
                when_label=_("last seen"),
            ),
            Part(
                _("Not used for %(days)d days") % {"days": accounts.DORMANT_DAYS},
                dormant.count(),
                rows(dormant),
                _("Every active account was used lately."),
                users,
                when_label=_("last seen"),
            ),
        ],
        [Link(_("Open the accounts"), users, primary=True)],
    )


def audit_section(user) -> Section | None:
    if not may_read_log(user):
        return None
    now = timezone.now()
    since = now - timedelta(days=EXPORT_DAYS)
    events = events_for(user)
    exports = events.filter(action__endswith="export", at__gte=since)
    log = reverse("audit:event_list")

    def rows(found) -> list[Row]:
        return [
            Row(
                event.action,
                f"{log}?{urlencode({'actor': event.actor_username})}"
                if event.actor_username
                else log,
                detail=event.actor_username or _("the system"),
                when=event.at,
            )
            for event in found[:ROWS]
        ]

    return Section(
        "audit",
        _("Audit log"),
        [
            Part(
                _("Exports of data in the last 7 days"),
                exports.count(),
                rows(exports),
                _("Nobody exported data in the last 7 days."),
                f"{log}?{urlencode({'since': timezone.localdate(since).isoformat()})}",
                with_time=True,
            ),
            Part(_("Latest events"), None, rows(events), _("No events yet."), log, with_time=True),
        ],
        [Link(_("Open the audit log"), log, primary=True)],
        intro=_day(events.filter(at__gte=now - timedelta(days=1)).count()),
    )


def _day(count: int) -> str:
    return ngettext(
        "%(count)d event in the last 24 hours.", "%(count)d events in the last 24 hours.", count
    ) % {"count": count}


def records_section(user) -> Section | None:
    if not keeps_records(user):
        return None
    records = reverse("wellbeing:records")
    return Section(
        "records",
        _("Clinical records"),
        [],
        [Link(_("Find a record"), records, primary=True)],
        intro=_(
            "You keep every well-being record, also after a person withdraws consent. Every "
            "record you open is logged."
        ),
    )
