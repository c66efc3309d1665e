"""Results kept where the data lives: the three result tables created or updated inside the
backend that holds the usage data, by statements it runs itself (no result row reaches the client).

A run replaces exactly what it scored: the rows of its rubric, rubric version and periods. Other
periods, versions and rubrics in the same tables stay. On a backend with transactions (DuckDB,
PostgreSQL) the three tables change in one transaction: a reader sees the old scores or the new,
never a mix, and a run that fails or is killed leaves the tables as they were. Spark SQL has no
multi-statement transactions: each table is rebuilt beside the old one (kept rows + new rows) and
swapped in by two renames; a failure before the swap leaves the old table untouched, and a left-over
build table is dropped by the next run.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from adoptscore.engine.backends import Adapter
from adoptscore.engine.result import TABLES
from adoptscore.errors import AdoptscoreError, first_line
from adoptscore.sqltext import literal

if TYPE_CHECKING:
    from adoptscore.engine.result import ScoreResult

#: a schema or table-name prefix: letters, digits and underscores (quoted anyway; this keeps names portable)
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
BUILD_SUFFIX, OLD_SUFFIX = "__adoptscore_build", "__adoptscore_old"


@dataclass(frozen=True)
class Into:
    """Where the results go on the data's backend: ``schema`` (None: the connection's default) and
    tables named ``{prefix}metrics``, ``{prefix}use_cases``, ``{prefix}overall``; ``catalog`` names
    an attached database (a DuckDB file given as the target)."""

    schema: str | None = None
    prefix: str = "adoptscore_"
    catalog: str | None = None

    def __post_init__(self) -> None:
        for what, value in (("schema", self.schema), ("table prefix", self.prefix)):
            if value and not NAME.fullmatch(value):
                raise AdoptscoreError(f"--into: the {what} {value!r} is not a plain SQL name",
                                      hint="use letters, digits and underscores, starting with a letter")

    def names(self) -> dict[str, str]:
        """Result table -> unquoted table name (without the schema)."""
        return {table: f"{self.prefix}{table}" for table in TABLES}


@dataclass(frozen=True)
class IntoSummary:
    """What a run changed: the qualified tables, the periods replaced and the rows now held for them."""

    tables: dict[str, str]
    periods: tuple[str, ...]
    rows: dict[str, int]


def write_into(result: "ScoreResult", into: Into, *, on_step: Callable[[str], None] | None = None) -> IntoSummary:
    """Replace ``result``'s rubric version and periods in the three tables named by ``into``."""
    adapter = result.adapter
    step = on_step or (lambda _text: None)
    if into.catalog is None and not adapter.persistent():
        # a local file is read on a database in memory: tables made there would vanish with this
        # run, which would report success and keep nothing
        raise AdoptscoreError(f"{result.source}: the data is read into a database in memory, so tables made there "
                              "would be gone when the run ends", hint="give --into a DuckDB file (--into results.duckdb), "
                              "or score the table where it is kept: its connection URL with --table (duckdb:///usage.duckdb)")
    step("finding the periods scored")
    periods = scored_periods(result)
    if not periods:
        raise AdoptscoreError("nothing to write: the data has no rows in the rubric's scope",
                              hint="check --period and the rubric's input scope")
    version = str(result.rubric.version)
    stale = (f"rubric = {literal(result.rubric.name)} AND rubric_version = {literal(version)} "
             f"AND period IN ({', '.join(literal(p) for p in periods)})")
    quoted = {table: _qualified(adapter, into, name) for table, name in into.names().items()}
    if into.schema:
        adapter.create_schema(".".join(adapter.quote(p) for p in (into.catalog, into.schema) if p))
    _check_columns(adapter, quoted, {table: result.sql(table) for table in TABLES})
    # where it pays (Adapter.keeps_wide), the plan is computed once, into a temporary table, and the
    # three tables are cut from it: otherwise each table's query reads the data and scores it again
    kept = f"adoptscore_wide_{uuid.uuid4().hex[:12]}" if adapter.keeps_wide else None
    if kept is None:
        selects = {table: result.sql(table) for table in TABLES}
    else:
        step("scoring every account-period once")
        adapter.temporary(result.sql("wide"), kept)
        selects = {table: result.compiled.cut_sql(table, kept, result.backend.name, pretty=False) for table in TABLES}
    try:
        if adapter.transactional:
            step("replacing the scored periods (one transaction)")
            with adapter.transaction():
                for table in TABLES:
                    _replace_in_place(adapter, quoted[table], selects[table], stale)
        else:
            for table in TABLES:
                step(f"rebuilding {quoted[table]}")
                _replace_by_swap(adapter, into, table, selects[table], stale)
    except AdoptscoreError:
        raise
    except Exception as exc:  # noqa: BLE001 - the backend's own error, in one line
        left = "nothing was changed" if adapter.transactional else "tables not yet swapped are unchanged"
        raise AdoptscoreError(f"--into: the backend refused the results: {first_line(exc)}; {left}",
                              hint="fix what the backend names (permissions, constraints, space) and run again") from None
    finally:
        if kept is not None:
            adapter.drop(kept)
    rows = {table: _count(adapter, f"SELECT COUNT(*) AS n FROM {quoted[table]} WHERE {stale}") for table in TABLES}
    return IntoSummary(quoted, periods, rows)


def scored_periods(result: "ScoreResult") -> tuple[str, ...]:
    """The periods ``result`` scores (its data's periods in the rubric's scope), sorted."""
    sql = f"SELECT DISTINCT period FROM ({result.sql('prepared')}) AS scored"
    return tuple(sorted(str(p) for p in result.adapter.to_arrow(sql).column(0).to_pylist() if p is not None))


def _qualified(adapter: Adapter, into: Into, name: str) -> str:
    return ".".join(adapter.quote(part) for part in (into.catalog, into.schema, name) if part)


def _check_columns(adapter: Adapter, quoted: dict[str, str], selects: dict[str, str]) -> None:
    """An existing table must have the columns this run writes, in order (a rubric with other
    segment labels writes other overall columns): refused before anything changes."""
    for table, target in quoted.items():
        if not adapter.exists(target):
            continue
        have, want = adapter.columns(f"SELECT * FROM {target}"), adapter.columns(selects[table])
        if [c.lower() for c in have] != [c.lower() for c in want]:
            extra = [c for c in have if c not in want]
            absent = [c for c in want if c not in have]
            detail = "; ".join(part for part in (
                f"it has {', '.join(extra)} that this run does not write" if extra else "",
                f"it lacks {', '.join(absent)}" if absent else "",
                "its columns are in another order" if not extra and not absent else "") if part)
            raise AdoptscoreError(f"--into: table {target} holds other columns than the {table} results ({detail})",
                                  hint="write into another schema or --into-prefix, or drop that table")


def _replace_in_place(adapter: Adapter, target: str, select: str, stale: str) -> None:
    # the empty CREATE ... AS takes the column types from the query itself, per backend
    adapter.execute(f"CREATE TABLE IF NOT EXISTS {target} AS SELECT * FROM ({select}) AS q WHERE 1 = 0")
    adapter.execute(f"DELETE FROM {target} WHERE {stale}")
    adapter.execute(f"INSERT INTO {target} SELECT * FROM ({select}) AS q")


def _replace_by_swap(adapter: Adapter, into: Into, table: str, select: str, stale: str) -> None:
    name = into.names()[table]
    target = _qualified(adapter, into, name)
    build = _qualified(adapter, into, name + BUILD_SUFFIX)
    old = _qualified(adapter, into, name + OLD_SUFFIX)
    adapter.execute(f"DROP TABLE IF EXISTS {build}")  # a killed run's left-over
    if not adapter.exists(target) and adapter.exists(old):
        # a run killed between the two renames: the old table is the last complete one
        adapter.execute(f"ALTER TABLE {old} RENAME TO {target}")
    adapter.execute(f"DROP TABLE IF EXISTS {old}")
    if not adapter.exists(target):
        adapter.execute(f"CREATE TABLE {target} AS SELECT * FROM ({select}) AS q")
        return
    adapter.execute(f"CREATE TABLE {build} AS SELECT * FROM {target} WHERE NOT ({stale}) "
                    f"UNION ALL SELECT * FROM ({select}) AS q")
    adapter.execute(f"ALTER TABLE {target} RENAME TO {old}")
    adapter.execute(f"ALTER TABLE {build} RENAME TO {target}")
    adapter.execute(f"DROP TABLE {old}")


def _count(adapter: Adapter, sql: str) -> int:
    return int(adapter.to_arrow(sql).column(0)[0].as_py())
