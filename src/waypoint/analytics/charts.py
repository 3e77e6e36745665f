"""Charts as inline SVG drawn on the server: a tile-grid map of regions (one row per federal
district), and horizontal bars (lines over time: kit.charts). No script and no CDN."""

from html import escape

from django.utils.safestring import SafeString, mark_safe

from waypoint.regions.data import FEDERAL_DISTRICTS
from waypoint.regions.models import Region, name_field

TILE, GAP = 34, 4
SCALE = ("#eef4fb", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def tile_map(values: dict[str, object], title: str, link: str = "") -> SafeString:
    """Each region a tile coloured by its value (darker: more), rows by federal district.
    `values` maps region codes to figures ("<5" and None stay uncoloured)."""
    rows: dict[str, list[tuple[str, str]]] = {}
    for code, district, name in Region.objects.order_by("federal_district", "code").values_list(
        "code", "federal_district", name_field()
    ):
        rows.setdefault(str(FEDERAL_DISTRICTS.get(district, district)), []).append((code, name))
    numbers = [n for n in (_number(v) for v in values.values()) if n is not None]
    top = max(numbers, default=0) or 1
    width = 130 + max((len(r) for r in rows.values()), default=1) * (TILE + GAP)
    height = len(rows) * (TILE + GAP) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="tilemap">'
    ]
    for index, (district, regions) in enumerate(rows.items()):
        y = 5 + index * (TILE + GAP)
        parts.append(f'<text x="0" y="{y + TILE / 2 + 4}" font-size="11">{escape(district)}</text>')
        for column, (code, name) in enumerate(regions):
            x = 130 + column * (TILE + GAP)
            value = values.get(code)
            number = _number(value)
            colour = "#f4f4f4" if number is None else SCALE[min(5, int(5 * number / top + 0.5))]
            shown = "" if value is None else str(value)
            tile = (
                f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="3" fill="{colour}" '
                f'stroke="#fff"><title>{escape(name)}: {escape(shown or "—")}</title></rect>'
                f'<text x="{x + TILE / 2}" y="{y + 14}" font-size="10" text-anchor="middle">'
                f"{code}</text>"
                f'<text x="{x + TILE / 2}" y="{y + 27}" font-size="9" text-anchor="middle">'
                f"{escape(shown[:6])}</text>"
            )
            if link and value is not None:
                tile = f'<a href="{escape(link)}{code}">{tile}</a>'
            parts.append(tile)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped names


def bars(items: list[tuple[str, object]], title: str) -> SafeString:
    """Horizontal bars, one per (label, value); suppressed values get no bar."""
    if not items:
        return mark_safe("")
    numbers = [n for n in (_number(v) for _label, v in items) if n is not None]
    top = max(numbers, default=0) or 1
    width, label_width, row = 640, 260, 22
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {row * len(items) + 6}" '
        f'role="img" aria-label="{escape(title)}" class="bars">'
    ]
    for index, (label, value) in enumerate(items):
        y = 3 + index * row
        number = _number(value)
        length = 0 if number is None else (width - label_width - 60) * number / top
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 14}" font-size="11" text-anchor="end">'
            f"{escape(str(label)[:42])}</text>"
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" '
            f'fill="#3182bd"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + 14}" font-size="11">'
            f"{escape('' if value is None else str(value))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped labels
