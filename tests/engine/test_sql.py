"""The SQL the gitlab rubric compiles to: snapshots per dialect, parse-back, and that it runs.

Regenerate the snapshots after an intended change with ``UPDATE_SNAPSHOTS=1 pytest tests/engine/test_sql.py``.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import sqlglot

from adoptscore.engine.sql import compile_sql
from adoptscore.rubric import load_rubric
from tests.conftest import frame, score_rows, usage_row

SNAPSHOTS = Path(__file__).parent.parent / "snapshots" / "gitlab"
DIALECTS = ["duckdb", "postgres", "spark", "snowflake", "bigquery"]
SQLGLOT = {"spark": "spark", "postgres": "postgres", "duckdb": "duckdb", "snowflake": "snowflake", "bigquery": "bigquery"}


def _stable(sql: str) -> str:
    # Ibis's Snowflake unnest uses a random UUID as an empty-array sentinel.
    return re.sub(r"'[0-9a-f]{32}'", "'<sentinel>'", sql)


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("output", ["metrics", "use_cases", "overall"])
def test_snapshot(dialect, output):
    sql = _stable(compile_sql(load_rubric("gitlab"), dialect, output=output))
    path = SNAPSHOTS / dialect / f"{output}.sql"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql + "\n", encoding="utf-8")
    assert path.exists(), f"missing snapshot {path}; run with UPDATE_SNAPSHOTS=1"
    assert sql + "\n" == path.read_text(encoding="utf-8"), f"SQL for {dialect}/{output} changed; review and update"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_sql_parses_back(dialect):
    sql = compile_sql(load_rubric("gitlab"), dialect, output="overall")
    tree = sqlglot.parse_one(sql, read=SQLGLOT[dialect])
    assert tree.find(sqlglot.exp.With) is not None


@pytest.mark.parametrize("dialect", DIALECTS)
def test_division_is_always_guarded(dialect):
    """No backend is left to decide what x / 0 is (inf in DuckDB, an error in Spark 4)."""
    sql = compile_sql(load_rubric("gitlab"), dialect, output="metrics")
    tree = sqlglot.parse_one(sql, read=SQLGLOT[dialect])
    for division in tree.find_all(sqlglot.exp.Div):
        guard = division.find_ancestor(sqlglot.exp.Case, sqlglot.exp.If)
        assert guard is not None, f"unguarded division {division.sql()}"
        conditions = guard.sql().lower()
        assert "= 0" in conditions or "> 0" in conditions, f"division without a zero guard: {guard.sql()[:200]}"


def test_emitted_duckdb_sql_gives_the_same_results_as_the_engine():
    rows = [usage_row("a1"), usage_row("a2", tier="SaaS - Premium", billable_users=0),
            usage_row("a3", successful_deployments_l28d=None, account_age_months=2)]
    api = score_rows(rows)
    con = duckdb.connect()
    con.register("usage", frame(rows))
    for output in ("metrics", "use_cases", "overall"):
        got = con.sql(compile_sql(load_rubric("gitlab"), "duckdb", output=output)).df()
        keys = [c for c in ("account_id", "period", "use_case", "metric") if c in got.columns]
        got = got.sort_values(keys).reset_index(drop=True)
        expected = getattr(api, output)
        pd.testing.assert_frame_equal(got.astype(object).where(got.notna(), None),
                                      expected.astype(object).where(expected.notna(), None), check_dtype=False)
