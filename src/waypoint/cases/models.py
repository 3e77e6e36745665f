"""Cases: one per support episode of a veteran, with a coordinator, a track, a stage, and the
tasks that must not wait unseen. Tracks, stages and task types are data an administrator
edits; the production calendar (holidays, moved days off) is data too."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import Organisation
from waypoint.audit.models import AppendOnlyError
from waypoint.people.models import Consent, Veteran


class Named(models.Model):
    """Administrator-edited reference data, named in both interface languages."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ru = models.CharField(_("name (Russian)"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name_ru if get_language() == "ru" else self.name_en


class Track(Named):
    """The route a case takes after assessment (rapid employment, training first, ...)."""

    class Meta(Named.Meta):
        verbose_name = _("case track")
        verbose_name_plural = _("case tracks")


class Stage(Named):
    is_closed = models.BooleanField(
        _("closes the case"), default=False, help_text=_("A case at this stage is closed.")
    )

    class Meta(Named.Meta):
        verbose_name = _("case stage")
        verbose_name_plural = _("case stages")


class TaskType(Named):
    class Priority(models.IntegerChoices):
        LOW = 1, _("low")
        NORMAL = 2, _("normal")
        HIGH = 3, _("high")
        URGENT = 4, _("urgent")

    days = models.PositiveSmallIntegerField(
        _("deadline, days"), validators=[MinValueValidator(0), MaxValueValidator(365)]
    )
    working_days = models.BooleanField(
        _("counted in working days"),
        default=True,
        help_text=_(
            "Otherwise calendar days; a term ending on a day off moves to the next working day."
        ),
    )
    priority = models.PositiveSmallIntegerField(
        _("default priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    grace_days = models.PositiveSmallIntegerField(
        _("escalate after overdue for, days"),
        default=2,
        help_text=_(
            "Working days a task may stay overdue before its assignee's supervisor is told."
        ),
    )

    class Meta(Named.Meta):
        verbose_name = _("task type")
        verbose_name_plural = _("task types")


class Holiday(models.Model):
    """One day of the production calendar that is not an ordinary weekday or weekend."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("public holiday or moved day off")
        WORKING = "working", _("weekend day made a working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("production calendar")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


class Case(models.Model):
    veteran = models.ForeignKey(Veteran, on_delete=models.CASCADE, related_name="cases")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("coordinator"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("fund branch"),
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    track = models.ForeignKey(
        Track,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("track"),
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="cases", verbose_name=_("stage")
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    stage_since = models.DateTimeField(_("at this stage since"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [
            ("manage_cases", _("Can open cases, move them on and assign their tasks")),
            ("supervise_cases", _("Can see every coordinator's cases and reassign caseloads")),
        ]
        indexes = [models.Index(fields=["coordinator", "closed_at"], name="case_coordinator_open")]
        constraints = [
            models.UniqueConstraint(
                fields=["veteran"], condition=Q(closed_at__isnull=True), name="one_open_case"
            )
        ]

    def __str__(self) -> str:
        return f"№ {self.pk} · {self.veteran}"

    @property
    def audited_veteran_id(self) -> int:
        return self.veteran_id


class Task(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("task status", "open")
        IN_PROGRESS = "in_progress", pgettext_lazy("task status", "in progress")
        DONE = "done", pgettext_lazy("task status", "done")
        CANCELLED = "cancelled", pgettext_lazy("task status", "cancelled")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    type = models.ForeignKey(TaskType, on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("assignee"),
    )
    queue = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task_queue",
        verbose_name=_("organisation's queue"),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=TaskType.Priority.choices, default=TaskType.Priority.NORMAL
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default="open")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    due_at = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    overdue_since = models.DateTimeField(_("overdue since"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalated to"),
    )
    # What the task is about: an enrolment, an application, an appeal …
    concerns_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    concerns_id = models.PositiveBigIntegerField(null=True, blank=True)
    concerns = GenericForeignKey("concerns_type", "concerns_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "-priority", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            # The deadline sweep: open tasks past due, oldest first.
            models.Index(
                fields=["due_at"],
                condition=Q(status__in=["open", "in_progress"]),
                name="task_open_due",
            ),
            models.Index(fields=["assignee", "status"], name="task_assignee_status"),
            models.Index(fields=["queue", "status"], name="task_queue_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee__isnull=False) | Q(queue__isnull=False),
                name="task_has_an_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audited_veteran_id(self) -> int | None:
        return self.case.veteran_id if self.case_id else None

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)


# The case's records: notes, documents and referrals to other organisations.

NOTE_EDIT_WINDOW = timedelta(minutes=10)


class Visibility(models.TextChoices):
    """Who reads a note or a document of a case (always among those who see the case)."""

    TEAM = "team", _("the case team")
    ORGANISATION = "organisation", _("the case's organisation")
    CASE = "case", _("everyone with access to the case")


class CaseRecord(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    visibility = models.CharField(
        _("visible to"), max_length=12, choices=Visibility.choices, default=Visibility.TEAM
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]
        default_permissions = ()

    @property
    def audited_veteran_id(self) -> int:
        return self.case.veteran_id


class Note(CaseRecord):
    """Append-only once NOTE_EDIT_WINDOW has passed: a correction is a new note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"), max_length=5000)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        indexes = [models.Index(fields=["case", "created_at"], name="note_case_created")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.text[:40]}"

    @property
    def editable_until(self):
        return self.created_at + NOTE_EDIT_WINDOW

    def save(self, *args, **kwargs):
        if not self._state.adding and timezone.now() > self.editable_until:
            raise AppendOnlyError("a note cannot be changed once its edit window has passed")
        super().save(*args, **kwargs)


def document_path(document: "Document", filename: str) -> str:
    """Stored under a random name: nothing the uploader typed reaches the file system."""
    return f"documents/{document.case_id}/{uuid.uuid4().hex}"


class Document(CaseRecord):
    """A file kept with the case, never changed after upload; read only through the
    permission-checked download, which is audited."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"
        DOCX = "docx", "DOCX"
        XLSX = "xlsx", "XLSX"
        ODT = "odt", "ODT"
        TXT = "txt", "TXT"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("type"), max_length=4, choices=Kind.choices)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(upload_to=document_path, max_length=200)

    class Meta(CaseRecord.Meta):
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        indexes = [models.Index(fields=["case", "created_at"], name="document_case_created")]

    def __str__(self) -> str:
        return self.title


class Referral(models.Model):
    """A case referred to another organisation, on the strength of one recorded consent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    receiver = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("receiving organisation"),
    )
    purpose = models.TextField(_("purpose of the referral"), max_length=1000)
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, related_name="+", verbose_name=_("consent checked")
    )
    consent_purpose = models.CharField(
        _("consent purpose"), max_length=20, choices=Consent.Purpose.choices
    )
    task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    due_at = models.DateTimeField(_("answer due"))
    created_at = models.DateTimeField(_("referred"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("referred by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    reason = models.TextField(_("reason"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        default_permissions = ()
        permissions = [
            ("answer_referrals", _("Can accept or decline referrals to the own organisation"))
        ]
        indexes = [models.Index(fields=["receiver", "status"], name="referral_receiver_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "receiver"],
                condition=Q(status="pending"),
                name="one_pending_referral_per_receiver",
            )
        ]

    def __str__(self) -> str:
        return f"№ {self.pk} → {self.receiver}"

    @property
    def audited_veteran_id(self) -> int:
        return self.case.veteran_id

    @property
    def is_late(self) -> bool:
        moment = self.answered_at or timezone.now()
        return moment > self.due_at
