"""The case-records part of the permission matrix's world, built for the cases module's rows:
on the Moscow veteran's case, a note and a document `coordinator` wrote for everyone with
access to the case, a referral to the `employer` persona's company (the veteran agreed to
share their profile with employers), a Moscow employment centre to refer to, and a second
Moscow coordinator to transfer to or hand a caseload to."""

from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import make_organisation, make_user
from waypoint.accounts.models import Organisation, User
from waypoint.cases import casefile, referrals
from waypoint.cases.models import Case

PDF = b"%PDF-1.7\n%%EOF\n"


def casefile_world(persona: Callable[[str], User], world: dict) -> dict:
    """`persona(name)` gives the persona `name` (a fixture, or one of a module's world)."""
    coordinator = persona("coordinator")
    employer = persona("employer")
    moscow_branch = coordinator.organisation
    case = Case.objects.get(pk=world["case"])
    note = casefile.add_note(actor=coordinator, case=case, text="Позвонил", visibility="case")
    document = casefile.upload_document(
        actor=coordinator,
        case=case,
        upload=SimpleUploadedFile("справка.pdf", PDF),
        visibility="case",
    )
    referral = referrals.refer(
        actor=coordinator, case=case, receiver=employer.organisation, purpose="Водитель"
    )
    centre = make_organisation(
        name="Employment centre, Moscow", kind=Organisation.Kind.EMPLOYMENT_CENTRE
    )
    return {
        "rec_note": note.pk,
        "rec_document": document.pk,
        "rec_referral": referral.pk,
        "rec_receiver": centre.pk,
        "rec_coordinator": make_user("coordinator", moscow_branch).pk,
        "rec_leaving": coordinator.pk,
    }
