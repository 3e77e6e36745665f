"""What a home section is made of. A section is a card: a title, a few parts (how many things
wait, the first of them, and what to do when there are none) and buttons to start work. The
section modules fill these in from each app's selectors; the templates only lay them out."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

ROWS = 5  # the first rows of a part; its count says how many there are in all


@dataclass(frozen=True)
class Row:
    text: str  # the thing to act on: a task's title, a person, an appeal's reference
    url: str = ""  # where that work is done; empty when the person may not open it
    detail: str = ""  # whom or what it concerns
    when: date | datetime | None = None
    note: str = ""  # "3 days overdue", "2 seats left"
    tone: str = ""  # "overdue": shown in red


@dataclass(frozen=True)
class Part:
    title: str
    count: int | None  # how many wait in all; None for a list that is not a queue
    rows: list[Row]
    empty: str  # said when nothing waits: in plain words, with what to do
    more_url: str = ""  # the full list
    tone: str = ""
    when_label: str = ""  # what the rows' dates are: "due", "until"
    with_time: bool = False  # the rows' times matter, not only their days

    @property
    def more(self) -> int:
        return max((self.count or 0) - len(self.rows), 0)

    @property
    def is_empty(self) -> bool:
        return not self.rows and not self.count


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    primary: bool = False


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | float | str | None
    url: str


@dataclass(frozen=True)
class Contact:
    name: str
    organisation: str
    email: str


@dataclass(frozen=True)
class Section:
    key: str  # the card's id, for links and tests
    title: str
    parts: list[Part] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    intro: str = ""
    figures: list[Figure] = field(default_factory=list)
    contact: Contact | None = None


def days_since(moment: datetime | date) -> int:
    """Whole calendar days from the day of `moment` to today (0: today)."""
    day = timezone.localdate(moment) if isinstance(moment, datetime) else moment
    return (timezone.localdate() - day).days


def lateness(due: datetime | date) -> dict[str, str]:
    """A row's note and tone for something due at `due`: "3 days overdue", in red, once past;
    nothing before."""
    now = timezone.now() if isinstance(due, datetime) else timezone.localdate()
    if due >= now:
        return {}
    days = days_since(due)
    if days <= 0:
        note = _("overdue since today")
    else:
        note = ngettext("%(days)d day overdue", "%(days)d days overdue", days) % {"days": days}
    return {"note": note, "tone": "overdue"}


def waiting_note(since: datetime | date) -> str:
    days = days_since(since)
    if days <= 0:
        return _("since today")
    return ngettext("waiting %(days)d day", "waiting %(days)d days", days) % {"days": days}


def after_start(months: int) -> str:
    """When a follow-up of a placement falls: "3 months after the start"."""
    return ngettext(
        "%(months)d month after the start", "%(months)d months after the start", months
    ) % {"months": months}
