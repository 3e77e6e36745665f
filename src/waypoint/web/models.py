from django.db import models


class HealthProbe(models.Model):
    """One row that /healthz writes: proof that the database takes a write right now."""

    checked_at = models.DateTimeField()

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"write probe at {self.checked_at:%Y-%m-%d %H:%M:%S}"
