"""Every period's alerts as one table of the read model, in the order they are shown, read a page at a time.

At a million accounts a period has hundreds of thousands of color drops. Held as objects, each
server process kept every period's (gigabytes), and a first request for a period sorted them all.
The build writes them once, numbered in display order (most severe first, then by ARR when the
accounts carry one, then by name, use case and account), so a page is a range of numbers read
through the table's zone maps, and a count per period is known in advance.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import duckdb

from adoptscore.sqltext import quote

if TYPE_CHECKING:
    from adoptscore.insights.scope import Scope
    from adoptscore.insights.scorecard import Scorecard

FIELDS = ("account_id", "name", "period", "previous_period", "use_case", "previous_color", "color",
          "previous_score", "score")


def build_alert_table(con: duckdb.DuckDBPyConnection, columns: list[str]) -> None:
    """The ``alerts`` table from the build's ``use_case_drops`` (account, period, previous period,
    use case, previous color, color, previous score, score of every drop) and ``portfolio``;
    ``columns`` (the segment and attribute columns) are carried for scopes and the alerts' attributes."""
    extra = "".join(f", p.{quote(c)}" for c in columns)
    order = "p.arr DESC NULLS LAST, " if "arr" in columns else ""
    con.execute(f"""
        CREATE TABLE alerts AS
        SELECT row_number() OVER (ORDER BY c.period, (c.previous_color = 'green' AND c.color = 'red') DESC, {order}
                                  p.name, c.use_case, c.account_id) AS ordinal,
               c.account_id, p.name, c.period, c.previous_period, c.use_case, c.previous_color, c.color,
               c.previous_score, c.score{extra}
        FROM use_case_drops c JOIN portfolio p ON p.account_id = c.account_id AND p.period = c.period
        ORDER BY ordinal""")


def spans(card: Scorecard) -> dict[str, tuple[int, int]]:
    """Each period's first alert number and count (periods without alerts are absent)."""
    return card.memo(("alert_spans",), lambda: {r["period"]: (int(r["first"]), int(r["n"])) for r in card.rows(
        "SELECT period, min(ordinal) AS first, count(*) AS n FROM alerts GROUP BY period")})


def read(card: Scorecard, period: str, use_case: str | None, scope: Scope, offset: int = 0,
         limit: int | None = None) -> tuple[list[dict[str, Any]], int]:
    """(the alert rows of ``period`` from ``offset``, at most ``limit`` of them (None: all), in
    display order; how many there are), of ``use_case`` (None: every use case) and in ``scope``."""
    first, total = spans(card).get(period, (0, 0))
    select = ", ".join(quote(c) for c in [*FIELDS, *card.segment_columns, *card.attribute_columns])
    if use_case is None and scope.everything:
        # a range of numbers: the zone maps skip every other row group
        stop = total if limit is None else min(total, offset + limit)
        if offset >= stop:
            return [], total
        return card.rows(f"SELECT {select} FROM alerts WHERE ordinal >= ? AND ordinal < ? ORDER BY ordinal",
                         [first + offset, first + stop]), total
    known = {*card.segment_columns, *card.attribute_columns}
    if any(column not in known for column in scope.columns):
        return [], 0  # a scope on a column the scores do not carry admits nothing
    where, params = ["ordinal >= ?", "ordinal < ?"], [first, first + total]
    if use_case is not None:
        where.append("use_case = ?")
        params.append(use_case)
    for column, values in scope.columns.items():
        where.append(f"CAST({quote(column)} AS VARCHAR) IN ({', '.join('?' for _ in values)})")
        params.extend(values)
    condition = " AND ".join(where)
    count = card.value(f"SELECT count(*) FROM alerts WHERE {condition}", params)
    # the numbers first (a few narrow columns), then only those rows' every column
    numbers = [r["ordinal"] for r in card.rows(
        f"SELECT ordinal FROM alerts WHERE {condition} ORDER BY ordinal"
        + ("" if limit is None else f" LIMIT {int(limit)}") + f" OFFSET {int(offset)}", params)]
    if not numbers:
        return [], int(count)
    return card.rows(f"SELECT {select} FROM alerts WHERE ordinal >= ? AND ordinal <= ? AND ordinal IN "
                     f"(SELECT unnest(?::BIGINT[])) ORDER BY ordinal", [numbers[0], numbers[-1], numbers]), int(count)
