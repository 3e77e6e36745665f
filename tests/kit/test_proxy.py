"""Behind the README's TLS proxy: the scheme and the client come from the proxy, only from it."""

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from waitress.server import create_server

from tests.conftest import PASSWORD
from waypoint.accounts.models import LoginFailure
from waypoint.audit.models import AuditEvent
from waypoint.kit.proxy import forwarded_client, parse_networks
from waypoint.web.management.commands.serve import WAITRESS_OPTIONS

LOOPBACK = parse_networks(["127.0.0.1", "::1"])


@pytest.mark.parametrize(
    ("peer", "header", "client"),
    [
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),
        ("127.0.0.1", "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the proxy's own hop counts
        ("127.0.0.1", "203.0.113.9, 127.0.0.1", "203.0.113.9"),  # a second trusted hop
        ("::1", "[2001:db8::1]:443", "2001:db8::1"),
        ("::ffff:127.0.0.1", "203.0.113.9:5000", "203.0.113.9"),
        ("127.0.0.1", "not-an-address", None),
        ("127.0.0.1", "", None),
        ("192.0.2.50", "203.0.113.9", None),  # not a trusted proxy: the header is anyone's word
    ],
)
def test_the_client_is_the_first_untrusted_hop_from_the_right(peer, header, client):
    assert forwarded_client(peer, header, LOOPBACK) == client


@pytest.fixture
def https_site(settings):
    """The production settings of the README's Deploy section (tests run without HTTPS)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    return settings


def test_https_from_the_proxy_is_not_redirected(client, https_site, db):
    assert client.get("/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert client.get("/login/").status_code == 301


OUTSIDER = {"REMOTE_ADDR": "192.0.2.50", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}


def test_a_client_cannot_claim_https(client, https_site, db):
    assert client.get("/login/", HTTP_X_FORWARDED_PROTO="https", **OUTSIDER).status_code == 301


def test_a_client_cannot_claim_an_address(client, coordinator):
    client.post("/login/", {"username": coordinator.username, "password": "wrong"}, **OUTSIDER)
    assert LoginFailure.objects.get().client_address == "192.0.2.50"


def test_the_proxy_addresses_are_configurable(client, https_site, db):
    https_site.WAYPOINT_TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = {"REMOTE_ADDR": "10.1.2.3", "HTTP_X_FORWARDED_PROTO": "https"}
    assert client.get("/login/", **proxy).status_code == 200
    assert client.get("/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 301


class _Proxy(BaseHTTPRequestHandler):
    """A TLS proxy's plain-HTTP side, as nginx's `proxy_set_header` lines configure it."""

    upstream: tuple[str, int]

    def _forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() != "x-forwarded-for"}
        client = self.headers.get("X-Test-Client", self.client_address[0])
        headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": client})
        upstream = http.client.HTTPConnection(*self.upstream, timeout=30)
        upstream.request(self.command, self.path, body=body, headers=headers)
        answer = upstream.getresponse()
        payload = answer.read()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in {"transfer-encoding", "connection", "content-length"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        upstream.close()

    do_GET = do_POST = _forward

    def log_message(self, *args):
        pass


@pytest.fixture
def deployed(https_site, transactional_db):
    """`waypoint serve`'s waitress on loopback, behind a proxy on loopback; yields the proxy."""
    from django.db import connection

    # The server's threads close their connections after each request, so none outlives the
    # test and holds the test database open.
    kept = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 0
    server = create_server(_application(), host="127.0.0.1", port=0, threads=4, **WAITRESS_OPTIONS)
    threading.Thread(target=server.run, daemon=True).start()
    handler = type("Proxy", (_Proxy,), {"upstream": ("127.0.0.1", server.effective_port)})
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    yield proxy.server_address[1]
    proxy.shutdown()
    server.close()
    connection.settings_dict["CONN_MAX_AGE"] = kept


def _application():
    from waypoint.wsgi import application

    return application


def _request(port, method, path, body=None, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers={"Host": "localhost", **headers})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _sign_in(port, username, password, client):
    """The sign-in page and its form, as a browser behind the proxy sends them."""
    page = _request(port, "GET", "/login/")
    assert page.status == 200, page.getheader("Location")
    token = page.getheader("Set-Cookie").split("csrftoken=")[1].split(";")[0]
    return page, _request(
        port,
        "POST",
        "/login/",
        f"csrfmiddlewaretoken={token}&username={username}&password={password}",
        Cookie=f"csrftoken={token}",
        Origin="https://localhost",
        **{"X-Test-Client": client},
    )


def test_the_deploy_recipe_works_behind_its_proxy(deployed, coordinator):
    page, signed_in = _sign_in(deployed, coordinator.username, PASSWORD, "203.0.113.7")
    assert page.getheader("Strict-Transport-Security")
    assert "Secure" in page.getheader("Set-Cookie")
    assert signed_in.status == 302
    assert signed_in.getheader("Location") == "/"


def test_failures_lock_out_the_client_who_failed_not_everyone(deployed, coordinator):
    for attempt in range(4 * settings.WAYPOINT_LOGIN_MAX_FAILURES):
        _sign_in(deployed, f"guess{attempt}", "wrong", "198.51.100.66")
    assert set(LoginFailure.objects.values_list("client_address", flat=True)) == {"198.51.100.66"}
    _page, locked = _sign_in(deployed, coordinator.username, PASSWORD, "198.51.100.66")
    assert locked.status == 200  # the form again, with the lockout message
    _page, other = _sign_in(deployed, coordinator.username, PASSWORD, "203.0.113.7")
    assert other.status == 302


def test_the_audit_log_records_the_real_client(client, coordinator, db):
    from tests.conftest import make_veteran

    veteran = make_veteran(coordinator=coordinator)
    client.force_login(coordinator)
    client.get(f"/veterans/{veteran.pk}/", HTTP_X_FORWARDED_FOR="203.0.113.21")
    read = AuditEvent.objects.filter(veteran_id=veteran.pk).latest("id")
    assert read.client_address == "203.0.113.21"
