"""The demo world: a user for every role and synthetic veterans whose last eighteen months
every app tells the same way (people.demo_story)."""

from django.utils import translation

from waypoint.people.demo import DemoLogin


def build_world(*, seed: int = 2026, veterans: int = 300) -> tuple[list[DemoLogin], int]:
    """Builds the demo in the current (migrated, empty) database; returns the logins and how
    many veterans have ranked occupations. `waypoint demo` runs it, and so does the API fuzz."""
    from waypoint.appeals.demo import build_appeals_demo
    from waypoint.cases.deadlines import sweep
    from waypoint.cases.demo import build_cases_demo
    from waypoint.employment.demo import build_employment_demo
    from waypoint.leadership.demo import build_leadership_demo
    from waypoint.orientation.demo import build_orientation_demo
    from waypoint.people.demo import build_demo
    from waypoint.training.demo import build_training_demo
    from waypoint.wellbeing.demo import build_wellbeing_demo

    # The demo's staff work in Russian: what the services word as they write (a task's
    # title, a notice) is stored in Russian, as it would be.
    with translation.override("ru"):
        logins, people = build_demo(seed=seed, veterans=veterans)
        build_training_demo(people, seed=seed)
        build_employment_demo(people, seed=seed)
        oriented = build_orientation_demo(people, seed=seed)
        build_cases_demo(people, seed=seed)
        build_leadership_demo(seed=seed)
        build_appeals_demo(people, seed=seed)
        build_wellbeing_demo(people, seed=seed)
        sweep()  # overdue tasks marked, and their assignees told, as the worker would
    return logins, oriented
