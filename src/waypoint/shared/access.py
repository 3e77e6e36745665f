"""Who reads which notification: each person their own, nobody another's."""

from django.db.models import QuerySet

from waypoint.shared.models import Notification


def notifications_visible_to(user) -> QuerySet[Notification]:
    """A person's own notifications; nothing for anyone signed out."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user)
