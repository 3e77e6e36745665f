"""Writes to the veteran registry. Each one authorises, validates, writes and audits at once."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import Organisation, User
from waypoint.audit.models import AuditEvent
from waypoint.audit.services import REDACTED, diff, plain, record, snapshot
from waypoint.kit.phone import normalize_phone
from waypoint.kit.transliteration import has_cyrillic, to_latin
from waypoint.people import consents, signals
from waypoint.people.access import is_own_record, may_edit, veterans_visible_to
from waypoint.people.models import (
    CivilianJob,
    Consent,
    DeclaredSkill,
    Education,
    LanguageSkill,
    Preferences,
    ServiceRecord,
    Veteran,
    WorkLimitation,
)
from waypoint.people.selectors import find_duplicates, has_consent
from waypoint.people.validators import NAME, normalize_licences

IDENTITY_FIELDS = [
    "last_name",
    "first_name",
    "patronymic",
    "last_name_latin",
    "first_name_latin",
    "birth_date",
    "sex",
    "phone",
    "email",
    "region",
    "address",
    "driving_licences",
]
STAFF_FIELDS = [*IDENTITY_FIELDS, "entered_on", "status"]
# What a veteran may change in their own record; identity is confirmed by a coordinator.
SELF_FIELDS = ["phone", "email", "region", "address", "driving_licences"]

PARTS: dict[str, type[models.Model]] = {
    "service": ServiceRecord,
    "education": Education,
    "job": CivilianJob,
    "skill": DeclaredSkill,
    "language": LanguageSkill,
}
PART_FIELDS: dict[type[models.Model], list[str]] = {
    ServiceRecord: [
        "branch",
        "specialty",
        "specialty_code",
        "rank",
        "start_date",
        "end_date",
        "deployments",
        "combat_veteran",
        "discharge_reason",
    ],
    Education: ["level", "institution", "field_of_study", "graduation_year"],
    CivilianJob: ["title", "employer", "start_year", "end_year", "duties"],
    DeclaredSkill: ["name", "level"],
    LanguageSkill: ["language", "level"],
}
LIMITATION_FIELDS = ["disability_group", "restrictions", "notes", "valid_until"]
PREFERENCE_FIELDS = ["willing_to_relocate", "remote_work", "desired_occupations", "expected_salary"]


class DuplicateSuspected(ValidationError):
    """The new record looks like an existing one; pass confirm_not_duplicate to go on."""

    def __init__(self, check: "DuplicateCheck"):
        self.check = check
        super().__init__(
            {
                "__all__": [
                    _(
                        "a veteran with the same name and birth date, or the same phone, "
                        "is already registered"
                    )
                ]
            },
        )


class TooManyDuplicateChecks(ValidationError):
    """The hourly allowance of duplicate checks of one person is spent."""

    def __init__(self, limit: int):
        super().__init__(
            {
                "__all__": [
                    _(
                        "Too many duplicate checks: at most %(limit)s an hour for each person. "
                        "Try again later."
                    )
                    % {"limit": limit}
                ]
            }
        )


@dataclass(frozen=True)
class DuplicateCheck:
    """What a duplicate check may tell its asker: the matches they may see, and how many
    others exist (a hidden match is routed to its keeper, never shown)."""

    visible: list[Veteran]
    hidden: int

    @property
    def found(self) -> bool:
        return bool(self.visible) or self.hidden > 0


DUPLICATE_CHECK = "people.veteran.duplicate_check"


def check_duplicates(
    *,
    actor: User,
    last_name: str = "",
    first_name: str = "",
    birth_date: date | None = None,
    phone: str = "",
    limit: int = 5,
) -> DuplicateCheck:
    """Would this person be a duplicate? Searched across the whole registry, so it is a way to
    learn whether someone anywhere in the country is registered: each check is audited (on
    the asker, and on each record it matched) and limited per person per hour.

    A check without enough to search on (a name with a birth date, or a phone) asks nothing
    and is neither counted nor recorded.
    """
    by = []
    if last_name.strip() and first_name.strip() and birth_date:
        by.append("name_birth_date")
    if phone.strip():
        by.append("phone")
    if not by:
        return DuplicateCheck([], 0)
    allowance = settings.WAYPOINT_DUPLICATE_CHECKS_PER_HOUR
    recent = AuditEvent.objects.filter(
        actor=actor, action=DUPLICATE_CHECK, at__gte=timezone.now() - timedelta(hours=1)
    )
    if recent.count() >= allowance:
        raise TooManyDuplicateChecks(allowance)
    found = list(
        find_duplicates(
            last_name=last_name, first_name=first_name, birth_date=birth_date, phone=phone
        )[:limit]
    )
    visible_ids = set(
        veterans_visible_to(actor)
        .filter(pk__in=[match.pk for match in found])
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        record(
            actor=actor,
            action=DUPLICATE_CHECK,
            subject=actor,
            changes={
                "by": [None, by],
                "matches": [None, len(found)],
                "hidden": [None, len(found) - len(visible_ids)],
            },
        )
        for match in found:
            record(
                actor=actor,
                action="people.veteran.duplicate_match",
                subject=match,
                changes={"by": [None, by], "shown": [None, match.pk in visible_ids]},
            )
    return DuplicateCheck(
        visible=[match for match in found if match.pk in visible_ids],
        hidden=len(found) - len(visible_ids),
    )


class FirstServiceInvalid(ValidationError):
    """The service record given at intake is wrong; `error` names its fields."""

    def __init__(self, error: ValidationError):
        self.error = error
        super().__init__(error.messages)


@dataclass
class ConsentGiven:
    purpose: str
    channel: str
    text_version: str = consents.CURRENT_VERSION


@dataclass
class Registration:
    """What intake needs: the minimum first, everything else optional."""

    last_name: str
    first_name: str
    birth_date: date
    sex: str
    phone: str
    region: str  # region code
    consents: list[ConsentGiven]
    patronymic: str = ""
    last_name_latin: str = ""
    first_name_latin: str = ""
    email: str = ""
    address: str = ""
    driving_licences: str = ""
    entered_on: date | None = None  # the programme entry date; None: today
    extra: dict[str, Any] = field(default_factory=dict)


def _require(actor: User, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(permission)


def _require_edit(actor: User, veteran: Veteran) -> None:
    if not may_edit(actor, veteran):
        raise Http404("no such veteran")
    if not has_consent(veteran, Consent.Purpose.PERSONAL_DATA):
        raise ValidationError(
            {
                "consent": [
                    _(
                        "the veteran has withdrawn consent to the "
                        "processing of personal data; the record is "
                        "closed to changes"
                    )
                ]
            }
        )


def _clean_identity(values: dict[str, Any]) -> dict[str, Any]:
    """Normalise what people type, before the model's own validation."""
    cleaned = dict(values)
    for name in (
        "last_name",
        "first_name",
        "patronymic",
        "last_name_latin",
        "first_name_latin",
        "email",
        "address",
    ):
        if name in cleaned and isinstance(cleaned[name], str):
            cleaned[name] = " ".join(cleaned[name].split())
    if cleaned.get("phone"):
        try:
            cleaned["phone"] = normalize_phone(str(cleaned["phone"]))
        except ValueError as exc:
            raise ValidationError({"phone": [str(exc)]}) from None
    if "driving_licences" in cleaned:
        try:
            cleaned["driving_licences"] = normalize_licences(cleaned["driving_licences"] or "")
        except ValidationError as exc:
            raise ValidationError({"driving_licences": exc.messages}) from None
    if "email" in cleaned:
        cleaned["email"] = (cleaned["email"] or "").lower()
    if "region" in cleaned and not isinstance(cleaned["region"], models.Model):
        cleaned["region_id"] = cleaned.pop("region")
    return cleaned


def _fill_latin(veteran: Veteran) -> None:
    """Passport spelling for names given only in Cyrillic (a wrong name is reported once)."""
    for cyrillic, latin in (("last_name", "last_name_latin"), ("first_name", "first_name_latin")):
        name = getattr(veteran, cyrillic)
        fits = len(name) <= Veteran._meta.get_field(cyrillic).max_length
        if not getattr(veteran, latin) and has_cyrillic(name) and NAME.match(name) and fits:
            setattr(veteran, latin, to_latin(name))


def _validate_consents(given: list[ConsentGiven]) -> None:
    if not any(c.purpose == Consent.Purpose.PERSONAL_DATA for c in given):
        raise ValidationError(
            {
                "consent": [
                    _(
                        "the veteran's consent to the processing of personal data is "
                        "required to register them"
                    )
                ]
            }
        )
    for consent in given:
        _validate_consent(consent.purpose, consent.channel)


def _validate_consent(purpose: str, channel: str) -> None:
    if purpose not in Consent.Purpose.values:
        raise ValidationError({"purpose": [_("unknown consent purpose %s") % purpose]})
    if channel not in Consent.Channel.values:
        raise ValidationError({"channel": [_("unknown consent channel %s") % channel]})


def default_branch(actor: User | None, region_code: str) -> Organisation | None:
    """The fund branch a new record belongs to: the intake's own, else the region's first."""
    if (
        actor is not None
        and actor.organisation_id
        and (actor.organisation.kind == Organisation.Kind.FUND_BRANCH)
    ):
        return actor.organisation
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.FUND_BRANCH, region_id=region_code, is_active=True
        )
        .order_by("pk")
        .first()
    )


def new_veteran(
    *,
    actor: User,
    registration: Registration,
    channel: str,
    account: User | None = None,
    region_checked: bool = False,
) -> Veteran:
    """A validated record, not yet saved: register_veteran saves one, a file import many.

    `region_checked`: the caller looked the region code up itself (an import does once per
    file), so it is not looked up again for every record.
    """
    if channel != Veteran.Channel.SELF_SERVICE:
        _require(actor, "people.add_veteran")
    _validate_consents(registration.consents)
    values = _clean_identity({name: getattr(registration, name) for name in IDENTITY_FIELDS})
    if registration.entered_on is not None:
        values["entered_on"] = registration.entered_on
    veteran = Veteran(**values, intake_channel=channel, account=account)
    _fill_latin(veteran)
    exclude = ["status", "intake_channel", *(["region"] if region_checked else [])]
    veteran.full_clean(exclude=exclude)
    return veteran


def take_intake(actor: User, veteran: Veteran, branch: Organisation | None) -> None:
    """A fund coordinator who takes the intake keeps the case; others leave it unassigned."""
    if (
        actor.has_perm("people.change_veteran")
        and actor.is_agency_staff
        and actor.organisation.kind == Organisation.Kind.FUND_BRANCH
    ):
        veteran.coordinator = actor
        veteran.status = Veteran.Status.ACTIVE
    veteran.branch = branch


def creation_changes(veteran: Veteran) -> dict[str, list[Any]]:
    """The audit trail's changes for a new record: every field that has a value."""
    return {
        name: [None, value]
        for name, value in snapshot(veteran, [*STAFF_FIELDS, "coordinator", "branch"]).items()
        if value not in ("", None)
    }


def consent_changes(consent: Consent) -> dict[str, list[Any]]:
    return {
        "purpose": [None, consent.purpose],
        "text_version": [None, consent.text_version],
        "channel": [None, consent.channel],
    }


def register_veteran(
    *,
    actor: User,
    registration: Registration,
    channel: str,
    confirm_not_duplicate: bool = False,
    account: User | None = None,
    first_service: dict[str, Any] | None = None,
) -> Veteran:
    """Intake: create a veteran's record with their consents (and, if given, their first
    service record), refusing a likely duplicate. All of it is written, or none."""
    veteran = new_veteran(actor=actor, registration=registration, channel=channel, account=account)
    if not confirm_not_duplicate:
        # Outside the transaction below: the check's audit outlives the refusal.
        check = check_duplicates(
            actor=actor,
            last_name=veteran.last_name,
            first_name=veteran.first_name,
            birth_date=veteran.birth_date,
            phone=veteran.phone,
        )
        if check.found:
            raise DuplicateSuspected(check)
    with transaction.atomic():
        take_intake(actor, veteran, default_branch(actor, veteran.region_id))
        veteran.save()
        record(
            actor=actor,
            action="people.veteran.create",
            subject=veteran,
            changes=creation_changes(veteran),
        )
        now = timezone.now()
        for given in registration.consents:
            consent = Consent.objects.create(
                veteran=veteran,
                purpose=given.purpose,
                text_version=given.text_version,
                channel=given.channel,
                given_at=now,
                recorded_by=actor,
            )
            record(
                actor=actor,
                action="people.consent.give",
                subject=consent,
                changes=consent_changes(consent),
            )
        if first_service:
            try:
                save_part(actor=actor, veteran=veteran, kind="service", values=first_service)
            except ValidationError as exc:
                raise FirstServiceInvalid(exc) from None
    return veteran


def self_register(*, username: str, password: str, registration: Registration) -> Veteran:
    """A veteran signs up: an account with the veteran role and a record awaiting review.

    A possible duplicate is not refused (that would tell a stranger who is registered); the
    coordinator sees it on the record and merges by hand.
    """
    from django.contrib.auth.password_validation import validate_password

    from waypoint.accounts.services import create_user

    candidate = User(
        username=username,
        first_name=registration.first_name,
        last_name=registration.last_name,
        email=registration.email,
    )
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    with transaction.atomic():
        account = create_user(
            actor=None,
            username=username,
            password=password,
            role_codes=["veteran"],
            first_name=registration.first_name,
            last_name=registration.last_name,
            email=registration.email,
        )
        return register_veteran(
            actor=account,
            registration=registration,
            channel=Veteran.Channel.SELF_SERVICE,
            confirm_not_duplicate=True,
            account=account,
        )


def update_veteran(*, actor: User, veteran: Veteran, changes: dict[str, Any]) -> Veteran:
    _require_edit(actor, veteran)
    allowed = STAFF_FIELDS if actor.has_perm("people.change_veteran") else SELF_FIELDS
    refused = sorted(set(changes) - set(allowed))
    if refused:
        raise ValidationError({name: [_("this field cannot be changed here")] for name in refused})
    before = snapshot(veteran, list(changes))
    for name, value in _clean_identity(changes).items():
        setattr(veteran, name, value)
    veteran.full_clean()
    after = snapshot(veteran, list(changes))
    with transaction.atomic():
        veteran.save()
        record(
            actor=actor,
            action="people.veteran.update",
            subject=veteran,
            changes=diff(before, after),
        )
    return veteran


def assign_coordinator(*, actor: User, veteran: Veteran, coordinator: User | None) -> Veteran:
    _require(actor, "people.assign_coordinator")
    _require_edit(actor, veteran)
    if coordinator is not None and not coordinator.has_perm("people.change_veteran"):
        raise ValidationError({"coordinator": [_("this person cannot coordinate cases")]})
    before = snapshot(veteran, ["coordinator", "status"])
    with transaction.atomic():
        veteran.coordinator = coordinator
        if coordinator is not None and veteran.status == Veteran.Status.NEW:
            veteran.status = Veteran.Status.ACTIVE
        veteran.save(update_fields=["coordinator", "status", "updated_at"])
        record(
            actor=actor,
            action="people.veteran.assign_coordinator",
            subject=veteran,
            changes=diff(before, snapshot(veteran, ["coordinator", "status"])),
        )
    return veteran


def save_part(
    *, actor: User, veteran: Veteran, kind: str, values: dict[str, Any], pk: int | None = None
) -> models.Model:
    """Add (pk=None) or change one service record, education, job, skill or language."""
    _require_edit(actor, veteran)
    model = _part_model(kind)
    fields = PART_FIELDS[model]
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise ValidationError({name: [_("unknown field")] for name in unknown})
    part = model(veteran=veteran) if pk is None else _part(model, veteran, pk)
    before = {} if pk is None else snapshot(part, fields)
    for name, value in values.items():
        setattr(part, name, value)
    part.full_clean()
    if _text_changed(part, before, pk is None):
        from waypoint.people.coding import suggest  # coding builds on this module

        suggest([part])
    with transaction.atomic():
        part.save()
        action = "create" if pk is None else "update"
        record(
            actor=actor,
            action=f"people.{model._meta.model_name}.{action}",
            subject=part,
            changes=diff(before, snapshot(part, fields)),
        )
    return part


def confirm_skill(*, actor: User, veteran: Veteran, pk: int) -> DeclaredSkill:
    """A counsellor vouches for a declared skill; confirmed skills outweigh inferred ones."""
    _require(actor, "people.change_veteran")
    _require_edit(actor, veteran)
    skill = _part(DeclaredSkill, veteran, pk)
    with transaction.atomic():
        skill.confirmed_by, skill.confirmed_at = actor, timezone.now()
        skill.save(update_fields=["confirmed_by", "confirmed_at"])
        record(
            actor=actor,
            action="people.declaredskill.confirm",
            subject=skill,
            changes={"confirmed_by": [None, actor.pk]},
        )
    return skill


def remove_part(*, actor: User, veteran: Veteran, kind: str, pk: int) -> None:
    _require_edit(actor, veteran)
    model = _part_model(kind)
    part = _part(model, veteran, pk)
    with transaction.atomic():
        record(
            actor=actor,
            action=f"people.{model._meta.model_name}.delete",
            subject=part,
            changes={
                name: [value, None] for name, value in snapshot(part, PART_FIELDS[model]).items()
            },
        )
        part.delete()


def _text_changed(part: models.Model, before: dict, new: bool) -> bool:
    """Whether the free text the matcher reads in this part is new or changed."""
    fields = {ServiceRecord: ["specialty"], CivilianJob: ["title", "duties"]}.get(
        type(part), ["name"] if isinstance(part, DeclaredSkill) else []
    )
    return bool(fields) and (new or any(before.get(f) != getattr(part, f) for f in fields))


def _part_model(kind: str) -> type[models.Model]:
    if kind not in PARTS:
        raise Http404("no such section")
    return PARTS[kind]


def _part(model: type[models.Model], veteran: Veteran, pk: int) -> Any:
    part = model.objects.filter(veteran=veteran, pk=pk).first()
    if part is None:
        raise Http404("no such entry")
    return part


def set_work_limitation(*, actor: User, veteran: Veteran, values: dict[str, Any]) -> WorkLimitation:
    """Record health-related limits. Needs the permission and the veteran's health consent."""
    if not is_own_record(actor, veteran):
        _require(actor, "people.change_work_limitations")
    _require_visible(actor, veteran)
    if not has_consent(veteran, Consent.Purpose.HEALTH_DATA):
        raise ValidationError(
            {
                "consent": [
                    _(
                        "the veteran has not consented to the processing "
                        "of health data; record that consent first"
                    )
                ]
            }
        )
    unknown = sorted(set(values) - set(LIMITATION_FIELDS))
    if unknown:
        raise ValidationError({name: [_("unknown field")] for name in unknown})
    limitation = WorkLimitation.objects.filter(veteran=veteran).first() or WorkLimitation(
        veteran=veteran
    )
    before = {} if limitation.pk is None else snapshot(limitation, LIMITATION_FIELDS)
    for name, value in values.items():
        setattr(limitation, name, value)
    limitation.recorded_by = actor
    limitation.full_clean(exclude=["recorded_by"])
    with transaction.atomic():
        limitation.save()
        record(
            actor=actor,
            action="people.worklimitation.save",
            subject=limitation,
            changes=diff(before, snapshot(limitation, LIMITATION_FIELDS), redact=True),
        )
    return limitation


def _require_visible(actor: User, veteran: Veteran) -> None:
    visible = veterans_visible_to(actor).filter(pk=veteran.pk).exists()
    if not visible:
        raise Http404("no such veteran")


def set_preferences(
    *, actor: User, veteran: Veteran, values: dict[str, Any], regions: list[str] | None = None
) -> Preferences:
    _require_edit(actor, veteran)
    unknown = sorted(set(values) - set(PREFERENCE_FIELDS))
    if unknown:
        raise ValidationError({name: [_("unknown field")] for name in unknown})
    preferences, _created = Preferences.objects.get_or_create(veteran=veteran)
    before = snapshot(preferences, PREFERENCE_FIELDS)
    before["regions"] = sorted(preferences.regions.values_list("code", flat=True))
    for name, value in values.items():
        setattr(preferences, name, value)
    preferences.full_clean()
    with transaction.atomic():
        preferences.save()
        if regions is not None:
            from waypoint.regions.models import Region

            found = set(Region.objects.filter(code__in=regions).values_list("code", flat=True))
            missing = sorted(set(regions) - found)
            if missing:
                raise ValidationError({"regions": [_("unknown region code %s") % missing[0]]})
            preferences.regions.set(sorted(found))
        after = snapshot(preferences, PREFERENCE_FIELDS)
        after["regions"] = sorted(preferences.regions.values_list("code", flat=True))
        record(
            actor=actor,
            action="people.preferences.save",
            subject=preferences,
            changes=diff(before, after),
        )
    return preferences


def give_consent(
    *,
    actor: User,
    veteran: Veteran,
    purpose: str,
    channel: str,
    text_version: str = consents.CURRENT_VERSION,
) -> Consent:
    if not is_own_record(actor, veteran):
        _require(actor, "people.manage_consents")
    _require_visible(actor, veteran)
    _validate_consent(purpose, channel)
    with transaction.atomic():
        if has_consent(veteran, purpose):
            raise ValidationError({"purpose": [_("this consent is already given")]})
        consent = Consent(
            veteran=veteran,
            purpose=purpose,
            text_version=text_version,
            channel=channel,
            given_at=timezone.now(),
            recorded_by=actor,
        )
        consent.full_clean()
        consent.save()
        record(
            actor=actor,
            action="people.consent.give",
            subject=consent,
            changes={
                "purpose": [None, purpose],
                "text_version": [None, text_version],
                "channel": [None, channel],
            },
        )
    return consent


def withdraw_consent(*, actor: User, veteran: Veteran, purpose: str) -> Consent:
    if not is_own_record(actor, veteran):
        _require(actor, "people.manage_consents")
    _require_visible(actor, veteran)
    with transaction.atomic():
        consent = (
            Consent.objects.select_for_update()
            .filter(veteran=veteran, purpose=purpose, withdrawn_at=None)
            .first()
        )
        if consent is None:
            raise ValidationError({"purpose": [_("there is no active consent for this purpose")]})
        consent.withdrawn_at, consent.withdrawn_by = timezone.now(), actor
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record(
            actor=actor,
            action="people.consent.withdraw",
            subject=consent,
            changes={"withdrawn_at": [None, plain(consent.withdrawn_at)]},
        )
        _stop_processing(actor, veteran, purpose)
        signals.consent_withdrawn.send(
            sender=Consent, actor=actor, veteran=veteran, purpose=purpose
        )
    return consent


def _stop_processing(actor: User, veteran: Veteran, purpose: str) -> None:
    """What a withdrawal means at once: health data is erased; a registry record is closed."""
    if purpose == Consent.Purpose.HEALTH_DATA:
        limitation = WorkLimitation.objects.filter(veteran=veteran).first()
        if limitation is not None:
            record(
                actor=actor,
                action="people.worklimitation.erase",
                subject=limitation,
                changes={name: [REDACTED, None] for name in LIMITATION_FIELDS},
            )
            limitation.delete()
    elif purpose == Consent.Purpose.PERSONAL_DATA and veteran.status != Veteran.Status.CLOSED:
        record(
            actor=actor,
            action="people.veteran.update",
            subject=veteran,
            changes={"status": [veteran.status, Veteran.Status.CLOSED]},
        )
        veteran.status = Veteran.Status.CLOSED
        veteran.save(update_fields=["status", "updated_at"])
