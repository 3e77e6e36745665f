"""Background work: rank occupations for everyone after the registry or the taxonomy changed
in bulk. Enqueued through Django's tasks framework; with the default immediate backend it
runs at once, in the process that enqueued it."""

from django.db import transaction
from django.tasks import task

from waypoint.orientation import services


@task
def orient_everyone() -> int:
    return services.orient_all()


def after_veterans_imported(sender, created: int, **kwargs) -> None:
    if created:
        orient_everyone.enqueue()


def after_taxonomy_activated(sender, taxonomy, **kwargs) -> None:
    # Suggestions are renewed first (people's receiver); rank once they are committed.
    transaction.on_commit(orient_everyone.enqueue)
