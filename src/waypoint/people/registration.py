"""Registering veterans: intake by staff, self-registration, and the duplicate check both
ask first. Each use case authorises (asking waypoint.people.access), validates, writes and
audits at once; a file import builds on new_veteran (waypoint.people.import_jobs)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import Organisation, User
from waypoint.audit.models import AuditEvent
from waypoint.audit.services import record, snapshot
from waypoint.kit.transliteration import has_cyrillic, to_latin
from waypoint.people import access, consents
from waypoint.people.models import Consent, Veteran
from waypoint.people.selectors import find_duplicates
from waypoint.people.services import (
    IDENTITY_FIELDS,
    STAFF_FIELDS,
    clean_identity,
    save_part,
    validate_consent,
)
from waypoint.people.validators import NAME


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
        access.veterans_visible_to(actor)
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
        validate_consent(consent.purpose, consent.channel)


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
    if channel != Veteran.Channel.SELF_SERVICE and not access.may_register(actor):
        raise PermissionDenied(access.ADD)
    _validate_consents(registration.consents)
    values = clean_identity({name: getattr(registration, name) for name in IDENTITY_FIELDS})
    if registration.entered_on is not None:
        values["entered_on"] = registration.entered_on
    veteran = Veteran(**values, intake_channel=channel, account=account)
    _fill_latin(veteran)
    exclude = ["status", "intake_channel", *(["region"] if region_checked else [])]
    veteran.full_clean(exclude=exclude)
    return veteran


def take_intake(actor: User, veteran: Veteran, branch: Organisation | None) -> None:
    """A fund coordinator who takes the intake keeps the case; others leave it unassigned."""
    if access.keeps_intake(actor):
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


def by_phone(actor: User) -> bool:
    """A call centre registers people over the phone; a fund branch across the desk."""
    return bool(actor.organisation_id and actor.organisation.kind == Organisation.Kind.CALL_CENTRE)


def intake(
    *,
    actor: User,
    registration: Registration,
    confirm_not_duplicate: bool = False,
    first_service: dict[str, Any] | None = None,
) -> Veteran:
    """Staff register a veteran (the intake page and the API alike): the channel follows
    who takes the intake, and the first service record, if given, is written with it."""
    return register_veteran(
        actor=actor,
        registration=registration,
        channel=Veteran.Channel.PHONE if by_phone(actor) else Veteran.Channel.COORDINATOR,
        confirm_not_duplicate=confirm_not_duplicate,
        first_service=first_service,
    )


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
