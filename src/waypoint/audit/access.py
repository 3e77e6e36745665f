"""Who may read the audit log. The only module that decides it: the log page, its export, the
API, the admin and the account history on /manage/ all start from `events_visible_to`."""

from django.db.models import QuerySet

from waypoint.audit.models import AuditEvent

VIEW = "audit.view_auditevent"
EXPORT = "audit.export_auditevent"
VIEW_CLINICAL = "audit.view_clinical_events"


def events_visible_to(user) -> QuerySet[AuditEvent]:
    """Auditors read the events of their organisation, or every event with the scope "all";
    the access log of well-being records only with `audit.view_clinical_events`."""
    if not user.is_authenticated or not user.has_perm(VIEW):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.all()
    # Who screened or read a well-being record is itself health information: only those
    # who audit clinical access see those events (a relation permission: see accounts).
    if not user.has_perm(VIEW_CLINICAL):
        events = events.exclude(subject_type__startswith="wellbeing.")
    if user.effective_scope == "all":
        return events
    return events.filter(actor__organisation_id=user.organisation_id)


def may_export(user) -> bool:
    return user.is_authenticated and user.has_perm(EXPORT)


def may_read_log(user) -> bool:
    """Read the audit log (which events: events_visible_to)."""
    return user.has_perm(VIEW)
