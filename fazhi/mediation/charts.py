"""Server-side SVG bar charts: no JavaScript library, nothing fetched, readable when printed."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOR = "#b3261e"


def column_chart(data: dict[str, int], title: str, width: int = 480, height: int = 220) -> SafeString:
    """Vertical bars (e.g. per month)."""
    labels, values = list(data), list(data.values())
    top = max(values, default=0) or 1
    left, bottom, plot_h = 28, 28, height - 56
    step = (width - left - 8) / max(len(labels), 1)
    bar = step * 0.6
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" class="chart" preserveAspectRatio="xMidYMid meet">',
             f"<title>{escape(title)}</title>",
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" stroke="#999"/>']
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * v / top
        x = left + i * step + (step - bar) / 2
        y = height - bottom - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{COLOR}">'
                     f"<title>{escape(label)}：{v}</title></rect>")
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" font-size="11" text-anchor="middle">{v}</text>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" font-size="11" '
                     f'text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above


def bar_chart(data: dict[str, int], title: str, width: int = 420) -> SafeString:
    """Horizontal bars (villages, types, sources): long Chinese labels stay readable on a phone."""
    rows = list(data.items())
    row_h, label_w = 26, 120
    height = row_h * max(len(rows), 1) + 8
    top = max((v for _, v in rows), default=0) or 1
    plot_w = width - label_w - 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" class="chart">', f"<title>{escape(title)}</title>"]
    for i, (label, v) in enumerate(rows):
        y = 4 + i * row_h
        w = plot_w * v / top
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" font-size="13" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="{COLOR}">'
                     f"<title>{escape(label)}：{v}</title></rect>")
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" font-size="13">{v}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308
