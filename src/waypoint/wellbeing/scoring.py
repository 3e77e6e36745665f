"""Exact scoring of an instrument's answers, as the published manuals prescribe.

One function, `score`, reads the rules from the instrument's definition: the rule for
missing items (prorate from the mean of the answered items, or refuse to score), the
gate question, subscales, the DSM-5 cluster rule, bands, cut-offs (sex-specific where the
manual says so) and item flags (PHQ-9 item 9 raises `safety` whatever the total).
Every rule that fired is returned with its reason (as data, read in the reader's language
when it is shown), so a clinician sees why. Pure Python: no Django.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from waypoint.wellbeing.instruments import Instrument


# Reasons are data: scoring runs without Django (`waypoint wellbeing score`, a clinician's
# script) and a reason is read in the reader's language when it is shown (labels.reason).
def _(message: str) -> str:
    """Marks a reason for translation (makemessages reads `_`)."""
    return message


def ngettext(singular: str, plural: str) -> tuple[str, str]:
    """Marks a reason that counts for translation (makemessages reads `ngettext`)."""
    return singular, plural


SEXES = ("m", "f")


class ScoringError(ValueError):
    """Answers that cannot belong to the instrument; the message names the field and rule."""


@dataclass(frozen=True)
class Reason:
    """Why scoring gave its result: the English message (the key of its translation), its
    plural form when the message counts `count`, and the values it names (a flag by its
    code). wellbeing.labels.reason reads it in the reader's language; str() in English."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)
    plural: str | None = None

    def __str__(self) -> str:
        counted = self.plural is not None and self.params.get("count") != 1
        return (self.plural if counted else self.message) % self.params


@dataclass(frozen=True)
class Result:
    instrument: str
    total: int | None
    subscales: dict[str, int | None]
    band: str | None
    positive: bool
    flags: list[str]
    missing: list[str] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "total": self.total,
            "subscales": self.subscales,
            "band": self.band,
            "positive": self.positive,
            "flags": self.flags,
            "missing": self.missing,
            "reasons": [str(reason) for reason in self.reasons],
        }


def parse_answers(text: str) -> list[int | None]:
    """'3,,1' → [3, None, 1]; an empty field is a missing answer."""
    answers: list[int | None] = []
    for position, raw in enumerate(text.split(","), start=1):
        raw = raw.strip()
        if not raw:
            answers.append(None)
            continue
        try:
            answers.append(int(raw))
        except ValueError:
            raise ScoringError(
                f"answers: answer {position} is {raw!r}, not a whole number"
            ) from None
    return answers


def check_answers(
    instrument: Instrument, answers: list[int | None], sex: str | None = None
) -> None:
    items = instrument.items
    if len(answers) != len(items):
        raise ScoringError(
            f"answers: {instrument.name} has {len(items)} answers "
            f"({_layout(instrument)}), got {len(answers)}"
        )
    for position, (item, value) in enumerate(zip(items, answers, strict=True), start=1):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value not in item.values:
            allowed = ", ".join(str(v) for v in item.values)
            raise ScoringError(
                f"answers: answer {position} (item {item.id}) is {value!r}; "
                f"it must be one of {allowed} or empty"
            )
    if sex is not None and sex not in SEXES:
        raise ScoringError("sex: must be 'm' or 'f'")
    if instrument.needs_sex and sex is None:
        cut = instrument.scoring["positive"]["min_total_by_sex"]
        raise ScoringError(
            f"sex: {instrument.name} has sex-specific cut-offs "
            f"(positive at {cut['m']} or more for men, {cut['f']} or more for women); "
            "give m or f"
        )


def _layout(instrument: Instrument) -> str:
    gate = instrument.gate
    count = len(instrument.scored_items)
    if gate is None:
        return f"one per item, {count} items"
    return f"the gate question first, then {count} items"


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def score(instrument: Instrument, answers: list[int | None], sex: str | None = None) -> Result:
    check_answers(instrument, answers, sex)
    rules = instrument.scoring
    by_id = {item.id: value for item, value in zip(instrument.items, answers, strict=True)}
    reasons: list[Reason] = []
    flags = _item_flags(rules, by_id, reasons)

    gate = rules.get("gate")
    if gate is not None:
        gate_answer = by_id[gate["item"]]
        if gate_answer is None:
            reasons.append(Reason(_("not scored: the gate question is unanswered")))
            return _unscored(instrument, flags, [gate["item"]], reasons)
        if gate_answer == 0:
            reasons.append(
                Reason(
                    _("gate question answered “no”: the total is %(total)s"),
                    {"total": gate["total_if_no"]},
                )
            )
            return _finish(instrument, gate["total_if_no"], {}, flags, sex, reasons)

    scored = instrument.scored_items
    missing = [item.id for item in scored if by_id[item.id] is None]
    limit = rules["missing"]["max_missing"]
    if len(missing) > limit:
        message, plural = ngettext(
            "not scored: %(count)s item unanswered, the rule allows %(limit)s",
            "not scored: %(count)s items unanswered, the rule allows %(limit)s",
        )
        reasons.append(Reason(message, {"count": len(missing), "limit": limit}, plural))
        return _unscored(instrument, flags, missing, reasons)

    answered = [by_id[item.id] for item in scored if by_id[item.id] is not None]
    raw = sum(answered)  # type: ignore[arg-type]
    if missing:
        total = _round(Decimal(raw) * len(scored) / len(answered))
        message, plural = ngettext(
            "%(count)s item unanswered: the total is prorated from the mean of the "
            "%(answered)s answered (%(raw)s → %(total)s)",
            "%(count)s items unanswered: the total is prorated from the mean of the "
            "%(answered)s answered (%(raw)s → %(total)s)",
        )
        params = {"count": len(missing), "answered": len(answered), "raw": raw, "total": total}
        reasons.append(Reason(message, params, plural))
    else:
        total = raw

    subscales: dict[str, int | None] = {}
    for name, members in rules.get("subscales", {}).items():
        values = [by_id[member] for member in members]
        subscales[name] = None if None in values else sum(values)  # type: ignore[arg-type]

    rule = rules.get("cluster_rule")
    if rule is not None and not missing:
        counts = {
            name: sum(1 for member in rules["subscales"][name] if by_id[member] >= rule["item_min"])
            for name in rule["require"]
        }
        if all(counts[name] >= need for name, need in rule["require"].items()):
            flags.append(rule["flag"])
            reasons.append(
                Reason(
                    _("%(flag)s: %(counts)s items rated %(min)s or higher"),
                    {
                        "flag": rule["flag"],
                        "counts": ", ".join(
                            f"{name} {counts[name]}/{need}"
                            for name, need in rule["require"].items()
                        ),
                        "min": rule["item_min"],
                    },
                )
            )
    return _finish(instrument, total, subscales, flags, sex, reasons, missing)


def _item_flags(rules: dict, by_id: dict[str, int | None], reasons: list[Reason]) -> list[str]:
    flags = []
    for flag in rules.get("flags", []):
        if "item" in flag:
            value = by_id[flag["item"]]
            if value is not None and value >= flag["min"]:
                flags.append(flag["name"])
                reasons.append(
                    Reason(
                        _(
                            "%(flag)s: item %(item)s answered %(value)s (raised at %(min)s or "
                            "more, whatever the total)"
                        ),
                        {
                            "flag": flag["name"],
                            "item": flag["item"],
                            "value": value,
                            "min": flag["min"],
                        },
                    )
                )
    return flags


def _positive_flags(rules: dict, reasons: list[Reason]) -> list[str]:
    flags = []
    for flag in rules.get("flags", []):
        if flag.get("when") == "positive":
            flags.append(flag["name"])
            reasons.append(Reason(_("%(flag)s: the screen is positive"), {"flag": flag["name"]}))
    return flags


def _unscored(
    instrument: Instrument, flags: list[str], missing: list[str], reasons: list[Reason]
) -> Result:
    subscales: dict[str, int | None] = dict.fromkeys(instrument.scoring.get("subscales", {}))
    return Result(instrument.id, None, subscales, None, False, flags, missing, reasons)


def _finish(
    instrument: Instrument,
    total: int,
    subscales: dict[str, int | None],
    flags: list[str],
    sex: str | None,
    reasons: list[Reason],
    missing: list[str] | None = None,
) -> Result:
    rules = instrument.scoring
    if not subscales:
        subscales = {
            name: (0 if rules.get("gate") else None) for name in rules.get("subscales", {})
        }
    band = next((b["name"] for b in rules.get("bands", []) if b["min"] <= total <= b["max"]), None)
    cut = rules["positive"].get("min_total")
    if cut is None:
        cut = rules["positive"]["min_total_by_sex"][sex]
        reasons.append(
            Reason(
                _("cut-off for men: %(cut)s") if sex == "m" else _("cut-off for women: %(cut)s"),
                {"cut": cut},
            )
        )
    positive = total >= cut
    if positive:
        reasons.append(
            Reason(
                _("positive: the total %(total)s is at or above the cut-off %(cut)s"),
                {"total": total, "cut": cut},
            )
        )
        flags = flags + _positive_flags(rules, reasons)
    return Result(instrument.id, total, subscales, band, positive, flags, missing or [], reasons)
