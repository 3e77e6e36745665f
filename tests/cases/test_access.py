"""cases.access alone decides who may see and do what with cases: the models carry no read
gate, and the other modules of the app hold no permission test of their own."""

import inspect

import pytest

from waypoint.cases import (
    api,
    casefile,
    casefile_api,
    casefile_views,
    referrals,
    selectors,
    services,
    uploads,
    views,
)
from waypoint.cases.models import Case, Document, Note, Referral, Task
from waypoint.cases.templatetags import cases as tags


@pytest.mark.parametrize(
    "module",
    [
        api,
        casefile_api,
        casefile_views,
        casefile,
        referrals,
        selectors,
        services,
        uploads,
        views,
        tags,
    ],
    ids=lambda module: module.__name__,
)
def test_no_module_but_access_holds_a_rule(module):
    source = inspect.getsource(module)
    assert "has_perm(" not in source
    assert "visible_to(user)" not in source.replace("_visible_to(user)", "")


@pytest.mark.parametrize("model", [Case, Task, Note, Document, Referral])
def test_the_read_gates_are_not_on_the_models(model):
    assert not hasattr(model.objects, "visible_to")
