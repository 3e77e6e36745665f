from django.core.management.base import BaseCommand

# The forwarded headers reach Django, which believes them only from a trusted proxy
# (waypoint.kit.proxy); waitress would otherwise drop them, and every request behind a TLS
# proxy would be redirected to https again.
WAITRESS_OPTIONS = {"clear_untrusted_proxy_headers": False}


class Command(BaseCommand):
    help = "Serve Waypoint with waitress (static files through WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, threads, **options):
        from waitress import serve

        from waypoint.wsgi import application

        self.stdout.write(f"Waypoint is at http://{host}:{port}/  (Ctrl+C stops it)")
        serve(application, host=host, port=port, threads=threads, **WAITRESS_OPTIONS)
