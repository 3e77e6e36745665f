from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

from tests.conftest import make_user
from waypoint.shared import notifications
from waypoint.shared.access import notifications_visible_to
from waypoint.shared.models import Notification
from waypoint.shared.notifications import Notice


@pytest.fixture
def colleague(moscow_branch):
    return make_user("coordinator", moscow_branch)


def test_a_notice_is_given_once_per_person_and_key(coordinator, colleague):
    first = notifications.notify(
        [coordinator, colleague.pk], kind="referral", text="A referral", url="/r/1/", key="r:1"
    )
    again = notifications.notify([coordinator], kind="referral", text="Changed", key="r:1")

    assert (first, again) == (2, 0)
    notice = Notification.objects.get(user=coordinator)
    assert (notice.kind, notice.text, notice.url, notice.key) == (
        "referral",
        "A referral",
        "/r/1/",
        "r:1",
    )
    assert notice.read_at is None


def test_send_writes_many_notices_with_their_moment_and_cuts_long_texts(coordinator):
    at = timezone.now() - timedelta(hours=3)
    written = notifications.send(
        [Notice(coordinator.pk, "overdue", "x" * 500, "/c/", f"overdue:{n}") for n in range(3)],
        at=at,
    )

    assert written == 3
    assert {len(n.text) for n in Notification.objects.all()} == {300}
    assert {n.created_at for n in Notification.objects.all()} == {at}
    assert notifications.already_notified("overdue:1", [coordinator.pk, 0]) == {coordinator.pk}


def test_each_person_reads_and_marks_only_their_own(coordinator, colleague):
    notifications.notify([coordinator, colleague], kind="k", text="t", key="a")
    notifications.notify([coordinator], kind="k", text="t", key="b")
    theirs = Notification.objects.get(user=colleague)

    assert set(notifications_visible_to(coordinator).values_list("key", flat=True)) == {"a", "b"}
    assert not notifications_visible_to(AnonymousUser()).exists()
    assert notifications.mark_read(actor=coordinator, pk=theirs.pk) == 0
    assert notifications.unread_count(coordinator) == 2
    assert notifications.mark_read(actor=coordinator) == 2
    assert notifications.unread_count(coordinator) == 0
    assert notifications.unread_count(colleague) == 1


@pytest.mark.django_db
def test_the_model_moved_without_its_table():
    """shared.Notification reads and writes the table cases created: no data was moved."""
    assert Notification._meta.app_label == "shared"
    assert Notification._meta.db_table == "cases_notification"
    assert "cases_notification" in connection.introspection.table_names()
    assert not any(
        model.__name__ == "Notification" for model in apps.get_app_config("cases").get_models()
    )
