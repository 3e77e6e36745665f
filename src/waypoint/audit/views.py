import csv
import json

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from waypoint.accounts.access import requires
from waypoint.audit.selectors import FILTERS, events_for
from waypoint.audit.services import record

EXPORT_COLUMNS = [
    "id",
    "at",
    "actor_username",
    "action",
    "subject_type",
    "subject_id",
    "veteran_id",
    "changes",
    "request_id",
    "client_address",
]


def _filters(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET.get(name, "") for name in FILTERS}


@requires("audit.view_auditevent")
def event_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    page = Paginator(events_for(request.user, **filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "filters": filters, "query": query.urlencode()},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(events):
    """The export, one CSV line at a time (the log can be large)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(EXPORT_COLUMNS)
    for event in events.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                event.pk,
                event.at.isoformat(),
                event.actor_username,
                event.action,
                event.subject_type,
                event.subject_id,
                event.veteran_id or "",
                json.dumps(event.changes, ensure_ascii=False),
                event.request_id,
                event.client_address or "",
            ]
        )


@requires("audit.export_auditevent")
def event_export(request: HttpRequest) -> StreamingHttpResponse:
    filters = _filters(request)
    events = events_for(request.user, **filters).order_by("at", "id")
    with transaction.atomic():
        record(
            actor=request.user,
            action="audit.export",
            subject=request.user,
            changes={
                "filters": [None, {k: v for k, v in filters.items() if v}],
                "count": [None, events.count()],
            },
        )
    response = StreamingHttpResponse(csv_rows(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-events.csv"'
    return response
