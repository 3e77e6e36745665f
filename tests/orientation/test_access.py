"""Who sees a veteran's orientation: one rule, asked by the orientation pages, the plan, the
API and the registry's record page alike."""

from waypoint.orientation.access import may_decide, may_run, may_see_orientation, sees_numbers


def test_staff_who_read_orientation_and_the_veteran_themself_see_it(
    coordinator, operator, veteran_user, own_veteran, moscow_veteran
):
    assert may_see_orientation(coordinator, moscow_veteran)
    assert may_see_orientation(veteran_user, own_veteran)
    assert not may_see_orientation(veteran_user, moscow_veteran)
    assert sees_numbers(coordinator, own_veteran)
    assert not sees_numbers(veteran_user, own_veteran)


def test_acting_needs_the_permission_and_the_record_or_being_the_veteran(
    coordinator, other_coordinator, veteran_user, own_veteran, moscow_veteran
):
    assert may_run(coordinator, moscow_veteran)
    assert may_decide(coordinator, moscow_veteran)
    assert not may_run(other_coordinator, moscow_veteran)
    assert may_run(veteran_user, own_veteran)
    assert not may_decide(veteran_user, moscow_veteran)


def test_the_record_page_links_orientation_only_for_those_who_may_see_it(
    client, coordinator, operator, moscow_veteran
):
    link = f"/veterans/{moscow_veteran.pk}/orientation/"
    for person, shown in ((coordinator, True), (operator, False)):
        client.force_login(person)
        page = client.get(f"/veterans/{moscow_veteran.pk}/")
        assert page.status_code == 200
        assert (link in page.content.decode()) is shown, person
