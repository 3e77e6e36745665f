from decimal import Decimal

from django.utils import translation

from waypoint.kit.figures import figure


def test_figures_read_as_each_language_writes_them():
    with translation.override("ru"):
        assert figure(70000) == "70\xa0000"
        assert figure(Decimal("12345.5")) == "12\xa0345,5"
    with translation.override("en"):
        assert figure(70000) == "70,000"
        assert figure(12345.5) == "12,345.5"


def test_what_is_not_a_number_passes_unchanged():
    assert figure("<5") == "<5"
    assert figure(None) is None
    assert figure(True) is True
