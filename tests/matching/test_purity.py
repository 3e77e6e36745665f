"""The numeric core loads without Django or any other part of Waypoint: the import contract
checks the source, this checks what a fresh interpreter actually imports."""

import json
import pkgutil
import subprocess
import sys

import waypoint.matching

PROBE = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted(sys.modules)))
"""


def test_the_core_imports_neither_django_nor_the_rest_of_waypoint() -> None:
    modules = [
        f"waypoint.matching.{info.name}"
        for info in pkgutil.iter_modules(waypoint.matching.__path__)
    ]
    assert "waypoint.matching.jobs" in modules
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, *modules],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": ":".join(sys.path)},
    )
    loaded = json.loads(probe.stdout)
    outside = [
        name
        for name in loaded
        if name.split(".")[0] == "django"
        or (name.startswith("waypoint.") and not name.startswith("waypoint.matching"))
    ]
    assert outside == []
