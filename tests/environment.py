"""Loaded with -p before Django starts: test runs use production settings, minus HTTPS."""

import os
import tempfile

os.environ.setdefault("WAYPOINT_SECRET_KEY", "test-only-key-" + "x" * 40)
os.environ.setdefault("WAYPOINT_DATA_KEYS", "dGVzdC1vbmx5LWRhdGEta2V5LXRlc3Qtb25seS1rZXk=")
os.environ.setdefault("WAYPOINT_HTTPS", "0")
# Each test builds its own world: figures must never come from another test's cache.
os.environ.setdefault("WAYPOINT_ANALYTICS_REFRESH_MINUTES", "0")
os.environ.setdefault("WAYPOINT_HOME", tempfile.mkdtemp(prefix="waypoint-test-"))
os.makedirs(os.path.join(os.environ["WAYPOINT_HOME"], "static"), exist_ok=True)
os.environ.setdefault("WAYPOINT_LANGUAGE", "en")
