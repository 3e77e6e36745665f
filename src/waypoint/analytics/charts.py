"""Charts as inline SVG drawn on the server: a tile-grid map of regions (one row per federal
district), and horizontal bars (lines over time: kit.charts). No script and no CDN."""

from html import escape

from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from waypoint.regions.data import FEDERAL_DISTRICTS
from waypoint.regions.models import Region

TILE_W, TILE_H, GAP, LABEL_W = 54, 38, 4, 130
SCALE = ("#eef4fb", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
# Words every other region shares: a tile shows what tells it apart.
GENERIC = {
    "республика", "область", "край", "автономный", "автономная", "округ", "город", "г.",
    "republic", "oblast", "krai", "autonomous", "okrug", "of", "the", "city", "—",
}  # fmt: skip


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def short_name(name: str, width: int = 7) -> str:
    """A region's name cut to fit a tile: its distinctive first word, abbreviated with a dot
    ("Свердловская область" → "Свердл.", "Москва" → "Москва")."""
    if len(name) <= width + 3:
        return name
    words = [w for w in name.replace("—", " ").split() if w.lower() not in GENERIC]
    word = (words or name.split() or [""])[0]
    return word if len(word) <= width else word[: width - 1] + "."


def tile_map(values: dict[str, object], title: str, link: str = "") -> SafeString:
    """Each region a tile coloured by its value (darker: more), rows by federal district,
    each tile named in the interface's language (the full name on hover).
    `values` maps region codes to figures ("<5" and None stay uncoloured)."""
    russian = (get_language() or "en").startswith("ru")
    rows: dict[str, list[tuple[str, str]]] = {}
    for code, district, ru, en in Region.objects.order_by(
        "federal_district", "name_ru" if russian else "name_en"
    ).values_list("code", "federal_district", "name_ru", "name_en"):
        rows.setdefault(district, []).append((code, ru if russian else en))
    numbers = [n for n in (_number(v) for v in values.values()) if n is not None]
    top = max(numbers, default=0) or 1
    width = LABEL_W + max((len(r) for r in rows.values()), default=1) * (TILE_W + GAP)
    height = len(rows) * (TILE_H + GAP) + 10
    parts = [
        # A phone scrolls the map sideways rather than shrinking its names out of sight.
        '<div style="overflow-x: auto">'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="tilemap" style="min-width: {width}px">'
    ]
    for index, (district, regions) in enumerate(rows.items()):
        y = 5 + index * (TILE_H + GAP)
        label = str(FEDERAL_DISTRICTS.get(district, district))
        parts.append(f'<text x="0" y="{y + TILE_H / 2 + 4}" font-size="11">{escape(label)}</text>')
        for column, (code, name) in enumerate(regions):
            x = LABEL_W + column * (TILE_W + GAP)
            value = values.get(code)
            number = _number(value)
            colour = "#f4f4f4" if number is None else SCALE[min(5, int(5 * number / top + 0.5))]
            ink = "#fff" if number is not None and number / top > 0.6 else "#000"
            shown = "" if value is None else _shown(value)
            tile = (
                f'<rect x="{x}" y="{y}" width="{TILE_W}" height="{TILE_H}" rx="3" '
                f'fill="{colour}" stroke="#fff"><title>{escape(name)}: {escape(shown or "—")}'
                f"</title></rect>"
                f'<text x="{x + TILE_W / 2}" y="{y + 14}" font-size="10" text-anchor="middle" '
                f'fill="{ink}">{escape(short_name(name))}</text>'
                f'<text x="{x + TILE_W / 2}" y="{y + 29}" font-size="11" text-anchor="middle" '
                f'fill="{ink}">{escape(shown[:6])}</text>'
            )
            if link and value is not None:
                tile = f'<a href="{escape(link)}{code}">{tile}</a>'
            parts.append(tile)
    parts.append("</svg></div>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped names


def bars(items: list[tuple[str, object]], title: str) -> SafeString:
    """Horizontal bars, one per (label, value), each label above its bar so that it stays
    legible when a phone shrinks the picture; suppressed values get no bar."""
    if not items:
        return mark_safe("")
    numbers = [n for n in (_number(v) for _label, v in items) if n is not None]
    top = max(numbers, default=0) or 1
    width, row = 400, 34
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {row * len(items) + 4}" '
        f'role="img" aria-label="{escape(title)}" class="bars">'
    ]
    for index, (label, value) in enumerate(items):
        y = 2 + index * row
        number = _number(value)
        length = 0 if number is None else (width - 60) * number / top
        text = str(label)
        text = text if len(text) <= 54 else text[:53] + "…"
        parts.append(
            f'<text x="0" y="{y + 12}" font-size="12">{escape(text)}</text>'
            f'<rect x="0" y="{y + 16}" width="{length:.1f}" height="12" fill="#3182bd"/>'
            f'<text x="{length + 4:.1f}" y="{y + 27}" font-size="12">'
            f"{escape('' if value is None else _shown(value))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped labels


def _shown(value) -> str:
    return formats.number_format(value, use_l10n=True) if _number(value) is not None else str(value)
