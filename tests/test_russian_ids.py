import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from waypoint.kit.russian_ids import is_valid_inn, is_valid_ogrn, validate_inn, validate_ogrn


@pytest.mark.parametrize(
    "inn",
    ["7707083893", "7736207543", "500100732259", "7830002293"],  # Sberbank, Yandex, a person, …
)
def test_known_valid_inns(inn):
    assert is_valid_inn(inn)


@pytest.mark.parametrize(
    "inn", ["7707083894", "500100732258", "12345", "77070838931", "abcdefghij"]
)
def test_invalid_inns(inn):
    assert not is_valid_inn(inn)
    with pytest.raises(ValidationError, match="not a valid INN"):
        validate_inn(inn)


@pytest.mark.parametrize("ogrn", ["1027700132195", "1027739850962", "304500116000157"])
def test_known_valid_ogrns(ogrn):
    assert is_valid_ogrn(ogrn)


@pytest.mark.parametrize("ogrn", ["1027700132196", "30450011600015", "x027700132195"])
def test_invalid_ogrns(ogrn):
    assert not is_valid_ogrn(ogrn)
    with pytest.raises(ValidationError, match="not a valid OGRN"):
        validate_ogrn(ogrn)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_a_changed_digit_breaks_a_ten_digit_inn(stem):
    from waypoint.kit.russian_ids import _INN10, _check

    inn = stem + str(_check(stem, _INN10))
    assert is_valid_inn(inn)
    wrong = inn[:9] + str((int(inn[9]) + 1) % 10)
    assert not is_valid_inn(wrong)
