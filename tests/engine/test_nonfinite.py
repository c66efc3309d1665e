"""The gitlab rubric over data with NaN, inf and -inf cells: each is no data, exactly as an empty
cell, so it never raises a metric's points (a NaN billable_users scored every metric over it Green
with 88 points, and the account Green instead of Red)."""
from __future__ import annotations

import math

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import adoptscore
from adoptscore.demo import generate_usage

NUMBERS = ["billable_users", "licensed_users", "ci_builds_l28d", "deployments_l28d", "git_ops_users_l28d",
           "secure_scanner_users_l28d", "successful_deployments_l28d"]


@pytest.fixture(scope="module")
def usage() -> pd.DataFrame:
    frame = generate_usage(accounts=40, months=2, seed=5, end_period="2026-10").to_pandas()
    for column in NUMBERS:
        frame[column] = frame[column].astype("float64")
    return frame


def _table(frame: pd.DataFrame) -> pa.Table:
    """``frame`` as Arrow with its NaN cells kept NaN (from_pandas reads NaN as null)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for column in NUMBERS:
        table = table.set_column(table.schema.get_field_index(column), column, pa.array(frame[column].to_numpy()))
    return table


def test_a_nan_seat_count_is_no_data_not_green(usage):
    frame = usage.copy()
    frame.loc[0, "billable_users"] = math.nan
    result = adoptscore.score(_table(frame), "gitlab")
    account, period = frame.loc[0, "account_id"], frame.loc[0, "period"]
    metrics = result.metrics[(result.metrics.account_id == account) & (result.metrics.period == period)]
    over = metrics[metrics.reason.fillna("").str.contains("billable_users")]
    assert len(over) >= 5  # every metric per billable user
    assert (over.status == "no_data").all() and over.color.isna().all() and over.points.isna().all()


def _as_nulls(table: pa.Table) -> pa.Table:
    """The same table with every NaN, inf and -inf cell empty."""
    for column in NUMBERS:
        values = table[column]
        finite = pc.is_finite(values)
        index = table.schema.get_field_index(column)
        table = table.set_column(index, column, pc.if_else(finite, values, pa.scalar(None, pa.float64())))
    return table


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.tuples(st.integers(0, 70), st.sampled_from(NUMBERS),
                                st.sampled_from([math.nan, math.inf, -math.inf])), min_size=1, max_size=8))
def test_non_finite_cells_score_exactly_as_empty_cells(usage, cells):
    bad = usage.copy()
    for row, column, value in cells:
        bad.loc[row, column] = value
    table = _table(bad)
    assert not all(pc.all(pc.is_finite(table[c])).as_py() is not False for c in NUMBERS)  # the cells are there
    got, want = adoptscore.score(table, "gitlab"), adoptscore.score(_as_nulls(table), "gitlab")
    for name in ("metrics", "use_cases", "overall"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name))
