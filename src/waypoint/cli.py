"""`waypoint COMMAND ...`: every Django management command, with dashes allowed in its name.

`waypoint manage COMMAND ...` is the same. `waypoint demo` runs on its own SQLite database
with the development settings, so it never touches a real one, and `waypoint --demo COMMAND`
runs any other command on that demo database (`waypoint --demo report monthly`).

`waypoint`, `waypoint --help` and `waypoint help` list Waypoint's own commands; help needs no
configuration, and a missing setting is one line naming it, not a traceback.
"""

import os
import sys
import textwrap
from pathlib import Path

HELP_REQUESTS = {"-h", "--help", "help"}
USAGE = """Usage: waypoint [--demo] COMMAND [ARGUMENTS]   (waypoint COMMAND --help for one command)

  --demo   run COMMAND on the demo's database (the one `waypoint demo` builds) with the
           development settings, e.g. `waypoint --demo report monthly`

Waypoint's commands:
"""


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "manage":
        args = args[1:]
    demo = bool(args) and args[0] == "--demo"
    if demo:
        args = args[1:]
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    if demo or (args and args[0] == "demo"):
        _use_demo_environment()
    if args[:2] == ["wellbeing", "score"]:
        # Scoring is pure: it needs no settings, so it works before any configuration.
        from waypoint.wellbeing.scorecli import main as score

        sys.exit(score(args[2:]))
    if not args or set(args) & HELP_REQUESTS:
        # Help runs nothing: the development settings are enough to print it.
        os.environ.setdefault("WAYPOINT_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        if not args or args in (["--help"], ["-h"], ["help"]):
            _print_usage()
            return
        from django.core.management import execute_from_command_line

        execute_from_command_line(["waypoint", *args])
    except ImproperlyConfigured as exc:
        sys.exit(f"waypoint: {exc}")


def _print_usage() -> None:
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    commands = get_commands()
    ours = sorted(name for name, app in commands.items() if app.startswith("waypoint."))
    lines = [USAGE]
    for name in ours:
        command = load_command_class(commands[name], name)
        summary = " ".join(str(command.help).split()).split(". ")[0].rstrip(".")
        lines.append(
            textwrap.fill(
                summary,
                width=100,
                initial_indent=f"  {name.replace('_', '-'):<18} ",
                subsequent_indent=" " * 21,
            )
        )
    lines.append(
        "\nDjango's own commands (migrate, createsuperuser, shell, ...): waypoint help --commands"
    )
    print("\n".join(lines))


def _use_demo_environment() -> None:
    import platformdirs

    home = os.environ.get("WAYPOINT_HOME") or platformdirs.user_data_dir("waypoint")
    os.makedirs(home, exist_ok=True)
    os.environ["WAYPOINT_HOME"] = home
    os.environ["WAYPOINT_DEBUG"] = "1"
    os.environ["DATABASE_URL"] = "sqlite:///" + str(Path(home) / "demo.sqlite3")


if __name__ == "__main__":
    main()
