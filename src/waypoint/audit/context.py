"""Who is asking, from where, under which request id: set once per request, read by record()."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    client_address: str | None = None


NO_REQUEST = RequestContext()
current: ContextVar[RequestContext] = ContextVar("waypoint_request", default=NO_REQUEST)
