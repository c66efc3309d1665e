"""Gainsight-ready rows: one per company and scorecard measure (each use case, and the overall
score), for one period (a Scorecard Fact load, with a comment explaining each score) or for a
range of periods (Scorecard History backfill, keyed by a snapshot date).

Column names are the ones an admin maps in a Rules Engine action (Set Score 2.0, Load to
Scorecard History) or in a Data Management / Bulk API job; docs/exports.md has the mapping.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import pyarrow as pa

from adoptscore.exports.comments import (
    COMMENT_LIMIT,
    MIN_COMMENT_LIMIT,
    explain_measures,
    overall_id,
)
from adoptscore.exports.periods import snapshot_date
from adoptscore.exports.scale import GainsightScale
from adoptscore.exports.source import ExportError, StoredScores
from adoptscore.sqltext import literal, quote

if TYPE_CHECKING:
    from adoptscore.team.store import TeamStore

ACCOUNT_ID = "account_id"
MAX_COMMENT_LIMIT = 100_000
CHUNK = 2000  # accounts explained at a time: bounds memory on any store size

COLUMNS: list[tuple[str, pa.DataType]] = [
    ("company_id", pa.string()), ("company_name", pa.string()), ("account_id", pa.string()),
    ("measure", pa.string()), ("measure_id", pa.string()),
    ("score", pa.int32()), ("score_decimal", pa.float64()), ("color", pa.string()), ("status", pa.string()),
    ("previous_score", pa.int32()), ("previous_color", pa.string()), ("trend", pa.string()),
    ("period", pa.string()), ("snapshot_date", pa.date32()),
    ("rubric", pa.string()), ("rubric_version", pa.string()),
]
# the account owner's override in force for a use case, beside (never instead of) the computed
# score and color; empty when there is none, and always for the overall measure
OVERRIDE_COLUMNS: list[tuple[str, pa.DataType]] = [
    ("override_color", pa.string()), ("override_reason", pa.string()), ("override_by", pa.string()),
    ("override_until", pa.date32()),
]


@dataclass
class ExportCounts:
    """What an export wrote (filled in while its rows are consumed)."""

    periods: list[str]
    rows: int = 0
    companies: set[str] = field(default_factory=set)
    without_company_id: int = 0     # account-periods left out: no value in the company id column


@dataclass
class Rows:
    """Record batches of one schema, produced lazily; ``counts`` is complete once consumed."""

    schema: pa.Schema
    batches: Iterator[pa.RecordBatch]
    counts: ExportCounts


def measure_rows(scores: StoredScores, period: str | None = None, *, company_id: str = ACCOUNT_ID,
                 scored_only: bool = False, comment_limit: int = COMMENT_LIMIT, snapshot_at: str = "end",
                 team: TeamStore | None = None, at: datetime | None = None) -> Rows:
    """Every company's measure scores in ``period`` (default: the latest stored), each with a comment
    explaining it (at most ``comment_limit`` characters) and the previous period's score.

    The override columns hold the overrides of ``team`` (a team database) in force at ``at``
    (default: now); the comment says them too. Without ``team`` the columns are there, empty."""
    chosen = scores.resolve_period(period)
    from adoptscore.team.store import now

    # one moment for the whole file: an override that expires while it is written is in or out everywhere
    return _rows(scores, [chosen], company_id, scored_only, True, comment_limit, snapshot_at, (team, at or now()))


def history_rows(scores: StoredScores, since: str | None = None, until: str | None = None, *,
                 company_id: str = ACCOUNT_ID, scored_only: bool = False, comments: bool = False,
                 comment_limit: int = COMMENT_LIMIT, snapshot_at: str = "end") -> Rows:
    """Every company's measure scores in every stored period from ``since`` to ``until``."""
    return _rows(scores, scores.select_periods(since, until), company_id, scored_only, comments, comment_limit,
                 snapshot_at)


def _rows(scores: StoredScores, periods: list[str], company_id: str, scored_only: bool, comments: bool,
          comment_limit: int, snapshot_at: str, overrides: tuple | None = None) -> Rows:
    # everything a user can get wrong is checked here, before the first row is read or written
    dates = {p: snapshot_date(p, snapshot_at) for p in periods}
    if company_id != ACCOUNT_ID and company_id not in scores.account_columns:
        known = [c for c in scores.account_columns if c not in ("as_of",)]
        raise ExportError(f"--company-id {company_id!r} is not an account attribute in the store",
                          hint="attributes: " + ", ".join(known) + " (store more with adoptscore score --attributes)")
    if comments and not MIN_COMMENT_LIMIT <= comment_limit <= MAX_COMMENT_LIMIT:
        raise ExportError(f"comment length {comment_limit} is out of range",
                          hint=f"use {MIN_COMMENT_LIMIT} to {MAX_COMMENT_LIMIT:,} characters")
    # the override columns come last: a mapping made before they existed still finds its columns
    schema = pa.schema(COLUMNS + ([("comment", pa.string())] if comments else []) + (OVERRIDE_COLUMNS if overrides else []))
    counts = ExportCounts(list(periods))
    return Rows(schema, _batches(scores, periods, dates, company_id, scored_only, comments, comment_limit, schema,
                                 counts, overrides), counts)


def _batches(scores: StoredScores, periods: list[str], dates: dict, company_id: str, scored_only: bool,
             comments: bool, comment_limit: int, schema: pa.Schema, counts: ExportCounts,
             overrides: tuple | None) -> Iterator[pa.RecordBatch]:
    sql = _sql(scores, company_id, scored_only, by_account=comments)
    counts.without_company_id = _missing_ids(scores, periods, company_id)
    if not comments:
        params = {"periods": periods, "dates": list(dates.values()), "needed": _with_previous(scores, periods)}
        reader = scores.con.sql(sql, params=params).to_arrow_reader(65_536)
        for batch in reader:
            yield _counted(batch.cast(schema), counts)
        return
    for period in periods:
        previous = scores.previous_period(period)
        accounts = [r[0] for r in scores.rows("SELECT DISTINCT account_id FROM overall WHERE period = ? ORDER BY 1",
                                               [period])]
        for start in range(0, len(accounts), CHUNK):
            chunk = accounts[start:start + CHUNK]
            params = {"periods": [period], "dates": [dates[period]], "needed": _with_previous(scores, [period]),
                      "first": chunk[0], "last": chunk[-1], "accounts": chunk}
            table = scores.con.sql(sql, params=params).to_arrow_table()
            if not table.num_rows:
                continue
            held = _in_force(overrides, chunk)
            texts = {(a, m): text for a, m, text in
                     explain_measures(scores.con, scores.rubric, period, previous, chunk, limit=comment_limit,
                                      overrides=held)}
            ids = list(zip(table.column("account_id").to_pylist(), table.column("measure_id").to_pylist()))
            table = table.append_column("comment", pa.array([texts.get(key) for key in ids], pa.string()))
            if overrides:
                table = _with_overrides(table, ids, held)
            for batch in table.cast(schema).to_batches():
                yield _counted(batch, counts)


def _in_force(overrides: tuple | None, accounts: list[str]) -> dict:
    team, at = overrides or (None, None)
    return team.active_overrides(accounts, at=at) if team is not None else {}


def _with_overrides(table: pa.Table, ids: list[tuple[str, str]], held: dict) -> pa.Table:
    """``table`` with the override columns, from ``held`` ((account, use case) -> override)."""
    from adoptscore.team.overrides import until

    found = [held.get(key) for key in ids]
    values = {
        "override_color": [o.color.title() if o else None for o in found],
        "override_reason": [o.reason if o else None for o in found],
        "override_by": [o.author if o else None for o in found],
        "override_until": [datetime.strptime(until(o), "%Y-%m-%d").date() if o else None for o in found],
    }
    for name, kind in OVERRIDE_COLUMNS:
        table = table.append_column(pa.field(name, kind), pa.array(values[name], kind))
    return table


def _with_previous(scores: StoredScores, periods: list[str]) -> list[str]:
    """``periods`` and the stored period before each: the only rows the measure query reads."""
    return sorted({*periods, *(p for p in map(scores.previous_period, periods) if p)})


def _counted(batch: pa.RecordBatch, counts: ExportCounts) -> pa.RecordBatch:
    counts.rows += batch.num_rows
    counts.companies.update(batch.column("company_id").to_pylist())
    return batch


def _missing_ids(scores: StoredScores, periods: list[str], company_id: str) -> int:
    if company_id == ACCOUNT_ID:
        return 0
    return scores.con.execute(
        f"SELECT count(*) FROM overall o LEFT JOIN accounts a USING (account_id) WHERE o.period IN "
        f"(SELECT unnest(?)) AND a.{quote(company_id)} IS NULL", [periods]).fetchone()[0]


def _sql(scores: StoredScores, company_id: str, scored_only: bool, *, by_account: bool) -> str:
    """The measure rows of the periods ``$periods`` (snapshot dates ``$dates``; ``$needed``: those
    periods and the ones before them); ``by_account``, only of the sorted ``$accounts``, which run
    from ``$first`` to ``$last`` (a range lets DuckDB skip other accounts' stored row groups)."""
    rubric = scores.rubric
    scale = GainsightScale.of(rubric)
    overall = overall_id(rubric)
    titles = [(u.id, u.title) for u in rubric.use_cases] + [(overall, rubric.overall.title)]
    title = "CASE c.measure_id " + " ".join(f"WHEN {literal(i)} THEN {literal(t)}" for i, t in titles) + " END"
    order = "CASE c.measure_id " + " ".join(f"WHEN {literal(i)} THEN {n}" for n, (i, _) in enumerate(titles)) + " END"
    company = "c.account_id" if company_id == ACCOUNT_ID else f"CAST(a.{quote(company_id)} AS VARCHAR)"
    filters = [f"{company} IS NOT NULL"]
    if scored_only:
        filters.append("c.status = 'scored'")
    accounts = ""
    if by_account:
        filters.append("c.account_id IN (SELECT unnest($accounts))")
        accounts = "AND account_id BETWEEN $first AND $last"

    def label(color: str) -> str:
        return f"CASE {color} WHEN 'green' THEN 'Green' WHEN 'yellow' THEN 'Yellow' WHEN 'red' THEN 'Red' END"

    return f"""
        WITH periods AS (SELECT period, row_number() OVER (ORDER BY period) AS idx
                         FROM (SELECT DISTINCT period FROM overall)),
        chosen AS (SELECT unnest($periods) AS period, unnest($dates) AS snapshot_date),
        measures AS (
            SELECT account_id, period, use_case AS measure_id, score, status, color FROM use_cases
            WHERE period IN (SELECT unnest($needed)) {accounts}
            UNION ALL
            SELECT account_id, period, {literal(overall)} AS measure_id, score, status, color FROM overall
            WHERE period IN (SELECT unnest($needed)) {accounts}),
        cur AS (SELECT m.*, p.idx, ch.snapshot_date FROM measures m JOIN periods p USING (period)
                JOIN chosen ch USING (period))
        SELECT {company} AS company_id, coalesce(a.name, c.account_id) AS company_name, c.account_id,
               {title} AS measure, c.measure_id,
               {scale.whole_sql('c.score', 'c.color')} AS score, {scale.decimal_sql('c.score')} AS score_decimal,
               {label('c.color')} AS color, c.status,
               {scale.whole_sql('prev.score', 'prev.color')} AS previous_score, {label('prev.color')} AS previous_color,
               CASE WHEN c.score IS NULL OR prev.score IS NULL THEN NULL
                    WHEN round(c.score, 9) > round(prev.score, 9) THEN 'Up'
                    WHEN round(c.score, 9) < round(prev.score, 9) THEN 'Down' ELSE 'Same' END AS trend,
               c.period, c.snapshot_date,
               {literal(rubric.name)} AS rubric, {literal(scores.version)} AS rubric_version
        FROM cur c
        LEFT JOIN periods pp ON pp.idx = c.idx - 1
        LEFT JOIN measures prev ON prev.account_id = c.account_id AND prev.measure_id = c.measure_id
                               AND prev.period = pp.period
        LEFT JOIN accounts a ON a.account_id = c.account_id
        WHERE {' AND '.join(filters)}
        ORDER BY c.period, c.account_id, {order}"""
