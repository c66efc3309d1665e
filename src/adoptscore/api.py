"""The public API: every front end (CLI, web, deck, exports) calls these and holds no scoring logic."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

from adoptscore.rubric.loader import load_rubric as _load_rubric
from adoptscore.rubric.models import Rubric

if TYPE_CHECKING:
    from adoptscore.engine.result import ScoreResult


def load_rubric(name_or_path: str | Path) -> Rubric:
    """Load a rubric: a bundled name (``gitlab``, ``gitlab-2022``, ``innovation-graph``) or a YAML path."""
    return _load_rubric(name_or_path)


def score(data: Any, rubric: Rubric | str | Path, *, table: str | None = None, layout: str | None = None,
          connection: Any = None, accounts: list[str] | None = None, periods: list[str] | None = None) -> "ScoreResult":
    """Score usage ``data`` with ``rubric``.

    ``data`` is a path (CSV, TSV, Parquet, JSON, a folder of Parquet, a DuckDB file with ``table``),
    an Ibis connection URL with ``table``, a pandas/polars/pyarrow frame, or an Ibis table.
    ``layout='long'`` reads (account, period, input name, value) rows. ``accounts`` and ``periods``
    restrict the scoring. Returns a lazy :class:`ScoreResult`.
    """
    from adoptscore.engine.compile import compile_rubric
    from adoptscore.engine.result import ScoreResult
    from adoptscore.sources.read import load_usage

    if not isinstance(rubric, Rubric):
        rubric = _load_rubric(rubric)
    usage = load_usage(data, rubric, table=table, layout=layout, connection=connection)
    t = usage.table
    if accounts is not None:
        t = t.filter(t[rubric.input.account_id].cast("string").isin([str(a) for a in accounts]))
    if periods is not None:
        t = t.filter(t[rubric.input.period].cast("string").isin(_known_periods(t, rubric, periods, usage.label)))
    return ScoreResult(rubric=rubric, compiled=compile_rubric(t, rubric), data=t, source=usage.label,
                       source_path=usage.path)


def _known_periods(t: Any, rubric: Rubric, periods: list[str], label: str) -> list[str]:
    """``periods`` as text, each checked to be a period the data holds: scoring a period that is
    not there would write empty tables and report success."""
    from adoptscore.errors import DataError
    from adoptscore.sources.periods import FORMS, is_period, shown_range

    asked = [str(p) for p in periods]
    for period in asked:
        if not is_period(period):
            raise DataError(f"--period {period!r} is not a period", hint=f"write it as {FORMS}, e.g. 2026-10")
    column = t[rubric.input.period].cast("string")
    present = [p for p in t.select(p=column).distinct().execute()["p"].tolist() if p is not None]
    absent = [p for p in asked if p not in set(present)]
    if absent:
        raise DataError(f"{label}: no rows for period {', '.join(absent)}",
                        hint=f"the data holds {shown_range(present)}" if present else "the data has no periods")
    return asked
