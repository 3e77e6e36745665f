"""Deadlines in calendar or working days, with a country's holidays as data.

Working days are Monday to Friday, minus public holidays and days off moved by decree, plus
the Saturdays or Sundays a decree makes working days. The calendar itself is data (the
`cases.Holiday` table, seeded with the Russian production calendar); these functions only
count.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Calendar:
    days_off: frozenset[date] = field(default_factory=frozenset)  # holidays, moved days off
    working: frozenset[date] = field(default_factory=frozenset)  # weekend days made working

    def is_working_day(self, day: date) -> bool:
        if day in self.working:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def add_working_days(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (start itself not counted); 0 → start, or
        the next working day when start is not one."""
        day = start
        if days == 0:
            while not self.is_working_day(day):
                day += timedelta(days=1)
            return day
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def due_date(self, start: date, days: int, working_days: bool) -> date:
        """A term counted from the day after `start`. A term in calendar days that ends on a
        day off moves to the next working day (Civil Code art. 193)."""
        if working_days:
            return self.add_working_days(start, days)
        return self.add_working_days(start + timedelta(days=days), 0)


def end_of_day(day: date, time_zone: str) -> datetime:
    """The last moment of `day` where the deadline is kept, as an aware datetime."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(time_zone))
