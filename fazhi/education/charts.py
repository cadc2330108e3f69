"""Server-side SVG charts (no JavaScript library, nothing fetched: DESIGN.md §4 offline networks)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
LABEL_W = 130
VALUE_W = 230
ROW_H = 30
BAR_H = 18
COLORS = {"primary": "#b3261e", "muted": "#9aa3b1", "ok": "#1e7a3c", "warn": "#c27c00"}


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.1f}".rstrip("0").rstrip(".")
    return str(v)


def hbar(rows: list[dict], *, title: str, unit: str = "", max_value: float | None = None) -> SafeString:
    """Horizontal bars. rows: {label, value, note?, color?} — a zero value shows as an empty row."""
    values = [float(r["value"] or 0) for r in rows]
    top = max_value or max(values + [1.0])
    height = 30 + ROW_H * len(rows) + 6
    bar_w = WIDTH - LABEL_W - VALUE_W
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" '
             f'width="100%" xmlns="http://www.w3.org/2000/svg" font-size="13" font-family="sans-serif">',
             f"<title>{escape(title)}</title>",
             f'<text x="0" y="16" font-weight="bold" fill="#1d2330">{escape(title)}</text>']
    for i, (r, v) in enumerate(zip(rows, values, strict=True)):
        y = 30 + i * ROW_H
        w = 0 if top <= 0 else max(0.0, min(1.0, v / top)) * bar_w
        color = COLORS.get(r.get("color", "primary"), r.get("color", COLORS["primary"]))
        text = f"{_fmt(r['value'])}{unit}" + (f"  {r['note']}" if r.get("note") else "")
        parts.append(f'<text x="{LABEL_W - 8}" y="{y + 14}" text-anchor="end" fill="#1d2330">'
                     f"{escape(r['label'])}</text>")
        parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{bar_w}" height="{BAR_H}" fill="#eef0f3"/>')
        if w > 0:
            parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR_H}" fill="{color}">'
                         f"<title>{escape(r['label'])}：{escape(text)}</title></rect>")
        parts.append(f'<text x="{LABEL_W + bar_w + 6}" y="{y + 14}" fill="#1d2330">{escape(text)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text is escaped above


def plan_vs_actual(rows: list[tuple[str, int, int]], *, title: str) -> SafeString:
    """Completion of each target as a percentage of plan (targets have different scales)."""
    bars = []
    for label, planned, actual in rows:
        pct = round(actual * 100 / planned) if planned else None
        bars.append({"label": label, "value": pct if pct is not None else 0,
                     "note": f"实际 {actual} / 计划 {planned}" if planned else f"实际 {actual}（未设目标）",
                     "color": "ok" if pct is not None and pct >= 100 else "warn"})
    return hbar(bars, title=title, unit="%", max_value=max([100.0] + [float(b["value"]) for b in bars]))
