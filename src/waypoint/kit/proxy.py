"""Behind a TLS proxy: take the client's address and the scheme from the proxy, and only from it.

The proxy (nginx or another, on WAYPOINT_TRUSTED_PROXIES, loopback by default) terminates TLS
and says so in `X-Forwarded-Proto`, and names the client in `X-Forwarded-For`. Anyone else
could write those headers too, so they count only when the peer itself is a trusted proxy;
otherwise they are removed before any other code sees them. The sign-in throttle and the
audit log read REMOTE_ADDR, which this middleware sets to the real client.
"""

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_FORWARDED",
)


def parse_networks(specs: Iterable[str]) -> tuple[Network, ...]:
    """`127.0.0.1`, `::1`, `10.0.0.0/8`: an address is a network of one."""
    return tuple(ipaddress.ip_network(spec.strip(), strict=False) for spec in specs)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:5000"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def forwarded_client(peer: str, forwarded_for: str, networks: tuple[Network, ...]) -> str | None:
    """The client a trusted proxy names, or None when the header cannot be believed.

    Proxies append the address they received from, so the header is read from the right:
    the first address that is not itself a trusted proxy is the client. A malformed entry on
    that path means the chain cannot be followed; the peer's own address stands then.
    """
    if not _trusted(_address(peer), networks):
        return None
    hops = [hop for hop in forwarded_for.split(",") if hop.strip()]
    client = None
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return None
        client = address
        if not _trusted(address, networks):
            break
    return str(client) if client is not None else None


class TrustedProxyMiddleware:
    """First in the chain: everything after it sees the real client and scheme."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = parse_networks(settings.WAYPOINT_TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "")
        if _trusted(_address(peer), self.networks):
            client = forwarded_client(peer, meta.get("HTTP_X_FORWARDED_FOR", ""), self.networks)
            if client:
                meta["REMOTE_ADDR"] = client
            proto = meta.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
            if proto in {"http", "https"}:
                meta["wsgi.url_scheme"] = proto
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)
