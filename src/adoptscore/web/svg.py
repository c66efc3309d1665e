"""Small inline SVG charts for the scorecard pages: sparklines, histograms with thresholds, and
color-mix bars. Drawn as text (no plotting library on the request path); every label is escaped."""
from __future__ import annotations

from html import escape
from typing import Sequence

FILL = {"green": "#1a7f37", "yellow": "#d4a72c", "red": "#cf222e", "no_data": "#afb8c1",
        "not_applicable": "#d0d7de"}


def _f(x: float) -> str:
    return f"{x:.1f}"


def sparkline(values: Sequence[float | None], colors: Sequence[str | None], labels: Sequence[str],
              *, width: int = 120, height: int = 28, title: str = "") -> str:
    """A line over the values (gaps where a value is missing), the last point colored."""
    present = [v for v in values if v is not None]
    if not present:
        return f'<svg class="spark" width="{width}" height="{height}" role="img" aria-label="no data">' \
               f'<text x="2" y="{height - 8}" class="muted">no data</text></svg>'
    lo, hi = min(present), max(present)
    span = (hi - lo) or 1.0
    n = len(values)
    step = (width - 8) / max(n - 1, 1)

    def y(v: float) -> float:
        return height - 4 - (v - lo) / span * (height - 8)

    segments, current = [], []
    for i, v in enumerate(values):
        if v is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(f"{_f(4 + i * step)},{_f(y(v))}")
    if current:
        segments.append(current)
    lines = "".join(f'<polyline points="{" ".join(s)}" fill="none" stroke="#57606a" stroke-width="1.5"/>'
                    for s in segments)
    dots = []
    for i, (v, c, label) in enumerate(zip(values, colors, labels)):
        if v is None:
            continue
        r = 3 if i == n - 1 else 1.8
        dots.append(f'<circle cx="{_f(4 + i * step)}" cy="{_f(y(v))}" r="{r}" fill="{FILL.get(c or "no_data", FILL["no_data"])}">'
                    f'<title>{escape(label)}: {v:.4g}</title></circle>')
    return (f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(title)}">{lines}{"".join(dots)}</svg>')


def histogram(bins: Sequence[tuple[float, float, int]], thresholds: Sequence[tuple[float, str]], *,
              fmt: str = ".3g", width: int = 460, height: int = 170, percent: bool = False) -> str:
    """Bars of counts per bin, with a dashed line at each threshold."""
    if not bins:
        return f'<svg class="hist" width="{width}" height="40"><text x="4" y="24" class="muted">no data</text></svg>'
    left, bottom, top = 8, 22, 14
    lo, hi = bins[0][0], bins[-1][1]
    span = (hi - lo) or 1.0
    peak = max(c for _, _, c in bins) or 1
    plot_w, plot_h = width - 2 * left, height - bottom - top

    def x(v: float) -> float:
        return left + (v - lo) / span * plot_w

    def label(v: float) -> str:
        return format(v, ".0%" if percent else fmt)

    parts = []
    for a, b, c in bins:
        h = c / peak * plot_h
        parts.append(f'<rect x="{_f(x(a))}" y="{_f(top + plot_h - h)}" width="{_f(max(x(b) - x(a) - 1, 0.5))}" '
                     f'height="{_f(h)}" fill="#8c959f"><title>{label(a)} to {label(b)}: {c:,}</title></rect>')
    for value, text in thresholds:
        if lo <= value <= hi:
            parts.append(f'<line x1="{_f(x(value))}" x2="{_f(x(value))}" y1="{top - 6}" y2="{top + plot_h}" '
                         f'stroke="#0969da" stroke-dasharray="4 3" stroke-width="1.5"><title>{escape(text)}</title></line>')
            parts.append(f'<text x="{_f(x(value) + 3)}" y="{top - 2}" class="cut">{escape(label(value))}</text>')
    parts.append(f'<text x="{left}" y="{height - 6}" class="axis">{escape(label(lo))}</text>')
    parts.append(f'<text x="{width - left}" y="{height - 6}" class="axis" text-anchor="end">{escape(label(hi))}</text>')
    return (f'<svg class="hist" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="distribution">{"".join(parts)}</svg>')


def mix_bars(rows: Sequence[tuple[str, dict[str, int]]], *, width: int = 460, bar: int = 16) -> str:
    """One horizontal 100% bar per period, split by color."""
    order = ("green", "yellow", "red", "no_data", "not_applicable")
    label_w = 64
    height = len(rows) * (bar + 4) + 4
    parts = []
    for i, (period, counts) in enumerate(rows):
        total = sum(counts.get(c, 0) for c in order) or 1
        y = 4 + i * (bar + 4)
        parts.append(f'<text x="0" y="{y + bar - 4}" class="axis">{escape(period)}</text>')
        x = float(label_w)
        for color in order:
            n = counts.get(color, 0)
            if not n:
                continue
            w = n / total * (width - label_w)
            parts.append(f'<rect x="{_f(x)}" y="{y}" width="{_f(w)}" height="{bar}" fill="{FILL[color]}">'
                         f'<title>{escape(period)} {color.replace("_", " ")}: {n:,} ({n / total:.0%})</title></rect>')
            x += w
    return (f'<svg class="mix" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="color mix over time">{"".join(parts)}</svg>')
