"""Keys for the embedded default: generated once per WAYPOINT_HOME and kept there.

A SQLite database in WAYPOINT_HOME is one person's installation (the demo, a trial, a laptop);
asking them to invent a secret key and a Fernet key before the first command only teaches
them to paste the same key everywhere. The keys file sits beside the database it protects,
readable by its owner only. A server database (DATABASE_URL elsewhere) still needs keys from
the environment: settings refuse to start without them.
"""

import base64
import json
import os
import secrets
from pathlib import Path

FILE_NAME = "keys.json"


def embedded_keys(home: Path) -> dict[str, str]:
    """{"secret_key": ..., "data_key": ...} from home/keys.json, created on first use."""
    path = home / FILE_NAME
    home.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        keys = {
            "secret_key": secrets.token_urlsafe(50),
            "data_key": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        }
        try:
            # O_EXCL: two first commands at once agree on whichever file was written first.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as file:
                json.dump(keys, file)
    keys = json.loads(path.read_text())
    if not {"secret_key", "data_key"} <= keys.keys():
        raise ValueError(f"{path} must hold secret_key and data_key; remove it to start afresh")
    return keys


def is_embedded(database_url: str | None, home: Path) -> bool:
    """True for the default database: SQLite in WAYPOINT_HOME (no DATABASE_URL, or one there)."""
    if not database_url:
        return True
    prefix = "sqlite:///"
    if not database_url.startswith(prefix):
        return False
    return Path(database_url[len(prefix) :]).resolve().parent == home.resolve()
