"""The SQL of a rubric with a roll-up: snapshots per dialect, parse-back, guarded division, typed
literals, and the emitted DuckDB SQL giving the engine's results.

The snapshots of rubrics without a roll-up (tests/engine/test_sql.py) must not change with the
roll-up: those rubrics compile to exactly the SQL they did before.

Regenerate after an intended change with ``UPDATE_SNAPSHOTS=1 pytest tests/engine/test_rollup_sql.py``
and review the diff.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import sqlglot

from adoptscore.engine.sql import DIALECTS, compile_sql
from tests.engine.rollup_support import example, frame, score, unit
from tests.engine.test_sql import SQLGLOT, assert_divisions_guarded

SNAPSHOTS = Path(__file__).parent.parent / "snapshots"
OUTPUTS = ["metrics", "use_cases", "overall"]
RUBRICS = {"rollup-weighted": {}, "rollup-primary": {"strategy": "primary", "subscription": None, "weight": None}}
CASES = [("rollup-weighted", output) for output in OUTPUTS] + [("rollup-primary", "overall")]


@functools.cache
def _sql(rubric: str, dialect: str, output: str) -> str:
    return compile_sql(example(**RUBRICS[rubric]), dialect, output=output)


@pytest.mark.parametrize("rubric, output", CASES)
@pytest.mark.parametrize("dialect", list(SQLGLOT))
def test_snapshot(rubric, dialect, output):
    sql = _sql(rubric, dialect, output)
    path = SNAPSHOTS / rubric / dialect / f"{output}.sql"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql + "\n", encoding="utf-8")
    assert path.exists(), f"missing snapshot {path}; run with UPDATE_SNAPSHOTS=1"
    assert sql + "\n" == path.read_text(encoding="utf-8"), f"SQL for {rubric} {dialect}/{output} changed; review and update"


@functools.cache
def _trees() -> tuple:
    return tuple((rubric, dialect, output, sqlglot.parse_one(_sql(rubric, dialect, output), read=name))
                 for rubric, output in CASES for dialect, name in SQLGLOT.items())


def test_every_dialect_is_checked():
    assert set(SQLGLOT) == set(DIALECTS)


def test_sql_parses_back_with_the_rollup_stages():
    for rubric, dialect, output, tree in _trees():
        names = {cte.alias for cte in tree.find_all(sqlglot.exp.CTE)}
        expected = {"prepared", "rollup_units", "rollup_primary", "metric_values"}
        if rubric == "rollup-weighted":
            expected |= {"rollup_rows", "rollup_accounts", "rollup_values", "metric_codes"}
        assert expected <= names, (rubric, dialect, output, expected - names)
        assert tree.find(sqlglot.exp.Window) is not None


def test_every_division_is_guarded_by_its_own_denominator():
    """Including the weighted average (sum of weights > 0) and the equal-weight mean (count > 0)."""
    divisions = 0
    for rubric, dialect, output, tree in _trees():
        divisions += assert_divisions_guarded(tree, f"{rubric} {dialect}/{output}")
    assert divisions > 0


def test_fractional_literals_are_doubles():
    for rubric, dialect, output, tree in _trees():
        for literal in tree.find_all(sqlglot.exp.Literal):
            if literal.is_string or not any(c in literal.this for c in ".eE"):
                continue
            cast = literal.parent
            assert isinstance(cast, sqlglot.exp.Cast), f"{rubric} {dialect}/{output}: bare {literal.sql()}"


def test_window_ordering_never_sorts_a_null():
    """Backends disagree on where NULL sorts: every ordering key is a flag, a COALESCE or the weight
    (never null), so the primary instance and the lead subscription are the same everywhere."""
    for rubric, dialect, output, tree in _trees():
        for window in tree.find_all(sqlglot.exp.Window):
            for key in window.args["order"].expressions:
                inner = key.this
                assert isinstance(inner, (sqlglot.exp.Case, sqlglot.exp.Coalesce)) or inner.sql().endswith('__w"') \
                    or inner.sql().endswith("__w`"), f"{dialect}: {key.sql()}"


def test_emitted_duckdb_sql_gives_the_same_results_as_the_engine():
    rows = [unit("i1", "s1", arr=100_000, git_ops_users=20), unit("i2", "s2", arr=300_000, git_ops_users=50, tier="SaaS - Premium"),
            unit("i3", "s2", instance_type="staging", billable_users=900), unit("i1", "s1", account="beta", arr=None),
            unit("i2", "s2", account="beta", arr=0, billable_users=0, account_age_months=2)]
    rubric = example()
    api = score(rows, rubric)
    con = duckdb.connect()
    con.register("usage", frame(rows))
    for output in OUTPUTS:
        got = con.sql(compile_sql(rubric, "duckdb", output=output)).df()
        keys = [c for c in ("account_id", "period", "use_case", "metric") if c in got.columns]
        got = got.sort_values(keys).reset_index(drop=True)
        expected = getattr(api, output)
        pd.testing.assert_frame_equal(got.astype(object).where(got.notna(), None),
                                      expected.astype(object).where(expected.notna(), None), check_dtype=False)
