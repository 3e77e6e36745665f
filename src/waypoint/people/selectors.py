import re
from contextlib import suppress
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from waypoint.accounts.models import User
from waypoint.audit.services import record
from waypoint.kit.folding import fold, identity_key
from waypoint.kit.numbers import whole_number
from waypoint.kit.phone import normalize_phone
from waypoint.people.access import EXPORT, may_export, veterans_visible_to
from waypoint.people.models import Consent, Veteran

ORDERINGS = {
    "name": ("last_name", "first_name", "id"),
    "-name": ("-last_name", "-first_name", "-id"),
    "registered": ("entered_on", "id"),
    "-registered": ("-entered_on", "-id"),
    "birth_date": ("birth_date", "id"),
    "-birth_date": ("-birth_date", "-id"),
    "region": ("region_id", "last_name", "id"),
}


def veterans_for(
    user,
    *,
    q: str = "",
    region: str = "",
    status: str = "",
    coordinator: int | None = None,
    ordering: str = "name",
) -> QuerySet[Veteran]:
    """The veterans this person may see, searched and filtered."""
    veterans = veterans_visible_to(user).select_related("region", "coordinator")
    if q:
        veterans = veterans.filter(_search(q))
    if region:
        veterans = veterans.filter(region_id=region)
    if status:
        veterans = veterans.filter(status=status)
    if coordinator is not None:
        veterans = veterans.filter(coordinator_id=coordinator)
    return veterans.order_by(*ORDERINGS.get(ordering, ORDERINGS["name"]))


# What an export holds: identity and contacts, never health data.
EXPORT_COLUMNS = [
    "id",
    "last_name",
    "first_name",
    "patronymic",
    "last_name_latin",
    "first_name_latin",
    "birth_date",
    "sex",
    "phone",
    "email",
    "region_id",
    "status",
    "coordinator_id",
    "entered_on",
    "created_at",
]


def veterans_export(user, **filters) -> list[tuple]:
    """The list veterans_for finds, as EXPORT_COLUMNS rows, for whoever may export it: an
    export of personal data is itself audited, with its filters and how many it held."""
    if not may_export(user):
        raise PermissionDenied(EXPORT)
    rows = list(veterans_for(user, **filters).values_list(*EXPORT_COLUMNS))
    with transaction.atomic():
        record(
            actor=user,
            action="people.veteran.export",
            subject=user,
            changes={
                "filters": [None, {k: v for k, v in filters.items() if v}],
                "count": [None, len(rows)],
            },
        )
    return rows


def coordinators_in_scope(user) -> QuerySet[User]:
    """Who coordinates the veterans this person sees (the list's coordinator filter)."""
    ids = veterans_visible_to(user).exclude(coordinator=None).values("coordinator_id")
    return User.objects.filter(pk__in=ids).order_by("last_name", "first_name")


def awaiting_coordinator(user) -> QuerySet[Veteran]:
    """New veterans in the person's scope whom nobody coordinates yet, longest waiting first."""
    return (
        veterans_visible_to(user)
        .filter(status=Veteran.Status.NEW, coordinator=None)
        .select_related("region")
        .order_by("created_at", "pk")
    )


# A run of digits and separators long enough to be (part of) a phone number: "+7 941 000-01-47".
_PHONE_LIKE = re.compile(r"\+?\d[\d\s\-()]{5,}\d")


def _search(q: str) -> Q:
    """Every word must match: a name (any case, ё as е), the e-mail, the record's number, or
    the phone, however the phone is written."""
    condition = Q()
    for phone in _PHONE_LIKE.findall(q):
        condition &= _phone_search(phone)
    for word in _PHONE_LIKE.sub(" ", q).split():
        part = Q(search_text__contains=fold(word))
        digits = "".join(char for char in word if char.isdigit())
        if len(digits) >= 4:
            part |= Q(phone__contains=digits)
        if (pk := whole_number(word)) is not None:
            part |= Q(pk=pk)
        condition &= part
    return condition


def _phone_search(typed: str) -> Q:
    """A whole number finds its record whatever the format; a part of one (the last digits
    a caller reads out) finds the records whose number holds it."""
    with suppress(ValueError):
        return Q(phone=normalize_phone(typed))
    digits = "".join(char for char in typed if char.isdigit())
    return Q(phone__contains=digits)


def veteran_for(user, pk: int, *, audit: bool = True) -> Veteran:
    """One veteran's record, or 404 when it is missing or outside the person's scope.

    Reading a record is itself audited.
    """
    veteran = (
        veterans_visible_to(user)
        .select_related("region", "coordinator", "branch", "account")
        .filter(pk=pk)
        .first()
    )
    if veteran is None:
        raise Http404("no such veteran")
    if audit:
        record(actor=user, action="people.veteran.view", subject=veteran)
    return veteran


def find_duplicates(
    *,
    last_name: str,
    first_name: str,
    birth_date: date | None,
    phone: str,
    exclude_pk: int | None = None,
) -> QuerySet[Veteran]:
    """Records that look like the same person: same name and birth date, or same phone.

    Searches the whole registry, whatever the caller may see: callers show details only of
    the matches the person is allowed to see.
    """
    match = Q(pk__in=[])
    if last_name.strip() and first_name.strip() and birth_date:
        match |= Q(identity_key=identity_key(last_name, first_name), birth_date=birth_date)
    if phone:
        with suppress(ValueError):
            match |= Q(phone=normalize_phone(phone))
    duplicates = Veteran.objects.filter(match)
    if exclude_pk is not None:
        duplicates = duplicates.exclude(pk=exclude_pk)
    return duplicates


def duplicates_of(user, veteran: Veteran, *, limit: int = 10) -> tuple[list[Veteran], int]:
    """Records that look like this one: those the person may see, and how many others (a
    hidden match is the keeper's to merge, never shown)."""
    found = list(
        find_duplicates(
            last_name=veteran.last_name,
            first_name=veteran.first_name,
            birth_date=veteran.birth_date,
            phone=veteran.phone,
            exclude_pk=veteran.pk,
        )[:limit]
    )
    visible = set(
        veterans_visible_to(user)
        .filter(pk__in=[match.pk for match in found])
        .values_list("pk", flat=True)
    )
    return [match for match in found if match.pk in visible], len(found) - len(visible)


def active_consents(veteran: Veteran) -> dict[str, Consent]:
    return {consent.purpose: consent for consent in veteran.consents.filter(withdrawn_at=None)}


def has_consent(veteran: Veteran, purpose: str) -> bool:
    return veteran.consents.filter(purpose=purpose, withdrawn_at=None).exists()


def _coded_as(prefix: str, occupation) -> Q:
    """The part's occupation is this one: set by a coordinator, or suggested and not overruled."""
    return Q(**{f"{prefix}__occupation": occupation}) | Q(
        **{f"{prefix}__occupation": None, f"{prefix}__suggested_occupation": occupation}
    )


def veterans_with_occupation(user, occupation) -> QuerySet[Veteran]:
    """Veterans in the user's scope whose military specialty or a civilian job is coded as this
    occupation."""
    return (
        veterans_visible_to(user)
        .filter(_coded_as("service_records", occupation) | _coded_as("civilian_jobs", occupation))
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
