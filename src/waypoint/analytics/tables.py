"""A table of figures: what every view shows, every export writes and the report prints.
Suppression happens when a table is built, so no view or export can forget it."""

from dataclasses import dataclass, field

from django.utils.translation import get_language

from waypoint.analytics import suppression as hide
from waypoint.regions.models import Region
from waypoint.taxonomy.models import IscoGroup


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # people (suppressed below five), count (of things, not people), number, rate (%), money,
    # days, text
    kind: str = "people"


@dataclass
class Table:
    name: str  # the export's file name
    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    definition: str = ""

    def suppressed(self) -> "Table":
        """Counts of people below five become "<5" (rates were hidden when computed)."""
        for row in self.rows:
            for column in self.columns:
                if column.kind == "people":
                    row[column.key] = hide.count(row.get(column.key))
        return self

    def values(self) -> list[list]:
        return [[row.get(column.key) for column in self.columns] for row in self.rows]


def region_names() -> dict[str, str]:
    russian = (get_language() or "en").startswith("ru")
    return {
        code: (ru if russian else en)
        for code, ru, en in Region.objects.values_list("code", "name_ru", "name_en")
    }


def major_group_names() -> dict[str, str]:
    return isco_group_names(1)


def isco_group_names(*digits: int) -> dict[str, str]:
    """ISCO-08 group labels by code, for the groups whose codes have these many digits
    (1 major, 2 sub-major, 3 minor, 4 unit)."""
    russian = (get_language() or "en").startswith("ru")
    pattern = "^(" + "|".join(r"\d" * n for n in digits) + ")$"
    return {
        code: (ru or en) if russian else en
        for code, en, ru in IscoGroup.objects.filter(code__regex=pattern).values_list(
            "code", "label_en", "label_ru"
        )
    }
