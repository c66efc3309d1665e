"""A customer deck as data: what every slide says, independent of how it is drawn.

The builder (:mod:`adoptscore.deck.build`) turns an account's scorecard into a :class:`Deck`;
the renderers (PowerPoint, HTML, PDF) draw the same :class:`Deck`, so the formats always carry
the same content. Every text here is already cleaned (:func:`adoptscore.deck.text.clean`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# fill / text colors of the status cells (the score's own colors, not the template's)
STATUS = {
    "green": ("C6EFCE", "0B5D1E"),
    "yellow": ("FFEB9C", "7A4A00"),
    "red": ("FFC7CE", "9C0006"),
    "none": ("EDEDED", "505050"),   # no data / not applicable
}
# the same colors at full strength (chart markers, badges)
STRONG = {"green": "2E9E44", "yellow": "E0A800", "red": "D03B3B", "none": "9A9A9A"}


@dataclass
class Cell:
    """A table cell: a main text, an optional smaller second line, a status color."""

    text: str
    detail: str = ""
    status: str | None = None        # red | yellow | green | none (no data); None: plain
    bold: bool = False
    align: Literal["left", "center", "right"] = "left"


@dataclass
class Column:
    title: str
    width: float                      # relative width
    align: Literal["left", "center", "right"] = "left"


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Cell]]
    role: str = ""                    # what the table shows (tests and renderers find it by role)


@dataclass
class Series:
    name: str
    values: list[float | None]        # None: no data in that period (a gap, never 0)
    role: Literal["score", "reference"] = "score"
    colors: list[str | None] = field(default_factory=list)  # each point's stored color


@dataclass
class Chart:
    """A line chart over periods; reference series are drawn as thin dashed lines."""

    title: str
    categories: list[str]             # display labels of the periods
    periods: list[str]                # the periods themselves
    series: list[Series]
    y_min: float = 0.0
    y_max: float = 100.0
    number_format: str = "0.0"
    role: str = ""

    @property
    def empty(self) -> bool:
        return all(v is None for s in self.series if s.role == "score" for v in s.values)


@dataclass
class Bullet:
    text: str
    level: int = 0
    bold_lead: str = ""               # a bold start ("CI Builds per Billable User: ")


@dataclass
class Kpi:
    label: str
    value: str
    detail: str = ""
    status: str | None = None


@dataclass
class FocusCard:
    rank: int
    use_case: str
    heading: str                      # use case and metric
    move: str                         # "Red -> Yellow"
    status: str                       # current color
    target: str                       # target color
    gap: str                          # in the customer's units
    impact: str                       # what the move does to the scores
    recommendation: str
    features: list[str]


@dataclass
class TitleSlide:
    title: str                        # the customer's name
    subtitle: list[str]
    kind: Literal["title"] = "title"
    notes: str = ""


@dataclass
class OverviewSlide:
    title: str
    kpis: list[Kpi]
    table: Table
    chart: Chart
    changes_title: str
    changes: list[Bullet]
    kind: Literal["overview"] = "overview"
    notes: str = ""


@dataclass
class UseCaseSlide:
    title: str
    use_case: str
    status: Kpi
    summary: str                      # one line under the title (what the use case is, or why no score)
    table: Table | None
    meanings: list[Bullet]
    peers_note: str
    chart: Chart | None
    part: int = 1                     # continuation slides of a use case with many metrics
    kind: Literal["use_case"] = "use_case"
    notes: str = ""
    override: str = ""                # the account owner's override in force, in words ("" when none)
    override_color: str | None = None  # its color (red | yellow | green)


@dataclass
class FocusSlide:
    title: str
    intro: str
    cards: list[FocusCard]
    kind: Literal["focus"] = "focus"
    notes: str = ""


@dataclass
class AppendixSlide:
    title: str
    bullets: list[Bullet]
    tables: list[Table]
    kind: Literal["appendix"] = "appendix"
    notes: str = ""


Slide = TitleSlide | OverviewSlide | UseCaseSlide | FocusSlide | AppendixSlide


@dataclass
class Deck:
    account_id: str
    account_name: str
    period: str
    period_label: str
    rubric: str
    rubric_version: str
    rubric_title: str
    slides: list[Slide] = field(default_factory=list)

    def by_kind(self, kind: str) -> list[Slide]:
        return [s for s in self.slides if s.kind == kind]
