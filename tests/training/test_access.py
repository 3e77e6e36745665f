"""training.access: the catalogue's gate, the enrolments each side sees, and whose step each
move of an enrolment is; the pages and the API answer alike."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tests.conftest import make_organisation, make_user, make_veteran
from waypoint.accounts.models import Organisation
from waypoint.people.models import Consent
from waypoint.training import access, services

START = timezone.localdate() + timedelta(days=30)


@pytest.fixture
def enrolment(coordinator, provider, programme):
    cohort = services.add_cohort(actor=provider, programme=programme, start_date=START, seats=3)
    veteran = make_veteran(
        coordinator=coordinator,
        consents=(Consent.Purpose.PERSONAL_DATA, Consent.Purpose.SHARE_TRAINING),
    )
    return services.enrol(actor=coordinator, veteran=veteran, cohort=cohort)


def test_the_catalogue_needs_the_permission(provider, programme, employer):
    assert programme in access.programmes_visible_to(provider)
    assert not access.programmes_visible_to(AnonymousUser()).exists()
    assert not access.programmes_visible_to(employer).exists()


def test_each_side_sees_its_enrolments(enrolment, provider, coordinator, other_coordinator):
    assert enrolment in access.enrolments_visible_to(provider)
    assert enrolment in access.enrolments_visible_to(coordinator)
    assert enrolment not in access.enrolments_visible_to(other_coordinator)


def test_steps_belong_to_their_side(enrolment, provider, coordinator):
    assert access.may_move(coordinator, enrolment, "applied")
    assert not access.may_move(provider, enrolment, "applied")
    assert access.may_move(provider, enrolment, "offered")
    assert not access.may_move(coordinator, enrolment, "offered")


def test_another_providers_staff_manage_nothing_here(college, programme):
    other = make_user(
        "training_provider_staff",
        make_organisation(name="Другой колледж", kind=Organisation.Kind.TRAINING_PROVIDER),
    )
    assert access.provider_of(other) is None
    assert not access.is_provider_staff(other, college)
    assert not access.may_manage_programmes_of(other, college)
