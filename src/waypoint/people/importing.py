"""Veterans from a CSV or XLSX file: reading and checking the rows, without writing anything.

A row is checked as intake checks a record (the same validation, the same normalisation) and
against the registry: a row that matches an existing record (same name and birth date, or
same phone), or an earlier row of the file, is counted as existing and left alone, so
importing the same file twice creates nobody twice. Checking only reads the database and opens
no transaction, so it never holds the write lock (on SQLite, one lock for the whole database).
Writing is the job's (waypoint.people.import_jobs).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from waypoint.kit.columns import nul_problem
from waypoint.kit.phone import normalize_phone
from waypoint.kit.tabular import Row, TableError
from waypoint.people.models import Consent, ServiceRecord, Veteran
from waypoint.people.registration import ConsentGiven, Registration, new_veteran
from waypoint.regions.models import Region

REQUIRED = [
    "last_name",
    "first_name",
    "birth_date",
    "sex",
    "phone",
    "region",
    "consent_personal_data",
]
OPTIONAL = [
    "entered_on",
    "patronymic",
    "last_name_latin",
    "first_name_latin",
    "email",
    "address",
    "driving_licences",
    "consent_channel",
    "consent_health_data",
    "service_branch",
    "specialty",
    "specialty_code",
    "rank",
    "service_start",
    "service_end",
]
COLUMNS = REQUIRED + OPTIONAL
YES = {"yes", "y", "да", "д", "1", "true", "+"}
SEX = {
    "m": "m",
    "м": "m",
    "male": "m",
    "муж": "m",
    "мужской": "m",
    "f": "f",
    "ж": "f",
    "female": "f",
    "жен": "f",
    "женский": "f",
}
SHOWN_CHARACTERS = 40  # of a wrong value quoted back in a message


@dataclass(frozen=True)
class RejectedRow:
    line: int
    field: str
    reason: str


@dataclass
class Candidate:
    """A row that passed every check: its record, consents and service record, unsaved."""

    line: int
    veteran: Veteran
    consents: list[ConsentGiven]
    service: ServiceRecord | None


@dataclass
class Checked:
    """What one batch of rows would do: the new records, how many exist, what is wrong."""

    new: list[Candidate] = field(default_factory=list)
    existing: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)

    @property
    def rejected_lines(self) -> int:
        return len({row.line for row in self.rejected})


class _RowError(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors


def check_columns(header: list[str]) -> None:
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name and name not in COLUMNS]
    problems = []
    if missing:
        problems.append(_("missing required columns: %(names)s") % {"names": ", ".join(missing)})
    if unknown:
        problems.append(
            _("unknown columns: %(names)s") % {"names": ", ".join(map(_shortened, unknown))}
        )
    if problems:
        raise TableError(
            "; ".join(problems) + ". " + _("Columns: %(names)s") % {"names": ", ".join(COLUMNS)}
        )


class Checker:
    """Checks a file's rows a batch at a time, remembering the rows it has already seen."""

    def __init__(self, actor):
        self.actor = actor
        self.regions = _region_lookup()
        self.seen: set[tuple] = set()

    def check(self, rows: Iterable[Row]) -> Checked:
        checked = Checked()
        candidates = []
        for row in rows:
            try:
                candidates.append(self._candidate(row))
            except _RowError as exc:
                _reject(checked, row.line, exc.errors)
        registered = _registered(candidates)
        for candidate in candidates:
            keys = _keys(candidate.veteran)
            if keys & self.seen or keys & registered:
                checked.existing += 1
                continue
            self.seen |= keys
            checked.new.append(candidate)
        return checked

    def _candidate(self, row: Row) -> Candidate:
        registration, service_values = _parse(row.values, self.regions)
        errors: dict[str, list[str]] = {}
        try:
            veteran = new_veteran(
                actor=self.actor,
                registration=registration,
                channel=Veteran.Channel.IMPORT,
                region_checked=True,
            )
        except ValidationError as exc:
            _collect(errors, exc)
            veteran = None
        else:
            veteran.refresh_search_fields()  # bulk_create, which writes it, skips save()
        service = None
        if service_values:
            service = ServiceRecord(**service_values)
            if veteran is not None:
                service.veteran = veteran
            try:
                service.full_clean(exclude=["veteran"])
            except ValidationError as exc:
                _collect(errors, exc)
        if errors or veteran is None:
            raise _RowError(errors)
        return Candidate(row.line, veteran, registration.consents, service)


def _keys(veteran: Veteran) -> set[tuple]:
    return {("name", veteran.identity_key, veteran.birth_date), ("phone", veteran.phone)}


def _registered(candidates: list[Candidate]) -> set[tuple]:
    """The keys of registered records that match any of the candidates: one indexed query for
    the batch rather than one per row."""
    if not candidates:
        return set()
    phones = {c.veteran.phone for c in candidates}
    names = {c.veteran.identity_key for c in candidates}
    births = {c.veteran.birth_date for c in candidates}
    found = Veteran.objects.filter(
        Q(phone__in=phones) | Q(identity_key__in=names, birth_date__in=births)
    ).values_list("identity_key", "birth_date", "phone")
    keys: set[tuple] = set()
    for name, birth_date, phone in found:
        keys.add(("name", name, birth_date))
        keys.add(("phone", phone))
    return keys


def _region_lookup() -> dict[str, str]:
    lookup = {}
    for region in Region.objects.all():
        for key in (region.code, region.name_ru, region.name_en, region.code.lstrip("0")):
            lookup[key.lower()] = region.code
    return lookup


_COLUMN_OF_FIELD = {
    "region_id": "region",
    "start_date": "service_start",
    "end_date": "service_end",
    "branch": "service_branch",
    "consent": "consent_personal_data",
    "__all__": "row",
}


def _column(field_name: str) -> str:
    return _COLUMN_OF_FIELD.get(field_name, field_name)


def _collect(errors: dict[str, list[str]], exc: ValidationError) -> None:
    found = exc.message_dict if hasattr(exc, "error_dict") else {"row": exc.messages}
    for name, messages in found.items():
        errors.setdefault(_column(name), []).extend(messages)


def _reject(checked: Checked, line: int, errors: dict[str, list[str]]) -> None:
    for name, messages in errors.items():
        for message in messages:
            checked.rejected.append(RejectedRow(line, name, str(message)))


def _shortened(text: str) -> str:
    """A text as a message quotes it: never the whole of a long one."""
    return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + "…"


def _shown(value: str) -> str:
    return repr(_shortened(value))


def _parse(values: dict[str, str], regions: dict[str, str]):
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name, value in values.items():
        problem = nul_problem(value)
        if problem:
            fail(name, problem)
    if errors:  # a binary file saved as text: nothing else in the row is worth reading
        raise _RowError(errors)
    for name in REQUIRED:
        if not values.get(name):
            fail(name, _("this column is required"))
    birth = _date(values.get("birth_date", ""), "birth_date", fail)
    entered = _date(values.get("entered_on", ""), "entered_on", fail)
    sex = SEX.get(values.get("sex", "").strip().lower())
    if values.get("sex") and sex is None:
        fail("sex", _("use m or f (м or ж)"))
    region = regions.get(values.get("region", "").strip().lower())
    if values.get("region") and region is None:
        fail(
            "region",
            _("unknown region %(value)s: use a two-digit code or a name")
            % {"value": _shown(values["region"])},
        )
    if values.get("phone"):
        try:
            normalize_phone(values["phone"])
        except ValueError as exc:
            fail("phone", str(exc))
    if values.get("consent_personal_data") and (
        values["consent_personal_data"].strip().lower() not in YES
    ):
        fail("consent_personal_data", _("a veteran cannot be registered without consent (yes/да)"))
    channel = values.get("consent_channel", "").strip().lower() or Consent.Channel.PAPER
    if channel not in Consent.Channel.values:
        fail(
            "consent_channel",
            _("use one of %(values)s") % {"values": ", ".join(Consent.Channel.values)},
        )
    service = _service(values, fail)
    if errors:
        raise _RowError(errors)
    consents = [ConsentGiven(Consent.Purpose.PERSONAL_DATA, channel)]
    if values.get("consent_health_data", "").strip().lower() in YES:
        consents.append(ConsentGiven(Consent.Purpose.HEALTH_DATA, channel))
    registration = Registration(
        last_name=values["last_name"],
        first_name=values["first_name"],
        patronymic=values.get("patronymic", ""),
        birth_date=birth,
        sex=sex,
        phone=values["phone"],
        region=region,
        consents=consents,
        last_name_latin=values.get("last_name_latin", ""),
        first_name_latin=values.get("first_name_latin", ""),
        email=values.get("email", ""),
        address=values.get("address", ""),
        driving_licences=values.get("driving_licences", ""),
        entered_on=entered,
    )
    return registration, service


def _date(raw: str, name: str, fail) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(raw, pattern).date()  # noqa: DTZ007  (a calendar date)
        except ValueError:
            continue
    fail(name, _("%(value)s is not a date: use YYYY-MM-DD or DD.MM.YYYY") % {"value": _shown(raw)})
    return None


def _choice(raw: str, choices, name: str, fail) -> str:
    raw = raw.strip()
    by_label = {str(label).lower(): value for value, label in choices}
    value = raw if raw in {value for value, _ in choices} else by_label.get(raw.lower())
    if value is None:
        known = ", ".join(value for value, _label in choices)
        fail(
            name,
            _("unknown value %(value)s; use one of %(known)s")
            % {"value": _shown(raw), "known": known},
        )
        return ""
    return value


def _service(values: dict[str, str], fail) -> dict | None:
    if not (values.get("specialty") or values.get("service_start")):
        return None
    service = {
        "branch": _choice(
            values.get("service_branch", "") or "other",
            ServiceRecord.Branch.choices,
            "service_branch",
            fail,
        ),
        "specialty": values.get("specialty", ""),
        "specialty_code": values.get("specialty_code", ""),
        "rank": _choice(
            values.get("rank", "") or "private", ServiceRecord.Rank.choices, "rank", fail
        ),
        "start_date": _date(values.get("service_start", ""), "service_start", fail),
        "end_date": _date(values.get("service_end", ""), "service_end", fail),
    }
    if not service["start_date"]:
        fail("service_start", _("a service record needs its start date"))
    return service


def template_csv() -> str:
    return "\ufeff" + ",".join(COLUMNS) + "\n"
