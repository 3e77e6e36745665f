"""Calendar arithmetic the standard library lacks, and dates as a reader reads them."""

import calendar
from datetime import date, datetime

from django.utils import formats, timezone


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 →
    28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(
        year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1])
    )


def local_date(value: date | datetime | str | None, format_name: str = "SHORT_DATE_FORMAT") -> str:
    """A date in the active language's format (07.12.2026; 7 Dec 2026) that never breaks
    across lines: its spaces are non-breaking. Accepts a date, an aware datetime (its local
    day) or an ISO date string; None gives a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return formats.date_format(value, format_name).replace(" ", "\u00a0")
