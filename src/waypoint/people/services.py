"""Writes to a veteran's record once it exists: identity, coordinator, service record,
education, jobs, skills, languages, limitations, preferences and consents. Each one authorises
(asking waypoint.people.access), validates, writes and audits at once. Registering a veteran
is waypoint.people.registration."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import User
from waypoint.audit.services import REDACTED, diff, plain, record, snapshot
from waypoint.kit.phone import normalize_phone
from waypoint.people import access, consents, signals
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
from waypoint.people.selectors import has_consent
from waypoint.people.validators import normalize_licences

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

# The sections of a record a person adds and removes one entry at a time.
Part = ServiceRecord | Education | CivilianJob | DeclaredSkill | LanguageSkill
PARTS: dict[str, type[Part]] = {
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


def require(allowed: bool, permission: str) -> None:
    """403 naming the permission the action needs, when access said no."""
    if not allowed:
        raise PermissionDenied(permission)


def require_visible(actor: User, veteran: Veteran) -> None:
    if not access.may_see(actor, veteran):
        raise Http404("no such veteran")


def require_edit(actor: User, veteran: Veteran) -> None:
    """The record is the actor's to change, and still open to changes."""
    if not access.may_edit(actor, veteran):
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


def clean_identity(values: dict[str, Any]) -> dict[str, Any]:
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


def validate_consent(purpose: str, channel: str) -> None:
    if purpose not in Consent.Purpose.values:
        raise ValidationError({"purpose": [_("unknown consent purpose %s") % purpose]})
    if channel not in Consent.Channel.values:
        raise ValidationError({"channel": [_("unknown consent channel %s") % channel]})


def editable_fields(actor: User, veteran: Veteran) -> list[str]:
    """The fields of the record this person may change (the edit page's form, the API's
    PATCH)."""
    return STAFF_FIELDS if access.may_edit_identity(actor, veteran) else SELF_FIELDS


def update_veteran(*, actor: User, veteran: Veteran, changes: dict[str, Any]) -> Veteran:
    require_edit(actor, veteran)
    allowed = editable_fields(actor, veteran)
    refused = sorted(set(changes) - set(allowed))
    if refused:
        raise ValidationError({name: [_("this field cannot be changed here")] for name in refused})
    before = snapshot(veteran, list(changes))
    for name, value in clean_identity(changes).items():
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
    """Give the veteran a coordinator (None: nobody), one of those the actor may assign."""
    require(access.may_assign_coordinators(actor), access.ASSIGN)
    require_edit(actor, veteran)
    if coordinator is not None and not access.may_coordinate(coordinator):
        raise ValidationError({"coordinator": [_("this person cannot coordinate cases")]})
    # The page offers only these; the API is held to the same list.
    if (
        coordinator is not None
        and not access.coordinators_assignable_by(actor).filter(pk=coordinator.pk).exists()
    ):
        raise ValidationError({"coordinator": [_("Choose a coordinator from the list.")]})
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
    require_edit(actor, veteran)
    model = part_model(kind)
    fields = PART_FIELDS[model]
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise ValidationError({name: [_("unknown field")] for name in unknown})
    part = model(veteran=veteran) if pk is None else part_of(model, veteran, pk)
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
    require(access.may_confirm_skills(actor), access.CHANGE)
    require_edit(actor, veteran)
    skill = part_of(DeclaredSkill, veteran, pk)
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
    require_edit(actor, veteran)
    model = part_model(kind)
    part = part_of(model, veteran, pk)
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
    text_fields: dict[type[models.Model], list[str]] = {
        ServiceRecord: ["specialty"],
        CivilianJob: ["title", "duties"],
    }
    fields = text_fields.get(type(part), ["name"] if isinstance(part, DeclaredSkill) else [])
    return bool(fields) and (new or any(before.get(f) != getattr(part, f) for f in fields))


def part_model(kind: str) -> type[Part]:
    if kind not in PARTS:
        raise Http404("no such section")
    return PARTS[kind]


def part_of(model: type[Part], veteran: Veteran, pk: int) -> Any:
    part = model.objects.filter(veteran=veteran, pk=pk).first()
    if part is None:
        raise Http404("no such entry")
    return part


def set_work_limitation(*, actor: User, veteran: Veteran, values: dict[str, Any]) -> WorkLimitation:
    """Record health-related limits. Needs the permission and the veteran's health consent."""
    require(access.may_edit_limitations(actor, veteran), access.CHANGE_LIMITATIONS)
    if not access.may_see_limitations(actor, veteran):
        raise Http404("no such veteran")
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


def set_preferences(
    *, actor: User, veteran: Veteran, values: dict[str, Any], regions: list[str] | None = None
) -> Preferences:
    require_edit(actor, veteran)
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
            # A region's primary key is its code, a string; the stubs expect integer keys.
            preferences.regions.set(sorted(found))  # type: ignore[arg-type]
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
    """Record a consent. The veteran's own, on their own record, is given through
    self-service whatever channel was named."""
    require(access.may_manage_consents(actor, veteran), access.CONSENTS)
    require_visible(actor, veteran)
    if access.is_own_record(actor, veteran):
        channel = Consent.Channel.SELF_SERVICE
    validate_consent(purpose, channel)
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
    require(access.may_manage_consents(actor, veteran), access.CONSENTS)
    require_visible(actor, veteran)
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
