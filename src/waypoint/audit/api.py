from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import paginate

from waypoint.accounts.access import requires
from waypoint.audit.access import events_visible_to
from waypoint.audit.selectors import events_for
from waypoint.kit.api import Id, Schema

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    at: datetime
    actor_id: int | None
    actor_username: str
    action: str
    subject_type: str
    subject_id: str
    veteran_id: int | None
    changes: dict
    request_id: str
    client_address: str | None


@router.get("", response=list[AuditEventOut], summary="Audit events, newest first")
@requires("audit.view_auditevent")
@paginate
def list_events(
    request,
    since: str = "",
    until: str = "",
    actor: str = "",
    action: str = "",
    veteran: str = "",
    subject_type: str = "",
):
    return events_for(
        request.user,
        since=since,
        until=until,
        actor=actor,
        action=action,
        veteran=veteran,
        subject_type=subject_type,
    )


@router.get("/{event_id}", response=AuditEventOut)
@requires("audit.view_auditevent")
def get_event(request, event_id: Id):
    return get_object_or_404(events_visible_to(request.user), pk=event_id)
