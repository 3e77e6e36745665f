"""Bulk import of veterans from CSV or XLSX: all-or-nothing, idempotent, every row reported.

A row that matches an existing record (same name and birth date, or same phone) is counted
as existing and left alone, so importing the same file twice creates nobody twice.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from waypoint.audit.services import record
from waypoint.kit.phone import normalize_phone
from waypoint.kit.tabular import Row, TableError, read_table
from waypoint.people import services
from waypoint.people.models import Consent, ServiceRecord, Veteran
from waypoint.people.selectors import find_duplicates
from waypoint.people.signals import veterans_imported
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


@dataclass(frozen=True)
class RejectedRow:
    line: int
    field: str
    reason: str


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0  # valid new rows: written when committed, else what would be
    existing: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    dry_run: bool = False
    committed: bool = False

    @property
    def rejected_lines(self) -> int:
        return len({row.line for row in self.rejected})


class _RowError(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors


class _Rollback(Exception):
    pass


def import_veterans(
    *,
    actor,
    stream: BinaryIO,
    filename: str,
    dry_run: bool,
    skip_invalid: bool,
    encoding: str = "utf-8",
) -> ImportReport:
    """Validate every row, then write all of them or none (unless skip_invalid)."""
    if not actor.has_perm("people.import_veterans"):
        raise PermissionDenied("people.import_veterans")
    _check_size(stream)
    header, rows = read_table(stream, filename, encoding)
    _check_columns(header)
    report = ImportReport(total=len(rows), dry_run=dry_run)
    regions = _region_lookup()
    try:
        with transaction.atomic():
            seen: dict[tuple | str, int] = {}
            for row in rows:
                _import_row(actor, row, regions, seen, report)
            if dry_run or (report.rejected and not skip_invalid):
                raise _Rollback
            record(
                actor=actor,
                action="people.veteran.import",
                subject=actor,
                changes={
                    "file": [None, filename],
                    "created": [None, report.created],
                    "existing": [None, report.existing],
                    "rejected_rows": [None, report.rejected_lines],
                },
            )
            created = report.created
            transaction.on_commit(lambda: veterans_imported.send(sender=Veteran, created=created))
    except _Rollback:
        return report
    report.committed = True
    return report


def _check_size(stream: BinaryIO) -> None:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    limit = settings.WAYPOINT_UPLOAD_MAX_BYTES
    if size > limit:
        raise TableError(
            _("the file is %(size)s KiB; the limit is %(limit)s KiB")
            % {"size": size // 1024, "limit": limit // 1024}
        )


def _check_columns(header: list[str]) -> None:
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name and name not in COLUMNS]
    problems = []
    if missing:
        problems.append(_("missing required columns: %(names)s") % {"names": ", ".join(missing)})
    if unknown:
        problems.append(_("unknown columns: %(names)s") % {"names": ", ".join(unknown)})
    if problems:
        raise TableError(
            "; ".join(problems) + ". " + _("Columns: %(names)s") % {"names": ", ".join(COLUMNS)}
        )


def _region_lookup() -> dict[str, str]:
    lookup = {}
    for region in Region.objects.all():
        for key in (region.code, region.name_ru, region.name_en, region.code.lstrip("0")):
            lookup[key.lower()] = region.code
    return lookup


def _import_row(actor, row: Row, regions, seen: dict, report: ImportReport) -> None:
    try:
        registration, service = _parse(row.values, regions)
        key_name = (
            registration.last_name.lower(),
            registration.first_name.lower(),
            registration.birth_date,
        )
        key_phone = registration.phone
        if key_name in seen or key_phone in seen:
            report.existing += 1
            return
        existing = find_duplicates(
            last_name=registration.last_name,
            first_name=registration.first_name,
            birth_date=registration.birth_date,
            phone=registration.phone,
        )
        if existing.exists():
            report.existing += 1
            return
        with transaction.atomic():
            veteran = services.register_veteran(
                actor=actor,
                registration=registration,
                channel=Veteran.Channel.IMPORT,
                confirm_not_duplicate=True,
            )
            if service:
                services.save_part(actor=actor, veteran=veteran, kind="service", values=service)
        seen[key_name] = seen[key_phone] = veteran.pk
        report.created += 1
    except _RowError as exc:
        _reject(report, row.line, exc.errors)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"row": exc.messages}
        _reject(report, row.line, {_column(name): messages for name, messages in errors.items()})


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


def _reject(report: ImportReport, line: int, errors: dict[str, list[str]]) -> None:
    for name, messages in errors.items():
        for message in messages:
            report.rejected.append(RejectedRow(line, name, str(message)))


def _parse(values: dict[str, str], regions: dict[str, str]):
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name in REQUIRED:
        if not values.get(name):
            fail(name, _("this column is required"))
    birth = _date(values.get("birth_date", ""), "birth_date", fail)
    sex = SEX.get(values.get("sex", "").strip().lower())
    if values.get("sex") and sex is None:
        fail("sex", _("use m or f (м or ж)"))
    region = regions.get(values.get("region", "").strip().lower())
    if values.get("region") and region is None:
        fail(
            "region",
            _("unknown region %(value)r: use a two-digit code or a name")
            % {"value": values["region"]},
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
    consents = [services.ConsentGiven(Consent.Purpose.PERSONAL_DATA, channel)]
    if values.get("consent_health_data", "").strip().lower() in YES:
        consents.append(services.ConsentGiven(Consent.Purpose.HEALTH_DATA, channel))
    registration = services.Registration(
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
    fail(name, _("%(value)r is not a date: use YYYY-MM-DD or DD.MM.YYYY") % {"value": raw})
    return None


def _choice(raw: str, choices, name: str, fail) -> str:
    raw = raw.strip()
    by_label = {str(label).lower(): value for value, label in choices}
    value = raw if raw in {value for value, _ in choices} else by_label.get(raw.lower())
    if value is None:
        known = ", ".join(value for value, _label in choices)
        fail(
            name,
            _("unknown value %(value)r; use one of %(known)s") % {"value": raw, "known": known},
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
