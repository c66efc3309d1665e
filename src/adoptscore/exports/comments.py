"""A short plain-text comment explaining each measure score: how it was formed, what changed
since the previous period and why, and where each metric stands.

The wording is the insights layer's: "why it changed" comes from
:func:`adoptscore.insights.account.score_changes` (with its per-metric drivers), formulas from
:mod:`adoptscore.insights.explain`, values and bands from :mod:`adoptscore.insights.thresholds`.
This module only gathers the rows they need, many accounts at a time, orders the sentences by
importance and fits them into a length limit.

Rows are read from any DuckDB connection holding the tables ``overall``, ``use_cases``,
``metrics`` and optionally ``band_keys`` of one rubric version (the scorecard's in-memory tables,
or :class:`~adoptscore.exports.source.StoredScores`'s views over the store).
"""
from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import duckdb

from adoptscore.insights.account import UseCaseView, score_changes
from adoptscore.insights.explain import mean_formula
from adoptscore.insights.thresholds import bands_for, format_value
from adoptscore.rubric.applicability import not_applicable_sentence
from adoptscore.rubric.models import Rubric, UseCase
from adoptscore.team.overrides import override_words
from adoptscore.team.store import Override

# The comment limit we default to: Gainsight documents a 250-character limit on the fields of its
# objects (Data Management, "Limitations"). Raise it when your comment field takes more.
COMMENT_LIMIT = 250
MIN_COMMENT_LIMIT = 40
OVERALL = "overall"
_METRIC_ORDER = {"red": 0, "yellow": 1, "green": 2}
_METRIC_COLUMNS = "account_id, period, use_case, metric, numerator, denominator, value, status, color, points, reason"


def number(value: Any) -> float | None:
    """A stored number, None when missing. The rows come from DuckDB (None, never pandas' NA), so
    this is :func:`adoptscore.insights.values.number` without its pandas check, which dominated
    the time of a large export."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def overall_id(rubric: Rubric) -> str:
    """The measure id of the overall score (``overall``, unless a use case already has that id)."""
    ids = {u.id for u in rubric.use_cases}
    return OVERALL if OVERALL not in ids else "overall_score"


def plain_text(text: object) -> str:
    """``text`` on one line: control and format characters become spaces, runs of spaces one."""
    text = str(text)
    if not text.isprintable():  # false exactly when a character is of category C or Z (but " ")
        text = "".join(" " if unicodedata.category(ch)[0] in ("C", "Z") else ch for ch in text)
    return " ".join(text.split())


def fit(parts: Sequence[str], limit: int) -> str:
    """Whole sentences, most important first, while they fit in ``limit`` characters; the first
    that does not fit is cut at a word with "..." when there is room for a useful piece of it."""
    out = ""
    for part in parts:
        part = plain_text(part)
        if not part:
            continue
        candidate = f"{out} {part}" if out else part
        if len(candidate) <= limit:
            out = candidate
            continue
        room = limit - len(out) - (1 if out else 0)
        if not out or room >= MIN_COMMENT_LIMIT:
            piece = _cut(part, room)
            out = f"{out} {piece}" if out else piece
        break
    return out


def _cut(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    if room <= 3:
        return text[:max(room, 0)]
    head = text[:room - 3]
    space = head.rfind(" ")
    if space >= room // 2:
        head = head[:space]
    return head.rstrip(" ,;:(") + "..."


def explain_measures(con: duckdb.DuckDBPyConnection, rubric: Rubric, period: str, previous: str | None,
                     accounts: Sequence[str], *, limit: int = COMMENT_LIMIT,
                     overrides: Mapping[tuple[str, str], Override] | None = None) -> Iterator[tuple[str, str, str]]:
    """``(account_id, measure_id, comment)`` for every use case and the overall score of each of
    ``accounts`` in ``period`` (compared with ``previous``, the preceding stored period).

    ``overrides`` ((account, use case) -> the owner's override in force) are said right after the
    computed score, which stays what the comment explains."""
    overrides = overrides or {}
    if not accounts:
        return
    rows = _Rows(con, rubric, period, previous, sorted(accounts))
    overall_measure = overall_id(rubric)
    for account in accounts:
        uc_now, uc_before = rows.use_cases(account, period), rows.use_cases(account, previous)
        m_now, m_before = rows.metrics(account, period), rows.metrics(account, previous)
        views = [_view(u, uc_now.get(u.id, {})) for u in rubric.use_cases]
        changes = {c.use_case: c for c in score_changes(rubric, previous, views, uc_before, m_now, m_before)}
        keys = rows.band_keys(account)
        for use_case in rubric.use_cases:
            parts = _use_case_parts(use_case, uc_now.get(use_case.id, {}), m_now, changes.get(use_case.id),
                                    previous, keys)
            override = overrides.get((account, use_case.id))
            if override is not None:
                parts.insert(1, override_words(override) + ".")
            yield account, use_case.id, fit(parts, limit)
        parts = _overall_parts(rubric, rows.overall(account, period), rows.overall(account, previous), uc_now,
                               list(changes.values()), previous)
        yield account, overall_measure, fit(parts, limit)


class _Rows:
    """The rows of some accounts in a period and the one before, fetched once and indexed."""

    def __init__(self, con: duckdb.DuckDBPyConnection, rubric: Rubric, period: str, previous: str | None,
                 accounts: list[str]):
        self.period = period
        periods = [p for p in (period, previous) if p]
        # the range lets DuckDB skip the stored row groups of other accounts (rows are stored
        # sorted by account); the list keeps the selection exact
        where = "period IN (SELECT unnest(?)) AND account_id BETWEEN ? AND ? AND account_id IN (SELECT unnest(?))"
        params = [periods, accounts[0], accounts[-1], accounts]
        self._metrics: dict[tuple[str, str], dict[tuple[str, str], dict]] = defaultdict(dict)
        for r in _dicts(con, f"SELECT {_METRIC_COLUMNS} FROM metrics WHERE {where}", params):
            self._metrics[(r["account_id"], r["period"])][(r["use_case"], r["metric"])] = r
        self._use_cases: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
        for r in _dicts(con, "SELECT account_id, period, use_case, score, color, status, reason, adopted "
                             f"FROM use_cases WHERE {where}", params):
            self._use_cases[(r["account_id"], r["period"])][r["use_case"]] = r
        self._overall = {(r["account_id"], r["period"]): r for r in _dicts(
            con, f"SELECT account_id, period, score, color, status, adopted_use_cases FROM overall WHERE {where}",
            params)}
        self._keys: dict[str, dict[str, float | None]] = {}
        if any(m.bands_by for _, m in rubric.metrics) and _has_relation(con, "band_keys"):
            for r in _dicts(con, "SELECT * FROM band_keys WHERE period = ? AND account_id BETWEEN ? AND ? "
                                 "AND account_id IN (SELECT unnest(?))", [period, accounts[0], accounts[-1], accounts]):
                self._keys[r["account_id"]] = {k: number(v) for k, v in r.items() if k not in ("account_id", "period")}

    def metrics(self, account: str, period: str | None) -> dict[tuple[str, str], dict]:
        return self._metrics.get((account, period), {}) if period else {}

    def use_cases(self, account: str, period: str | None) -> dict[str, dict]:
        return self._use_cases.get((account, period), {}) if period else {}

    def overall(self, account: str, period: str | None) -> dict | None:
        return self._overall.get((account, period)) if period else None

    def band_keys(self, account: str) -> dict[str, float | None]:
        return self._keys.get(account, {})


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict[str, Any]]:
    # the connection itself, not a cursor: temporary views are not seen by other cursors
    result = con.execute(sql, params)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]


def _has_relation(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    try:
        con.execute(f"SELECT * FROM {name} LIMIT 0").fetchall()
        return True
    except duckdb.CatalogException:
        return False


def _view(use_case: UseCase, row: dict) -> UseCaseView:
    return UseCaseView(use_case.id, use_case.title, use_case.description, use_case.weight, number(row.get("score")),
                       row.get("color"), row.get("status", "no_data"), row.get("reason"), row.get("adopted"), [], [],
                       [])


def _use_case_parts(use_case: UseCase, row: dict, metrics: dict, change: Any, previous: str | None,
                    keys: dict) -> list[str]:
    score, color, status = number(row.get("score")), row.get("color"), row.get("status", "no_data")
    reason = _reason(row.get("reason"))
    if score is not None:
        parts = [f"{score:.1f} ({color}) = {_formula(use_case, metrics)}."]
    elif status == "not_applicable":
        # the rubric's applicability in words (as the account page says it), never its expression
        parts = [f"Not applicable: {not_applicable_sentence(use_case, row.get('reason'))}"]
    else:
        parts = [f"No score: {reason or 'no metric has data'}."]
    explained: set[str] = set()
    if change is not None:
        parts.append(f"Since {previous}: {change.text}.")
        for driver in change.drivers:
            parts.append(f"{driver.text}.")
            explained.add(driver.metric)
    lines = []
    for metric in use_case.metrics:
        if metric.id in explained:
            continue
        m = metrics.get((use_case.id, metric.id), {})
        m_status, m_color = m.get("status", "no_data"), m.get("color")
        if m_status == "scored":
            key = keys.get(metric.bands_by.by) if metric.bands_by else None
            band = next((str(i) for c, i in bands_for(metric, key) if c == m_color), None)
            where = f"{m_color}, {band}" if band else f"{m_color}"
            shown = format_value(metric, number(m.get("value")))
            lines.append((_METRIC_ORDER.get(m_color, 3), f"{metric.title} {shown} ({where})."))
        elif m_status == "not_applicable":
            if status != "not_applicable":  # a use case that does not apply says so once
                lines.append((5, f"{metric.title}: not applicable."))
        else:
            why = _reason(m.get("reason"))
            lines.append((4, f"{metric.title}: no data ({why})." if why else f"{metric.title}: no data."))
    parts.extend(text for _, text in sorted(lines, key=lambda item: item[0]))
    return parts


def _formula(use_case: UseCase, metrics: dict) -> str:
    pairs = [(float(m["points"]), float(metric.weight)) for metric in use_case.metrics
             if (m := metrics.get((use_case.id, metric.id))) and number(m.get("points")) is not None]
    if use_case.aggregation == "worst_of":
        return f"worst of ({', '.join(f'{p:g}' for p, _ in pairs)})" if pairs else "no metric has data"
    return mean_formula(pairs)


def _overall_parts(rubric: Rubric, row: dict | None, before: dict | None, use_cases: dict[str, dict],
                   changes: list, previous: str | None) -> list[str]:
    row = row or {}
    score, color = number(row.get("score")), row.get("color")
    present = [(u, number(use_cases.get(u.id, {}).get("score"))) for u in rubric.use_cases]
    present = [(u, s) for u, s in present if s is not None]
    if score is not None and present:
        top = " + ".join(f"{u.weight:g} x {s:.1f} ({u.id})" for u, s in present)
        parts = [f"{score:.1f} ({color}) = ({top}) / {sum(u.weight for u, _ in present):g}."]
    else:
        parts = ["No score: no use case has a score."]
    if before is not None:
        s0, c0 = number(before.get("score")), before.get("color")
        if (s0, c0) != (score, color):
            was = f"{s0:.1f} ({c0})" if s0 is not None else "no score"
            parts.append(f"Since {previous}: it was {was}.")
    parts.extend(f"{change.text}." for change in changes)  # drops first
    adoptable = sum(1 for u in rubric.use_cases if u.counts_towards_adoption)
    if adoptable:
        parts.append(f"{int(row.get('adopted_use_cases') or 0)} of {adoptable} use cases adopted (green).")
    return parts


def _reason(reason: object) -> str | None:
    if not isinstance(reason, str) or not reason.strip():
        return None
    text = reason.strip()
    return text[len("not applicable: "):] if text.lower().startswith("not applicable: ") else text
