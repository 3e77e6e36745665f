"""A case's file: notes, documents and the timeline of everything that happened to it.

Notes and documents carry a visibility level (the case team, the case's organisation, everyone
with access to the case) and are read only through their read gates in `cases.access`. A note can
be corrected by its author for ten minutes, then it is append-only. A document is checked
before it is kept: the name's extension must be on the allow-list, the size within
WAYPOINT_UPLOAD_MAX_MB, and the first bytes must be what the extension says — a program or an
archive renamed to .pdf or .docx is refused. Files live under MEDIA_ROOT (WAYPOINT_HOME/media),
which no URL serves; every download goes through `read_document`, which checks the checksum
and records the read.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Field, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypoint.accounts.models import User
from waypoint.appeals.models import CONFIDENTIAL_TOPICS, Appeal
from waypoint.audit.models import AuditEvent
from waypoint.audit.services import REDACTED, record
from waypoint.cases.access import (
    VIEW,
    documents_visible_to,
    may_download,
    may_edit_note,
    may_write,
    notes_visible_to,
)
from waypoint.cases.models import NOTE_EDIT_WINDOW, Case, Document, Named, Note, Visibility
from waypoint.cases.uploads import check_content, display_name, kind_of, refuse
from waypoint.people.access import may_see_limitations

NOTE_MAX_CHARS = 5000


def _visibility(value: str) -> str:
    if value not in Visibility.values:
        raise ValidationError(
            {
                "visibility": [
                    _("one of %(levels)s is expected") % {"levels": ", ".join(Visibility.values)}
                ]
            }
        )
    return value


# --- notes ----------------------------------------------------------------------------------


def _note_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("a note cannot be empty")]})
    if len(text) > NOTE_MAX_CHARS:
        raise ValidationError(
            {"text": [_("a note holds at most %(n)s characters") % {"n": NOTE_MAX_CHARS}]}
        )
    return text


def add_note(*, actor: User, case: Case, text: str, visibility: str = Visibility.TEAM) -> Note:
    if not may_write(actor, case):
        raise PermissionDenied(VIEW)
    text = _note_text(text)
    visibility = _visibility(visibility)
    with transaction.atomic():
        note = Note.objects.create(case=case, author=actor, text=text, visibility=visibility)
        # The words stay out of the audit log, which auditors read whatever the note's level.
        record(
            actor=actor,
            action="cases.note.add",
            subject=note,
            changes={"visibility": [None, visibility], "length": [None, len(text)]},
            veteran_id=case.veteran_id,
        )
    return note


def edit_note(
    *, actor: User, note: Note, text: str | None = None, visibility: str | None = None
) -> Note:
    """Only its author, and only within NOTE_EDIT_WINDOW of writing it."""
    if not may_edit_note(actor, note):
        raise PermissionDenied("only the author changes a note")
    with transaction.atomic():
        current = (
            Note.objects.select_for_update(of=("self",)).select_related("case").get(pk=note.pk)
        )
        if timezone.now() > current.editable_until:
            minutes = int(NOTE_EDIT_WINDOW.total_seconds() // 60)
            raise ValidationError(
                {
                    "text": [
                        _(
                            "a note cannot be changed more than %(minutes)s minutes after it "
                            "was written; add a new note to correct it"
                        )
                        % {"minutes": minutes}
                    ]
                }
            )
        changes = {}
        if text is not None:
            text = _note_text(text)
            if text != current.text:
                changes["length"] = [len(current.text), len(text)]
                current.text = text
        if visibility is not None and _visibility(visibility) != current.visibility:
            changes["visibility"] = [current.visibility, visibility]
            current.visibility = visibility
        if not changes:
            return current
        current.edited_at = timezone.now()
        current.save()
        record(actor=actor, action="cases.note.edit", subject=current, changes=changes)
    return current


def notes_for(user: User, case: Case):
    return (
        notes_visible_to(user)
        .filter(case=case)
        .select_related("author")
        .order_by("-created_at", "-pk")
    )


# --- documents --------------------------------------------------------------------------------


def upload_document(
    *, actor: User, case: Case, upload, title: str = "", visibility: str = Visibility.TEAM
) -> Document:
    """Keep an uploaded file with the case once its name, size and content pass the checks."""
    if not may_write(actor, case):
        raise PermissionDenied(VIEW)
    if upload is None:
        raise refuse(_("choose a file to upload"))
    visibility = _visibility(visibility)
    filename = display_name(upload.name)
    kind = kind_of(filename)
    limit = settings.WAYPOINT_UPLOAD_MAX_BYTES
    too_big = refuse(
        _("the file is larger than the limit of %(size)s") % {"size": filesizeformat(limit)}
    )
    if upload.size is not None and upload.size > limit:
        raise too_big
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise too_big
    if not content:
        raise refuse(_("the file is empty"))
    check_content(kind, content)
    title = (title or "").strip()[:200] or filename
    document = Document(
        case=case,
        author=actor,
        visibility=visibility,
        title=title,
        filename=filename,
        kind=kind,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    document.file.save("upload", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            document.save()
            record(
                actor=actor,
                action="cases.document.upload",
                subject=document,
                changes={
                    "kind": [None, kind],
                    "size": [None, document.size],
                    "sha256": [None, document.sha256],
                    "visibility": [None, visibility],
                },
                veteran_id=case.veteran_id,
            )
    except BaseException:
        document.file.delete(save=False)
        raise
    return document


def documents_for(user: User, case: Case):
    return (
        documents_visible_to(user)
        .filter(case=case)
        .select_related("author")
        .order_by("-created_at", "-pk")
    )


def document_for(user: User, case: Case, pk: int) -> Document | None:
    return documents_for(user, case).filter(pk=pk).first()


def read_document(*, actor: User, document: Document) -> bytes:
    """The file's bytes for a download: visibility checked, checksum verified, read audited."""
    if not may_download(actor, document):
        raise PermissionDenied(VIEW)
    try:
        with document.file.open("rb") as stream:
            content = stream.read()
    except FileNotFoundError:
        raise refuse(_("the stored file is missing; tell an administrator")) from None
    if hashlib.sha256(content).hexdigest() != document.sha256:
        raise refuse(_("the stored file no longer matches its checksum; tell an administrator"))
    with transaction.atomic():
        record(
            actor=actor,
            action="cases.document.download",
            subject=document,
            changes={"sha256": [None, document.sha256]},
            veteran_id=document.case.veteran_id,
        )
    return content


# --- timeline -------------------------------------------------------------------------------

# Audit actions that only read; the timeline shows what changed.
READ_SUFFIXES = (".view", ".list", ".export", ".download", ".status_check")
# Their own rows below stand for these subjects, with each row's visibility.
RECORD_SUBJECTS = ("cases.note", "cases.document")
# Health data: the event is shown only to those who may see it, and never with its fields.
HEALTH_SUBJECTS = ("people.worklimitation",)
# Fields whose values are plain codes, safe to show to everyone who sees the case.
SHOWN_VALUES = {"stage", "track", "status", "visibility", "kind", "occupations"}

LABELS = {
    "cases.case.open": gettext_lazy("Case opened"),
    "cases.case.move": gettext_lazy("Case moved on"),
    "cases.case.reassign": gettext_lazy("Case reassigned to another coordinator"),
    "cases.case.transfer": gettext_lazy("Case transferred"),
    "cases.task.create": gettext_lazy("Task added"),
    "cases.task.status": gettext_lazy("Task status changed"),
    "cases.referral.create": gettext_lazy("Referred to another organisation"),
    "cases.referral.accept": gettext_lazy("Referral accepted"),
    "cases.referral.decline": gettext_lazy("Referral declined"),
    "cases.note.add": gettext_lazy("Note"),
    "cases.document.upload": gettext_lazy("Document"),
    "people.veteran.create": gettext_lazy("Veteran registered"),
    "people.veteran.update": gettext_lazy("Veteran's record updated"),
    "people.veteran.assign_coordinator": gettext_lazy("Coordinator assigned"),
    "people.consent.give": gettext_lazy("Consent given"),
    "people.consent.withdraw": gettext_lazy("Consent withdrawn"),
    "people.worklimitation.save": gettext_lazy("Work limitations recorded"),
    "people.worklimitation.erase": gettext_lazy("Work limitations erased"),
    "people.preferences.save": gettext_lazy("Preferences saved"),
    "people.declaredskill.confirm": gettext_lazy("Skill confirmed"),
    "orientation.run": gettext_lazy("Vocational orientation run"),
    "orientation.feedback": gettext_lazy("Orientation decision recorded"),
    "orientation.plan": gettext_lazy("Individual plan saved"),
    "training.enrolment.create": gettext_lazy("Put on a training cohort's list"),
    "training.enrolment.move": gettext_lazy("Training enrolment moved on"),
    "employment.application.create": gettext_lazy("Proposed for a vacancy"),
    "employment.application.move": gettext_lazy("Job application moved on"),
    "employment.placement.create": gettext_lazy("Hired"),
    "employment.follow_up.record": gettext_lazy("Employment follow-up recorded"),
    "leadership.candidacy.apply": gettext_lazy("Candidacy for the leadership track"),
    "leadership.candidacy.recheck": gettext_lazy("Leadership track: eligibility checked again"),
    "leadership.candidacy.eligibility": gettext_lazy("Leadership track: eligibility decided"),
    "leadership.score.record": gettext_lazy("Leadership track: test score recorded"),
    "leadership.candidacy.tests": gettext_lazy("Leadership track: tests decided"),
    "leadership.candidacy.interview": gettext_lazy("Leadership track: interview recorded"),
    "leadership.council.vote": gettext_lazy("Leadership track: a council member's vote"),
    "leadership.council.decision": gettext_lazy("Leadership track: the council's decision"),
    "leadership.candidacy.shortlist": gettext_lazy("Leadership track: on the shortlist"),
    "leadership.candidacy.rerank": gettext_lazy("Leadership track: shortlist ranked again"),
    "leadership.candidacy.cohort": gettext_lazy("Leadership track: cohort or reserve list"),
    "leadership.candidacy.place": gettext_lazy("Leadership track: appointed to a post"),
    "leadership.candidacy.withdraw": gettext_lazy("Leadership track: candidacy withdrawn"),
    "appeals.appeal.log": gettext_lazy("Hotline appeal logged"),
    "appeals.appeal.take": gettext_lazy("Hotline appeal taken"),
    "appeals.appeal.answer": gettext_lazy("Hotline appeal answered"),
    "appeals.appeal.close": gettext_lazy("Hotline appeal closed"),
}


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str  # "event", "note" or "document"
    label: str
    actor: str
    detail: str = ""
    note: Note | None = None
    document: Document | None = None


# What an audit event's changes name that is not a field of its subject, or a field without
# a name of its own.
CHANGE_NAMES = {
    "in_time": gettext_lazy("answered in time"),
    # An orientation run's count of ranked occupations, not a field of the run.
    "occupations": gettext_lazy("occupations ranked"),
    "late": gettext_lazy("late"),
    "type": gettext_lazy("type"),
}

VERBS = {
    "create": gettext_lazy("added"),
    "update": gettext_lazy("changed"),
    "save": gettext_lazy("saved"),
    "delete": gettext_lazy("removed"),
}


def label_for(action: str) -> str:
    """A readable label: a known action's own, else "<the model's name>: <verb>"."""
    if action in LABELS:
        return str(LABELS[action])
    app, model, verb = [*action.split(".", 2), "", ""][:3]
    try:
        name = str(apps.get_model(app, model)._meta.verbose_name)
    except (LookupError, ValueError):
        name = f"{app} {model}".strip()
    return f"{name[:1].upper()}{name[1:]}: {VERBS.get(verb, verb.replace('_', ' '))}"


def _field(subject_type: str, name: str) -> Field | None:
    """The model field an audit event's change names, for its name and choices in words."""
    try:
        return apps.get_model(*subject_type.split(".", 1))._meta.get_field(name)
    except (LookupError, ValueError, TypeError, FieldDoesNotExist):
        return None


def _field_name(field: Field | None, name: str):
    """A field's name in words; a relation named only by its attribute reads as its model
    ("vacancy" → "вакансия")."""
    if field is None:
        return name
    if field.is_relation and not isinstance(field.verbose_name, Promise):
        return field.related_model._meta.verbose_name
    return field.verbose_name


def _value(field: Field | None, value):
    """A changed value in words: a choice's label, a case stage's or track's name."""
    if field is None or not value:
        return value
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    model = field.related_model
    if isinstance(model, type) and issubclass(model, Named):
        return str(model.objects.filter(code=value).first() or value)
    return value


def _detail(event: AuditEvent) -> str:
    if event.subject_type in HEALTH_SUBJECTS or not isinstance(event.changes, dict):
        return ""
    parts = []
    for name, value in sorted(event.changes.items()):
        field = _field(event.subject_type, name)
        shown = str(CHANGE_NAMES.get(name) or _field_name(field, name))
        if (
            name in SHOWN_VALUES
            and isinstance(value, list)
            and len(value) == 2
            and REDACTED not in value
        ):
            old, new = (_value(field, v) for v in value)
            parts.append(f"{shown}: {old or '—'} → {new}" if old else f"{shown}: {new}")
        else:
            parts.append(shown)
    return ", ".join(parts)


def _who(user: User | None, username: str = "") -> str:
    if user is not None:
        return str(user)
    return username or str(_("the system"))


def timeline(user: User, case: Case, *, limit: int = 100) -> list[Entry]:
    """Everything that happened to the case since it opened, newest first: every module's
    writes to the veteran's record from the audit log (reads left out, health fields never
    shown), and the case's notes and documents the person may read.

    The case's own read gate (the caller found the case through `access.cases_visible_to`)
    is what lets someone without the audit permission see these events.
    """
    events = (
        AuditEvent.objects.filter(veteran_id=case.veteran_id, at__gte=case.opened_at)
        .exclude(subject_type__in=RECORD_SUBJECTS)
        # Well-being events tell who screened or read what; that is the care team's alone.
        .exclude(subject_type__startswith="wellbeing.")
        # So is a call for psychological help: its queue's read gate hides it from everyone
        # else (appeals.models), and its steps on the case would tell it.
        .exclude(
            subject_type=Appeal._meta.label_lower,
            subject_id__in=[
                str(pk)
                for pk in Appeal.objects.filter(
                    veteran_id=case.veteran_id, topic__in=CONFIDENTIAL_TOPICS
                ).values_list("pk", flat=True)
            ],
        )
        .exclude(_any_suffix(READ_SUFFIXES))
        .select_related("actor")
        .order_by("-at", "-id")
    )
    later = (
        Case.objects.filter(veteran_id=case.veteran_id, opened_at__gt=case.opened_at)
        .order_by("opened_at")
        .values_list("opened_at", flat=True)
        .first()
    )
    if later is not None:  # the veteran's next case tells its own story
        events = events.filter(at__lt=later)
    if not may_see_limitations(user, case.veteran):
        events = events.exclude(subject_type__in=HEALTH_SUBJECTS)
    entries = [
        Entry(
            at=event.at,
            kind="event",
            label=label_for(event.action),
            actor=_who(event.actor, event.actor_username),
            detail=_detail(event),
        )
        for event in events[:limit]
    ]
    entries += [
        Entry(
            at=note.created_at,
            kind="note",
            label=str(LABELS["cases.note.add"]),
            actor=_who(note.author),
            detail=note.text,
            note=note,
        )
        for note in notes_for(user, case)[:limit]
    ]
    entries += [
        Entry(
            at=document.created_at,
            kind="document",
            label=str(LABELS["cases.document.upload"]),
            actor=_who(document.author),
            detail=document.title,
            document=document,
        )
        for document in documents_for(user, case)[:limit]
    ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]


def _any_suffix(suffixes: tuple[str, ...]) -> Q:
    condition = Q(pk__in=[])
    for suffix in suffixes:
        condition |= Q(action__endswith=suffix)
    return condition
