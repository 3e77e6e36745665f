"""`waypoint serve --workers 2`: two processes answer, on one set of keys, behind the TLS proxy,
and SIGTERM stops all of them.

The server runs for real in a subprocess on a fresh WAYPOINT_HOME (embedded SQLite, keys.json
made on first use). Which worker holds a connection is read from /proc: the server's end of the
TCP connection is a socket inode, and exactly one worker has it among its open files.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from waypoint.web.management.commands.serve import gunicorn_options, gunicorn_runs_here

pytestmark = pytest.mark.skipif(
    not Path("/proc/net/tcp").exists(), reason="reads worker processes from Linux's /proc"
)
SOURCE = Path(__file__).resolve().parents[2] / "src"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(home: Path) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"WAYPOINT_SECRET_KEY", "WAYPOINT_DATA_KEYS", "DATABASE_URL"}
    }
    paths = [str(SOURCE), *filter(None, environment.get("PYTHONPATH", "").split(os.pathsep))]
    # The shared environment's packages (gunicorn) stay importable in the subprocess.
    environment.update(
        WAYPOINT_HOME=str(home),
        WAYPOINT_HTTPS="1",
        PYTHONPATH=os.pathsep.join(paths),
        DJANGO_SETTINGS_MODULE="waypoint.settings",
    )
    return environment


def _waypoint(*args: str) -> list[str]:
    return [sys.executable, "-m", "waypoint.cli", *args]


def _children(parent: int) -> set[int]:
    children = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so read after its closing bracket.
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            children.add(int(entry.name))
    return children


def _server_socket_inode(server_port: int, client_port: int) -> str | None:
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if (local_port, remote_port) == (server_port, client_port) and fields[9] != "0":
                return fields[9]
    return None


def _holder(workers: set[int], server_port: int, client: socket.socket) -> int | None:
    inode = _server_socket_inode(server_port, client.getsockname()[1])
    if inode is None:
        return None
    for pid in workers:
        try:
            descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            continue
        for descriptor in descriptors:
            try:
                if os.readlink(descriptor) == f"socket:[{inode}]":
                    return pid
            except OSError:
                continue
    return None


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


# As the TLS proxy on loopback (a trusted proxy by default) passes every request on.
FROM_THE_PROXY = b"Host: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"


def _get(port: int, path: str, headers: bytes = FROM_THE_PROXY) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        client.sendall(f"GET {path} HTTP/1.1\r\n".encode() + headers + b"\r\n")
        return _read_answer(client)


def _read_answer(client: socket.socket) -> bytes:
    answer = b""
    while chunk := client.recv(65536):
        answer += chunk
    return answer


def _healthy(port: int) -> bool:
    try:
        return _get(port, "/healthz").startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def test_two_workers_answer_and_sigterm_stops_them(tmp_path):
    assert gunicorn_runs_here(), "gunicorn is a dependency on Linux: `pip install -e .` adds it"
    environment = _environment(tmp_path)
    subprocess.run(_waypoint("migrate", "--noinput"), env=environment, check=True, timeout=60)
    keys = (tmp_path / "keys.json").read_text()
    port = _free_port()
    # One thread per worker: a worker holding a connection takes no other, so a second client
    # is certainly taken by the other worker.
    server = subprocess.Popen(
        _waypoint("serve", "--port", str(port), "--workers", "2", "--threads", "1"),
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(lambda: _healthy(port), 30, "/healthz")
        _wait_for(lambda: len(_children(server.pid)) == 2, 5, "two workers")
        workers = _children(server.pid)

        clients, holders = [], []
        for _ in range(2):
            client = socket.create_connection(("127.0.0.1", port), timeout=5)
            client.sendall(b"GET /healthz HTTP/1.1\r\n" + FROM_THE_PROXY)
            clients.append(client)
            holders.append(
                _wait_for(lambda client=client: _holder(workers, port, client), 5, "a worker")
            )
        assert set(holders) == workers
        for client in clients:
            client.sendall(b"\r\n")
            assert _read_answer(client).startswith(b"HTTP/1.1 200")
            client.close()

        # gunicorn passes the proxy's headers on to Django, which alone decides on them: the
        # same request without X-Forwarded-Proto is sent to https.
        assert _get(port, "/healthz", b"Host: 127.0.0.1\r\n").startswith(b"HTTP/1.1 301")

        # The master read the keys the first command wrote before it forked: every worker signs
        # sessions and encrypts fields with the same ones, and none wrote new ones.
        assert (tmp_path / "keys.json").read_text() == keys
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        finally:
            if server.poll() is None:
                server.kill()
    assert server.returncode == 0, server.stderr.read().decode()
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]


def test_one_thread_is_the_sync_worker_and_proxies_are_the_trusted_ones(settings):
    settings.WAYPOINT_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    single = gunicorn_options(host="::", port=8000, workers=4, threads=1)
    pooled = gunicorn_options(host="0.0.0.0", port=8000, workers=4, threads=8)  # noqa: S104
    assert (single["bind"], single["worker_class"]) == (["[::]:8000"], "sync")
    assert (pooled["bind"], pooled["worker_class"]) == (["0.0.0.0:8000"], "gthread")
    assert pooled["forwarded_allow_ips"] == "127.0.0.1,10.0.0.0/8"
    assert pooled["preload_app"] is True
    assert pooled["accesslog"] is None


def test_without_gunicorn_one_waitress_process_serves_and_says_so(monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    from waypoint.web.management.commands import serve

    served = {}
    monkeypatch.setattr(serve, "gunicorn_runs_here", lambda: False)
    monkeypatch.setattr("waitress.serve", lambda application, **options: served.update(options))
    errors = StringIO()
    call_command("serve", "--workers", "3", "--port", "8123", stdout=StringIO(), stderr=errors)
    assert served["port"] == 8123
    assert served["threads"] == 8
    assert "waitress in one process" in errors.getvalue()
