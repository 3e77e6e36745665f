"""One chart per instrument: a person's totals over time on that instrument's own scale, with
its severity bands shaded and named (the definition's bands; for a screener without bands,
the two sides of its cut-off), dates in the reader's format. Inline SVG drawn on the server
(no script, no CDN); each chart also says the same in words, as a sentence and a table, for
screen readers, for print and for anyone who does not read charts.

Results in words ("12 of 27: moderate") come from here too, so a chart, the person's own page
and the clinician's pages name a result alike."""

from dataclasses import dataclass
from datetime import date
from html import escape

from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.kit.dates import local_date
from waypoint.wellbeing.instruments import Instrument, all_instruments
from waypoint.wellbeing.models import Response

# Least to most severe; a definition's bands take evenly spaced shades of this ramp.
SHADES = ("#dcfce7", "#fef9c3", "#fde68a", "#fed7aa", "#fecaca")
LINE = "#1f5fa8"
# Drawn small so that its text stays legible when a phone shrinks it to the screen's width.
WIDTH, HEIGHT = 360, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 46
INSET = 16  # the first and last dates stand this far inside the axes
LABEL_GAP = 92  # the least room between two date labels on the x axis


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    label: str
    shade: str


@dataclass(frozen=True)
class Point:
    day: date
    shown: str  # the day in the reader's format
    total: int
    result: str


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    low: int
    high: int
    bands: tuple[Band, ...]
    points: tuple[Point, ...]
    summary: str
    svg: SafeString

    @property
    def rows(self) -> list[tuple[str, int, str]]:
        return [(p.shown, p.total, p.result) for p in self.points]


def bands(instrument: Instrument, language: str, sex: str | None = None) -> list[Band]:
    """The definition's bands, or below and at-or-above the positive cut-off when it has none
    (the cut-off for the person's sex where it depends on it)."""
    low, high = instrument.total_range()
    named = [
        (band["min"], band["max"], instrument.band_label(band["name"], language))
        for band in instrument.scoring.get("bands", [])
    ]
    if not named:
        cut = instrument.cut_off(sex)
        if cut is None or not low < cut <= high:
            return []
        named = [(low, cut - 1, _("below the cut-off")), (cut, high, _("positive screen"))]
    last = len(named) - 1
    return [
        Band(a, b, label, SHADES[round(i * (len(SHADES) - 1) / last) if last else 0])
        for i, (a, b, label) in enumerate(named)
    ]


def result_text(instrument: Instrument, response: Response, language: str) -> str:
    """The result in words: its band, or for a screener whether it is positive."""
    if response.total is None:
        return _("not scored")
    if response.band:
        return instrument.band_label(response.band, language)
    return _("positive screen") if response.positive else _("below the cut-off")


def score_text(instrument: Instrument, response: Response, language: str) -> str:
    """The total against the scale's top and the result in words ("12 of 27: moderate"), or
    "not scored" when too much is missing."""
    if response.total is None:
        return _("not scored")
    return _("%(total)s of %(high)s: %(result)s") % {
        "total": response.total,
        "high": instrument.total_range()[1],
        "result": result_text(instrument, response, language),
    }


def for_responses(responses: list[Response], language: str) -> list[Chart]:
    """One chart per instrument among the scored responses (current versions, oldest first):
    instruments with severity bands first, then those with a cut-off only, then the short
    screeners that lead to a full instrument; by name within each."""
    known = all_instruments()
    grouped: dict[str, list[Response]] = {}
    for response in responses:
        if response.total is not None and response.instrument in known:
            grouped.setdefault(response.instrument, []).append(response)
    charts = [chart(known[key], rows, language) for key, rows in grouped.items()]
    order = {
        key: (
            known[key].full_instrument is not None,
            not known[key].scoring.get("bands"),
            known[key].name,
        )
        for key in grouped
    }
    return sorted(charts, key=lambda c: order[c.slug])


def chart(instrument: Instrument, responses: list[Response], language: str) -> Chart:
    with translation.override(language):
        return _chart(instrument, responses, language)


def _chart(instrument: Instrument, responses: list[Response], language: str) -> Chart:
    points = tuple(
        Point(day, local_date(day), r.total, result_text(instrument, r, language))
        for r in responses
        if r.total is not None
        for day in (timezone.localdate(r.submitted_at),)
    )
    low, high = instrument.total_range()
    sex = next((r.sex for r in reversed(responses) if r.sex), None)
    shaded = tuple(bands(instrument, language, sex))
    title = instrument.text(instrument.title, language)
    summary = _summary(instrument.name, low, high, points)
    svg = _svg(instrument.id, title, summary, low, high, shaded, points)
    return Chart(instrument.id, title, low, high, shaded, points, summary, svg)


def _summary(name: str, low: int, high: int, points: tuple[Point, ...]) -> str:
    latest = points[-1]
    values = {
        "name": name,
        "low": low,
        "high": high,
        "count": len(points),
        "first": points[0].shown,
        "last": latest.shown,
        "total": latest.total,
        "result": latest.result,
    }
    if len(points) == 1:
        return (
            _("%(name)s, scale %(low)s–%(high)s: one result, %(total)s (%(result)s) on %(last)s.")
            % values
        )
    return (
        ngettext(
            "%(name)s, scale %(low)s–%(high)s: %(count)d result from %(first)s to %(last)s; "
            "the latest is %(total)s (%(result)s).",
            "%(name)s, scale %(low)s–%(high)s: %(count)d results from %(first)s to %(last)s; "
            "the latest is %(total)s (%(result)s).",
            len(points),
        )
        % values
    )


def _svg(
    slug: str,
    title: str,
    summary: str,
    low: int,
    high: int,
    shaded: tuple[Band, ...],
    points: tuple[Point, ...],
) -> SafeString:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = max(high - low, 1)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / span)

    days = [p.day for p in points]
    first, last = min(days), max(days)
    length = max((last - first).days, 1)

    def x(day: date) -> float:
        if first == last:
            return LEFT + plot_w / 2
        return LEFT + INSET + (plot_w - 2 * INSET) * (day - first).days / length

    halo = 'paint-order="stroke" stroke="#fff" stroke-width="3" stroke-linejoin="round"'
    ident = f"chart-{escape(slug)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="scorechart" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="system-ui, sans-serif">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(summary)}</desc>',
    ]
    # Each band spans its whole scores: from its lowest score's half-step below to its
    # highest score's half-step above, clipped to the scale.
    # Where the points are (their markers and value labels), for band names to keep clear of.
    taken = [(x(p.day) - 11, y(p.total) - 24, x(p.day) + 11, y(p.total) + 6) for p in points]
    for band in shaded:
        top = y(min(band.high + 0.5, high))
        bottom = y(max(band.low - 0.5, low))
        parts.append(
            f'<rect x="{LEFT}" y="{top:.1f}" width="{plot_w}" height="{bottom - top:.1f}" '
            f'fill="{band.shade}"/>'
        )
        name = f"{band.label} {band.low}–{band.high}" if band.low != band.high else band.label
        at_x, at_y, anchor = _place(name, top, bottom, LEFT, LEFT + plot_w, taken)
        parts.append(
            f'<text x="{at_x:.1f}" y="{at_y:.1f}" font-size="13" text-anchor="{anchor}" '
            f'fill="#374151" {halo}>{escape(name)}</text>'
        )
    ticks = sorted({low, high} | {band.low for band in shaded})
    for tick in ticks:
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="#374151">{tick}</text>'
            f'<line x1="{LEFT - 3}" x2="{LEFT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#6b7280"/>'
        )
    parts.append(
        f'<path d="M{LEFT} {TOP}V{TOP + plot_h}H{LEFT + plot_w}" fill="none" stroke="#6b7280"/>'
    )
    axis_y = escape(_("Total score, %(low)s–%(high)s") % {"low": low, "high": high})
    parts.append(
        f'<text transform="translate(14 {TOP + plot_h / 2:.1f}) rotate(-90)" font-size="12" '
        f'text-anchor="middle" fill="#1d2430">{axis_y}</text>'
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 4}" font-size="12" '
        f'text-anchor="middle" fill="#1d2430">{escape(_("Date"))}</text>'
    )
    shift = {"start": -INSET, "middle": 0, "end": INSET}
    for day, anchor in _date_labels(days, x):
        parts.append(
            f'<text x="{x(day) + shift[anchor]:.1f}" y="{TOP + plot_h + 17}" font-size="12" '
            f'text-anchor="{anchor}" fill="#374151">{escape(local_date(day))}</text>'
        )
    if len(points) > 1:
        path = " ".join(f"{x(p.day):.1f},{y(p.total):.1f}" for p in points)
        parts.append(f'<polyline fill="none" stroke="{LINE}" stroke-width="2" points="{path}"/>')
    for point in points:
        cx, cy = x(point.day), y(point.total)
        above = cy - 8 if cy - 8 > TOP + 10 else cy + 18
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{LINE}">'
            f"<title>{escape(point.shown)}: {point.total} ({escape(point.result)})"
            "</title></circle>"
            f'<text x="{cx:.1f}" y="{above:.1f}" font-size="14" font-weight="600" '
            f'text-anchor="middle" fill="#1d2430" {halo}>{point.total}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped texts


def _place(name: str, top: float, bottom: float, left: float, right: float, taken: list):
    """Where a band's name goes: its middle, then near its top or bottom edge, at the left,
    then at the right; the first that keeps clear of every point, else the least covered."""
    width = len(name) * 7.2  # 13-unit text, a little over half an em a letter
    rows = [(top + bottom) / 2 + 4]
    if bottom - top > 26:
        rows += [bottom - 4, top + 14]
    best: tuple[float, tuple[float, float, str]] = (float("inf"), (left + 5, rows[0], "start"))
    for baseline in rows:
        for anchor, start in (("start", left + 5), ("end", right - 5 - width)):
            box = (start, baseline - 11, start + width, baseline + 3)
            covered = sum(
                max(0.0, min(box[2], b[2]) - max(box[0], b[0]))
                * max(0.0, min(box[3], b[3]) - max(box[1], b[1]))
                for b in taken
            )
            place = (start if anchor == "start" else right - 5, baseline, anchor)
            if not covered:
                return place
            if covered < best[0]:
                best = (covered, place)
    return best[1]


def _date_labels(days: list[date], x) -> list[tuple[date, str]]:
    """The first and the last date, and those between with room for their label."""
    unique = sorted(set(days))
    if len(unique) == 1:
        return [(unique[0], "middle")]
    chosen = [(unique[0], "start")]
    for day in unique[1:-1]:
        if x(day) - x(chosen[-1][0]) >= LABEL_GAP and x(unique[-1]) - x(day) >= LABEL_GAP:
            chosen.append((day, "middle"))
    return [*chosen, (unique[-1], "end")]
