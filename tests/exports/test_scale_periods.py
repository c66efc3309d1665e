"""Gainsight's 0-100 whole scores keep the rubric's color; snapshot dates of period labels."""
from __future__ import annotations

import math
from datetime import date

import duckdb
import numpy as np
import pytest

from adoptscore import load_rubric
from adoptscore.exports.periods import period_span, snapshot_date
from adoptscore.exports.scale import GainsightScale
from adoptscore.exports.source import ExportError

# The gitlab rubric's score bands ("<= 50", "> 50 and <= 75", "> 75") as Gainsight numeric ranges,
# written out by hand: a range's lower edge is excluded, except for the first.
GITLAB_RANGES = {"red": (0, 50), "yellow": (51, 75), "green": (76, 100)}


def test_gitlab_scores_pass_through_and_keep_their_color():
    scale = GainsightScale.of(load_rubric("gitlab"))
    assert scale.identity and scale.ranges == GITLAB_RANGES
    cases = [(25.0, "red", 25), (50.0, "red", 50), (50.3, "yellow", 51), (62.5, "yellow", 63), (70.83, "yellow", 71),
             (75.0, "yellow", 75), (75.4, "green", 76), (79.66666666666667, "green", 80), (88.0, "green", 88),
             (49.99999999999999, "red", 50), (50.00000000000001, "red", 50)]
    for score, color, whole in cases:
        assert scale.whole(score, color) == whole, (score, color)
        assert scale.decimal(score) == pytest.approx(score)
    assert scale.whole(None, None) is None and scale.decimal(None) is None


def test_sql_and_python_agree_with_a_hand_computation():
    scale = GainsightScale.of(load_rubric("gitlab"))
    rng = np.random.default_rng(7)
    scores = np.concatenate([rng.uniform(25, 88, 3000), [50.0, 50.5, 75.0, 75.5, 25.0, 88.0]])
    colors = ["red" if s <= 50 else "yellow" if s <= 75 else "green" for s in np.round(scores, 9)]
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT unnest(?) AS score, unnest(?) AS color", [scores.tolist(), colors])
    con.execute("INSERT INTO t VALUES (NULL, NULL)")
    got = con.execute(f"SELECT score, color, {scale.whole_sql('score', 'color')}, {scale.decimal_sql('score')} "
                      "FROM t").fetchall()
    for score, color, whole, decimal in got:
        if score is None:
            assert whole is None and decimal is None
            continue
        first, last = GITLAB_RANGES[color]
        expected = min(max(math.floor(score + 0.5), first), last)
        assert whole == expected == scale.whole(score, color)
        assert decimal == pytest.approx(score, abs=1e-9)


def test_a_rubric_on_another_scale_is_mapped_linearly_with_its_bands():
    rubric = load_rubric("gitlab").model_copy(update={
        "points": load_rubric("gitlab").points.model_copy(update={"red": 1, "yellow": 2, "green": 3}),
        "score_bands": {"red": "< 1.5", "yellow": ">= 1.5 and < 2.5", "green": ">= 2.5"}})
    scale = GainsightScale.of(rubric)
    assert (scale.low, scale.high) == (1, 3)
    # 1 -> 0, 3 -> 100; the band edges 1.5 and 2.5 land on 25 (included in yellow) and 75
    assert scale.ranges == {"red": (0, 24), "yellow": (25, 74), "green": (75, 100)}
    assert scale.decimal(2.0) == 50.0 and scale.whole(2.0, "yellow") == 50
    assert scale.whole(1.49, "red") == 24 and scale.whole(2.5, "green") == 75
    con = duckdb.connect()
    assert con.execute(f"SELECT {scale.whole_sql('1.49', quote_color('red'))}").fetchone()[0] == 24


def quote_color(color: str) -> str:
    return f"'{color}'"


@pytest.mark.parametrize("period, first, last", [
    ("2026-10", date(2026, 10, 1), date(2026, 10, 31)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
    ("2025-Q3", date(2025, 7, 1), date(2025, 9, 30)),
    ("2026-W01", date(2025, 12, 29), date(2026, 1, 4)),
    ("2026", date(2026, 1, 1), date(2026, 12, 31)),
    ("2026-10-15", date(2026, 10, 15), date(2026, 10, 15)),
])
def test_period_spans(period, first, last):
    assert period_span(period) == (first, last)
    assert snapshot_date(period) == last and snapshot_date(period, "start") == first


@pytest.mark.parametrize("period", ["2026-13", "2026-Q5", "FY26", "2026-02-30", "", "2026-W54"])
def test_periods_without_a_date_are_refused(period):
    with pytest.raises(ExportError, match="snapshot date"):
        snapshot_date(period)
