"""The caches are shared: what one process caches or invalidates, another sees at once, in
Redis (WAYPOINT_REDIS_URL) and in the database."""

import os
import socket
import subprocess
import sys
import uuid
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection

REDIS_URL = os.environ.get("WAYPOINT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

# One process of the application: reads commands on stdin, answers each on one line.
CHILD = """
import sys
import django
django.setup()
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
call_command("createcachetable", verbosity=0)
print(caches["default"].__class__.__name__, settings.CACHES["default"]["KEY_PREFIX"], flush=True)
for line in sys.stdin:
    verb, name, key, *value = line.split()
    store = caches[name]
    if verb == "set":
        store.set(key, value[0], timeout=60)
    elif verb == "delete":
        store.delete(key)
    print(store.get(key), flush=True)
"""


def redis_reachable() -> bool:
    where = urlparse(REDIS_URL)
    try:
        socket.create_connection((where.hostname, where.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


class Process:
    def __init__(self, environment: dict[str, str]) -> None:
        self.child = subprocess.Popen(
            [sys.executable, "-c", CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=environment,
        )
        assert self.child.stdout is not None
        self.banner = self.child.stdout.readline().strip()

    def ask(self, command: str) -> str:
        assert self.child.stdin is not None
        assert self.child.stdout is not None
        self.child.stdin.write(command + "\n")
        self.child.stdin.flush()
        return self.child.stdout.readline().strip()

    def close(self) -> None:
        assert self.child.stdin is not None
        self.child.stdin.close()
        self.child.wait(timeout=30)


def environment(home, **extra: str) -> dict[str, str]:
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("WAYPOINT_", "DATABASE_URL"))
    }
    return {
        **kept,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "DJANGO_SETTINGS_MODULE": "waypoint.settings",
        "WAYPOINT_DEBUG": "1",
        "WAYPOINT_HOME": str(home),
        **extra,
    }


@pytest.fixture
def redis_prefix():
    """A prefix of its own per test run: CI's parallel runs share one Redis."""
    redis = pytest.importorskip("redis")
    if not redis_reachable():
        pytest.skip(f"no Redis at {REDIS_URL}")
    prefix = f"waypoint-test-{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    stale = list(client.scan_iter(match=f"{prefix}:*"))
    if stale:
        client.delete(*stale)


def two_processes(home, **extra: str) -> tuple[Process, Process]:
    return Process(environment(home, **extra)), Process(environment(home, **extra))


@pytest.mark.parametrize("name", ["default", "analytics"])
def test_two_processes_share_redis(tmp_path, redis_prefix, name):
    first, second = two_processes(
        tmp_path, WAYPOINT_REDIS_URL=REDIS_URL, WAYPOINT_CACHE_PREFIX=redis_prefix
    )
    try:
        assert first.banner == f"RedisCache {redis_prefix}:default"
        assert second.ask(f"get {name} pool") == "None"
        assert first.ask(f"set {name} pool built-by-first") == "built-by-first"
        assert second.ask(f"get {name} pool") == "built-by-first"
        assert second.ask(f"delete {name} pool") == "None"  # invalidated in the second …
        assert first.ask(f"get {name} pool") == "None"  # … and gone for the first
    finally:
        first.close()
        second.close()


def test_two_processes_share_the_database_cache(tmp_path):
    """Without Redis the caches are tables in the database (here one SQLite file)."""
    first, second = two_processes(tmp_path)
    try:
        assert first.banner == "DatabaseCache waypoint:default"
        assert first.ask("set analytics figures from-first") == "from-first"
        assert second.ask("get analytics figures") == "from-first"
        assert second.ask("delete analytics figures") == "None"
        assert first.ask("get analytics figures") == "None"
    finally:
        first.close()
        second.close()


@pytest.mark.django_db
def test_migrate_creates_the_database_caches_tables():
    """The test database was migrated like a fresh machine's: the cache tables came with it."""
    if settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.db.DatabaseCache":
        pytest.skip("the caches are in Redis")
    tables = set(connection.introspection.table_names())
    for name, config in settings.CACHES.items():
        assert config["LOCATION"] in tables
        caches[name].set("probe", {"figures": [1, 2]}, timeout=60)
        assert caches[name].get("probe") == {"figures": [1, 2]}
        caches[name].delete("probe")
        assert caches[name].get("probe") is None
