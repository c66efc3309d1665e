"""The Snowflake SQL that `adoptscore sql --dialect snowflake` prints, executed: on fakesnow (a
Snowflake emulator on DuckDB, in its own environment: see tests/backends/snowflake) it must give
exactly the DuckDB engine's tables. The BigQuery SQL is transpiled back to DuckDB by SQLGlot and
executed the same way. Both on the demo data and on held-out data with the edge values that move
scores (no data, zeros, negatives, NaN, accounts missing from periods).
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sqlglot

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.engine.result import SORT_KEYS, TABLES
from adoptscore.engine.sql import compile_sql
from tests.backends.conftest import assert_same
from tests.needs import missing

HERE = Path(__file__).parent / "snowflake"
ROOT = Path(__file__).parents[2]


def held_out() -> pa.Table:
    """Data the rubric was not written against: another seed, and cells that test the edges."""
    frame = generate_usage(accounts=90, months=3, seed=97).to_pandas()
    rng = np.random.default_rng(97)
    counts = [c for c in frame.columns if c.endswith("_l28d") or c.endswith("_users")]
    for column in counts:
        picked = rng.random(len(frame))
        frame[column] = frame[column].astype("float64")
        frame.loc[picked < 0.06, column] = np.nan          # no data
        frame.loc[(picked >= 0.06) & (picked < 0.10), column] = 0
        frame.loc[(picked >= 0.10) & (picked < 0.12), column] = -1  # a broken counter: no data, not Red
    frame.loc[frame.index[::17], "billable_users"] = float("nan")
    return pa.Table.from_pandas(frame.iloc[rng.permutation(len(frame))[: len(frame) - 25]], preserve_index=False)


DATASETS = {"demo": lambda: generate_usage(accounts=150, months=4, seed=3), "held-out": held_out}


@pytest.fixture(scope="module")
def snowflake_python() -> Path:
    python = Path(os.environ.get("ADOPTSCORE_TEST_SNOWFLAKE_VENV", ROOT / ".venv-snowflake")) / "bin" / "python"
    if not python.exists():
        missing("snowflake", f"no Snowflake emulator environment at {python.parent.parent} "
                             "(made by .ci/setup.d/40-snowflake.sh)")
    return python


def ordered(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    frame = frame.rename(columns=str.lower)
    return frame.sort_values(SORT_KEYS[table], kind="stable").reset_index(drop=True)


@pytest.mark.parametrize("rubric", ["gitlab", "gitlab-2022"])
@pytest.mark.parametrize("dataset", list(DATASETS))
def test_snowflake_sql_on_fakesnow_equals_duckdb(snowflake_python, tmp_path, rubric, dataset):
    data = DATASETS[dataset]()
    pq.write_table(data, tmp_path / "usage.parquet")
    result = adoptscore.score(data, rubric)
    queries = []
    for table in TABLES:
        path = tmp_path / f"{table}.sql"
        path.write_text(compile_sql(adoptscore.load_rubric(rubric), "snowflake", table="usage", output=table))
        queries.append(f"{table}={path}")
    done = subprocess.run([str(snowflake_python), "-W", "ignore", str(HERE / "run_sql.py"), str(tmp_path / "usage.parquet"),
                           str(tmp_path), *queries], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    for table in TABLES:
        expected = ordered(result.table(table), table)
        got = ordered(pd.read_parquet(tmp_path / f"{table}.parquet"), table)
        assert len(expected) > 0
        assert_same(expected, got, f"snowflake {rubric} {dataset} {table}")


@pytest.mark.parametrize("rubric", ["gitlab", "gitlab-2022"])
@pytest.mark.parametrize("dataset", list(DATASETS))
def test_bigquery_sql_transpiled_to_duckdb_equals_duckdb(rubric, dataset):
    data = DATASETS[dataset]()
    result = adoptscore.score(data, rubric)
    with duckdb.connect() as con:
        con.register("usage", data)
        # SQLGlot leaves BigQuery's IEEE_DIVIDE as it is; DuckDB has none, so it is defined here as
        # BigQuery documents it (x/0 is +inf or -inf, 0/0 is NaN, never an error)
        con.execute("CREATE MACRO ieee_divide(a, b) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL WHEN b <> 0 THEN a / b WHEN a > 0 THEN 'inf'::DOUBLE "
                    "WHEN a < 0 THEN '-inf'::DOUBLE ELSE 'nan'::DOUBLE END")
        for table in TABLES:
            bigquery = compile_sql(adoptscore.load_rubric(rubric), "bigquery", table="usage", output=table)
            back = sqlglot.transpile(bigquery, read="bigquery", write="duckdb")
            assert len(back) == 1
            got = con.execute(back[0]).df()
            assert_same(ordered(result.table(table), table), ordered(got, table), f"bigquery {rubric} {dataset} {table}")
