"""A vocational school run by the `provider` persona's organisation, and one of its
programmes, for the training tests."""

import pytest

from waypoint.training import services
from waypoint.training.models import Provider


@pytest.fixture
def college(provider) -> Provider:
    return Provider.objects.create(
        organisation=provider.organisation,
        kind=Provider.Kind.VOCATIONAL_SCHOOL,
        licence_number="Л035-01234-77/00123456",
    )


@pytest.fixture
def programme(provider, college):
    from waypoint.regions.models import Region

    return services.save_programme(
        actor=provider,
        provider=college,
        values={
            "title": "Сварщик ручной дуговой сварки",
            "duration_weeks": 12,
            "format": "on_site",
            "region": Region.objects.get(code="77"),
            "payer": "fund",
        },
    )
