from pathlib import Path

from django.db import transaction

from waypoint.taxonomy.esco import parse_esco
from waypoint.taxonomy.models import Occupation, Skill, Taxonomy
from waypoint.taxonomy.onet import parse_onet
from waypoint.taxonomy.signals import taxonomy_activated
from waypoint.taxonomy.starter import CODE as STARTER_CODE
from waypoint.taxonomy.starter import parse_starter
from waypoint.taxonomy.writer import ImportSummary, Progress, write_release


def silent(step: str, count: int) -> None:
    return None


def import_esco(paths: list[Path], progress: Progress = silent) -> ImportSummary:
    """Read and check every file first, then write everything in one transaction."""
    release = parse_esco(paths)
    progress("files read", len(release.occupations) + len(release.skills))
    summary = write_release(release, progress)
    # ESCO replaces the bundled starter taxonomy for matching, never another import.
    active = Taxonomy.objects.filter(is_active=True).first()
    if active is None or active.code == STARTER_CODE:
        activate("esco")
    return summary


def import_onet(
    path: Path, skills: Path | None = None, progress: Progress = silent
) -> ImportSummary:
    release = parse_onet(path, skills)
    progress("files read", len(release.occupations))
    return write_release(release, progress)


def load_starter(progress: Progress = silent) -> ImportSummary:
    """The bundled starter taxonomy; active only while nothing else is."""
    return write_release(parse_starter(), progress)


def taxonomies_with_counts() -> list[tuple[Taxonomy, int, int]]:
    return [
        (
            taxonomy,
            Occupation.objects.filter(taxonomy=taxonomy).count(),
            Skill.objects.filter(taxonomy=taxonomy).count(),
        )
        for taxonomy in Taxonomy.objects.all()
    ]


def activate(code: str) -> Taxonomy:
    with transaction.atomic():
        taxonomy = Taxonomy.objects.select_for_update().filter(code=code).first()
        if taxonomy is None:
            raise ValueError(f"no taxonomy {code!r}; see `waypoint taxonomy list`")
        Taxonomy.objects.exclude(pk=taxonomy.pk).update(is_active=False)
        taxonomy.is_active = True
        taxonomy.save(update_fields=["is_active"])
    taxonomy_activated.send(sender=Taxonomy, taxonomy=taxonomy)
    return taxonomy
