"""The candidate pool is one pool in the shared cache: a process that did not build it reads
it from there, and a pool dropped from the cache is dropped for every process."""

import pytest

from tests.conftest import make_veteran
from waypoint.employment import matching
from waypoint.orientation.engine import engine_for
from waypoint.people.models import Consent

SHARING = (Consent.Purpose.PERSONAL_DATA, Consent.Purpose.SHARE_EMPLOYERS)


@pytest.fixture(autouse=True)
def fresh_pool(db):
    matching.forget()
    yield
    matching.forget()


def forget_this_process() -> None:
    """What a second process looks like: the same shared cache, none of this one's memory."""
    matching._pool.clear()


def test_another_process_reads_the_pool_instead_of_building_it(coordinator, monkeypatch):
    sharing = make_veteran(coordinator=coordinator, consents=SHARING)
    make_veteran(coordinator=coordinator)
    engine = engine_for()
    ids, _seekers = matching.candidate_pool(engine)
    assert ids == [sharing.pk]
    forget_this_process()

    def never(*_args, **_kwargs):
        raise AssertionError("the pool was rebuilt although the shared cache holds it")

    monkeypatch.setattr(matching, "seekers_for", never)
    again, seekers = matching.candidate_pool(engine)
    assert again == [sharing.pk]
    assert seekers.fit.shape[0] == 1


def test_a_pool_dropped_from_the_shared_cache_is_rebuilt_everywhere(coordinator):
    first = make_veteran(coordinator=coordinator, consents=SHARING)
    engine = engine_for()
    assert matching.candidate_pool(engine)[0] == [first.pk]
    stamp = matching._pool["pool"][0]
    matching.caches["default"].delete(matching.STAMP_KEY)  # another process invalidated it
    assert matching.candidate_pool(engine)[0] == [first.pk]
    assert matching._pool["pool"][0] != stamp  # this process did not keep its old copy


def test_a_new_consenting_veteran_is_in_the_next_pool(coordinator):
    first = make_veteran(coordinator=coordinator, consents=SHARING)
    engine = engine_for()
    assert matching.candidate_pool(engine)[0] == [first.pk]
    second = make_veteran(coordinator=coordinator, consents=SHARING)
    forget_this_process()
    assert matching.candidate_pool(engine)[0] == [first.pk, second.pk]
