"""What a person reads for the names the well-being data keeps as codes: instruments (their
short international name, "PHQ-9", and their descriptive title in the interface's language),
severity bands, the flags scoring raises, the reasons scoring gives, and the default risk
rules.

A band shares its English word with a risk tier ("moderate" depression, a "moderate" tier):
the bands are translated in their own context, so each reads right in Russian.
"""

from django.utils.translation import get_language, gettext, ngettext, pgettext_lazy

from waypoint.wellbeing import defaults, instruments
from waypoint.wellbeing.scoring import Reason

BANDS = {
    "minimal": pgettext_lazy("severity band", "minimal"),
    "mild": pgettext_lazy("severity band", "mild"),
    "moderate": pgettext_lazy("severity band", "moderate"),
    "moderately severe": pgettext_lazy("severity band", "moderately severe"),
    "severe": pgettext_lazy("severity band", "severe"),
    "low": pgettext_lazy("severity band", "low"),
    "high": pgettext_lazy("severity band", "high"),
    "very high": pgettext_lazy("severity band", "very high"),
    "serious": pgettext_lazy("severity band", "serious"),
}
FLAGS = {
    "safety": pgettext_lazy("screening flag", "safety"),
    "provisional_diagnosis": pgettext_lazy("screening flag", "provisional diagnosis"),
}
DEFAULT_RULE_NAMES = frozenset(rule[0] for rule in defaults.RULES)


def _instrument(instrument_id: str) -> instruments.Instrument | None:
    try:
        return instruments.get(instrument_id)
    except instruments.InstrumentError:
        return None


def instrument_name(instrument_id: str) -> str:
    """The short name people know an instrument by ("PHQ-9"), never its internal id."""
    instrument = _instrument(instrument_id)
    return instrument.name if instrument is not None else instrument_id


def instrument_title(instrument_id: str) -> str:
    """The descriptive title in the interface's language, with the short name in it."""
    instrument = _instrument(instrument_id)
    if instrument is None:
        return instrument_id
    return instrument.text(instrument.title, (get_language() or "en")[:2])


def band(name: str | None) -> str:
    return str(BANDS.get(name, name)) if name else ""


def flag(name: str) -> str:
    return str(FLAGS.get(name, name))


def rule(name: str) -> str:
    """A risk rule's name: the default rules read in the interface's language; a rule an
    administrator wrote reads as they wrote it."""
    return gettext(name) if name in DEFAULT_RULE_NAMES else name


def reason(reason: Reason) -> str:
    """Why scoring gave its result, in the reader's language (the flag it names too)."""
    params = dict(reason.params)
    if "flag" in params:
        params["flag"] = flag(params["flag"])
    if reason.plural is None:
        return gettext(reason.message) % params
    return ngettext(reason.message, reason.plural, params["count"]) % params
