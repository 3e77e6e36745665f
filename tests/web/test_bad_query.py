"""Pages read numbers and words from their query strings: a NUL character, a number past what a
database column holds or a digit int() cannot read ("²") is a 4xx or is ignored, never a 500.
Every page is walked, with every query parameter the pages read."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# Every name the pages read from request.GET (grep request.GET), and a few forms' fields.
PARAMETERS = [
    *("page", "q", "coordinator", "occupation", "run", "version", "veteran", "status", "shown"),
    *("topic", "region", "since", "until", "by", "key", "panel", "lang", "tab", "isco"),
    *("template", "logged", "stage", "months", "ordering", "kind", "phone", "birth_date"),
    *("last_name", "first_name", "group", "sector", "actor", "action", "subject_type"),
]
HUGE = str(2**64)


def _pages(resolvers, prefix=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            if entry.namespace not in {"admin", "api"}:
                yield from _pages(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name != "set_language":
            yield prefix + str(entry.pattern)


def _path(pattern: str, world: dict) -> str:
    def value(match):
        kind, name = match.groups()
        if kind == "int":
            return str(world.get(name, world["veteran"]))
        return "phq9" if kind == "slug" else "x"

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, pattern)


@pytest.fixture
def admin_client(admin):
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    ("value", "refused"),
    [("a\x00b", True), (HUGE, False), ("9" * 5000, False), ("²", False), ("-1", False)],
    ids=["nul", "huge", "5000 digits", "superscript", "negative"],
)
def test_no_page_fails_on_a_bad_query(admin_client, world, value, refused):
    failed = []
    for pattern in _pages(get_resolver().url_patterns):
        path = _path(pattern, world)
        response = admin_client.get(path, dict.fromkeys(PARAMETERS, value))
        if response.status_code >= 500 or (refused and response.status_code != 400):
            failed.append(f"{path}: {response.status_code}")
    assert failed == []


def test_no_page_fails_on_a_huge_id_in_its_path(admin_client):
    failed = []
    for pattern in _pages(get_resolver().url_patterns):
        if "<int:" in pattern:
            path = _path(pattern, {"veteran": HUGE})
            response = admin_client.get(path)
            if response.status_code >= 500:
                failed.append(f"{path}: {response.status_code}")
    assert failed == []


def test_a_nul_is_refused_with_the_parameter_named(admin_client):
    response = admin_client.get("/veterans/", {"q": "Ив\x00анов"})
    assert response.status_code == 400
    assert response.content.decode() == "q: NUL characters are not allowed"


def test_a_page_refuses_in_the_persons_language(admin_client):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = admin_client.get("/veterans/", {"q": "Ив\x00анов"})
    assert response.status_code == 400
    assert response.content.decode() == "q: символы NUL не допускаются"


def test_a_nul_in_a_form_is_refused_too(admin_client, moscow_veteran):
    response = admin_client.post(
        f"/veterans/{moscow_veteran.pk}/consents/give/", {"purpose": "contact\x00"}
    )
    assert response.status_code == 400
    assert response.content.decode() == "purpose: NUL characters are not allowed"


def test_a_huge_number_is_ignored_like_any_other_that_is_not_an_id(admin_client):
    assert admin_client.get("/vacancies/", {"occupation": HUGE}).status_code == 200
    assert admin_client.get("/veterans/", {"coordinator": HUGE}).status_code == 200
    assert admin_client.get("/veterans/", {"coordinator": "²"}).status_code == 200
