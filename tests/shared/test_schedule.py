from datetime import timedelta
from io import StringIO

import grimp
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waypoint.shared import schedule


def test_the_apps_declare_their_periodic_jobs(settings):
    jobs = {job.name: job for job in schedule.discover()}
    every_minute = timedelta(minutes=1)

    assert {name for name, job in jobs.items() if job.when == schedule.SWEEP} == {
        "waypoint.cases.tasks.sweep_deadlines",
        "waypoint.wellbeing.tasks.escalate_alerts",
        "waypoint.people.tasks.tidy_imports",
    }
    assert [name for name, job in jobs.items() if job.when == schedule.DAILY] == [
        "waypoint.cases.tasks.send_daily_digest"
    ]
    warm = jobs["waypoint.analytics.tasks.warm_dashboards"]
    settings.WAYPOINT_ANALYTICS_REFRESH_MINUTES = 15
    assert schedule.period(warm, every_minute) == timedelta(minutes=15)
    settings.WAYPOINT_ANALYTICS_REFRESH_MINUTES = 0
    assert schedule.period(warm, every_minute) is None
    sweep = jobs["waypoint.cases.tasks.sweep_deadlines"]
    assert schedule.period(sweep, every_minute) == every_minute
    assert schedule.period(jobs["waypoint.cases.tasks.send_daily_digest"], every_minute) is None


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--interval=0", "--interval must be at least 1"),
        ("--digest-at=noon", "--digest-at"),
        ("--lease=1", "--lease must be at least 3"),
    ],
)
def test_the_worker_refuses_bad_options(option, message):
    with pytest.raises(CommandError, match=message):
        call_command("worker", "--once", option, stdout=StringIO())


def test_shared_imports_no_domain_app():
    """The apps register with the schedule and call notifications; nothing here names them."""
    graph = grimp.build_graph("waypoint")
    domain = ["cases", "wellbeing", "people", "analytics", "employment", "orientation"]

    for app in domain:
        assert not graph.chain_exists(
            importer="waypoint.shared", imported=f"waypoint.{app}", as_packages=True
        ), app
