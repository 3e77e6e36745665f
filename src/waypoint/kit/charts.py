"""Lines over time as inline SVG, drawn on the server (no script, no CDN): each series on its
own 0-to-maximum scale, points labelled by their value, dates spaced as they fall."""

from dataclasses import dataclass
from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Line:
    name: str
    points: list[tuple[date, int]]
    maximum: int


WIDTH, HEIGHT, PAD = 640, 220, 32
COLOURS = ("#1f6feb", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490", "#a16207")


def lines(series: list[Line], title: str) -> SafeString:
    """One polyline per series, with a legend."""
    dates = sorted({day for s in series for day, _total in s.points})
    if not dates:
        return mark_safe("")
    first, last = dates[0], dates[-1]
    span = max((last - first).days, 1)

    def x(day) -> float:
        if first == last:
            return WIDTH / 2
        return PAD + (WIDTH - 2 * PAD) * (day - first).days / span

    def y(total: int, maximum: int) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * total / max(maximum, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + 20 * len(series)}"'
        f' role="img" aria-label="{escape(title)}" class="trend">',
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}"'
        ' stroke="#999"/>',
        f'<text x="{PAD}" y="{HEIGHT - 10}" font-size="11">{first:%d.%m.%Y}</text>',
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 10}" font-size="11" text-anchor="end">'
        f"{last:%d.%m.%Y}</text>",
    ]
    for index, item in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        points = " ".join(
            f"{x(day):.1f},{y(total, item.maximum):.1f}" for day, total in item.points
        )
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>'
        )
        for day, total in item.points:
            cx, cy = x(day), y(total, item.maximum)
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{colour}"/>')
            parts.append(
                f'<text x="{cx:.1f}" y="{cy - 7:.1f}" font-size="11" text-anchor="middle">'
                f"{total}</text>"
            )
        legend_y = HEIGHT + 14 + 20 * index
        parts.append(
            f'<rect x="{PAD}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{PAD + 16}" y="{legend_y}" font-size="12">{escape(item.name)} '
            f"(≤ {item.maximum})</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from numbers and escaped names
