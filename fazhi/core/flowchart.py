"""A workflow's procedure as a server-side SVG flow chart, drawn from its declaration (the allowed-
transition table), so the published procedure can never drift from what the software enforces."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

BOX_W, BOX_H, GAP_X, GAP_Y = 150, 34, 40, 22


def layers(workflow, start: Iterable[str]) -> list[list[str]]:
    """States by their shortest distance from the start states (breadth first, declaration order)."""
    seen, out, frontier = set(), [], [s for s in start if s in workflow.allowed]
    while frontier:
        layer = [s for s in dict.fromkeys(frontier) if s not in seen]
        if not layer:
            break
        seen.update(layer)
        out.append(layer)
        nxt = []
        for s in layer:
            nxt.extend(t for t in sorted(workflow.targets(s), key=list(workflow.allowed).index) if t not in seen)
        frontier = nxt
    return out


def draw(workflow, *, start: Iterable[str], title: str = "", hide: Iterable[str] = ()) -> tuple[str, list]:
    """Boxes in rows (one row per step from the start), an arrow for every allowed forward move; moves
    back to an earlier row (补充调查, 重新审核) are listed under the chart instead of crossing it."""
    hidden = set(hide)
    rows = [[s for s in layer if s not in hidden] for layer in layers(workflow, start)]
    rows = [r for r in rows if r]
    pos: dict[str, tuple[float, float]] = {}
    width = max(len(r) for r in rows) * (BOX_W + GAP_X) + GAP_X
    for y, row in enumerate(rows):
        offset = (width - len(row) * (BOX_W + GAP_X) + GAP_X) / 2
        for x, state in enumerate(row):
            pos[state] = (offset + x * (BOX_W + GAP_X), GAP_Y + y * (BOX_H + GAP_Y))
    height = GAP_Y + len(rows) * (BOX_H + GAP_Y)
    row_of = {s: i for i, r in enumerate(rows) for s in r}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
             f'aria-label="{escape(title)}" class="flowchart">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
             'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>']
    back = []
    for src in pos:
        for dst in sorted(workflow.targets(src), key=list(workflow.allowed).index):
            if dst not in pos:
                continue
            if row_of[dst] <= row_of[src]:
                back.append((src, dst))
                continue
            (x1, y1), (x2, y2) = pos[src], pos[dst]
            parts.append(f'<line x1="{x1 + BOX_W / 2:.0f}" y1="{y1 + BOX_H:.0f}" x2="{x2 + BOX_W / 2:.0f}" '
                         f'y2="{y2:.0f}" stroke="#555" stroke-width="1.2" marker-end="url(#arrow)"/>')
    for state, (x, y) in pos.items():
        parts.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="#f4f7fb" '
                     f'stroke="#1f4e79"/><text x="{x + BOX_W / 2:.0f}" y="{y + BOX_H / 2 + 5:.0f}" '
                     f'text-anchor="middle" font-size="13">{escape(workflow.label(state))}</text>')
    parts.append("</svg>")
    return "".join(parts), [(workflow.label(a), workflow.label(b)) for a, b in back]
