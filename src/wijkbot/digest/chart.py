"""A small bar chart of the last weeks as inline SVG: no script, no external image, readable without colour.

Invariants: the SVG is self-contained and static (mail clients that block scripts and remote images show it);
it carries role="img", a <title> and a <desc> with every number, and the page repeats the numbers in a table,
so it reads when SVG is not shown at all; every text is escaped; the highlighted bar is the digest's own week.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 480, 150
TOP, BOTTOM, LEFT, RIGHT = 16, 24, 28, 8
BAR = "#4a6fa5"
CURRENT = "#c0392b"
AXIS = "#555555"


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # "W47"
    value: int
    current: bool = False


def bar_chart(bars: Sequence[Bar], title: str, description: str, chart_id: str = "trend") -> str:
    """The SVG markup of a bar chart with value labels."""
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top_value = max([b.value for b in bars] + [1])
    slot = inner_w / max(len(bars), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<line x1="{LEFT}" y1="{TOP + inner_h}" x2="{WIDTH - RIGHT}" y2="{TOP + inner_h}" stroke="{AXIS}"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end" font-size="10" fill="{AXIS}" '
        f'font-family="Arial, sans-serif">{top_value}</text>',
    ]
    for n, bar in enumerate(bars):
        height = round(inner_h * bar.value / top_value, 1)
        x = round(LEFT + n * slot + slot * 0.15, 1)
        y = round(TOP + inner_h - height, 1)
        width = round(slot * 0.7, 1)
        colour = CURRENT if bar.current else BAR
        parts.append(f'<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{colour}"/>')
        centre = round(x + width / 2, 1)
        weight = ' font-weight="bold"' if bar.current else ""
        parts.append(f'<text x="{centre}" y="{max(y - 3, TOP - 4)}" text-anchor="middle" font-size="10" '
                     f'fill="#222222" font-family="Arial, sans-serif"{weight}>{bar.value}</text>')
        parts.append(f'<text x="{centre}" y="{HEIGHT - 8}" text-anchor="middle" font-size="10" fill="{AXIS}" '
                     f'font-family="Arial, sans-serif"{weight}>{escape(bar.label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
