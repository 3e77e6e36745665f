"""Screening instruments as data: items, response options, scoring, bands, cut-offs, source.

The instruments shipped with Waypoint (data/instruments/*.json) may all be redistributed
freely. An organisation adds others (the full AUDIT, C-SSRS, ISI ...) from its own licensed
copy by putting a definition file in the instruments directory (WAYPOINT_INSTRUMENTS_DIR,
default $WAYPOINT_HOME/instruments); every file is checked against the schema when it is
loaded, and a bad one is refused naming the file, the field and the rule.

Pure Python on purpose: `waypoint wellbeing score` works without a database or settings.
"""

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

BUILT_IN = Path(__file__).parent / "data" / "instruments"
LANGUAGES = ("en", "ru")


class InstrumentError(ValueError):
    """A definition that breaks the schema; the message names the file, field and rule."""


@dataclass(frozen=True)
class Option:
    value: int
    label: dict[str, str]


@dataclass(frozen=True)
class Item:
    id: str
    text: dict[str, str]
    options: tuple[Option, ...]
    is_gate: bool = False

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(option.value for option in self.options)


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    name: str
    title: dict[str, str]
    measures: str
    citation: str
    licence: str
    redistributable: bool
    preamble: dict[str, str]
    items: tuple[Item, ...]
    scoring: dict[str, Any]
    source: str  # "built-in" or the path of the organisation's file

    @property
    def gate(self) -> Item | None:
        return next((item for item in self.items if item.is_gate), None)

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if not item.is_gate)

    @property
    def full_instrument(self) -> str | None:
        """The instrument to give next when this screener is positive (two-stage battery)."""
        return self.scoring.get("full_instrument")

    @property
    def needs_sex(self) -> bool:
        return "min_total_by_sex" in self.scoring.get("positive", {})

    def total_range(self) -> tuple[int, int]:
        items = self.scored_items
        return (
            sum(min(item.values) for item in items),
            sum(max(item.values) for item in items),
        )

    def text(self, field: dict[str, str], language: str) -> str:
        return field.get(language) or field["en"]

    def cut_off(self, sex: str | None = None) -> int | None:
        """The lowest positive total (for the person's sex where it depends on it)."""
        positive = self.scoring["positive"]
        if "min_total" in positive:
            return positive["min_total"]
        return positive["min_total_by_sex"].get(sex or "")

    def band_label(self, name: str, language: str) -> str:
        """A band's name in the reader's language (the definition's label; else its name)."""
        for band in self.scoring.get("bands", []):
            if band["name"] == name:
                return self.text(band.get("label") or {"en": name}, language)
        return name

    def as_definition(self) -> dict[str, Any]:
        """The definition as it would be written to a file (for FHIR export and tests)."""
        return {
            "id": self.id,
            "version": self.version,
            "name": self.name,
            "title": self.title,
            "measures": self.measures,
            "citation": self.citation,
            "licence": self.licence,
            "redistributable": self.redistributable,
            "preamble": self.preamble,
            "options": [],
            "items": [
                {
                    "id": item.id,
                    "text": item.text,
                    "options": [{"value": o.value, "label": o.label} for o in item.options],
                    **({"role": "gate"} if item.is_gate else {}),
                }
                for item in self.items
            ],
            "scoring": self.scoring,
        }


def extra_directory() -> Path:
    configured = os.environ.get("WAYPOINT_INSTRUMENTS_DIR")
    if configured:
        return Path(configured)
    home = os.environ.get("WAYPOINT_HOME")
    if not home:
        import platformdirs

        home = platformdirs.user_data_dir("waypoint")
    return Path(home) / "instruments"


@cache
def _built_in() -> dict[str, Instrument]:
    return {
        instrument.id: instrument
        for instrument in (
            parse(json.loads(path.read_text(encoding="utf-8")), "built-in", path.name)
            for path in sorted(BUILT_IN.glob("*.json"))
        )
    }


def _extra() -> dict[str, Instrument]:
    """The organisation's instruments, parsed again only when a file in the directory is added,
    removed or changed (every scoring and every page asks for instruments)."""
    directory = extra_directory()
    if not directory.is_dir():
        return {}
    files = tuple(
        (str(path), stat.st_mtime_ns, stat.st_size)
        for path in sorted(directory.glob("*.json"))
        for stat in (path.stat(),)
    )
    return _parse_extra(files)


@cache
def _parse_extra(files: tuple[tuple[str, int, int], ...]) -> dict[str, Instrument]:
    found: dict[str, Instrument] = {}
    for name, _modified, _size in files:
        path = Path(name)
        instrument = load_file(path)
        if instrument.id in _built_in() or instrument.id in found:
            raise InstrumentError(f"{path.name}: id: {instrument.id!r} is already defined")
        found[instrument.id] = instrument
    return found


def load_file(path: Path) -> Instrument:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InstrumentError(f"{path.name}: not a readable JSON file ({exc})") from exc
    return parse(data, str(path), path.name)


def all_instruments() -> dict[str, Instrument]:
    return {**_built_in(), **_extra()}


def get(instrument_id: str) -> Instrument:
    instruments = all_instruments()
    if instrument_id not in instruments:
        raise InstrumentError(
            f"instrument: {instrument_id!r} is unknown; known: {', '.join(sorted(instruments))}"
        )
    return instruments[instrument_id]


# Schema check ---------------------------------------------------------------------------


def _require(data: dict, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in data:
        raise InstrumentError(f"{where}{key}: is required")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise InstrumentError(f"{where}{key}: must be {names}")
    return value


def _texts(data: dict, key: str, where: str) -> dict[str, str]:
    value = _require(data, key, dict, where)
    if not isinstance(value.get("en"), str) or not value["en"].strip():
        raise InstrumentError(f"{where}{key}.en: an English text is required")
    for language, text in value.items():
        if language not in LANGUAGES or not isinstance(text, str):
            raise InstrumentError(
                f"{where}{key}.{language}: texts are strings in {', '.join(LANGUAGES)}"
            )
    return value


def _options(rows: Any, where: str) -> tuple[Option, ...]:
    if not isinstance(rows, list):
        raise InstrumentError(f"{where}: must be a list")
    options = []
    for position, row in enumerate(rows):
        here = f"{where}[{position}]."
        if not isinstance(row, dict):
            raise InstrumentError(f"{where}[{position}]: must be an object")
        options.append(Option(_require(row, "value", int, here), _texts(row, "label", here)))
    values = [option.value for option in options]
    if len(set(values)) != len(values):
        raise InstrumentError(f"{where}: option values must be distinct")
    return tuple(options)


def parse(data: Any, source: str, name: str) -> Instrument:
    """Check one definition against the schema and build the Instrument."""
    at = f"{name}: "
    if not isinstance(data, dict):
        raise InstrumentError(f"{at}the definition must be a JSON object")
    instrument_id = _require(data, "id", str, at)
    if (
        not instrument_id.isascii()
        or not instrument_id.isalnum()
        or instrument_id.lower() != (instrument_id)
    ):
        raise InstrumentError(f"{at}id: lower-case letters and digits only")
    shared = _options(data.get("options", []), f"{at}options")
    items = []
    raw_items = _require(data, "items", list, at)
    if not raw_items:
        raise InstrumentError(f"{at}items: at least one item is required")
    for position, raw in enumerate(raw_items):
        here = f"{at}items[{position}]."
        if not isinstance(raw, dict):
            raise InstrumentError(f"{at}items[{position}]: must be an object")
        own = _options(raw["options"], f"{here}options") if "options" in raw else shared
        if not own:
            raise InstrumentError(f"{here}options: an item needs response options")
        role = raw.get("role", "")
        if role not in ("", "gate"):
            raise InstrumentError(f"{here}role: only 'gate' is known")
        items.append(
            Item(_require(raw, "id", str, here), _texts(raw, "text", here), own, role == "gate")
        )
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise InstrumentError(f"{at}items: item ids must be distinct")
    scoring = _require(data, "scoring", dict, at)
    _check_scoring(scoring, set(ids), f"{at}scoring.")
    return Instrument(
        id=instrument_id,
        version=str(_require(data, "version", str, at)),
        name=_require(data, "name", str, at),
        title=_texts(data, "title", at),
        measures=_require(data, "measures", str, at),
        citation=_require(data, "citation", str, at),
        licence=_require(data, "licence", str, at),
        redistributable=bool(data.get("redistributable", False)),
        preamble=_texts(data, "preamble", at) if "preamble" in data else {"en": ""},
        items=tuple(items),
        scoring=scoring,
        source=source,
    )


_SCORING_KEYS = {
    "missing",
    "bands",
    "positive",
    "flags",
    "subscales",
    "cluster_rule",
    "gate",
    "full_instrument",
}


def _check_scoring(scoring: dict, ids: set[str], at: str) -> None:
    unknown = set(scoring) - _SCORING_KEYS
    if unknown:
        raise InstrumentError(f"{at}{sorted(unknown)[0]}: unknown scoring rule")
    missing = _require(scoring, "missing", dict, at)
    if _require(missing, "max_missing", int, f"{at}missing.") < 0:
        raise InstrumentError(f"{at}missing.max_missing: must be 0 or more")
    if missing["max_missing"] and missing.get("method") != "prorate":
        raise InstrumentError(f"{at}missing.method: 'prorate' is required when items may miss")
    previous = None
    for position, band in enumerate(scoring.get("bands", [])):
        here = f"{at}bands[{position}]."
        _require(band, "name", str, here)
        if "label" in band:
            _texts(band, "label", here)
        low, high = _require(band, "min", int, here), _require(band, "max", int, here)
        if low > high or (previous is not None and low != previous + 1):
            raise InstrumentError(f"{here}min: bands must be contiguous and ascending")
        previous = high
    positive = _require(scoring, "positive", dict, at)
    if "min_total" in positive:
        _require(positive, "min_total", int, f"{at}positive.")
    elif "min_total_by_sex" in positive:
        by_sex = _require(positive, "min_total_by_sex", dict, f"{at}positive.")
        if set(by_sex) != {"m", "f"} or not all(isinstance(v, int) for v in by_sex.values()):
            raise InstrumentError(f"{at}positive.min_total_by_sex: integers for 'm' and 'f'")
    else:
        raise InstrumentError(f"{at}positive: min_total or min_total_by_sex is required")
    for position, flag in enumerate(scoring.get("flags", [])):
        here = f"{at}flags[{position}]."
        _require(flag, "name", str, here)
        if "item" in flag:
            if flag["item"] not in ids:
                raise InstrumentError(f"{here}item: {flag['item']!r} is not an item")
            _require(flag, "min", int, here)
        elif flag.get("when") != "positive":
            raise InstrumentError(f"{here}item: an item (with min) or when='positive' is needed")
    subscales = scoring.get("subscales", {})
    for subscale, members in subscales.items():
        if not isinstance(members, list) or not set(members) <= ids:
            raise InstrumentError(f"{at}subscales.{subscale}: must list item ids")
    if "cluster_rule" in scoring:
        rule = scoring["cluster_rule"]
        here = f"{at}cluster_rule."
        _require(rule, "flag", str, here)
        _require(rule, "item_min", int, here)
        require = _require(rule, "require", dict, here)
        if not set(require) <= set(subscales):
            raise InstrumentError(f"{here}require: names subscales that are not defined")
    if "gate" in scoring:
        gate = _require(scoring, "gate", dict, at)
        if gate.get("item") not in ids:
            raise InstrumentError(f"{at}gate.item: must be an item id")
        _require(gate, "total_if_no", int, f"{at}gate.")
    if "full_instrument" in scoring:
        _require(scoring, "full_instrument", str, at)
