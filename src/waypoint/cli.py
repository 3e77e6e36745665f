"""`waypoint COMMAND ...`: every Django management command, with dashes allowed in its name.

`waypoint manage COMMAND ...` is the same. `waypoint demo` runs on its own SQLite database
with the development settings, so it never touches a real one.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "manage":
        args = args[1:]
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    if args and args[0] == "demo":
        _use_demo_environment()
    if args[:2] == ["wellbeing", "score"]:
        # Scoring is pure: it needs no settings, so it works before any configuration.
        from waypoint.wellbeing.scorecli import main as score

        sys.exit(score(args[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["waypoint", *args])


def _use_demo_environment() -> None:
    import platformdirs

    home = os.environ.get("WAYPOINT_HOME") or platformdirs.user_data_dir("waypoint")
    os.makedirs(home, exist_ok=True)
    os.environ["WAYPOINT_HOME"] = home
    os.environ["WAYPOINT_DEBUG"] = "1"
    os.environ["DATABASE_URL"] = "sqlite:///" + os.path.join(home, "demo.sqlite3")


if __name__ == "__main__":
    main()
