"""Rubric features beyond the gitlab rubric, on hand-computed cases: caps, metric weights,
worst-of aggregation, lower-is-better metrics, custom points, band tables outside every case."""
from __future__ import annotations

import pandas as pd
import pytest

import adoptscore
from adoptscore.rubric import loads_rubric
from tests.conftest import pick

RUBRIC = """
name: features
version: "1"
points: {red: 0, yellow: 50, green: 100}
score_bands: {red: "< 40", yellow: ">= 40 and < 70", green: ">= 70"}
use_cases:
  - id: weighted
    title: Weighted
    weight: 3
    metrics:
      - {id: a, title: A, numerator: a, denominator: seats, weight: 3, cap: 1.5,
         bands: {red: "< 0.5", yellow: ">= 0.5 and < 1", green: ">= 1"}}
      - {id: b, title: B, numerator: b, weight: 1, bands: {red: "< 10", yellow: ">= 10 and < 20", green: ">= 20"}}
  - id: worst
    title: Worst
    aggregation: worst_of
    metrics:
      - {id: a, title: A, numerator: a, denominator: seats, bands: {red: "< 0.5", yellow: ">= 0.5 and < 1", green: ">= 1"}}
      - {id: errors, title: Error rate, numerator: errors, denominator: seats, direction: lower_is_better,
         bands: {green: "<= 0.01", yellow: "> 0.01 and <= 0.05", red: "> 0.05"}}
  - id: tiered
    title: Tiered
    metrics:
      - id: t
        title: T
        numerator: a
        denominator: seats
        bands_by:
          by: size
          cases:
            - {range: ">= 10 and < 100", bands: {red: "< 0.2", green: ">= 0.2"}}
            - {range: ">= 100", bands: {red: "< 0.5", green: ">= 0.5"}}
"""


def run(**row) -> adoptscore.ScoreResult:
    base = {"account_id": "x", "period": "2026-10", "a": 80.0, "seats": 100.0, "b": 15.0, "errors": 3.0, "size": 150.0}
    base.update(row)
    return adoptscore.score(pd.DataFrame([base]).astype({k: "Float64" for k in base if k not in ("account_id", "period")}),
                            loads_rubric(RUBRIC))


def test_metric_weights_and_custom_points():
    result = run()                      # a = 0.8 yellow (50) weight 3, b = 15 yellow (50) weight 1
    assert pick(result, "use_cases", "x", use_case="weighted")["score"] == pytest.approx(50)
    result = run(a=120.0)               # a = 1.2 green (100) x3, b yellow (50) x1 -> 350 / 4
    row = pick(result, "use_cases", "x", use_case="weighted")
    assert row["score"] == pytest.approx(87.5) and row["color"] == "green"


def test_cap_limits_the_value_and_never_turns_no_data_into_the_cap():
    assert pick(run(a=400.0), "metrics", "x", use_case="weighted", metric="a")["value"] == pytest.approx(1.5)
    missing = pick(run(a=None), "metrics", "x", use_case="weighted", metric="a")
    assert missing["status"] == "no_data" and pd.isna(missing["value"])


def test_worst_of_and_lower_is_better():
    # a = 0.8 yellow; error rate 0.03 yellow -> worst 50
    assert pick(run(), "use_cases", "x", use_case="worst")["score"] == 50
    # error rate 0.10 is red for a lower-is-better metric -> worst 0
    result = run(errors=10.0, a=150.0)
    assert pick(result, "metrics", "x", use_case="worst", metric="errors")["color"] == "red"
    assert pick(result, "use_cases", "x", use_case="worst")["score"] == 0
    # error rate 0.005 is green
    assert pick(run(errors=0.5), "metrics", "x", use_case="worst", metric="errors")["color"] == "green"
    # worst of the metrics that have data
    row = pick(run(errors=None, a=150.0), "use_cases", "x", use_case="worst")
    assert row["score"] == 100 and row["coverage"] == pytest.approx(0.5)


@pytest.mark.parametrize("size, a, color, status, reason", [
    (50, 30.0, "green", "scored", None), (50, 10.0, "red", "scored", None),
    (150, 30.0, "red", "scored", None), (150, 60.0, "green", "scored", None),
    (5, 60.0, None, "not_applicable", "not applicable: size outside every band case"),
    (-5, 60.0, None, "no_data", "size missing"),     # an undeclared numeric column is a count: -5 is a failure code
])
def test_band_table_cases(size, a, color, status, reason):
    metric = pick(run(size=float(size), a=a), "metrics", "x", use_case="tiered")
    assert metric["status"] == status
    if color:
        assert metric["color"] == color
    else:
        assert metric["reason"] == reason


def test_lower_is_better_bands_must_run_green_to_red():
    bad = RUBRIC.replace('bands: {green: "<= 0.01", yellow: "> 0.01 and <= 0.05", red: "> 0.05"}',
                         'bands: {red: "<= 0.01", yellow: "> 0.01 and <= 0.05", green: "> 0.05"}')
    with pytest.raises(adoptscore.RubricError, match="lower is better metric needs green, yellow, red"):
        loads_rubric(bad)
