from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app message to one person (overdue task, escalation, referral received …).

    A fixed message is kept as its English original and read in the reader's language
    (`{% translate notice.text %}`): the language active when it was written may not be
    theirs (a background sweep, another person's request)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=30)
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Makes a notice idempotent: one per (user, key) — a sweep run twice notifies once.
    key = models.CharField(max_length=100)

    class Meta:
        # The model moved here from cases; its rows stayed where they were.
        db_table = "cases_notification"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]


class PeriodicRun(models.Model):
    """One period's run of a periodic job, claimed by the first worker that reaches it: the
    unique constraint lets every other worker that ticks at the same moment see it taken, so
    the job is enqueued once per period however many workers keep the clock."""

    job = models.CharField(max_length=200)
    period = models.CharField(max_length=40)  # "60s:29571840" (slot of that length) or a date
    claimed_at = models.DateTimeField(auto_now_add=True)
    worker_id = models.CharField(max_length=64)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="periodic_run_once"),
        ]


class WorkerHeartbeat(models.Model):
    """When a `waypoint worker` process last showed it was alive. A running job whose worker
    has not beaten within the lease is given back to the queue (its worker died)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        default_permissions = ()
