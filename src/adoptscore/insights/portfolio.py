"""The portfolio: every account by use case in one period, filtered, searched, sorted and paged.

Filters are checked against the values the store holds, so a misspelt filter is an error that
names the valid values, never a silently empty page.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from adoptscore.insights.portfolio_frame import FORMULA_STARTS, PortfolioFrame, Selection
from adoptscore.insights.scope import EVERYTHING, Scope
from adoptscore.insights.scorecard import BadQuery, PageOutOfRange, Scorecard
from adoptscore.rubric.applicability import not_applicable_sentence

COLOR_FILTERS = ("green", "yellow", "red", "no_data")
MAX_PAGE_SIZE = 500


@dataclass
class PortfolioQuery:
    period: str | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)   # segment/attribute column -> values
    colors: list[str] = field(default_factory=list)                # overall color (or no_data)
    use_case: str | None = None                                    # with use_case_colors: that use case's color
    use_case_colors: list[str] = field(default_factory=list)
    dropped: bool = False                                          # a use case dropped color this period
    search: str | None = None                                      # name or account id, case-insensitive
    sort: str = "name"
    descending: bool = False
    page: int = 1
    page_size: int = 50
    scope: Scope = EVERYTHING                                      # the accounts the reader may see at all


@dataclass
class Portfolio:
    period: str
    query: PortfolioQuery
    total: int
    pages: int
    rows: list[dict[str, Any]]       # plain Python values, None where missing: JSON-ready
    color_counts: dict[str, int]
    adoption: dict[str, int]          # "0", "1", "2", "3+" use cases green
    use_cases: list[dict[str, str]]  # id, title, and not_applicable: why it may not apply, in a sentence
    has_arr: bool = False             # rows carry arr and arr_at_risk (a sort key too)

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period, "total": self.total, "page": self.query.page, "pages": self.pages,
                "page_size": self.query.page_size, "color_counts": self.color_counts, "adoption": self.adoption,
                "use_cases": self.use_cases, "rows": self.rows}


def sort_keys(card: Scorecard) -> list[str]:
    """The keys a portfolio sorts by: name, id, scores, numeric attributes and, when the accounts
    carry a numeric ``arr``, ``arr_at_risk`` (:meth:`PortfolioFrame.arr_at_risk`: ARR at Red, half
    of it at Yellow, none at Green)."""
    numeric_attributes = [c for c in card.attribute_columns if not card._is_text(c)]
    risk = ["arr_at_risk"] if "arr" in numeric_attributes else []
    return ["name", "account_id", "score", "adopted_use_cases", *numeric_attributes, *risk,
            *[f"{u.id}_score" for u in card.rubric.use_cases]]


def _equals(card: Scorecard, query: PortfolioQuery) -> dict[str, list[str | None]]:
    """The query's column filters, checked against the stored values (None: no data)."""
    known = card.segment_values()
    equals: dict[str, list[str | None]] = {}
    for column, values in query.filters.items():
        if column not in known:
            raise BadQuery(f"unknown filter {column!r}", hint="filters: " + ", ".join(known))
        wrong = [v for v in values if v not in known[column]]
        if wrong:
            raise BadQuery(f"no account has {column} = {wrong[0]!r}",
                           hint=f"{column} values: " + ", ".join(known[column][:30]))
        if values:
            equals[column] = list(values)
    use_cases = [u.id for u in card.rubric.use_cases]
    if query.use_case is not None and query.use_case not in use_cases:
        raise BadQuery(f"unknown use case {query.use_case!r}", hint="use cases: " + ", ".join(use_cases))
    if query.use_case_colors and query.use_case is None:
        raise BadQuery("a use case color filter needs the use case it applies to",
                       hint="add use_case, one of: " + ", ".join(use_cases))
    for what, colors, column in (("color", query.colors, "color"),
                                 ("use case color", query.use_case_colors, f"{query.use_case}_color")):
        if not colors:
            continue
        wrong = [c for c in colors if c not in COLOR_FILTERS]
        if wrong:
            raise BadQuery(f"unknown {what} {wrong[0]!r}", hint="colors: " + ", ".join(COLOR_FILTERS))
        equals[column] = [None if c == "no_data" else c for c in colors]
    return equals


def _selection(card: Scorecard, query: PortfolioQuery, first: int | None = None) -> tuple[PortfolioFrame, Selection]:
    """The period's frame and the rows of a checked query: the ``first`` in sort order, or all."""
    period = card.resolve_period(query.period)
    if query.sort not in sort_keys(card):
        raise BadQuery(f"cannot sort by {query.sort!r}", hint="sort by: " + ", ".join(sort_keys(card)))
    equals = _equals(card, query)
    frame = card.portfolio_frame(period)
    # the read model's search text is lower(name) + US + lower(account id): a match never spans both
    search = query.search.lower().replace(chr(31), "") if query.search else None
    mask = frame.mask(equals, dropped=query.dropped, search=search)
    if not query.scope.everything:
        # applied beside the reader's own filters, never checked against the stored values: a
        # scope whose owner has no account this period selects nothing, it is not an error
        in_scope = frame.mask(query.scope.equals())
        mask = in_scope if mask is None else mask & in_scope
    return frame, frame.select(mask, query.sort, query.descending, first)


def portfolio(card: Scorecard, query: PortfolioQuery | None = None) -> Portfolio:
    """One page of the portfolio, with color counts and the adoption distribution of everything
    the filters select."""
    query = query or PortfolioQuery()
    if not 1 <= query.page_size <= MAX_PAGE_SIZE:
        raise BadQuery(f"page size {query.page_size} is out of range", hint=f"use 1 to {MAX_PAGE_SIZE}")
    if query.page < 1:
        raise BadQuery(f"page {query.page} does not exist", hint="pages start at 1")
    frame, selected = _selection(card, query, first=query.page * query.page_size)
    pages = max(1, math.ceil(selected.total / query.page_size))
    if query.page > pages:
        raise PageOutOfRange(f"page {query.page} does not exist: the selection has {pages} page(s)",
                             hint=f"use a page from 1 to {pages}")
    start = (query.page - 1) * query.page_size
    positions = selected.positions[start:start + query.page_size]
    rows = frame.rows(positions)
    if frame.has_arr:
        # derived, not stored: the page and the API show the value they were sorted by
        for row, risk in zip(rows, frame.arr_at_risk()[positions].tolist()):
            row["arr_at_risk"] = None if math.isnan(risk) else risk
    return Portfolio(frame.period, query, selected.total, pages, rows, selected.color_counts, selected.adoption,
                     [{"id": u.id, "title": u.title, "not_applicable": not_applicable_sentence(u)}
                      for u in card.rubric.use_cases], frame.has_arr)


def portfolio_csv(card: Scorecard, query: PortfolioQuery) -> str:
    """Every row the query selects (all pages), as CSV text, cells safe to open in a spreadsheet."""
    frame, selected = _selection(card, query)
    use_cases = card.rubric.use_cases
    columns = ["account_id", "name", *card.segment_columns, *card.attribute_columns, "score", "color",
               "adopted_use_cases", *[f"{u.id}_{k}" for u in use_cases for k in ("color", "score")], "dropped"]
    table = frame.csv_table(selected.positions, columns)
    buffer = pa.BufferOutputStream()
    # one batch: Arrow's writer pays per batch of its default 1,024 rows
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(quoting_style="needed", batch_size=max(1024, table.num_rows)))
    return buffer.getvalue().to_pybytes().decode("utf-8")


def csv_safe(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text: formula-like text is quoted, None is empty."""
    # a cell starting with = + - @ would run as a formula in a spreadsheet: quote it as text
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return "" if value is None else value
