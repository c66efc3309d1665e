"""Plots of report blocks as inline SVG, drawn offline with matplotlib.

Every plot is a standalone ``<svg>`` element ready to be pasted into an HTML page: text stays text
(``svg.fonttype = 'none'``, so the page's font applies and the text can be searched and copied),
ids are prefixed per plot so several plots can live in one page, and nothing refers to anything
outside the element. Figures are built as :class:`matplotlib.figure.Figure` objects without pyplot,
so no global figure registry grows and no GUI backend is ever touched.
"""
from __future__ import annotations

import io
import math
import re
import textwrap
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from adoptscore.report.document import (
    TONES,
    BarChart,
    ColorMix,
    Curve,
    Distribution,
    format_value,
)

#: Fill colors of the tones, shared by the HTML pills and the plots.
TONE_COLORS: dict[str, str] = {
    "red": "#d9534f",
    "yellow": "#f0ad4e",
    "green": "#5cb85c",
    "no_data": "#aab2bd",
    "not_applicable": "#dde1e6",
}
TONE_LABELS: dict[str, str] = {
    "red": "Red",
    "yellow": "Yellow",
    "green": "Green",
    "no_data": "No data",
    "not_applicable": "Not applicable",
}
#: Series colors when the series are not tones (rubric versions, models, ...): calm and distinct
#: from the red/yellow/green of the tones.
SERIES_COLORS = ["#4c6ef5", "#15aabf", "#7950f2", "#495057", "#e64980", "#82c91e", "#fd7e14"]
INK = "#212529"
MUTED = "#6c757d"
GRID = "#e9ecef"
HIST_COLOR = "#8ea4bd"
CURRENT_COLOR = "#212529"
PROPOSED_COLOR = "#1c7ed6"

_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "adoptscore",  # stable clip-path and marker ids: same report, same page
    "text.parse_math": False,  # '$5 to $10' in a title is text, not TeX
    "text.usetex": False,
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.edgecolor": "#adb5bd",
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "legend.frameon": False,
    "legend.fontsize": 8,
    "path.simplify": True,
}
_WIDTH = 6.4  # inches; the page scales the SVG down to its column


# --------------------------------------------------------------------------------------------
# Histogram from a quantile grid
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cdf:
    """The empirical CDF known at a quantile grid, linear between grid values.

    A value repeated in the grid (a zero-width step, e.g. 40% of the values exactly 0) is a point
    mass: the CDF jumps there from ``p_low`` (its smallest p) to ``p_high`` (its largest p).
    """

    values: np.ndarray  # distinct grid values, increasing
    p_low: np.ndarray  # CDF just below each value
    p_high: np.ndarray  # CDF at each value (right-continuous)

    @classmethod
    def from_grid(cls, quantiles: Sequence[tuple[float, float]]) -> _Cdf:
        grid = np.asarray([(float(p), float(v)) for p, v in quantiles], dtype=float).reshape(-1, 2)
        grid = grid[np.isfinite(grid).all(axis=1)]
        if len(grid) == 0:
            raise ValueError("the quantile grid has no finite (p, value) pair")
        p, v = grid[:, 0], grid[:, 1]
        if np.any(np.diff(p) < 0) or np.any(np.diff(v) < 0):
            # A grid out of order is sorted by p; values must then not decrease.
            order = np.argsort(p, kind="stable")
            p, v = p[order], v[order]
            if np.any(np.diff(v) < 0):
                raise ValueError("quantile values decrease while p increases")
        if p[0] < 0 or p[-1] > 1:
            raise ValueError("quantile probabilities must lie in [0, 1]")
        values, first = np.unique(v, return_index=True)
        last = np.r_[first[1:] - 1, len(v) - 1]
        return cls(values, p[first], p[last])

    def at(self, x: np.ndarray, *, left: bool) -> np.ndarray:
        """CDF at ``x``; ``left=True`` gives the limit from below, P(X < x)."""
        x = np.asarray(x, dtype=float)
        vals, lo, hi = self.values, self.p_low, self.p_high
        # Index of the last grid value below x (left) or at-or-below x (right).
        k = np.searchsorted(vals, x, side="left" if left else "right") - 1
        out = np.empty_like(x)
        below = k < 0
        above = k >= len(vals) - 1
        inside = ~below & ~above
        out[below] = lo[0]
        out[above] = hi[-1]
        ki = k[inside]
        x0, x1 = vals[ki], vals[ki + 1]
        y0, y1 = hi[ki], lo[ki + 1]
        out[inside] = y0 + (y1 - y0) * (x[inside] - x0) / (x1 - x0)  # x1 > x0: values are distinct
        return out

    def value_at(self, p: float) -> float:
        """The grid value at probability p (linear between grid points), for the range of a plot."""
        ps = np.r_[self.p_low, self.p_high]
        vs = np.r_[self.values, self.values]
        order = np.lexsort((vs, ps))
        return float(np.interp(p, ps[order], vs[order]))


@dataclass(frozen=True)
class _Histogram:
    edges: np.ndarray
    counts: np.ndarray
    clipped_low: float  # share of the values below the first edge
    clipped_high: float  # share of the values above the last edge
    degenerate: bool  # every value the same


def _has_p(cdf: _Cdf, p: float) -> bool:
    ps = np.r_[cdf.p_low, cdf.p_high]
    return bool(np.any(np.abs(ps - p) < 1e-9))


def _histogram(quantiles: Sequence[tuple[float, float]], n: int, bins: int) -> _Histogram:
    if bins < 1:
        raise ValueError("bins must be at least 1")
    cdf = _Cdf.from_grid(quantiles)
    vmin, vmax = float(cdf.values[0]), float(cdf.values[-1])
    if vmin == vmax:
        # All values equal: one bin centred on the value, wide enough to be seen.
        half = max(abs(vmin) * 0.05, 0.5)
        edges = np.array([vmin - half, vmin + half])
        mass = float(cdf.p_high[-1] - cdf.p_low[0])
        return _Histogram(edges, np.array([n * mass]), 0.0, 0.0, True)
    # A fine grid (one with the 1st and 99th percentiles) is clipped there so that one extreme
    # value does not squash the histogram into a single bar; a coarse grid is shown whole.
    lo = cdf.value_at(0.01) if _has_p(cdf, 0.01) else vmin
    hi = cdf.value_at(0.99) if _has_p(cdf, 0.99) else vmax
    if not lo < hi:
        # Nearly every value is one number (a point mass between p1 and p99): show everything.
        lo, hi = vmin, vmax
    edges = np.linspace(lo, hi, bins + 1)
    below = cdf.at(edges, left=True)  # P(X < edge)
    top = cdf.at(edges[-1:], left=False)  # P(X <= last edge): the last bin is closed, as numpy's
    cum = np.r_[below[:-1], top]
    counts = n * np.diff(cum)
    counts = np.clip(counts, 0.0, None)
    clipped_low = float(below[0] - cdf.p_low[0])
    clipped_high = float(cdf.p_high[-1] - top[0])
    return _Histogram(edges, counts, max(clipped_low, 0.0), max(clipped_high, 0.0), False)


def _block_histogram(block: Distribution) -> _Histogram:
    """The block's exact histogram when it has one, else one derived from its quantile grid."""
    if block.histogram is None:
        return _histogram(block.quantiles, block.n, 40)
    edges, counts, below, above = block.histogram
    if len(edges) != len(counts) + 1 or not counts:
        raise ValueError("a histogram needs one more edge than counts")
    total = max(block.n, 1)
    return _Histogram(np.asarray(edges, dtype=float), np.asarray(counts, dtype=float), below / total, above / total,
                      False)


def histogram_from_quantiles(
    quantiles: Sequence[tuple[float, float]], n: int, bins: int = 40
) -> tuple[np.ndarray, np.ndarray]:
    """A histogram (``edges``, ``counts``) of ``n`` values known only by their quantile grid.

    ``quantiles`` are (p, value) pairs, p in [0, 1] increasing (typically p = 0, 0.01, ..., 1).
    The bins are ``bins`` equal-width bins between the values at p = 0.01 and p = 0.99 when the
    grid has those points (the tails beyond are left out), else between the smallest and largest
    value. Counts are ``n`` times the increase of the empirical CDF over each bin, the CDF being
    linear between grid points; a value repeated in the grid is a point mass (e.g. many exact
    zeros) and lands whole in the bin holding it. Bins are half-open ``[a, b)`` except the last,
    ``[a, b]``, like :func:`numpy.histogram`, so ``counts.sum()`` is ``n`` times the share of the
    values within the edges. If every value is the same, there is one bin around it holding them
    all. Counts are expected values (floats), not rounded.
    """
    hist = _histogram(quantiles, n, bins)
    return hist.edges, hist.counts


# --------------------------------------------------------------------------------------------
# SVG output
# --------------------------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]*>")
_ID = re.compile(r'\bid="([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")
_HREF = re.compile(r'\b(?:xlink:)?href="#([^"]+)"')
_FONT_FAMILY = re.compile(r"font-family:[^;\"]*;?\s*")
_TITLE_MARK = re.compile(r'<g id="(tt-[0-9]+)">')


def _svg(fig: Figure, prefix: str, tooltips: dict[str, str] | None = None, label: str = "") -> str:
    """The figure as one ``<svg>`` element, with ids unique to ``prefix`` and nothing external."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = text.replace('<style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>', "")

    def fix_tag(match: re.Match[str]) -> str:
        # Only inside tags: the same patterns in a text node are data and stay as they are.
        tag = match.group(0)
        if tag.startswith("<svg"):
            tag = tag.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "")
            tag = re.sub(r'\s(width|height)="[^"]*"', "", tag)
            tag = tag.replace("<svg", f'<svg class="plot-svg" role="img" aria-label="{escape(label)}"', 1)
            return tag
        tag = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', tag)
        tag = _URL.sub(lambda m: f"url(#{prefix}-{m.group(1)})", tag)
        tag = _HREF.sub(lambda m: f'href="#{prefix}-{m.group(1)}"', tag)
        if tag.startswith("<text"):
            tag = _FONT_FAMILY.sub("", tag)  # the page's font applies
        return tag

    if tooltips:
        # matplotlib writes a gid as the id of the element's group: add a <title> there.
        def add_title(match: re.Match[str]) -> str:
            tip = tooltips.get(match.group(1))
            return match.group(0) + (f"<title>{escape(tip, quote=False)}</title>" if tip else "")

        text = _TITLE_MARK.sub(add_title, text)
    text = _TAG.sub(fix_tag, text)
    text = re.sub(r"<defs>\s*</defs>", "", text)
    return text.strip()


def _new_figure(height: float, *, left: float = 0.6, right: float = 0.2, bottom: float = 0.4,
                top: float = 0.15, width: float = _WIDTH) -> Figure:
    """A figure with fixed margins in inches: an automatic layout would double the drawing time."""
    fig = Figure(figsize=(width, height))
    fig.patch.set_alpha(0.0)
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height)
    return fig


def _text_inches(text: str, size: float = 9.0) -> float:
    """A generous estimate of the width of ``text`` at ``size`` points (for margins)."""
    return len(text) * size * 0.62 / 72


def _formatter(spec: str) -> FuncFormatter:
    return FuncFormatter(lambda x, _pos: format_value(float(x), spec))


def _short(text: str, limit: int = 28) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _two_lines(text: str, width: int = 24) -> str:
    """A label on at most two lines; a longer one keeps its start and its end ('..., proposed')."""
    text = " ".join(str(text).split())
    lines = textwrap.wrap(text, width, break_long_words=True) or [""]
    if len(lines) > 2:
        lines = [lines[0], "…" + text[-(width - 1):].lstrip()]
    return "\n".join(lines)


def _with_rc(draw: Callable[..., str]) -> Callable[..., str]:
    def wrapped(*args: object, **kwargs: object) -> str:
        with matplotlib.rc_context(_RC), warnings.catch_warnings():
            # Emoji or scripts DejaVu Sans lacks only change text measurement; the browser draws them.
            warnings.filterwarnings("ignore", message=r"Glyph .* missing from")
            warnings.filterwarnings("ignore", message=r"Matplotlib currently does not support")
            return draw(*args, **kwargs)

    wrapped.__doc__ = draw.__doc__
    wrapped.__name__ = draw.__name__
    return wrapped


def _empty(ax: object, message: str = "No data") -> None:
    ax.set_axis_off()  # type: ignore[attr-defined]
    ax.text(0.5, 0.5, message, ha="center", va="center", color=MUTED, fontsize=10,  # type: ignore[attr-defined]
            transform=ax.transAxes)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------
# The four plots
# --------------------------------------------------------------------------------------------


def distribution_note(block: Distribution) -> str:
    """What the reader must know about the histogram of ``block``: the clipped tails, if any."""
    try:
        hist = _block_histogram(block)
    except ValueError:
        return ""
    parts = []
    if hist.clipped_low > 1e-9:
        parts.append(f"the lowest {hist.clipped_low:.0%} (below {format_value(float(hist.edges[0]), block.value_format)})")
    if hist.clipped_high > 1e-9:
        parts.append(f"the highest {hist.clipped_high:.0%} (above {format_value(float(hist.edges[-1]), block.value_format)})")
    if not parts:
        return ""
    return "Not drawn: " + " and ".join(parts) + " of the values."


@dataclass(frozen=True)
class _Cut:
    text: str
    x: float  # axes fraction of the line (or of the edge, for a cut outside the frame)
    inside: bool
    proposed: bool
    value: float


def _threshold_text(label: str, value: float, spec: str) -> str:
    # A label that already carries its number ('proposed 6.67%') is not given it twice.
    text = label if any(ch.isdigit() for ch in label) else f"{label} {format_value(value, spec)}"
    return _short(text, 40)


def _label_rows(cuts: list[_Cut], axes_width: float) -> list[tuple[_Cut, int, str]]:
    """Rows for the labels above the frame, so that no two labels overlap: (cut, row, alignment)."""
    placed: list[tuple[_Cut, int, str]] = []
    ends: list[float] = []  # right end of the last label in each row
    for cut in sorted(cuts, key=lambda c: c.x):
        width = _text_inches(cut.text, 7.0) / axes_width
        if cut.x + width <= 1.02:
            start, end, align = cut.x, cut.x + width, "left"
        else:
            start, end, align = cut.x - width, cut.x, "right"
        row = next((i for i, last in enumerate(ends) if last + 0.015 < start), len(ends))
        if row == len(ends):
            ends.append(end)
        else:
            ends[row] = end
        placed.append((cut, row, align))
    return placed


@_with_rc
def distribution_svg(block: Distribution, prefix: str) -> str:
    """A histogram derived from the quantile grid, with the thresholds as labelled vertical lines.

    Labels sit in rows above the frame (never over the bars); a threshold far outside the values
    is marked at the edge of the frame instead of squashing the histogram.
    """
    try:
        hist = _block_histogram(block) if block.n > 0 else None
    except ValueError:
        hist = None
    if hist is None:
        fig = _new_figure(2.5)
        _empty(fig.add_subplot())
        return _svg(fig, prefix, label=block.title)
    edges, counts = hist.edges, hist.counts
    lo, hi = float(edges[0]), float(edges[-1])
    span = hi - lo
    left, right = lo, hi
    for t in block.thresholds:
        if math.isfinite(t.value) and lo - 0.25 * span <= t.value <= hi + 0.25 * span:
            left, right = min(left, t.value), max(right, t.value)
    if hist.degenerate:
        # One value: a narrow bar in a wider frame reads as "all the same" at a glance.
        middle = (lo + hi) / 2
        left, right = min(left, middle - 4 * span), max(right, middle + 4 * span)
    pad = 0.02 * (right - left)
    x0, x1 = left - pad, right + pad

    cuts = []
    for t in block.thresholds:
        if not math.isfinite(t.value):
            continue
        text = _threshold_text(t.label, t.value, block.value_format)
        inside = x0 <= t.value <= x1
        if not inside:
            text = ("◂ " + text) if t.value < x0 else (text + " ▸")
        x = (min(max(t.value, x0), x1) - x0) / (x1 - x0)
        cuts.append(_Cut(text, x, inside, t.kind == "proposed", t.value))
    peak = float(counts.max()) if len(counts) and counts.max() > 0 else 1.0
    margin_left = 0.35 + _text_inches(f"{peak * 1.1:,.0f}")
    axes_width = _WIDTH - margin_left - 0.2
    placed = _label_rows(cuts, axes_width)
    rows = max((row for _, row, _ in placed), default=-1) + 1
    row_height = 0.15  # inches
    axes_height = 1.75
    fig = _new_figure(axes_height + 0.4 + 0.08 + rows * row_height, left=margin_left, bottom=0.35,
                      top=0.08 + rows * row_height)
    ax = fig.add_subplot()
    ax.stairs(counts, edges, fill=True, facecolor=HIST_COLOR, edgecolor="#5c7691", linewidth=0.8)
    ax.set_xlim(x0, x1)
    ax.set_ylim(0, peak * 1.1)
    if hist.degenerate:
        ax.text(0.98, 0.95, f"all {block.n:,} values are {format_value((lo + hi) / 2, block.value_format)}",
                transform=ax.transAxes, ha="right", va="top", fontsize=8, color=INK)
    for cut, row, align in placed:
        color = PROPOSED_COLOR if cut.proposed else CURRENT_COLOR
        style = (0, (4, 2)) if cut.proposed else "solid"
        y = 1.0 + (0.02 + row * row_height) / axes_height
        if cut.inside:
            ax.axvline(cut.value, color=color, linestyle=style, linewidth=1.3)
            # The line reaches up to its label.
            ax.plot([cut.x, cut.x], [1.0, y + 0.07 / axes_height], transform=ax.transAxes, color=color,
                    linestyle=style, linewidth=0.7, clip_on=False)
        ax.text(cut.x + (0.004 if align == "left" else -0.004), y, cut.text, transform=ax.transAxes,
                ha=align, va="bottom", fontsize=7, color=color, clip_on=False, zorder=5,
                # A line reaching a higher row passes behind a label, not through its letters.
                bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})
    ax.xaxis.set_major_formatter(_formatter(block.value_format))
    ax.xaxis.set_major_locator(MaxNLocator(6))
    ax.yaxis.set_major_locator(MaxNLocator(3, integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _p: f"{y:,.0f}"))
    ax.set_ylabel("count (≈)", fontsize=8, color=MUTED)
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    return _svg(fig, prefix, label=block.title)


@_with_rc
def color_mix_svg(block: ColorMix, prefix: str) -> str:
    """Horizontal 100% stacked bars, red to not applicable, with counts in each segment's tooltip."""
    bars = list(block.bars)
    labels = [_two_lines(label) for label, _ in bars]
    longest = max((_text_inches(line) for label in labels for line in label.split("\n")), default=0.5)
    fig = _new_figure(0.1 + 0.42 * max(len(bars), 1) + 0.6, left=0.15 + longest, right=0.75, bottom=0.6, top=0.1)
    ax = fig.add_subplot()
    if not bars:
        _empty(ax)
        return _svg(fig, prefix, label=block.title)
    present = [tone for tone in TONES if any(counts.get(tone, 0) for _, counts in bars)]
    extra = sorted({k for _, counts in bars for k in counts} - set(TONES))
    tones = present + extra
    tips: dict[str, str] = {}
    serial = 0
    ys = np.arange(len(bars))[::-1]
    for y, (label, counts) in zip(ys, bars):
        total = sum(max(int(counts.get(t, 0) or 0), 0) for t in tones)
        if total == 0:
            ax.add_artist(Rectangle((0.0, y - 0.31), 1.0, 0.62, facecolor="none", edgecolor=GRID))
            ax.text(0.5, y, "no values", ha="center", va="center", fontsize=7, color=MUTED)
            continue
        start = 0.0
        for tone in tones:
            count = max(int(counts.get(tone, 0) or 0), 0)
            if count == 0:
                continue
            share = count / total
            serial += 1
            gid = f"tt-{serial}"
            # A bare rectangle: barh would also update data limits, costly with many segments.
            ax.add_artist(Rectangle((start, y - 0.31), share, 0.62, facecolor=TONE_COLORS.get(tone, "#868e96"),
                                    edgecolor="white", linewidth=0.6, gid=gid))
            tips[gid] = f"{label} · {TONE_LABELS.get(tone, tone)}: {count:,} of {total:,} ({share:.1%})"
            if share >= 0.07:
                ax.text(start + share / 2, y, f"{share:.0%}", ha="center", va="center", fontsize=7.5, color=INK)
            start += share
        ax.text(1.01, y, f"n = {total:,}", ha="left", va="center", fontsize=7.5, color=MUTED)
    ax.set_yticks(ys, labels, fontsize=8, linespacing=1.1)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.6, len(bars) - 0.4)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{x:.0%}"))
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    handles = [Patch(color=TONE_COLORS.get(t, "#868e96"), label=TONE_LABELS.get(t, t)) for t in tones]
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=min(len(handles), 5),
               fontsize=7.5, handlelength=1.0, handleheight=0.8, columnspacing=1.2)
    return _svg(fig, prefix, tooltips=tips, label=block.title)


@_with_rc
def bar_chart_svg(block: BarChart, prefix: str) -> str:
    """Grouped bars (one per series in each category) with an optional horizontal reference line."""
    categories = list(block.categories)
    series = list(block.series)
    long_labels = len(categories) > 6 or any(len(c) > 12 for c in categories)
    longest = max((_text_inches(_short(c, 24)) for c in categories), default=0.5)
    fig = _new_figure(2.6 + (0.42 * longest if long_labels else 0.0), left=0.75,
                      bottom=0.3 + (0.45 * longest if long_labels else 0.0), top=0.4)
    ax = fig.add_subplot()
    values = [v for _, vs in series for v in vs if v is not None and math.isfinite(v)]
    if not categories or not series or not values:
        _empty(ax)
        return _svg(fig, prefix, label=block.title)
    width = 0.8 / len(series)
    xs = np.arange(len(categories))
    for i, (name, vs) in enumerate(series):
        color = SERIES_COLORS[i % len(SERIES_COLORS)]
        offset = (i - (len(series) - 1) / 2) * width
        heights = [v if v is not None and math.isfinite(v) else 0.0 for v in vs[: len(categories)]]
        heights += [0.0] * (len(categories) - len(heights))
        ax.bar(xs + offset, heights, width=width * 0.92, color=color, label=_short(name, 40))
        for x, v in zip(xs + offset, list(vs) + [None] * (len(categories) - len(vs))):
            missing = v is None or not math.isfinite(v)
            text = "n/a" if missing else format_value(v, block.value_format)
            if len(categories) * len(series) <= 16:
                ax.annotate(text, (x, 0.0 if missing else v), xytext=(0, 2), textcoords="offset points",
                            ha="center", va="bottom", fontsize=6.5, color=MUTED if missing else INK)
    if block.reference is not None and math.isfinite(block.reference[1]):
        name, level = block.reference
        ax.axhline(level, color=INK, linestyle=(0, (4, 2)), linewidth=1.0)
        ax.annotate(f"{_short(name, 30)} {format_value(level, block.value_format)}", (1.0, level),
                    xycoords=("axes fraction", "data"), xytext=(0, 2), textcoords="offset points",
                    ha="right", va="bottom", fontsize=7, color=INK)
        values.append(level)
    low = min(0.0, min(values))
    high = max(0.0, max(values))
    ax.set_ylim(low * 1.15, high * 1.18 if high > 0 else 1.0)
    ax.set_xticks(xs, [_short(c, 24) for c in categories], rotation=25 if long_labels else 0,
                  ha="right" if long_labels else "center")
    ax.yaxis.set_major_formatter(_formatter(block.value_format))
    ax.yaxis.set_major_locator(MaxNLocator(5))
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.tick_params(axis="x", length=0)
    if len(series) > 1 or series[0][0]:
        fig.legend(loc="upper center", bbox_to_anchor=(0.5, 1.0), ncols=min(len(series), 4), fontsize=7.5,
                   handlelength=1.0, handleheight=0.8)
    return _svg(fig, prefix, label=block.title)


@_with_rc
def curve_svg(block: Curve, prefix: str) -> str:
    """Lines through points; with ``diagonal``, the y = x reference and a square 0..1 frame (ROC)."""
    # A ROC frame is square: a narrower figure instead of white space on both sides.
    fig = _new_figure(3.6 if block.diagonal else 2.6, left=0.8, bottom=0.55, width=4.2 if block.diagonal else _WIDTH)
    ax = fig.add_subplot()
    drawn = 0
    for i, (name, xs, ys) in enumerate(block.series):
        points = [(x, y) for x, y in zip(xs, ys) if x is not None and y is not None
                  and math.isfinite(x) and math.isfinite(y)]
        if not points:
            continue
        px, py = zip(*points)
        ax.plot(px, py, color=SERIES_COLORS[i % len(SERIES_COLORS)], linewidth=1.6,
                marker="o" if len(points) <= 12 else None, markersize=3, label=_short(name, 40))
        drawn += 1
    if drawn == 0:
        _empty(ax)
        return _svg(fig, prefix, label=block.title)
    if block.diagonal:
        ax.plot([0, 1], [0, 1], color="#adb5bd", linestyle=(0, (3, 3)), linewidth=1.0, label="_chance")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.0)
        ax.set_aspect("equal")
    ax.set_xlabel(_short(block.x_label, 60))
    ax.set_ylabel(_short(block.y_label, 60))
    ax.grid(color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.legend(loc="lower right" if block.diagonal else "best", fontsize=7.5)
    return _svg(fig, prefix, label=block.title)
