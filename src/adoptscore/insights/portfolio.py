"""The portfolio: every account by use case in one period, filtered, searched, sorted and paged.

Filters are checked against the values the store holds, so a misspelt filter is an error that
names the valid values, never a silently empty page.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from adoptscore.insights.scorecard import BadQuery, PageOutOfRange, Scorecard
from adoptscore.insights.values import plain
from adoptscore.sqltext import quote

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


@dataclass
class Portfolio:
    period: str
    query: PortfolioQuery
    total: int
    pages: int
    rows: list[dict[str, Any]]
    color_counts: dict[str, int]
    adoption: dict[str, int]          # "0", "1", "2", "3+" use cases green
    use_cases: list[dict[str, str]]

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period, "total": self.total, "page": self.query.page, "pages": self.pages,
                "page_size": self.query.page_size, "color_counts": self.color_counts, "adoption": self.adoption,
                "use_cases": self.use_cases, "rows": plain(self.rows)}


def sort_keys(card: Scorecard) -> list[str]:
    numeric_attributes = [c for c in card.attribute_columns if not card._is_text(c)]
    return ["name", "account_id", "score", "adopted_use_cases", *numeric_attributes,
            *[f"{u.id}_score" for u in card.rubric.use_cases]]


def _where(card: Scorecard, query: PortfolioQuery, period: str) -> tuple[str, list[Any]]:
    known = card.segment_values()
    clauses, params = ["period = ?"], [period]
    for column, values in query.filters.items():
        if column not in known:
            raise BadQuery(f"unknown filter {column!r}", hint="filters: " + ", ".join(known))
        wrong = [v for v in values if v not in known[column]]
        if wrong:
            raise BadQuery(f"no account has {column} = {wrong[0]!r}",
                           hint=f"{column} values: " + ", ".join(known[column][:30]))
        if values:
            clauses.append(f"{quote(column)} IN ({', '.join('?' for _ in values)})")
            params.extend(values)
    for what, colors, column in (("color", query.colors, "color"),
                                 ("use case color", query.use_case_colors, f"{query.use_case}_color")):
        if not colors:
            continue
        if what == "use case color" and query.use_case not in [u.id for u in card.rubric.use_cases]:
            raise BadQuery(f"unknown use case {query.use_case!r}",
                           hint="use cases: " + ", ".join(u.id for u in card.rubric.use_cases))
        wrong = [c for c in colors if c not in COLOR_FILTERS]
        if wrong:
            raise BadQuery(f"unknown {what} {wrong[0]!r}", hint="colors: " + ", ".join(COLOR_FILTERS))
        parts = []
        named = [c for c in colors if c != "no_data"]
        if named:
            parts.append(f"{quote(column)} IN ({', '.join('?' for _ in named)})")
            params.extend(named)
        if "no_data" in colors:
            parts.append(f"{quote(column)} IS NULL")
        clauses.append("(" + " OR ".join(parts) + ")")
    if query.dropped:
        clauses.append("dropped")
    if query.search:
        # _search is lower(name) + US + lower(account id): one LIKE covers both, never across them
        clauses.append("_search LIKE ? ESCAPE '\\'")
        text = query.search.lower().replace(chr(31), "")
        params.append("%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    return " AND ".join(clauses), params


def _selection(card: Scorecard, query: PortfolioQuery) -> tuple[str, str, list[Any], str]:
    """(period, WHERE clause, its parameters, ORDER BY) of a checked query."""
    period = card.resolve_period(query.period)
    if query.sort not in sort_keys(card):
        raise BadQuery(f"cannot sort by {query.sort!r}", hint="sort by: " + ", ".join(sort_keys(card)))
    where, params = _where(card, query, period)
    key = {"name": "_name_key", "account_id": "_id_key"}.get(query.sort, query.sort)
    order = f"{quote(key)} {'DESC' if query.descending else 'ASC'} NULLS LAST, _id_key"
    return period, where, params, order


def portfolio(card: Scorecard, query: PortfolioQuery | None = None) -> Portfolio:
    """One page of the portfolio, with color counts and the adoption distribution of everything
    the filters select."""
    query = query or PortfolioQuery()
    if not 1 <= query.page_size <= MAX_PAGE_SIZE:
        raise BadQuery(f"page size {query.page_size} is out of range", hint=f"use 1 to {MAX_PAGE_SIZE}")
    if query.page < 1:
        raise PageOutOfRange(f"page {query.page} does not exist", hint="pages start at 1")
    period, where, params, order = _selection(card, query)
    counts = card.rows(f"""
        SELECT count(*) AS total,
               count(*) FILTER (WHERE color = 'green') AS green, count(*) FILTER (WHERE color = 'yellow') AS yellow,
               count(*) FILTER (WHERE color = 'red') AS red, count(*) FILTER (WHERE color IS NULL) AS no_data,
               count(*) FILTER (WHERE adopted_use_cases = 0) AS a0, count(*) FILTER (WHERE adopted_use_cases = 1) AS a1,
               count(*) FILTER (WHERE adopted_use_cases = 2) AS a2, count(*) FILTER (WHERE adopted_use_cases >= 3) AS a3
        FROM portfolio WHERE {where}""", params)[0]
    total = int(counts["total"])
    pages = max(1, math.ceil(total / query.page_size))
    if query.page > pages:
        raise PageOutOfRange(f"page {query.page} does not exist: the selection has {pages} page(s)",
                             hint=f"use a page from 1 to {pages}")
    rows = card.rows(f"SELECT {card.PORTFOLIO} FROM portfolio WHERE {where} ORDER BY {order} "
                     f"LIMIT {query.page_size} OFFSET {(query.page - 1) * query.page_size}", params)
    return Portfolio(period, query, total, pages, rows,
                     {c: int(counts[c]) for c in COLOR_FILTERS},
                     {"0": int(counts["a0"]), "1": int(counts["a1"]), "2": int(counts["a2"]), "3+": int(counts["a3"])},
                     [{"id": u.id, "title": u.title} for u in card.rubric.use_cases])


def portfolio_csv(card: Scorecard, query: PortfolioQuery) -> str:
    """Every row the query selects (all pages), as CSV text.

    DuckDB selects and guards the cells and Arrow writes them: at 100,000 accounts a filtered
    selection has thousands of rows, which Python's csv module wrote several times slower.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    period, where, params, order = _selection(card, query)
    use_cases = card.rubric.use_cases
    columns = ["account_id", "name", *card.segment_columns, *card.attribute_columns, "score", "color",
               "adopted_use_cases", *[f"{u.id}_{k}" for u in use_cases for k in ("color", "score")], "dropped"]
    cells = ", ".join(_guarded(quote(c)) if card._is_text(c) else quote(c) for c in columns)
    cursor = card.cursor()
    try:
        table = cursor.sql(f"SELECT ? AS period, {cells} FROM portfolio WHERE {where} ORDER BY {order}",
                           params=[period, *params]).to_arrow_table()
    finally:
        cursor.close()
    buffer = pa.BufferOutputStream()
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(quoting_style="needed"))
    return buffer.getvalue().to_pybytes().decode("utf-8")


def _guarded(column: str) -> str:
    """SQL for :func:`csv_safe` on a text column."""
    return (f"CASE WHEN left({column}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) "
            f"THEN chr(39) || {column} ELSE {column} END AS {column}")


def csv_safe(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text: formula-like text is quoted, None is empty."""
    # a cell starting with = + - @ would run as a formula in a spreadsheet: quote it as text
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value
