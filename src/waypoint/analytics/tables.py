"""A table of figures: what every view shows, every export writes and the report prints.
Suppression happens when a table is built, so no view or export can forget it."""

from dataclasses import dataclass, field

from django.utils.translation import get_language

from waypoint.analytics import suppression as hide
from waypoint.regions.models import Region
from waypoint.taxonomy.models import IscoGroup
from waypoint.taxonomy.okz import okz


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

    def labelled(self) -> list[list[tuple[str, object]]]:
        """Each row's cells with their column's label (a phone shows a row as a card)."""
        return [
            [(column.label, row.get(column.key)) for column in self.columns] for row in self.rows
        ]


def region_names() -> dict[str, str]:
    russian = (get_language() or "en").startswith("ru")
    return {
        code: (ru if russian else en)
        for code, ru, en in Region.objects.values_list("code", "name_ru", "name_en")
    }


def major_group_names() -> dict[str, str]:
    return isco_group_names(1)


# ISCO-08 sub-major groups, for taxonomies that bring only the major groups (the starter
# taxonomy): without them every sub-major row of the demand table read "not coded".
ISCO_SUB_MAJOR_EN = {
    "01": "Commissioned armed forces officers",
    "02": "Non-commissioned armed forces officers",
    "03": "Armed forces occupations, other ranks",
    "11": "Chief executives, senior officials and legislators",
    "12": "Administrative and commercial managers",
    "13": "Production and specialised services managers",
    "14": "Hospitality, retail and other services managers",
    "21": "Science and engineering professionals",
    "22": "Health professionals",
    "23": "Teaching professionals",
    "24": "Business and administration professionals",
    "25": "Information and communications technology professionals",
    "26": "Legal, social and cultural professionals",
    "31": "Science and engineering associate professionals",
    "32": "Health associate professionals",
    "33": "Business and administration associate professionals",
    "34": "Legal, social, cultural and related associate professionals",
    "35": "Information and communications technicians",
    "41": "General and keyboard clerks",
    "42": "Customer services clerks",
    "43": "Numerical and material recording clerks",
    "44": "Other clerical support workers",
    "51": "Personal service workers",
    "52": "Sales workers",
    "53": "Personal care workers",
    "54": "Protective services workers",
    "61": "Market-oriented skilled agricultural workers",
    "62": "Market-oriented skilled forestry, fishery and hunting workers",
    "63": "Subsistence farmers, fishers, hunters and gatherers",
    "71": "Building and related trades workers, excluding electricians",
    "72": "Metal, machinery and related trades workers",
    "73": "Handicraft and printing workers",
    "74": "Electrical and electronic trades workers",
    "75": "Food processing, wood working, garment and other craft and related trades workers",
    "81": "Stationary plant and machine operators",
    "82": "Assemblers",
    "83": "Drivers and mobile plant operators",
    "91": "Cleaners and helpers",
    "92": "Agricultural, forestry and fishery labourers",
    "93": "Labourers in mining, construction, manufacturing and transport",
    "94": "Food preparation assistants",
    "95": "Street and related sales and service workers",
    "96": "Refuse workers and other elementary workers",
}


def isco_group_names(*digits: int) -> dict[str, str]:
    """ISCO-08 group labels by code, for the groups whose codes have these many digits
    (1 major, 2 sub-major, 3 minor, 4 unit): the stored groups' labels, else the names of
    the classification itself (ОКЗ in Russian, ISCO-08's sub-major groups in English)."""
    russian = (get_language() or "en").startswith("ru")
    if russian:
        names = {code: name for code, name in okz().items() if len(code) in digits}
    else:
        names = {code: name for code, name in ISCO_SUB_MAJOR_EN.items() if len(code) in digits}
    pattern = "^(" + "|".join(r"\d" * n for n in digits) + ")$"
    for code, en, ru in IscoGroup.objects.filter(code__regex=pattern).values_list(
        "code", "label_en", "label_ru"
    ):
        label = (ru or names.get(code) or en) if russian else en
        if label:
            names[code] = label
    return names
