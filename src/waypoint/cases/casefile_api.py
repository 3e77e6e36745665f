"""/api/v1/cases/{id}/notes, /documents, /timeline, /referrals, /transfer and /api/v1/referrals:
a case's records, referrals sent and received, and transfers."""

import io
from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from waypoint.accounts.access import requires, signed_in
from waypoint.accounts.models import Organisation, User
from waypoint.cases import access, casefile, referrals, selectors, uploads
from waypoint.cases.models import Note, Referral, Visibility
from waypoint.kit.api import MAX_PAGE, Id, Schema, file_answer
from waypoint.regions.models import Region

router = Router(tags=["case records"])


class NoteIn(Schema):
    text: str
    visibility: str = Visibility.TEAM


class NotePatch(Schema):
    text: str | None = None
    visibility: str | None = None


class NoteOut(Schema):
    id: int
    case_id: int
    author_id: int
    author: str
    text: str
    visibility: str
    created_at: datetime
    edited_at: datetime | None
    editable_until: datetime

    @staticmethod
    def resolve_author(note) -> str:
        return str(note.author)


class DocumentOut(Schema):
    id: int
    case_id: int
    author_id: int
    title: str
    filename: str
    kind: str
    content_type: str
    size: int
    sha256: str
    visibility: str
    created_at: datetime

    @staticmethod
    def resolve_content_type(document) -> str:
        return uploads.CONTENT_TYPES[document.kind]


class EntryOut(Schema):
    at: datetime
    kind: str
    label: str
    actor: str
    detail: str
    note_id: int | None
    document_id: int | None

    @staticmethod
    def resolve_note_id(entry) -> int | None:
        return entry.note.pk if entry.note else None

    @staticmethod
    def resolve_document_id(entry) -> int | None:
        return entry.document.pk if entry.document else None


class ReferralIn(Schema):
    receiver_id: Id
    purpose: str


class ReferralOut(Schema):
    """The sending side's view of a referral."""

    id: int
    case_id: int
    receiver_id: int
    receiver: str
    purpose: str
    consent_id: int
    consent_purpose: str
    task_id: int | None
    status: str
    due_at: datetime
    created_at: datetime
    created_by_id: int | None
    answered_at: datetime | None
    answered_by_id: int | None
    reason: str
    late: bool

    @staticmethod
    def resolve_receiver(referral) -> str:
        return referral.receiver.name

    @staticmethod
    def resolve_late(referral) -> bool:
        return referral.is_late


class ReceivedReferralOut(Schema):
    """What a receiving organisation learns: the veteran's name and the purpose, and who
    refers — nothing else of the case."""

    id: int
    veteran: str
    purpose: str
    referred_by: str
    referring_organisation: str
    receiver_id: int
    status: str
    due_at: datetime
    created_at: datetime
    answered_at: datetime | None
    reason: str
    late: bool

    @staticmethod
    def resolve_veteran(referral) -> str:
        return referral.case.veteran.full_name

    @staticmethod
    def resolve_referred_by(referral) -> str:
        return str(referral.created_by) if referral.created_by_id else ""

    @staticmethod
    def resolve_referring_organisation(referral) -> str:
        return referral.case.organisation.name

    @staticmethod
    def resolve_late(referral) -> bool:
        return referral.is_late


class DeclineIn(Schema):
    reason: str


class TransferIn(Schema):
    coordinator_id: Id
    region: str | None = None


class TransferOut(Schema):
    id: int
    coordinator_id: int | None
    organisation_id: int
    region: str

    @staticmethod
    def resolve_region(case) -> str:
        return case.region_id


def _case(request, case_id: int):
    case = selectors.case_for(request.user, case_id)
    if case is None:
        raise Http404("no such case")
    return case


# --- notes ----------------------------------------------------------------------------------


@router.get("/cases/{case_id}/notes", response=list[NoteOut], summary="Notes you may read")
@requires(access.VIEW)
@paginate
def note_list(request, case_id: Id):
    return casefile.notes_for(request.user, _case(request, case_id))


@router.post("/cases/{case_id}/notes", response={201: NoteOut}, summary="Add a note")
@requires(access.VIEW)
def note_create(request, case_id: Id, payload: NoteIn):
    case = _case(request, case_id)
    note = casefile.add_note(
        actor=request.user, case=case, text=payload.text, visibility=payload.visibility
    )
    return Status(201, note)


@router.patch(
    "/cases/{case_id}/notes/{note_id}",
    response=NoteOut,
    summary="Correct your note (within ten minutes of writing it)",
)
@requires(access.VIEW)
def note_edit(request, case_id: Id, note_id: Id, payload: NotePatch):
    note: Note | None = (
        casefile.notes_for(request.user, _case(request, case_id)).filter(pk=note_id).first()
    )
    if note is None:
        raise Http404("no such note")
    return casefile.edit_note(
        actor=request.user, note=note, text=payload.text, visibility=payload.visibility
    )


# --- documents ------------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/documents", response=list[DocumentOut], summary="Documents you may read"
)
@requires(access.VIEW)
@paginate
def document_list(request, case_id: Id):
    return casefile.documents_for(request.user, _case(request, case_id))


@router.post(
    "/cases/{case_id}/documents",
    response={201: DocumentOut},
    summary="Upload a document (multipart: file, title, visibility)",
)
@requires(access.VIEW)
def document_upload(
    request,
    case_id: Id,
    file: File[UploadedFile | None] = None,
    title: Form[str] = "",
    visibility: Form[str] = Visibility.TEAM,
):
    case = _case(request, case_id)
    document = casefile.upload_document(
        actor=request.user, case=case, upload=file, title=title, visibility=visibility
    )
    return Status(201, document)


@router.get(
    "/cases/{case_id}/documents/{document_id}",
    summary="Download a document (every download is recorded)",
    response={200: None},
    openapi_extra=file_answer(
        *uploads.CONTENT_TYPES.values(), description="The file, in the type it was uploaded as"
    ),
)
@requires(access.VIEW)
def document_download(request, case_id: Id, document_id: Id):
    document = casefile.document_for(request.user, _case(request, case_id), document_id)
    if document is None:
        raise Http404("no such document")
    content = casefile.read_document(actor=request.user, document=document)
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=document.filename,
        content_type=uploads.CONTENT_TYPES[document.kind],
    )
    return response


# --- timeline -------------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/timeline",
    response=list[EntryOut],
    summary="Everything that happened to the case, newest first",
)
@requires(access.VIEW)
def case_timeline(request, case_id: Id, limit: int = Query(100, ge=1, le=MAX_PAGE)):
    return casefile.timeline(request.user, _case(request, case_id), limit=limit)


# --- referrals ------------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/referrals", response=list[ReferralOut], summary="The case's referrals"
)
@requires(access.VIEW)
def case_referrals(request, case_id: Id):
    return list(referrals.referrals_of(request.user, _case(request, case_id)))


@router.post(
    "/cases/{case_id}/referrals",
    response={201: ReferralOut},
    summary="Refer the case to another organisation (the veteran's consent is checked)",
)
@requires(access.MANAGE)
def referral_create(request, case_id: Id, payload: ReferralIn):
    case = _case(request, case_id)
    receiver = Organisation.objects.filter(pk=payload.receiver_id).first()
    if receiver is None:
        raise ValidationError({"receiver_id": ["no such organisation"]})
    referral = referrals.refer(
        actor=request.user, case=case, receiver=receiver, purpose=payload.purpose
    )
    return Status(201, referral)


@router.get(
    "/referrals",
    response=list[ReceivedReferralOut],
    summary="Referrals addressed to your organisation",
)
@requires(access.ANSWER)
@paginate
def referral_inbox(request, status: str = ""):
    return referrals.inbox(request.user, status=status)


def _referral(request, referral_id: int, *, audit: bool = False) -> Referral:
    referral = referrals.referral_for(request.user, referral_id, audit=audit)
    if referral is None:
        raise Http404("no such referral")
    return referral


@router.get("/referrals/{referral_id}", response=ReceivedReferralOut, summary="One referral")
@signed_in
def referral_detail(request, referral_id: Id):
    return _referral(request, referral_id, audit=True)


@router.post(
    "/referrals/{referral_id}/accept", response=ReceivedReferralOut, summary="Accept a referral"
)
@requires(access.ANSWER)
def referral_accept(request, referral_id: Id):
    referral = _referral(request, referral_id)
    return referrals.answer(actor=request.user, referral=referral, accept=True)


@router.post(
    "/referrals/{referral_id}/decline",
    response=ReceivedReferralOut,
    summary="Decline a referral, with the reason",
)
@requires(access.ANSWER)
def referral_decline(request, referral_id: Id, payload: DeclineIn):
    referral = _referral(request, referral_id)
    return referrals.answer(
        actor=request.user, referral=referral, accept=False, reason=payload.reason
    )


# --- transfers ------------------------------------------------------------------------------


@router.post(
    "/cases/{case_id}/transfer",
    response=TransferOut,
    summary="Transfer the case to another coordinator, or another region",
)
@requires(access.MANAGE)
def case_transfer(request, case_id: Id, payload: TransferIn):
    case = _case(request, case_id)
    coordinator = User.objects.filter(pk=payload.coordinator_id).first()
    if coordinator is None:
        raise ValidationError({"coordinator_id": ["no such user"]})
    region = None
    if payload.region:
        region = Region.objects.filter(pk=payload.region).first()
        if region is None:
            raise ValidationError({"region": ["no such region"]})
    return referrals.transfer(actor=request.user, case=case, coordinator=coordinator, region=region)
