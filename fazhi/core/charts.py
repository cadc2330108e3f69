"""The chart kit: every chart of the product, drawn on the server as inline SVG — nothing fetched, no
JavaScript, scales to a phone's width (viewBox + width 100%), every bar labelled with its value so it
reads without colour and when printed. One vocabulary:

    columns([("1月", 5), ...], title=..., unit="件")          vertical bars (months, years)
    bars([("犁头村", 20), ...], title=..., unit="件")           horizontal bars (villages, types, townships)
    plan_vs_actual([("普法讲座", 12, 10), ...], title=...)     completion of each target, % of plan
    month_series({1: 5, "2024-02": 3})                         → twelve ("1月", n) pairs for columns()
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR = "#b3261e"
BAR_ALT = "#5d6675"
MUTED = "#5d6675"
TONES = {"primary": BAR, "muted": BAR_ALT, "ok": "#1e7a3c", "warn": "#c27c00"}


def _num(v) -> float:
    try:
        return float(v or 0)
    except (TypeError, ValueError):
        return 0.0


def _label(v) -> str:
    f = _num(v)
    return str(int(f)) if f == int(f) else f"{f:.1f}"


def columns(data: list[tuple[str, object]], *, title: str, unit: str = "") -> SafeString:
    """Vertical bars, e.g. twelve months."""
    if not data:
        return mark_safe("")
    n = len(data)
    width, height, top, bottom, left = 640, 240, 28, 34, 8
    slot = (width - 2 * left) / n
    peak = max(_num(v) for _, v in data) or 1
    plot_h = height - top - bottom
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>",
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" stroke="#d8dce3"/>']
    for i, (label, value) in enumerate(data):
        h = _num(value) / peak * plot_h
        x = left + i * slot + slot * 0.15
        w = slot * 0.7
        y = height - bottom - h
        cx = x + w / 2
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{BAR}" rx="2">'
                     f"<title>{escape(label)}：{_label(value)}{escape(unit)}</title></rect>")
        parts.append(f'<text x="{cx:.1f}" y="{y - 6:.1f}" font-size="15" text-anchor="middle" fill="#1d2330">'
                     f"{_label(value)}</text>")
        parts.append(f'<text x="{cx:.1f}" y="{height - bottom + 22}" font-size="15" text-anchor="middle" '
                     f'fill="{MUTED}">{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bars(data: list[tuple[str, object]], *, title: str, unit: str = "", peak: float | None = None,
         highlight: set[str] | frozenset = frozenset(), notes: dict | None = None,
         tones: dict | None = None) -> SafeString:
    """Horizontal bars, one row per village or township (long Chinese names fit on a phone).
    `notes` adds a text after a row's value; `tones` colours a row (primary, muted, ok, warn)."""
    if not data:
        return mark_safe("")
    notes, tones = notes or {}, tones or {}
    row, label_w, width, pad = 34, 150, 640, 8
    if notes:
        width = 800
    height = row * len(data) + pad * 2
    top = peak or max((_num(v) for _, v in data), default=0) or 1
    plot_w = width - label_w - 70
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">', f"<title>{escape(title)}</title>"]
    for i, (label, value) in enumerate(data):
        y = pad + i * row
        w = max(_num(value) / top * plot_w, 0)
        colour = TONES.get(tones.get(label, ""), BAR if label not in highlight else BAR_ALT)
        note = f"  {notes[label]}" if notes.get(label) else ""
        parts.append(f'<text x="{label_w - 8}" y="{y + row * 0.65:.1f}" font-size="15" text-anchor="end" '
                     f'fill="#1d2330">{escape(label[:10])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 6}" width="{w:.1f}" height="{row - 12}" fill="{colour}" rx="2">'
                     f"<title>{escape(label)}：{_label(value)}{escape(unit)}{escape(note)}</title></rect>")
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + row * 0.65:.1f}" font-size="15" fill="#1d2330">'
                     f"{_label(value)}{escape(unit)}{escape(note)}</text>")
    parts.append("</svg>")
    return mark_safe("".join(parts))


def plan_vs_actual(rows: list[tuple[str, int, int]], *, title: str) -> SafeString:
    """Completion of each target as a percentage of plan (targets have different scales)."""
    data, notes, tones = [], {}, {}
    for label, planned, actual in rows:
        pct = round(actual * 100 / planned) if planned else None
        data.append((label, pct or 0))
        notes[label] = f"实际 {actual} / 计划 {planned}" if planned else f"实际 {actual}（未设目标）"
        tones[label] = "ok" if pct is not None and pct >= 100 else "warn"
    return bars(data, title=title, unit="%", notes=notes, tones=tones,
                peak=max([100.0] + [float(v) for _, v in data]))


def month_series(by_month) -> list[tuple[str, object]]:
    """{1: 5, "2024-02": 3, "03": 1, "5月": 2} or [(1, 5), ...] -> twelve (“1月”, n) pairs."""
    counts = dict.fromkeys(range(1, 13), 0)
    pairs = by_month.items() if hasattr(by_month, "items") else (by_month or [])
    for key, value in pairs:
        text = str(getattr(key, "month", key)).removesuffix("月")
        month = text.rsplit("-", 1)[-1]
        if month.isascii() and month.isdigit() and 1 <= int(month) <= 12:
            counts[int(month)] += _num(value)
    return [(f"{m}月", v) for m, v in counts.items()]
