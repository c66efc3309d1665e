"""A report as data: what the lifecycle commands (calibrate, validate, diff, backtest) produce.

A command builds one :class:`Report` from its typed result; renderers turn it into an HTML page
(:mod:`adoptscore.report.html`) or Rich output in a terminal (:mod:`adoptscore.report.terminal`).
The blocks carry numbers, never markup: every text is escaped by the renderer.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Literal, Union

#: Colors a cell, bar or band can have; ``no_data`` and ``not_applicable`` are shown neutral.
Tone = Literal["red", "yellow", "green", "no_data", "not_applicable"]
TONES: tuple[str, ...] = ("red", "yellow", "green", "no_data", "not_applicable")


@dataclass(frozen=True)
class Colored:
    """A table cell shown with a color (a color name, a metric value in its band, ...)."""

    text: str
    tone: Tone | None = None


Cell = Union[str, int, float, None, Colored]


@dataclass(frozen=True)
class Paragraph:
    """Prose. ``kind='warning'`` is shown as a warning (e.g. 'fewer than 6 months of history')."""

    text: str
    kind: Literal["text", "note", "warning"] = "text"


@dataclass(frozen=True)
class Table:
    """A table; numbers are formatted with ``formats[column]`` (a Python format spec) when given."""

    columns: list[str]
    rows: list[list[Cell]]
    caption: str | None = None
    formats: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Threshold:
    """A cut drawn on a distribution: ``label`` (e.g. 'current Red|Yellow'), where, and which set."""

    label: str
    value: float
    kind: Literal["current", "proposed"] = "current"


@dataclass(frozen=True)
class Distribution:
    """The distribution of one metric, given as a quantile grid (cheap to compute at any scale).

    ``quantiles`` are (p, value) pairs with p in [0, 1], increasing (typically p = 0, 0.01, ...,
    1); ``n`` is the number of values behind them. The renderer draws ``histogram`` when given,
    else a histogram derived from the grid, with ``thresholds`` as vertical lines.
    """

    title: str
    quantiles: list[tuple[float, float]]
    n: int
    thresholds: list[Threshold] = field(default_factory=list)
    value_format: str = ".2f"
    caption: str | None = None
    #: exact counts when the producer has them: bin edges, counts per bin, and the numbers of
    #: values below the first and above the last edge (left out of the plot)
    histogram: tuple[list[float], list[int], int, int] | None = None

    def nearest(self, p: float) -> float | None:
        """The grid value whose p is nearest to ``p`` (None for an empty grid or no values)."""
        finite = [(abs(q - p), v) for q, v in self.quantiles if not (math.isnan(q) or math.isnan(v))]
        return min(finite)[1] if finite and self.n > 0 else None


@dataclass(frozen=True)
class ColorMix:
    """Stacked bars of color counts, one bar per label (e.g. 'current' and 'proposed', or months)."""

    title: str
    bars: list[tuple[str, dict[str, int]]]
    caption: str | None = None


@dataclass(frozen=True)
class BarChart:
    """Grouped bars: for each category, one bar per series (e.g. churn rate per color, per rubric)."""

    title: str
    categories: list[str]
    series: list[tuple[str, list[float | None]]]
    value_format: str = ".1%"
    reference: tuple[str, float] | None = None  # a horizontal line, e.g. ('base rate', 0.12)
    caption: str | None = None


@dataclass(frozen=True)
class Curve:
    """Lines through points, e.g. ROC curves; ``diagonal`` draws y = x for reference."""

    title: str
    series: list[tuple[str, list[float], list[float]]]
    x_label: str
    y_label: str
    diagonal: bool = False
    caption: str | None = None


Block = Union[Paragraph, Table, Distribution, ColorMix, BarChart, Curve]


@dataclass(frozen=True)
class Section:
    title: str
    blocks: list[Block]


@dataclass(frozen=True)
class Report:
    """A whole report: title, key figures shown first, warnings, then sections."""

    title: str
    subtitle: str = ""
    figures: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


#: How a missing number (None, NaN) is shown: it means "no data", never 0.
MISSING = "—"


def format_value(value: Cell, spec: str | None = None) -> str:
    """The text of one cell or number as every renderer shows it.

    Numbers use ``spec`` (a Python format spec such as ``".1%"`` or ``",d"``) when given;
    a spec that does not fit the value (``"d"`` for 2.5) falls back to the default instead of
    failing. None and NaN are :data:`MISSING`; strings and :class:`Colored` texts are shown as
    they are.
    """
    if value is None:
        return MISSING
    if isinstance(value, Colored):
        return value.text
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    try:
        number = float(value)  # numpy scalars too
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return MISSING
    if number in (float("inf"), float("-inf")):
        return "∞" if number > 0 else "−∞"
    if spec:
        try:
            return format(value, spec)
        except (TypeError, ValueError):
            if number.is_integer():
                try:
                    return format(int(number), spec)
                except (TypeError, ValueError):
                    pass
    if isinstance(value, int) or number.is_integer() and abs(number) < 1e15:
        return f"{int(number):,}"
    size = abs(number)
    if size >= 1000:
        return f"{number:,.0f}"
    if size >= 1:
        return f"{number:.2f}"
    return f"{number:.3g}"


def is_number(value: Cell) -> bool:
    """Whether a cell holds a number (not a bool), which renderers align right."""
    if isinstance(value, (bool, str, Colored)) or value is None:
        return False
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


_NUMERIC_TEXT = re.compile(r"^[-+−]?(\d[\d,]*)?\.?\d+\s*(%|pp|x|×)?(\s*\([-+−]?[\d.,]+\s*%?\))?$")
_BLANK_TEXT = {"", MISSING, "-", "n/a"}


def is_numeric_column(cells: list[Cell]) -> bool:
    """Whether a column reads as numbers, which renderers align right.

    True when at least one cell is a number or a numeric text ('12.5%', '1,204', '820 (36%)'),
    including :class:`Colored` texts, and every other cell is blank or missing.
    """
    seen = False
    for cell in cells:
        if cell is None:
            continue
        text = cell.text if isinstance(cell, Colored) else cell
        if isinstance(text, str):
            text = text.strip()
            if text in _BLANK_TEXT:
                continue
            if not _NUMERIC_TEXT.match(text):
                return False
        elif not is_number(text):
            return False
        seen = True
    return seen
