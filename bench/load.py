"""Load on the multi-process server (issue 20, item 6; a skeleton: read-only pages so far).

Starts `waypoint serve --workers N` with the production settings, signs in as many
coordinators as there are users, and drives each page of the mix for a while, then a static
file through the same workers (the ceiling: WhiteNoise, no view, no database). Prints per page
requests/s, p50 and p95, and requests per CPU-second of the server's processes (master and
workers, read from /proc), as a ratio to the ceiling's.

    .venv/bin/python bench/load.py [--database URL --username U --password P]
                                   [--workers N] [--threads T] [--users 50] [--seconds 15]

Without --database it builds the demo (`waypoint demo --no-serve`, 300 veterans) in a fresh
WAYPOINT_HOME and serves its SQLite file; with it, the database must already hold the data and
the user. The clients are threads of this one process: on a small machine they take CPU from
the server, so compare the pages with the ceiling of the same run, not with other machines.
The last line is `RESULT pages_mean_rps=R worst_p95_ms=P ceiling_rps=C`: the pages are driven
one after another; a mixed run (several kinds of user at once, writes too) is still to come.
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_PASSWORD = "waypoint-demo-2026"  # noqa: S105  (printed by `waypoint demo` itself)
MIX = ["/", "/veterans/", "/api/v1/veterans"]
CEILING = "/static/web/waypoint.css"
FROM_THE_PROXY = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}


def waypoint(*args: str) -> list[str]:
    return [sys.executable, "-m", "waypoint.cli", *args]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(port: int, path: str, cookie: str = "", method: str = "GET", body: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {**FROM_THE_PROXY, "Cookie": cookie}
    if body is not None:
        headers |= {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": "https://127.0.0.1",
        }
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def sign_in(port: int, username: str, password: str) -> str:
    page = request(port, "/login/")
    token = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "")
    if page.status != 200 or token is None:
        sys.exit(f"the sign-in page answered {page.status}")
    form = f"csrfmiddlewaretoken={token[1]}&username={username}&password={password}"
    answer = request(port, "/login/", f"csrftoken={token[1]}", "POST", form)
    session = re.search(r"sessionid=([^;]+)", answer.getheader("Set-Cookie") or "")
    if answer.status != 302 or session is None:
        sys.exit(f"signing in as {username} answered {answer.status}")
    return f"sessionid={session[1]}"


def cpu_seconds(parent: int) -> float:
    ticks = 0
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if entry.name == str(parent) or fields[1] == str(parent):
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def drive(port: int, path: str, cookies: list[str], seconds: float, server: int) -> dict:
    timings: list[float] = []
    failures = [0]
    deadline = time.monotonic() + seconds

    def user(cookie: str) -> None:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            status = request(port, path, cookie).status
            timings.append(time.perf_counter() - started)
            if status != 200:
                failures[0] += 1

    cpu = cpu_seconds(server)
    threads = [threading.Thread(target=user, args=(cookie,)) for cookie in cookies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu = cpu_seconds(server) - cpu
    timings.sort()
    return {
        "rps": len(timings) / seconds,
        "p50_ms": 1000 * statistics.median(timings),
        "p95_ms": 1000 * timings[int(0.95 * (len(timings) - 1))],
        "per_cpu_s": len(timings) / max(cpu, 1e-9),
        "failures": failures[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database")
    parser.add_argument("--username", default="coordinator")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15)
    options = parser.parse_args()

    home = tempfile.mkdtemp(prefix="waypoint-load-")
    environment = {
        **os.environ,
        "WAYPOINT_HOME": home,
        "WAYPOINT_DEBUG": "0",
        "WAYPOINT_HTTPS": "1",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])
        ),
    }
    if options.database:
        environment["DATABASE_URL"] = options.database
    else:
        subprocess.run(waypoint("demo", "--no-serve"), env=environment, check=True)
        environment["DATABASE_URL"] = f"sqlite:///{home}/demo.sqlite3"
    subprocess.run(waypoint("collectstatic", "--noinput", "-v0"), env=environment, check=True)
    port = free_port()
    server = subprocess.Popen(
        waypoint(
            "serve",
            "--port",
            str(port),
            "--workers",
            str(options.workers),
            "--threads",
            str(options.threads),
        ),
        env=environment,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if request(port, "/healthz").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                sys.exit("the server did not answer /healthz within 60 s")
            time.sleep(0.2)
        cookies = [sign_in(port, options.username, options.password) for _ in range(options.users)]
        print(
            f"{options.workers} workers × {options.threads} threads, {options.users} users, "
            f"{options.seconds:g} s a page"
        )
        ceiling = drive(port, CEILING, cookies, options.seconds, server.pid)
        pages = {path: drive(port, path, cookies, options.seconds, server.pid) for path in MIX}
    finally:
        server.terminate()
        server.wait(timeout=60)
    for path, figures in [(CEILING + " (ceiling)", ceiling), *pages.items()]:
        print(
            f"{path:<40} {figures['rps']:7.1f} req/s  p50 {figures['p50_ms']:6.0f} ms  "
            f"p95 {figures['p95_ms']:6.0f} ms  {figures['per_cpu_s'] / ceiling['per_cpu_s']:5.2f}"
            f" of the ceiling per CPU-second  failures {figures['failures']}"
        )
    mean_rps = statistics.mean(figures["rps"] for figures in pages.values())
    worst_p95 = max(figures["p95_ms"] for figures in pages.values())
    print(
        f"RESULT pages_mean_rps={mean_rps:.1f} worst_p95_ms={worst_p95:.0f} "
        f"ceiling_rps={ceiling['rps']:.1f}"
    )


if __name__ == "__main__":
    main()
