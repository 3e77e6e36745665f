"""The scratch Waypoint a text or orientation benchmark runs in: a WAYPOINT_HOME on SQLite with
ESCO v1.1.1 imported from ../shared/data (once: a home that already holds it is reused)."""

import os
import tempfile
from pathlib import Path

ESCO = Path(__file__).resolve().parents[2] / "shared" / "data" / "esco-1.1.1"


def prepare(home: str | None) -> str:
    """Set up Django on `home` (a fresh temporary one when None), migrate, import ESCO if it is
    not there yet; returns the home."""
    home = home or tempfile.mkdtemp(prefix="wp-bench-")
    os.environ["WAYPOINT_HOME"] = home
    os.environ["WAYPOINT_DEBUG"] = "1"
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from waypoint.taxonomy import services
    from waypoint.taxonomy.models import Taxonomy

    call_command("migrate", verbosity=0)
    if not Taxonomy.objects.filter(code="esco").exists():
        services.import_esco(sorted(ESCO.glob("*.zip")))
    return home
