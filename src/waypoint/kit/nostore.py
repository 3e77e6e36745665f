from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """No page, API answer, export or PDF is kept by a browser or a proxy on the way.

    Everything Waypoint answers beyond its static files is about people or shaped by who
    asks, so nothing is cached: a shared computer or a caching proxy keeps no copy. Static
    files never reach this middleware (WhiteNoise answers them before it).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
