"""appeals.access alone decides who may see and do what with appeals: the model carries no
read gate, and the other modules of the app hold no permission test of their own."""

import inspect

import pytest

from waypoint.appeals import admin, api, demo, selectors, services, views
from waypoint.appeals.models import Appeal


@pytest.mark.parametrize(
    "module", [admin, api, demo, selectors, services, views], ids=lambda module: module.__name__
)
def test_no_module_but_access_holds_a_rule(module):
    assert "has_perm(" not in inspect.getsource(module)


def test_the_read_gate_is_not_on_the_model():
    assert not hasattr(Appeal.objects, "visible_to")
