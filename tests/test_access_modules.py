"""Issue 19: each app's access.py alone decides who may see and do what. Outside those
modules no code tests a permission itself, and no model carries a read gate."""

import re
from pathlib import Path

import waypoint

SOURCE = Path(waypoint.__file__).parent
# Where has_perm may appear and why: the User model defines it; the audit export command
# builds the system's own viewer; the demo builder picks which made-up person acts.
ALLOWED = {
    "accounts/models.py",
    "audit/management/commands/export_audit.py",
    "leadership/demo.py",
}


def _modules():
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if "/migrations/" not in relative:
            yield relative, path.read_text(encoding="utf-8")


def test_only_access_modules_test_permissions():
    deciding = [
        relative
        for relative, text in _modules()
        if "has_perm(" in text and not relative.endswith("access.py") and relative not in ALLOWED
    ]
    assert deciding == []


def test_no_model_carries_a_read_gate():
    gated = [
        relative
        for relative, text in _modules()
        if relative.endswith("models.py") and re.search(r"def visible_to\(", text)
    ]
    assert gated == []


def test_every_app_with_rules_has_an_access_module():
    for app in (
        "accounts",
        "analytics",
        "appeals",
        "audit",
        "cases",
        "employment",
        "leadership",
        "orientation",
        "people",
        "shared",
        "taxonomy",
        "training",
        "wellbeing",
    ):
        assert (SOURCE / app / "access.py").is_file(), app
