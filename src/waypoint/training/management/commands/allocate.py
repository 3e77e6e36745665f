"""`waypoint allocate ROUND [--mode optimal|stable] [--dry-run] [--confirm --as USER]`."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from waypoint.accounts.models import User
from waypoint.training import allocation
from waypoint.training.models import AllocationRound


class Command(BaseCommand):
    help = (
        "Allocate the seats of a round's cohorts among the veterans who applied: a proposal "
        "a coordinator confirms (--confirm offers the seats)."
    )

    def add_arguments(self, parser):
        parser.add_argument("round", help="the round's name")
        parser.add_argument("--mode", choices=sorted(allocation.MODES), default="optimal")
        parser.add_argument(
            "--dry-run", action="store_true", help="print the proposal, keep nothing"
        )
        parser.add_argument("--confirm", action="store_true", help="offer the proposed seats")
        parser.add_argument("--as", dest="username", default="", help="who confirms")

    def handle(self, *args, round, mode, dry_run, confirm, username, **options):
        found = AllocationRound.objects.filter(name=round).first()
        if found is None:
            raise CommandError(f"no allocation round {round!r}")
        if confirm:
            actor = User.objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError("--confirm needs --as USERNAME of an active user")
            try:
                offered = allocation.confirm(actor=actor, round_=found)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from None
            self.stdout.write(f"{offered} seats offered in round {found.name}")
            return
        with transaction.atomic():
            proposal = allocation.run(found, mode)
            if dry_run:
                transaction.set_rollback(True)
        self.stdout.write(json.dumps(proposal, ensure_ascii=False, indent=2))
        self.stderr.write(
            f"{len(proposal['assigned'])} of {proposal['veterans']} veterans placed "
            f"({mode}, total fit {proposal['total_fit']}); "
            + ("dry run: nothing kept" if dry_run else "proposal kept: confirm with --confirm")
        )
