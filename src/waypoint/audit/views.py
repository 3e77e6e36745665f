from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from waypoint.accounts.access import requires
from waypoint.audit.exports import csv_rows
from waypoint.audit.selectors import FILTERS, events_for
from waypoint.audit.services import export_events


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


@requires("audit.export_auditevent")
def event_export(request: HttpRequest) -> StreamingHttpResponse:
    filters = _filters(request)
    events = export_events(actor=request.user, filters=filters)
    response = StreamingHttpResponse(csv_rows(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-events.csv"'
    return response
