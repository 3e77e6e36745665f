"""Every page and API operation declares who may call it (waypoint.accounts.access).

Only Django's own admin (which checks is_staff and model permissions itself), the language
switch and the API's schema views are exempt.
"""

from django.urls import URLPattern, URLResolver, get_resolver

from waypoint.api.urls import api

EXEMPT_NAMESPACES = {"admin", "api"}
EXEMPT_NAMES = {"set_language"}


def _patterns(resolvers, namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if inner in EXEMPT_NAMESPACES:
                continue
            yield from _patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def test_every_page_declares_its_access():
    undeclared = [
        f"{namespace}:{pattern.name} ({pattern.pattern})"
        for namespace, pattern in _patterns(get_resolver().url_patterns)
        if pattern.name not in EXEMPT_NAMES and not hasattr(pattern.callback, "access")
    ]
    assert undeclared == []


def test_every_api_operation_declares_its_access():
    api.urls  # noqa: B018  (building the urls binds every router)
    undeclared = [
        f"{' '.join(operation.methods)} {prefix}{path}"
        for prefix, router in api._routers
        for path, path_view in router.path_operations.items()
        for operation in path_view.operations
        if not hasattr(operation.view_func, "access")
    ]
    assert undeclared == []


def test_the_lint_sees_the_routes():
    names = {pattern.name for _, pattern in _patterns(get_resolver().url_patterns)}
    assert {"home", "login", "veteran_list", "veteran_detail", "event_list"} <= names
    api.urls  # noqa: B018
    operations = sum(
        len(path_view.operations)
        for _, router in api._routers
        for path_view in router.path_operations.values()
    )
    assert operations >= 5
