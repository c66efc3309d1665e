"""NaN, inf and -inf in float inputs are no data on every backend, exactly like a missing value.

SQL engines order NaN after every number (so a NaN ratio would band Green) and inf / x stays inf:
the engine must read them as missing before any comparison or division. Hand-worked cases on
DuckDB, then the same tables from PostgreSQL and Spark, which both store NaN and +-Infinity.
"""
from __future__ import annotations

import math

import pandas as pd
import pyarrow as pa
import pytest

import adoptscore
from adoptscore.rubric import loads_rubric
from tests.backends.conftest import assert_same, load

RUBRIC = """
name: nonfinite
version: "1"
points: {red: 0, yellow: 50, green: 100}
score_bands: {red: "< 40", yellow: ">= 40 and < 70", green: ">= 70"}
input:
  columns:
    used: {type: number}
    seats: {type: number}
use_cases:
  - id: usage
    title: Usage
    metrics:
      - {id: per_seat, title: Per seat, numerator: used, denominator: seats,
         bands: {red: "< 0.5", yellow: ">= 0.5 and < 1", green: ">= 1"}}
      - {id: used, title: Used, numerator: used,
         bands: {red: "< 5", yellow: ">= 5 and < 10", green: ">= 10"}}
"""

NAN, INF = float("nan"), float("inf")
# account: (used, seats) -> (per_seat value, per_seat reason, used value); None = no data
CASES = {
    "plain": ((8.0, 10.0), (0.8, None, 8.0)),
    "nan_seats": ((8.0, NAN), (None, "denominator missing (seats)", 8.0)),
    "inf_seats": ((8.0, INF), (None, "denominator missing (seats)", 8.0)),
    "minus_inf_seats": ((8.0, -INF), (None, "denominator missing (seats)", 8.0)),
    "nan_used": ((NAN, 10.0), (None, "numerator missing (used)", None)),
    "inf_used": ((INF, 10.0), (None, "numerator missing (used)", None)),
    "null_seats": ((8.0, None), (None, "denominator missing (seats)", 8.0)),
}


def _data() -> pa.Table:
    rows = [{"account_id": k, "period": "2026-01", "used": v[0], "seats": v[1]} for k, (v, _) in CASES.items()]
    return pa.Table.from_pylist(rows, schema=pa.schema([("account_id", pa.string()), ("period", pa.string()),
                                                        ("used", pa.float64()), ("seats", pa.float64())]))


@pytest.fixture(scope="module")
def duckdb_result():
    return adoptscore.score(_data(), loads_rubric(RUBRIC))


def _row(metrics: pd.DataFrame, account: str, metric: str) -> pd.Series:
    return metrics[(metrics.account_id == account) & (metrics.metric == metric)].iloc[0]


def test_hand_worked_values(duckdb_result):
    metrics = duckdb_result.metrics
    for account, (_, (per_seat, reason, used)) in CASES.items():
        for metric, value in (("per_seat", per_seat), ("used", used)):
            row = _row(metrics, account, metric)
            if value is None:
                assert pd.isna(row["value"]) and row["status"] == "no_data" and pd.isna(row["color"]), (account, metric)
                assert pd.isna(row["points"]), (account, metric)
            else:
                assert math.isfinite(row["value"]) and row["value"] == pytest.approx(value), (account, metric)
        if reason is not None:
            assert _row(metrics, account, "per_seat")["reason"] == reason, account
    overall = duckdb_result.overall.set_index("account_id")
    # nan_seats: per_seat is no data, used = 8 is Yellow (50): the use case scores 50 from what is known
    assert overall.loc["nan_seats", "score"] == pytest.approx(50.0)
    assert overall.loc["nan_seats", "score"] == overall.loc["null_seats", "score"]
    # nothing non-finite is scored at all: no data, never Green
    assert overall.loc["nan_used", "status"] != "scored" or overall.loc["nan_used", "color"] != "green"


def test_non_finite_is_exactly_missing(duckdb_result):
    """Replacing every NaN and inf by null gives the same tables, reasons included."""
    data = _data().to_pandas()
    nulls = data.copy()
    for column in ("used", "seats"):
        nulls[column] = nulls[column].map(lambda v: None if v is None or not math.isfinite(v) else v)
    schema = _data().schema
    same = adoptscore.score(pa.Table.from_pandas(nulls, schema=schema, preserve_index=False), loads_rubric(RUBRIC))
    for table in ("metrics", "use_cases", "overall"):
        pd.testing.assert_frame_equal(getattr(duckdb_result, table), getattr(same, table))


@pytest.mark.parametrize("which", ["postgres", "spark_ibis"])
def test_same_on_every_backend(request, which, duckdb_result):
    backend = request.getfixturevalue(which)
    table = load(backend, "nonfinite_usage", _data())
    result = adoptscore.score(table, loads_rubric(RUBRIC))
    for name in ("metrics", "use_cases", "overall"):
        assert_same(getattr(duckdb_result, name), getattr(result, name), f"{backend.name} {name}")
