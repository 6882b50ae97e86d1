"""Charts drawn on the server as inline SVG: no script, no style attribute (the CSP is `default-src 'self'`),
nothing fetched. Pure presentation: numbers and labels in, escaped SVG markup out; no domain import.

Every chart is `role="img"` with a <title> (and an optional <desc>); each bar carries its own <title>, which
browsers show on hover. A chart is not its own text alternative: put a caption and a data table next to it.

Colours come from the Okabe–Ito palette, which people with the common forms of colour blindness can tell
apart; each default colour has at least 3:1 contrast on white (WCAG 1.4.11). A series can also be hatched, so
two series differ by more than their hue. The drawing is sized by its viewBox: give the <svg> `width: 100%`
in a stylesheet and it scales to the screen (the viewBox is narrow enough for text to stay legible at 360 px).
"""

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Okabe & Ito (2008), "Color Universal Design"; contrast on white in brackets.
BLUE = "#0072B2"  # 5.2:1
VERMILLION = "#D55E00"  # 3.9:1
BLUISH_GREEN = "#009E73"  # 3.4:1
INK = "#1a1a1a"
MUTED = "#4a4a4a"
GRID = "#d6d0c4"
PALETTE = (BLUE, VERMILLION, BLUISH_GREEN, INK)

_ID = re.compile(r"\A[A-Za-z][A-Za-z0-9_-]{0,63}\Z")
FONT_SIZE = 14
CHAR_WIDTH = 0.6 * FONT_SIZE  # a fair average for Latin and Vietnamese text in a sans-serif font


@dataclass(frozen=True)
class Series:
    """One coloured layer of a column chart; `hatched` draws white stripes over the colour."""

    label: str
    values: Sequence[float]
    colour: str = BLUE
    hatched: bool = False


def _number(value: float) -> str:
    """A coordinate, short: 12, 12.5, 12.33."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _default_format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def nice_step(largest: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) that covers `largest` in about `ticks` steps;
    whole numbers only (the charts count things)."""
    if largest <= 0:
        return 1
    raw = largest / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        step = multiple * magnitude
        if raw <= step:
            return max(1, step)
    return max(1, 10 * magnitude)  # pragma: no cover - the loop always returns


def axis_top(largest: float, ticks: int = 4) -> tuple[float, float]:
    """(top of the value axis, step between grid lines)."""
    step = nice_step(largest, ticks)
    return max(step, step * math.ceil(largest / step)), step


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(1, limit - 1)].rstrip() + "…"


def _check_id(chart_id: str) -> str:
    if not _ID.match(chart_id):
        raise ValueError(f"chart_id must be a short HTML id, not {chart_id!r}")
    return chart_id


def _open(chart_id: str, width: float, height: float, title: str, description: str) -> list[str]:
    labelled = f"{chart_id}-title" + (f" {chart_id}-desc" if description else "")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" id="{chart_id}" '
        f'viewBox="0 0 {_number(width)} {_number(height)}" width="{_number(width)}" '
        f'height="{_number(height)}" role="img" aria-labelledby="{labelled}" focusable="false" '
        f'font-size="{FONT_SIZE}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    if description:
        parts.append(f'<desc id="{chart_id}-desc">{escape(description)}</desc>')
    return parts


def _fills(chart_id: str, series: Sequence[Series]) -> tuple[list[str], list[str]]:
    """(<defs> markup, the fill of each series): a hatched series gets a pattern of its own."""
    defs: list[str] = []
    fills: list[str] = []
    for index, item in enumerate(series):
        colour = escape(item.colour)
        if item.hatched:
            pattern = f"{chart_id}-hatch{index}"
            defs.append(
                f'<pattern id="{pattern}" patternUnits="userSpaceOnUse" width="6" height="6" '
                f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{colour}"/>'
                f'<rect width="2" height="6" fill="#fff" fill-opacity="0.6"/></pattern>'
            )
            fills.append(f"url(#{pattern})")
        else:
            fills.append(str(colour))
    return (["<defs>", *defs, "</defs>"] if defs else []), fills


def stacked_columns(
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    chart_id: str,
    description: str = "",
    tick_labels: Sequence[str] | None = None,
    max_ticks: int = 6,
    value_format: Callable[[float], str] = _default_format,
    width: float = 360,
    height: float = 220,
) -> SafeString:
    """Columns, one per x label, each stacking the series' values bottom-up, with a legend on top, a value
    axis with round grid lines, and at most `max_ticks` x labels (`tick_labels` are the short forms shown
    under the axis; `x_labels` appear in each bar's tooltip)."""
    _check_id(chart_id)
    count = len(x_labels)
    if any(len(s.values) != count for s in series):
        raise ValueError("every series needs one value per x label")
    ticks = list(tick_labels) if tick_labels is not None else list(x_labels)
    totals = [sum(max(0.0, float(s.values[i])) for s in series) for i in range(count)]
    top, step = axis_top(max(totals, default=0))
    axis_labels = []
    tick = 0.0
    while tick <= top + 1e-9:
        axis_labels.append((tick, value_format(tick)))
        tick += step
    left = 8 + CHAR_WIDTH * max(len(text) for _tick, text in axis_labels)
    right, upper, lower = 18.0, 30.0, 24.0
    plot_w, plot_h = width - left - right, height - upper - lower
    base = upper + plot_h
    parts = _open(chart_id, width, height, title, description)
    defs, fills = _fills(chart_id, series)
    parts += defs
    # Legend: a swatch and a name per series.
    x = left
    for item, fill in zip(series, fills, strict=True):
        parts.append(f'<rect x="{_number(x)}" y="6" width="12" height="12" fill="{fill}"/>')
        parts.append(f'<text x="{_number(x + 16)}" y="17" fill="{INK}">{escape(item.label)}</text>')
        x += 16 + CHAR_WIDTH * len(item.label) + 14
    # Value axis: grid lines and their numbers.
    for tick, text in axis_labels:
        y = base - tick / top * plot_h
        parts.append(
            f'<line x1="{_number(left)}" x2="{_number(width - right)}" y1="{_number(y)}" '
            f'y2="{_number(y)}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{_number(left - 4)}" y="{_number(y + 5)}" text-anchor="end" fill="{MUTED}">'
            f"{escape(text)}</text>"
        )
    # Columns.
    slot = plot_w / count if count else plot_w
    bar = max(slot * 0.78, 0.6)
    for i in range(count):
        x = left + i * slot + (slot - bar) / 2
        y = base
        for item, fill in zip(series, fills, strict=True):
            value = float(item.values[i])
            if value <= 0:
                continue
            h = value / top * plot_h
            y -= h
            parts.append(
                f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(bar)}" height="{_number(h)}" '
                f'fill="{fill}" stroke="#fff" stroke-width="{_number(min(1.0, bar / 4))}">'
                f"<title>{escape(x_labels[i])} — {escape(item.label)}: {escape(value_format(value))}"
                "</title></rect>"
            )
    parts.append(
        f'<line x1="{_number(left)}" x2="{_number(width - right)}" y1="{_number(base)}" '
        f'y2="{_number(base)}" stroke="{INK}" stroke-width="1"/>'
    )
    # At most `max_ticks` x labels, evenly spaced, the first one always shown.
    every = max(1, math.ceil(count / max(1, max_ticks)))
    for i in range(0, count, every):
        x = left + i * slot + slot / 2
        parts.append(
            f'<text x="{_number(x)}" y="{_number(base + 18)}" text-anchor="middle" fill="{MUTED}">'
            f"{escape(ticks[i])}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def horizontal_bars(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    chart_id: str,
    description: str = "",
    colour: str = BLUE,
    value_format: Callable[[float], str] = _default_format,
    width: float = 360,
    max_label_chars: int = 42,
) -> SafeString:
    """One bar per (label, value), largest scale first as given; the label sits above its bar (long
    Vietnamese labels need the room on a phone) and the value at the bar's end."""
    _check_id(chart_id)
    row = 42.0
    value_room = CHAR_WIDTH * max((len(value_format(v)) for _, v in items), default=1) + 10
    height = max(row, row * len(items)) + 4
    largest = max((float(v) for _, v in items), default=0.0)
    scale = (width - value_room) / largest if largest > 0 else 0.0
    parts = _open(chart_id, width, height, title, description)
    fill = escape(colour)
    for index, (label, value) in enumerate(items):
        y = index * row
        shown = truncate(label, max_label_chars)
        parts.append(f'<text x="0" y="{_number(y + 15)}" fill="{INK}">{escape(shown)}</text>')
        length = max(float(value) * scale, 0.0)
        if length > 0:
            parts.append(
                f'<rect x="0" y="{_number(y + 20)}" width="{_number(max(length, 1.5))}" height="15" '
                f'fill="{fill}"><title>{escape(label)}: {escape(value_format(value))}</title></rect>'
            )
        parts.append(
            f'<text x="{_number(max(length, 1.5) + 5)}" y="{_number(y + 32)}" fill="{INK}">'
            f"{escape(value_format(value))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()
