"""Taxonomy imports and activation are writes like any other: each is in the audit log, in
the transaction that makes it, with who, which release and how many concepts."""

import pytest
from django.core.management import call_command

from tests.taxonomy import esco_fixture as fx
from tests.taxonomy.test_importers import write_onet
from waypoint.audit.models import AuditEvent
from waypoint.taxonomy import services
from waypoint.taxonomy.models import Taxonomy
from waypoint.taxonomy.sources import SourceError


@pytest.fixture
def release(tmp_path):
    return [fx.write_language_pack(tmp_path / "en"), fx.write_relations_pack(tmp_path / "rel")]


def test_an_import_is_audited_with_the_release_and_its_counts(db, admin, release):
    summary = services.import_esco(release, actor=admin)
    esco = Taxonomy.objects.get(code="esco")
    event = AuditEvent.objects.get(action="taxonomy.import")
    assert (event.actor, event.subject_type, event.subject_id) == (
        admin,
        "taxonomy.taxonomy",
        str(esco.pk),
    )
    assert event.changes["release"] == [None, f"esco {esco.version}".strip()]
    assert event.changes["occupations"] == [None, summary.occupations]
    assert event.changes["skills"] == [None, summary.skills]
    assert event.changes["created"] == [None, summary.created]
    # ESCO takes over from the starter taxonomy: that activation is audited too.
    activation = AuditEvent.objects.get(action="taxonomy.activate")
    assert activation.actor == admin
    assert activation.changes["replaces"] == [None, ["starter"]]
    assert activation.changes["is_active"] == [False, True]


def test_activation_from_the_command_line_is_audited(db, release, tmp_path):
    services.import_esco(release)
    services.import_onet(write_onet(tmp_path / "onet"))
    assert AuditEvent.objects.filter(action="taxonomy.import").count() == 2
    call_command("taxonomy", "activate", "onet")
    event = AuditEvent.objects.filter(action="taxonomy.activate").latest("id")
    onet = Taxonomy.objects.get(code="onet")
    assert (event.actor, event.actor_username, event.subject_id) == (None, "", str(onet.pk))
    assert event.changes["replaces"] == [None, ["esco"]]
    assert event.changes["occupations"] == [None, 2]


def test_a_refused_import_writes_no_event(db, tmp_path):
    (tmp_path / "onet").mkdir()
    with pytest.raises(SourceError):
        services.import_onet(tmp_path / "onet")
    assert not AuditEvent.objects.filter(subject_type="taxonomy.taxonomy").exists()


def test_the_starter_reload_is_audited_but_not_the_one_after_migrate(db):
    # migrate loaded the starter taxonomy before this test, unaudited
    assert not AuditEvent.objects.filter(action="taxonomy.import").exists()
    call_command("taxonomy", "load-starter")
    event = AuditEvent.objects.get(action="taxonomy.import")
    assert event.changes["created"] == [None, 0]
    assert event.changes["release"][1].startswith("starter")
