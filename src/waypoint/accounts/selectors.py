"""Reads for accounts: the accounts an administrator should look at."""

from datetime import timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from waypoint.accounts.models import User

DORMANT_DAYS = 90


def without_a_role() -> QuerySet[User]:
    """Active accounts that hold no role: they can sign in and do nothing."""
    return User.objects.filter(is_active=True, is_superuser=False, groups=None).order_by(
        "date_joined", "pk"
    )


def dormant() -> QuerySet[User]:
    """Active accounts nobody has signed in with for DORMANT_DAYS (or ever, since they were
    made that long ago): candidates to switch off."""
    since = timezone.now() - timedelta(days=DORMANT_DAYS)
    return User.objects.filter(
        Q(last_login__lt=since) | Q(last_login=None, date_joined__lt=since), is_active=True
    ).order_by(F("last_login").asc(nulls_first=True), "date_joined", "pk")
