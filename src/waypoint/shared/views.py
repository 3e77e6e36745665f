"""The person's own notifications: the one page of the shared app."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from waypoint.accounts.access import signed_in
from waypoint.kit.numbers import whole_number
from waypoint.shared import notifications as notices
from waypoint.shared.access import notifications_visible_to


@signed_in
def notifications(request: HttpRequest) -> HttpResponse:
    """The person's own notifications (overdue tasks, escalations, digests), newest first."""
    page = Paginator(notifications_visible_to(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "shared/notifications.html",
        {"page": page, "unread": notices.unread_count(request.user)},
    )


@signed_in
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (the `notification` field), or all of them without it."""
    raw = request.POST.get("notification", "")
    pk = whole_number(raw)
    own = notifications_visible_to(request.user)
    if raw and (pk is None or not own.filter(pk=pk).exists()):
        raise Http404("no such notification")
    notices.mark_read(actor=request.user, pk=pk)
    back = reverse("shared:notifications")
    page = request.POST.get("page", "")
    return redirect(f"{back}?page={page}" if whole_number(page) is not None else back)
