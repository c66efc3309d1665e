"""The in-memory portfolio frame: first-rows selection against a full sort, filter masks against
pandas, and the spreadsheet guard against :func:`csv_safe`."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adoptscore.insights.portfolio import csv_safe
from adoptscore.insights.portfolio_frame import PortfolioFrame, _smallest, guard

# few distinct values, so ties and missing values are common
values_strategy = st.lists(st.one_of(st.sampled_from([0.0, 1.5, 2.0, -3.0, 7.25]), st.just(float("nan"))),
                           min_size=0, max_size=60)


def reference_order(values: list[float]) -> list[int]:
    """Indices by value, NaN last, ties by index: what ORDER BY key NULLS LAST, id gives."""
    return sorted(range(len(values)), key=lambda i: (np.isnan(values[i]), 0.0 if np.isnan(values[i]) else values[i], i))


@settings(max_examples=300, deadline=None)
@given(values_strategy, st.integers(min_value=0, max_value=70))
def test_smallest_is_the_head_of_a_full_stable_sort(values, count):
    array = np.array(values, dtype=np.float64)
    assert _smallest(array, count).tolist() == reference_order(values)[:count]


@settings(max_examples=100, deadline=None)
@given(values_strategy)
def test_smallest_without_a_count_sorts_everything(values):
    assert _smallest(np.array(values, dtype=np.float64), None).tolist() == reference_order(values)


@pytest.fixture()
def frame() -> PortfolioFrame:
    table = pa.table({
        "account_id": ["a1", "a2", "a3", "a4", "a5", "a6"],
        "period": ["2026-10"] * 6,
        "name": ["=cmd", "Beta", "gamma", "@home", "-5 Corp", "Zed"],
        "segment": ["SMB", "SMB", None, "Enterprise", "SMB", "Enterprise"],
        "score": [70.83, None, 12.0, 70.83, 99.0, 40.0],
        "color": ["yellow", None, "red", "yellow", "green", "red"],
        "adopted_use_cases": [1, None, 0, 4, 3, 2],
        "dropped": [True, False, None, False, True, False],
        "_name_key": [2, 4, 6, 3, 1, 5],  # names in byte order, as the read model ranks them
        "_id_key": [1, 2, 3, 4, 5, 6],
        "_search": ["=cmd\x1fa1", "beta\x1fa2", "gamma\x1fa3", "@home\x1fa4", "-5 corp\x1fa5", "zed\x1fa6"],
    })
    return PortfolioFrame("2026-10", table, ["segment", "color"])


def ids(frame: PortfolioFrame, selection) -> list[str]:
    return [r["account_id"] for r in frame.rows(selection.positions)]


def test_masks_and_counts_match_pandas(frame):
    rows = frame.table.to_pandas()
    mask = frame.mask({"segment": ["SMB"], "color": ["yellow", None]})
    expected = rows[(rows["segment"] == "SMB") & (rows["color"].isna() | (rows["color"] == "yellow"))]
    selection = frame.select(mask, "score", descending=True)
    assert selection.total == len(expected) == 2
    # a1 scored 70.83, a2 has no score: missing values sort last even descending
    assert ids(frame, selection) == ["a1", "a2"]
    assert selection.color_counts == {"green": 0, "yellow": 1, "red": 0, "no_data": 1}
    assert selection.adoption == {"0": 0, "1": 1, "2": 0, "3+": 0}


def test_missing_segment_is_not_matched_by_a_value_and_dropped_null_is_false(frame):
    assert frame.mask({"segment": ["SMB", "Enterprise"]}).tolist() == [True, True, False, True, True, True]
    assert frame.mask({}, dropped=True).tolist() == [True, False, False, False, True, False]
    assert frame.mask({}) is None


def test_search_matches_lower_cased_names_and_ids(frame):
    assert frame.mask({}, search="a3").tolist() == [False, False, True, False, False, False]
    assert frame.mask({}, search="corp").tolist() == [False, False, False, False, True, False]


def test_ties_break_by_account_id_and_first_rows_match_the_full_order(frame):
    everything = frame.select(None, "score", descending=True)
    assert ids(frame, everything) == ["a5", "a1", "a4", "a6", "a3", "a2"]
    assert ids(frame, frame.select(None, "score", descending=True, first=2)) == ["a5", "a1"]
    assert ids(frame, frame.select(None, "name", descending=False, first=3)) == ["a5", "a1", "a4"]
    assert everything.adoption == {"0": 1, "1": 1, "2": 1, "3+": 2}


def test_position_finds_an_account_by_its_key(frame):
    assert frame.position(4) == 3
    assert frame.position(99) is None
    assert frame.position(0) is None


def test_csv_cells_are_guarded_like_csv_safe(frame):
    table = frame.csv_table(np.arange(6), ["account_id", "name", "segment", "score"])
    assert table.column("period").to_pylist() == ["2026-10"] * 6
    names = frame.table.column("name").to_pylist()
    assert table.column("name").to_pylist() == [csv_safe(n) for n in names]
    for text in (pa.string(), pa.large_string()):
        risky = pa.array(["=1+1", "+x", "-y", "@z", "\tt", "\rr", "plain", None, ""], text)
        assert guard(risky).to_pylist() == [None if v is None else csv_safe(v) for v in risky.to_pylist()]


def test_frame_rows_keep_plain_python_values(frame):
    row = frame.rows(np.array([0]))[0]
    assert row == {"account_id": "a1", "period": "2026-10", "name": "=cmd", "segment": "SMB", "score": 70.83,
                   "color": "yellow", "adopted_use_cases": 1, "dropped": True}
    assert type(row["score"]) is float and type(row["adopted_use_cases"]) is int


def test_arr_at_risk_weights_arr_by_color_and_sorts_missing_last():
    # a1 red, a2 yellow, a3 green, a4 no color, a5 red without ARR, a6 yellow
    table = pa.table({
        "account_id": ["a1", "a2", "a3", "a4", "a5", "a6"],
        "period": ["2026-10"] * 6,
        "name": ["A", "B", "C", "D", "E", "F"],
        "arr": [1000.0, 3000.0, 9000.0, 5000.0, None, 1000.0],
        "score": [10.0, 50.0, 90.0, None, 20.0, 60.0],
        "color": ["red", "yellow", "green", None, "red", "yellow"],
        "adopted_use_cases": [0, 1, 3, None, 0, 1],
        "dropped": [False] * 6,
        "_name_key": [1, 2, 3, 4, 5, 6], "_id_key": [1, 2, 3, 4, 5, 6],
        "_search": ["a\x1fa1", "b\x1fa2", "c\x1fa3", "d\x1fa4", "e\x1fa5", "f\x1fa6"],
    })
    frame = PortfolioFrame("2026-10", table, ["color"])
    assert frame.has_arr
    risk = frame.arr_at_risk()
    assert risk[:3].tolist() == [1000.0, 1500.0, 0.0] and risk[5] == 500.0
    assert np.isnan(risk[3]) and np.isnan(risk[4])
    assert ids(frame, frame.select(None, "arr_at_risk", descending=True)) == ["a2", "a1", "a6", "a3", "a4", "a5"]
    assert ids(frame, frame.select(None, "arr_at_risk", descending=False)) == ["a3", "a6", "a1", "a2", "a4", "a5"]
    assert ids(frame, frame.select(None, "arr_at_risk", descending=True, first=2)) == ["a2", "a1"]


def test_a_frame_without_arr_has_no_arr_at_risk(frame):
    assert not frame.has_arr
    with pytest.raises(KeyError):
        frame.arr_at_risk()
