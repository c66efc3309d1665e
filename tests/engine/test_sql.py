"""The SQL rubrics compile to: snapshots per dialect, parse-back, explicit division and literal types.

Regenerate the snapshots after an intended change with ``UPDATE_SNAPSHOTS=1 pytest tests/engine/test_sql.py``
and review the diff: it is the SQL warehouse users run.
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
from adoptscore.errors import AdoptscoreError
from adoptscore.rubric import load_rubric
from tests.conftest import frame, score_rows, usage_row

SNAPSHOTS = Path(__file__).parent.parent / "snapshots"
SQLGLOT = {"duckdb": "duckdb", "postgres": "postgres", "spark": "spark", "databricks": "databricks",
           "snowflake": "snowflake", "bigquery": "bigquery"}
RUBRICS = ["gitlab", "innovation-graph"]
OUTPUTS = ["metrics", "use_cases", "overall"]


def test_every_dialect_is_checked():
    assert set(SQLGLOT) == set(DIALECTS)


@pytest.mark.parametrize("rubric", RUBRICS)
@pytest.mark.parametrize("dialect", list(SQLGLOT))
@pytest.mark.parametrize("output", OUTPUTS)
def test_snapshot(rubric, dialect, output):
    sql = compile_sql(load_rubric(rubric), dialect, output=output)
    path = SNAPSHOTS / rubric / dialect / f"{output}.sql"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql + "\n", encoding="utf-8")
    assert path.exists(), f"missing snapshot {path}; run with UPDATE_SNAPSHOTS=1"
    assert sql + "\n" == path.read_text(encoding="utf-8"), f"SQL for {rubric} {dialect}/{output} changed; review and update"


@functools.cache
def _trees(rubric: str) -> tuple:
    """Every dialect's SQL for every output of ``rubric``, parsed back by SQLGlot (once per test run)."""
    return tuple((dialect, output, sqlglot.parse_one(compile_sql(load_rubric(rubric), dialect, output=output), read=name))
                 for dialect, name in SQLGLOT.items() for output in OUTPUTS)


@pytest.mark.parametrize("rubric", RUBRICS)
def test_sql_parses_back(rubric):
    for dialect, output, tree in _trees(rubric):
        assert tree.find(sqlglot.exp.With) is not None, (dialect, output)
        # the plan's stages and the long tables' index all survive the round trip
        names = {cte.alias for cte in tree.find_all(sqlglot.exp.CTE)}
        assert {"source", "prepared", "metric_values"} <= names, (dialect, output, names)


@pytest.mark.parametrize("rubric", RUBRICS)
def test_every_division_is_guarded_by_its_own_denominator(rubric):
    """No backend is left to decide what x / 0 is (inf in DuckDB, an error in Spark 4 and PostgreSQL):
    each division sits in a CASE branch taken only when that very denominator is known to be
    non-zero (``d = 0`` handled first, or ``d > 0`` required)."""
    divisions = 0
    for dialect, output, tree in _trees(rubric):
        divisions += assert_divisions_guarded(tree, f"{dialect}/{output}")
    assert divisions > 0


def assert_divisions_guarded(tree: sqlglot.exp.Expression, where: str) -> int:
    """Check every division in ``tree`` sits under a CASE that tests its own denominator
    (``d = 0`` or ``d > 0``); return how many divisions there were."""
    divisions = 0
    for division in tree.find_all(sqlglot.exp.Div):
        divisions += 1
        denominator = division.expression.sql()
        guards = []
        node = division
        while (node := node.find_ancestor(sqlglot.exp.Case)) is not None:
            guards += [w.this.sql() for w in node.args.get("ifs", [])]
        assert any(f"{denominator} = 0" in g or f"{denominator} > 0" in g for g in guards), \
            f"{where}: {division.sql()} is not guarded by its denominator"
    return divisions


@pytest.mark.parametrize("rubric", RUBRICS)
def test_fractional_literals_are_doubles(rubric):
    """A bare 1.0 is a DECIMAL in Spark, Snowflake, PostgreSQL and DuckDB; summed and divided as
    decimals, weights and points come out rounded (Spark keeps 6 digits)."""
    for dialect, output, tree in _trees(rubric):
        for literal in tree.find_all(sqlglot.exp.Literal):
            if literal.is_string or not any(c in literal.this for c in ".eE"):
                continue
            cast = literal.parent
            assert isinstance(cast, sqlglot.exp.Cast), f"{dialect}/{output}: bare {literal.sql()} in {cast.sql()[:80]}"
            assert cast.to.this in (sqlglot.exp.DataType.Type.DOUBLE, sqlglot.exp.DataType.Type.FLOAT), cast.sql()


def test_postgres_stages_are_fenced():
    """PostgreSQL pulls inlined CTEs up and substitutes expressions until planning takes minutes:
    every stage ends in OFFSET 0 there, and nowhere else."""
    postgres = compile_sql(load_rubric("gitlab"), "postgres", output="overall")
    stages = postgres.count(" AS (\n")
    assert postgres.count("\nOFFSET 0\n)") == stages - 1  # all but the source
    assert "OFFSET 0" not in compile_sql(load_rubric("gitlab"), "duckdb", output="overall")


def test_qualified_table_and_relation():
    rubric = load_rubric("gitlab")
    assert 'FROM "analytics"."usage"' in compile_sql(rubric, "postgres", table="analytics.usage")
    assert "FROM `analytics`.`usage`" in compile_sql(rubric, "spark", table="analytics.usage")
    dbt = compile_sql(rubric, "snowflake", relation="{{ source('product', 'usage') }}")
    assert "FROM {{ source('product', 'usage') }}" in dbt
    long = compile_sql(load_rubric("innovation-graph"), "bigquery", relation="{{ ref('ig') }}")
    assert "FROM {{ ref('ig') }} AS `t0`" in long


def test_unknown_dialect_and_output():
    with pytest.raises(AdoptscoreError, match="unknown dialect"):
        compile_sql(load_rubric("gitlab"), "oracle")
    with pytest.raises(AdoptscoreError, match="unknown output"):
        compile_sql(load_rubric("gitlab"), "duckdb", output="wide")


def test_emitted_duckdb_sql_gives_the_same_results_as_the_engine():
    rows = [usage_row("a1"), usage_row("a2", tier="SaaS - Premium", billable_users=0),
            usage_row("a3", successful_deployments_l28d=None, account_age_months=2)]
    api = score_rows(rows)
    con = duckdb.connect()
    con.register("usage", frame(rows))
    for output in OUTPUTS:
        got = con.sql(compile_sql(load_rubric("gitlab"), "duckdb", output=output)).df()
        keys = [c for c in ("account_id", "period", "use_case", "metric") if c in got.columns]
        got = got.sort_values(keys).reset_index(drop=True)
        expected = getattr(api, output)
        pd.testing.assert_frame_equal(got.astype(object).where(got.notna(), None),
                                      expected.astype(object).where(expected.notna(), None), check_dtype=False)
