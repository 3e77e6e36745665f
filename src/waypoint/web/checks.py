"""System checks of the deployment that settings alone cannot refuse."""

import os

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def keys_from_the_environment(app_configs, **kwargs) -> list[Warning]:
    """A server keeps its keys with its secrets, not in a file beside the database."""
    missing = [
        name for name in ("WAYPOINT_SECRET_KEY", "WAYPOINT_DATA_KEYS") if not os.environ.get(name)
    ]
    if not missing or not settings.EMBEDDED_DATABASE:
        return []
    return [
        Warning(
            f"{' and '.join(missing)} come from {settings.WAYPOINT_HOME / 'keys.json'}, "
            "generated for a local installation.",
            hint="In production set them in the environment and keep them in your secret store.",
            id="waypoint.W001",
        )
    ]
