"""Every answer carries the Content-Security-Policy and is never cached; templates stay
free of inline scripts and handlers, so the policy can stay strict."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.orientation.test_plans import prepare

TEMPLATES = Path(settings.PACKAGE_DIR)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def test_pages_carry_a_strict_policy(client, coordinator):
    client.force_login(coordinator)
    policy = _directives(client.get("/veterans/"))
    assert policy["script-src"].startswith("'self'")
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-eval" not in policy["script-src"]
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in policy["style-src"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/veterans/",
        "/veterans/{veteran}/",
        "/veterans/export.csv",
        "/veterans/{veteran}/plan.pdf?lang=ru",
        "/api/v1/veterans",
        "/api/v1/veterans/{veteran}",
        "/api/v1/veterans/{veteran}/plans/1/pdf?lang=ru",
        "/api/v1/no-such-thing",
        "/login/",
    ],
)
def test_nothing_personal_is_cached(client, coordinator, moscow_veteran, path):
    prepare(coordinator, moscow_veteran)
    client.force_login(coordinator)
    response = client.get(path.format(veteran=moscow_veteran.pk))
    assert "no-store" in response["Cache-Control"], path
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_static_files_may_be_cached(client, db):
    response = client.get("/static/web/waypoint.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_templates_have_no_inline_scripts_or_handlers():
    offenders = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        text = template.read_text()
        for pattern in (INLINE_HANDLER, INLINE_SCRIPT):
            offenders += [
                f"{template.relative_to(TEMPLATES)}: {m.group(0)}" for m in pattern.finditer(text)
            ]
    assert offenders == []
