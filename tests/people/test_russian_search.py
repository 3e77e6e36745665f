"""Search, intake and the duplicate check on Russian data as people type it: any case, ё or е,
and a phone in any of the common formats."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import make_veteran
from tests.people.test_intake import URL, form_data
from waypoint.kit.folding import fold
from waypoint.kit.phone import normalize_phone
from waypoint.people import selectors
from waypoint.people.models import Veteran


@pytest.mark.parametrize(
    "typed",
    [
        "+7 916 123-45-67",
        "8 (916) 123-45-67",
        "8-916-1234567",
        "89161234567",
        "7 916 1234567",
        "916 123 45 67",
        "(916) 123-45-67",
        "+7(916)123-45-67",
        "8\u00a0916\u00a0123\u201145\u201167",
    ],
)
def test_every_common_way_of_writing_a_russian_number_is_one_number(typed):
    assert normalize_phone(typed) == "+79161234567"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("(495) 123-45-67", "+74951234567"),
        ("+49 30 1234567", "+49301234567"),
        ("00 49 30 1234567", "+49301234567"),
        ("810 49 30 1234567", "+49301234567"),
        ("+375 29 123-45-67", "+375291234567"),
    ],
)
def test_landlines_and_foreign_numbers(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "rule"),
    [
        ("8 (916) 123-45-6", "10 digits after +7 or 8"),  # cut short: never guessed at
        ("380501234567", "start a foreign number with +"),
        ("+7 916 123-45-6", "11 digits"),
        ("8 916 ABC-45-67", "only digits"),
        ("1" * 41, "at most 40 characters"),
    ],
)
def test_a_number_that_is_none_of_them_is_refused_naming_the_rule(typed, rule):
    # The rule is read in English whatever language an earlier test left active.
    with translation.override("en"), pytest.raises(ValueError, match=re.escape(rule)):
        normalize_phone(typed)


def test_the_intake_form_takes_a_number_as_people_type_it(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse(URL)).content.decode()
    assert 'maxlength="16"' not in page
    client.post(reverse(URL), form_data(phone="8 (916) 123-45-67"))
    assert Veteran.objects.get().phone == "+79161234567"


@pytest.fixture
def registry(coordinator):
    return {
        "ivanov": make_veteran(coordinator=coordinator, last_name="Иванов", first_name="Пётр"),
        "sidorenko": make_veteran(
            coordinator=coordinator,
            last_name="СИДОРЕНКО",
            first_name="Семён",
            last_name_latin="Sidorenko",
            first_name_latin="Semen",
            phone="+79410000147",
        ),
    }


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("иванов", {"ivanov"}),
        ("ИВАНОВ", {"ivanov"}),
        ("Петр", {"ivanov"}),  # ё written as е
        ("пётр иванов", {"ivanov"}),
        ("сидоренко семен", {"sidorenko"}),
        ("+7 941 000-01-47", {"sidorenko"}),
        ("8 (941) 000-01-47", {"sidorenko"}),
        ("000-01-47", {"sidorenko"}),
        ("0147", {"sidorenko"}),
        ("сидоров", set()),
        ("semen", {"sidorenko"}),
    ],
)
def test_search_finds_people_as_they_are_typed(coordinator, registry, query, found):
    pks = set(selectors.veterans_for(coordinator, q=query).values_list("pk", flat=True))
    assert pks == {registry[name].pk for name in found}


def test_the_duplicate_check_compares_names_the_same_way(coordinator, registry):
    born = registry["ivanov"].birth_date
    for last, first in [("иванов", "петр"), ("ИВАНОВ", "ПЁТР"), (" Иванов ", "Пётр")]:
        found = selectors.find_duplicates(
            last_name=last, first_name=first, birth_date=born, phone=""
        )
        assert list(found) == [registry["ivanov"]]
    found = selectors.find_duplicates(
        last_name="", first_name="", birth_date=None, phone="8 (941) 000-01-47"
    )
    assert list(found) == [registry["sidorenko"]]


def test_a_renamed_record_is_found_by_its_new_name(coordinator, registry):
    veteran = registry["ivanov"]
    veteran.last_name = "Ёлкин"
    veteran.save(update_fields=["last_name"])
    veteran.refresh_from_db()
    assert veteran.identity_key == "елкин|петр"
    assert list(selectors.veterans_for(coordinator, q="елкин")) == [veteran]


def test_case_insensitive_lookups_fold_cyrillic_on_every_database(coordinator, registry):
    assert Veteran.objects.filter(last_name__iexact="сидоренко").count() == 1
    assert Veteran.objects.filter(first_name__icontains="СЕМЁН").count() == 1
    assert Veteran.objects.filter(last_name__istartswith="ив").count() == 1


def test_fold():
    assert fold("  Пётр   ИВАНОВ ") == "петр иванов"


def test_the_intake_form_starts_from_the_coordinators_region_and_sorts_by_name(client, coordinator):
    client.force_login(coordinator)
    client.cookies["django_language"] = "ru"
    page = client.get(reverse(URL))
    form = page.context["form"]
    assert form.initial["region"] == coordinator.organisation.region_id
    names = [region.name_ru for region in form.fields["region"].queryset]
    assert names[:-1] == sorted(names[:-1])
    assert names[-1] == "За рубежом"
    html = page.content.decode()
    # The form's first folded section, not the menu's (a <details> at phone width).
    form_start = html.index('id="main"')
    assert html.index('name="service-specialty"') < html.index("<details", form_start)
