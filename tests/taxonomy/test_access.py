"""taxonomy.access: occupations and skills are reference data for everyone signed in; the
veterans holding an occupation are listed only to staff who read the registry."""

from django.contrib.auth.models import AnonymousUser

from waypoint.taxonomy import access


def test_reference_data_for_everyone_signed_in(employer, veteran_user):
    for user in (employer, veteran_user):
        assert access.occupations_visible_to(user).exists()
        assert access.skills_visible_to(user).exists()
    assert not access.occupations_visible_to(AnonymousUser()).exists()
    assert not access.skills_visible_to(AnonymousUser()).exists()


def test_veterans_of_an_occupation_only_with_registry_access(coordinator, employer):
    assert access.may_list_veterans_of_occupation(coordinator)
    assert not access.may_list_veterans_of_occupation(employer)
