from django.core.management.base import BaseCommand, CommandError

from waypoint.accounts.models import User
from waypoint.accounts.services import issue_api_token


class Command(BaseCommand):
    help = "Issue an API bearer token for a user; it is printed once and stored only hashed."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="what the token is for")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        self.stdout.write(issue_api_token(actor=None, user=user, name=name))
