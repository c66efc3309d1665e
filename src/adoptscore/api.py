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


#: a database file given as ``--into``: opened on the data's DuckDB connection under this name
INTO_CATALOG = "adoptscore_into"
DATABASE_FILES = (".duckdb", ".ddb", ".db")


def score_into(data: Any, rubric: Rubric | str | Path, into: str, *, table: str | None = None,
               layout: str | None = None, periods: list[str] | None = None, prefix: str = "adoptscore_",
               on_step: Any = None) -> Any:
    """Score ``data`` and keep the three result tables inside the backend that holds it.

    ``into`` is a schema on the data's own connection (``analytics``; created if absent), the
    data's connection URL itself (its default schema), or a DuckDB database file (``results.duckdb``)
    when DuckDB reads the data. The tables are ``{prefix}metrics``, ``{prefix}use_cases`` and
    ``{prefix}overall``; the rows of this rubric version and these periods are replaced, all at
    once, and the other rows kept (see :mod:`adoptscore.engine.into`). Returns an
    :class:`~adoptscore.engine.into.IntoSummary`.
    """
    from adoptscore.engine.into import Into, write_into
    from adoptscore.errors import AdoptscoreError
    from adoptscore.files import check_output, claim_output

    target = into.strip()
    if not target:
        raise AdoptscoreError("--into is empty", hint="name a schema (e.g. analytics) or a .duckdb file")
    database: Path | None = None
    if "://" in target:
        if target.rstrip("/") != str(data).rstrip("/"):
            raise AdoptscoreError("--into names another connection than the data's: the results are computed and kept "
                                  "where the data is, never moved between systems",
                                  hint="give a schema on the data's connection, e.g. --into analytics")
        spec = Into(None, prefix)
    elif target.lower().endswith(DATABASE_FILES):
        database = Path(target)
        spec = Into(None, prefix, catalog=INTO_CATALOG)
    else:
        spec = Into(target, prefix)
    result = score(data, rubric, table=table, layout=layout, periods=periods)
    if database is not None:
        # after the data is opened, so that it is checked against it (also outside a CLI command)
        check_output(database, "--into", inputs=[result.source_path] if result.source_path else [])
        claim_output(database, "--into")
        result.adapter.attach(database, INTO_CATALOG)
    return write_into(result, spec, on_step=on_step)
