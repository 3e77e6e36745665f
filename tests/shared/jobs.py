"""A task for the worker tests: it sleeps, then appends its number to a ledger file, so a test
can count how many times each job ran to completion (and which process started it)."""

import os
import time
from pathlib import Path

from django.tasks import task

from waypoint.shared.schedule import QUEUE_BACKEND


@task(backend=QUEUE_BACKEND)
def record(number: int, seconds: float) -> int:
    ledger = Path(os.environ["WAYPOINT_TEST_LEDGER"])
    (ledger.parent / f"started-{number}-{os.getpid()}").touch()
    time.sleep(seconds)
    with ledger.open("a") as lines:
        lines.write(f"{number}\n")
    return number
