"""Two kinds of cache.

Django's caches (settings.CACHES: Redis or database tables) hold whatever must look the same
from every process on every machine; their tables are created after every migrate.

Expensive derived objects (fitted indexes) are kept on disk between the processes of one
machine. A file under WAYPOINT_HOME/cache is named by a kind and a digest of everything it
depends on, so two machines build the same object and no answer depends on whose file was
read; another process loads it instead of building it again. Writing goes through a temporary
file and a rename, so no reader ever sees half a file; an unreadable file is rebuilt.
"""

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS


def create_cache_tables(using: str = DEFAULT_DB_ALIAS, **_: Any) -> None:
    """The database caches' tables, if missing (a no-op when the caches are in Redis)."""
    call_command("createcachetable", database=using, verbosity=0)


def path_for(kind: str, version: str) -> Path:
    digest = hashlib.sha256(version.encode()).hexdigest()[:16]
    return Path(settings.WAYPOINT_HOME) / "cache" / f"{kind}-{digest}.pickle"


def load_or_build(kind: str, version: str, build: Callable[[], Any]) -> Any:
    """The object cached for (kind, version), or build() written to the cache. Older
    versions of the same kind are removed."""
    path = path_for(kind, version)
    if path.is_file():
        try:
            with path.open("rb") as stream:
                # Our own file under WAYPOINT_HOME, as trusted as the database beside it.
                return pickle.load(stream)  # noqa: S301
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ImportError):
            path.unlink(missing_ok=True)
    built = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob(f"{kind}-*.pickle"):
            stale.unlink(missing_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(built, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only home still works, only slower to start
    return built
