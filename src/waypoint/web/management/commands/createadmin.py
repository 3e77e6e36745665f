import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from waypoint.accounts.models import Organisation
from waypoint.accounts.services import create_user


class Command(BaseCommand):
    help = (
        "Create an administrator. The password is asked for, or read from "
        "WAYPOINT_ADMIN_PASSWORD for scripts."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--organisation", default="", help="name of the administering body")
        parser.add_argument("--region", default="77", help="its region code")

    def handle(self, *args, username, email, organisation, region, **options):
        password = os.environ.get("WAYPOINT_ADMIN_PASSWORD") or self._ask()
        home = None
        if organisation:
            home, _created = Organisation.objects.get_or_create(
                name=organisation,
                region_id=region,
                defaults={"kind": Organisation.Kind.FUND_BRANCH},
            )
        try:
            from django.contrib.auth.password_validation import validate_password

            validate_password(password)
            create_user(
                actor=None,
                username=username,
                password=password,
                role_codes=["administrator"],
                organisation=home,
                scope="all",
                email=email,
                is_staff=True,
                is_superuser=True,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"Administrator {username} created.")

    @staticmethod
    def _ask() -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise CommandError("the two passwords differ")
        return first
