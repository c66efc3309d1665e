"""Zero denominators, nulls and failure codes: hand-worked expectations, the same on every backend.

Spark runs with ANSI mode on (x / 0 raises there), PostgreSQL raises on x / 0 too and DuckDB
returns inf: any division the SQL left to the engine would show here as an error or a wrong value.
"""
from __future__ import annotations

import math

import pandas as pd
import pyarrow as pa
import pytest

import adoptscore
from adoptscore.engine.sql import compile_sql
from adoptscore.rubric import loads_rubric
from tests.backends.conftest import assert_same, load

RUBRIC = """
name: division
version: "1"
points: {red: 0, yellow: 50, green: 100}
score_bands: {red: "< 40", yellow: ">= 40 and < 70", green: ">= 70"}
input:
  columns:
    a: {type: count}
    b: {type: count}
    seats: {type: count}
use_cases:
  - id: ratios
    title: Ratios
    metrics:
      - {id: null_on_zero, title: N, numerator: a, denominator: seats,
         bands: {red: "< 0.5", yellow: ">= 0.5 and < 1", green: ">= 1"}}
      - {id: zero_on_zero, title: Z, numerator: a, denominator: seats, zero_denominator: zero,
         bands: {red: "< 0.5", yellow: ">= 0.5 and < 1", green: ">= 1"}}
      - {id: inner, title: I, numerator: a / b, cap: 3,
         bands: {red: "< 0.5", yellow: ">= 0.5 and < 1", green: ">= 1"}}
"""

# account: (a, b, seats) -> expected (null_on_zero, zero_on_zero, inner) values; None = no data
CASES = {
    "plain": ((8, 4, 10), (0.8, 0.8, 2.0)),
    "zero_seats": ((8, 4, 0), (None, 0.0, 2.0)),
    "zero_b": ((8, 0, 10), (0.8, 0.8, None)),
    "zero_over_zero": ((0, 0, 0), (None, 0.0, None)),
    "failure_code": ((-1, 4, 10), (None, None, None)),      # negative count: missing, never negative
    "null_seats": ((8, 4, None), (None, None, 2.0)),
    "capped": ((50, 1, 100), (0.5, 0.5, 3.0)),
}


def _data() -> pa.Table:
    rows = [{"account_id": k, "period": "2026-01", "a": v[0], "b": v[1], "seats": v[2]} for k, (v, _) in CASES.items()]
    return pa.Table.from_pylist(rows, schema=pa.schema([("account_id", pa.string()), ("period", pa.string()),
                                                        ("a", pa.int64()), ("b", pa.int64()), ("seats", pa.int64())]))


@pytest.fixture(scope="module")
def duckdb_metrics() -> pd.DataFrame:
    return adoptscore.score(_data(), loads_rubric(RUBRIC)).metrics


def test_hand_worked_values(duckdb_metrics):
    for account, (_, values) in CASES.items():
        for metric, value in zip(("null_on_zero", "zero_on_zero", "inner"), values):
            row = duckdb_metrics[(duckdb_metrics.account_id == account) & (duckdb_metrics.metric == metric)].iloc[0]
            if value is None:
                assert pd.isna(row["value"]) and row["status"] == "no_data", (account, metric, row.to_dict())
            else:
                assert math.isfinite(row["value"]) and row["value"] == pytest.approx(value), (account, metric)
    zero = duckdb_metrics[(duckdb_metrics.account_id == "zero_seats") & (duckdb_metrics.metric == "null_on_zero")]
    assert zero["reason"].iloc[0] == "denominator is zero (seats)"


@pytest.mark.parametrize("which", ["postgres", "spark_ibis"])
def test_same_on_every_backend(request, which, duckdb_metrics):
    backend = request.getfixturevalue(which)
    table = load(backend, "division_usage", _data())
    result = adoptscore.score(table, loads_rubric(RUBRIC))
    assert_same(duckdb_metrics, result.metrics, f"{backend.name} metrics")


def test_spark_ansi_mode_is_really_on(spark):
    """The check above could not fail if ANSI mode were off: a bare division by zero must raise."""
    with pytest.raises(Exception, match="DIVIDE_BY_ZERO"):
        spark.sql("SELECT 1 / 0 AS x").collect()


def test_emitted_spark_sql_under_ansi_mode(spark, duckdb_metrics):
    load(__import__("ibis").pyspark.connect(spark), "division_usage", _data())
    got = spark.sql(compile_sql(loads_rubric(RUBRIC), "spark", table="division_usage", output="metrics")).toArrow()
    frame = got.to_pandas().sort_values(["account_id", "period", "use_case", "metric"]).reset_index(drop=True)
    assert_same(duckdb_metrics, frame, "spark sql metrics")
