"""employment.access alone decides who may see and do what in the job pipeline, and how an
employer sees a candidate: the other modules of the app hold no permission test of their own."""

import inspect

import pytest

from waypoint.employment import api, selectors, services, views
from waypoint.employment.templatetags import employment as tags


@pytest.mark.parametrize(
    "module", [api, selectors, services, views, tags], ids=lambda module: module.__name__
)
def test_no_module_but_access_holds_a_rule(module):
    source = inspect.getsource(module)
    assert "has_perm(" not in source
    assert "hiring_profile(" not in source
