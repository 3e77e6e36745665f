"""The demo world: a user for every role and synthetic veterans with records in every app."""

from waypoint.people.demo import DemoLogin


def build_world(*, seed: int = 2026, veterans: int = 300) -> tuple[list[DemoLogin], int]:
    """Builds the demo in the current (migrated, empty) database; returns the logins and how
    many veterans have ranked occupations. `waypoint demo` runs it, and so does the API fuzz."""
    from waypoint.appeals.demo import build_appeals_demo
    from waypoint.cases.demo import build_cases_demo
    from waypoint.employment.demo import build_employment_demo
    from waypoint.leadership.demo import build_leadership_demo
    from waypoint.orientation.services import orient_all
    from waypoint.people.demo import build_demo
    from waypoint.training.demo import build_training_demo
    from waypoint.wellbeing.demo import build_wellbeing_demo

    logins = build_demo(seed=seed, veterans=veterans)
    build_training_demo(seed=seed)
    build_employment_demo(seed=seed)
    build_leadership_demo(seed=seed)
    build_cases_demo(seed=seed)
    build_appeals_demo(seed=seed)
    build_wellbeing_demo(seed=seed)
    return logins, orient_all()
