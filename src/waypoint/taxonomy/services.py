"""Taxonomy writes: importing a release and choosing the one used for matching. Each is in
the audit log in the transaction that makes it (who, which release, how many concepts); the
commands run them with no signed-in actor."""

from dataclasses import asdict
from pathlib import Path

from django.db import transaction

from waypoint.audit.services import record
from waypoint.taxonomy.esco import parse_esco
from waypoint.taxonomy.models import Occupation, Skill, Taxonomy
from waypoint.taxonomy.okz import name_isco_groups
from waypoint.taxonomy.onet import parse_onet
from waypoint.taxonomy.russian import refresh, refresh_all
from waypoint.taxonomy.signals import taxonomy_activated
from waypoint.taxonomy.starter import CODE as STARTER_CODE
from waypoint.taxonomy.starter import parse_starter
from waypoint.taxonomy.writer import ImportSummary, Progress, write_release


def silent(step: str, count: int) -> None:
    return None


def import_esco(paths: list[Path], progress: Progress = silent, *, actor=None) -> ImportSummary:
    """Read and check every file first, then write everything in one transaction."""
    release = parse_esco(paths)
    progress("files read", len(release.occupations) + len(release.skills))
    with transaction.atomic():
        summary = write_release(release, progress)
        _name_in_russian(release.code, progress)
        _audit_import(actor, release.code, summary)
    # ESCO replaces the bundled starter taxonomy for matching, never another import.
    active = Taxonomy.objects.filter(is_active=True).first()
    if active is None or active.code == STARTER_CODE:
        activate("esco", actor=actor)
    return summary


def import_onet(
    path: Path, skills: Path | None = None, progress: Progress = silent, *, actor=None
) -> ImportSummary:
    release = parse_onet(path, skills)
    progress("files read", len(release.occupations))
    with transaction.atomic():
        summary = write_release(release, progress)
        _name_in_russian(release.code, progress)
        _audit_import(actor, release.code, summary)
    return summary


def load_starter(progress: Progress = silent, *, actor=None, audited: bool = True) -> ImportSummary:
    """The bundled starter taxonomy; active only while nothing else is. Its Russian labels
    are carried over to every other taxonomy (taxonomy.russian). After every migrate it is
    brought in step with the installed package unaudited, like the migrations themselves;
    a reload asked for on the command line is audited."""
    with transaction.atomic():
        summary = write_release(parse_starter(), progress)
        counts = refresh_all()
        if audited:
            _audit_import(actor, STARTER_CODE, summary)
    progress("concepts named in Russian", _named(counts.get(STARTER_CODE, {})))
    return summary


def _audit_import(actor, code: str, summary: ImportSummary) -> None:
    taxonomy = Taxonomy.objects.get(code=code)
    counts = {name: value for name, value in asdict(summary).items() if name != "taxonomy"}
    record(
        actor=actor,
        action="taxonomy.import",
        subject=taxonomy,
        changes={
            "release": [None, f"{taxonomy.code} {taxonomy.version}".strip()],
            "source": [None, taxonomy.source],
            **{name: [None, value] for name, value in counts.items()},
        },
    )


def _named(counts: dict) -> int:
    return sum(n for tally in counts.values() for source, n in tally.items() if source)


def _name_in_russian(code: str, progress: Progress) -> None:
    taxonomy = Taxonomy.objects.get(code=code)
    name_isco_groups()
    progress("concepts named in Russian", _named(refresh(taxonomy)))


def taxonomies_with_counts() -> list[tuple[Taxonomy, int, int]]:
    return [
        (
            taxonomy,
            Occupation.objects.filter(taxonomy=taxonomy).count(),
            Skill.objects.filter(taxonomy=taxonomy).count(),
        )
        for taxonomy in Taxonomy.objects.all()
    ]


def activate(code: str, *, actor=None) -> Taxonomy:
    with transaction.atomic():
        taxonomy = Taxonomy.objects.select_for_update().filter(code=code).first()
        if taxonomy is None:
            raise ValueError(f"no taxonomy {code!r}; see `waypoint taxonomy list`")
        previous = list(
            Taxonomy.objects.filter(is_active=True)
            .exclude(pk=taxonomy.pk)
            .values_list("code", flat=True)
        )
        Taxonomy.objects.exclude(pk=taxonomy.pk).update(is_active=False)
        was_active = taxonomy.is_active
        taxonomy.is_active = True
        taxonomy.save(update_fields=["is_active"])
        refresh(taxonomy)  # the starter taxonomy may have changed since the import
        record(
            actor=actor,
            action="taxonomy.activate",
            subject=taxonomy,
            changes={
                "is_active": [was_active, True],
                "release": [None, f"{taxonomy.code} {taxonomy.version}".strip()],
                "replaces": [None, previous],
                "occupations": [None, Occupation.objects.filter(taxonomy=taxonomy).count()],
                "skills": [None, Skill.objects.filter(taxonomy=taxonomy).count()],
            },
        )
    taxonomy_activated.send(sender=Taxonomy, taxonomy=taxonomy)
    return taxonomy
