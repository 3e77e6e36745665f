"""`waypoint serve`: the web tier, one worker process per core.

Several workers run under gunicorn (Linux, macOS): the master loads the application once
before it forks (`preload_app`), so the workers share its memory, and SIGTERM lets each
worker finish the requests it holds before it exits. One worker, and every machine where
gunicorn cannot run (Windows: it needs `fork`), runs waitress in this process, as before.
Static files are answered by WhiteNoise inside the application in both cases.
"""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# The forwarded headers reach Django, which believes them only from a trusted proxy
# (waypoint.kit.proxy); waitress would otherwise drop them, and every request behind a TLS
# proxy would be redirected to https again.
WAITRESS_OPTIONS = {"clear_untrusted_proxy_headers": False}


def default_workers() -> int:
    """WAYPOINT_WORKERS, else one worker per core."""
    configured = os.environ.get("WAYPOINT_WORKERS", "").strip()
    if not configured:
        return os.cpu_count() or 1
    try:
        workers = int(configured)
    except ValueError:
        raise CommandError(f"WAYPOINT_WORKERS must be a whole number, not {configured!r}") from None
    if workers < 1:
        raise CommandError(f"WAYPOINT_WORKERS must be at least 1, not {workers}")
    return workers


def gunicorn_runs_here() -> bool:
    if sys.platform == "win32":
        return False
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def gunicorn_options(*, host: str, port: int, workers: int, threads: int) -> dict:
    """gunicorn's settings for Waypoint: the same answers whichever worker serves a request."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return {
        "bind": [bind],
        "workers": workers,
        "threads": threads,
        # One thread: the sync worker, one request at a time per process. More: a thread pool
        # in each process; a slow client holds a thread, not the process.
        "worker_class": "sync" if threads == 1 else "gthread",
        "preload_app": True,
        # No access log, as under waitress: the audit log records who read what; errors go to
        # stderr.
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
        # gunicorn believes X-Forwarded-Proto from the same proxies Django does, so both agree
        # whether a request came over TLS.
        "forwarded_allow_ips": ",".join(settings.WAYPOINT_TRUSTED_PROXIES),
        "proc_name": "waypoint",
        # The sync worker cannot report in while it answers: a long export or PDF must not be
        # taken for a hung worker and killed half-way (gunicorn's default is 30 s).
        "timeout": 120,
        # No control socket in $HOME/.gunicorn: two servers on one machine would share it, and
        # signals (TERM stops, HUP reloads, TTIN/TTOU add and remove workers) do the same job.
        "control_socket_disable": True,
        "pre_fork": _close_connections,
    }


def _close_connections(server, worker) -> None:
    # A worker forks from the master: a database or cache socket open in the master would be
    # shared by every worker, their bytes interleaved on one connection. Closed here, each
    # worker (each thread) opens its own on first use.
    from django.core.cache import close_caches
    from django.db import connections

    connections.close_all()
    close_caches()


def serve_with_gunicorn(application, options: dict) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            for name, value in options.items():
                self.cfg.set(name, value)

        def load(self):
            return application

    Server().run()


class Command(BaseCommand):
    help = (
        "Serve Waypoint: gunicorn with one worker process per core (waitress for one worker "
        "or where gunicorn cannot run); static files through WhiteNoise."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="worker processes (default: WAYPOINT_WORKERS, else the number of cores)",
        )
        parser.add_argument("--threads", type=int, default=8, help="threads in each worker")

    def handle(self, *args, host, port, workers, threads, **options):
        from waypoint.wsgi import application

        workers = default_workers() if workers is None else workers
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1")
        if workers > 1 and gunicorn_runs_here():
            self.stdout.write(
                f"Waypoint is at http://{host}:{port}/  ({workers} workers × {threads} threads; "
                "SIGTERM or Ctrl+C stops it)"
            )
            self.stdout.flush()
            serve_with_gunicorn(
                application,
                gunicorn_options(host=host, port=port, workers=workers, threads=threads),
            )
            return
        from waitress import serve

        if workers > 1:
            self.stderr.write(
                f"{workers} workers need gunicorn, which cannot run here (Windows, or not "
                "installed): serving with waitress in one process"
            )
        self.stdout.write(f"Waypoint is at http://{host}:{port}/  (Ctrl+C stops it)")
        serve(application, host=host, port=port, threads=threads, **WAITRESS_OPTIONS)
