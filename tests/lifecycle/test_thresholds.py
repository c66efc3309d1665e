"""Cut arithmetic: rounding, band texts, sides chosen from exact counts, strategies' formulas."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, strategies as st

from adoptscore.lifecycle import thresholds as th
from adoptscore.lifecycle.calibrate import bump_version
from adoptscore.rubric.bands import check_partition, parse_interval


@pytest.mark.parametrize("value, digits, expected", [
    (0.33172, 3, 0.332), (46.83, 3, 46.8), (0.0034912, 2, 0.0035), (1234.5, 2, 1200.0), (0.0, 3, 0.0),
    (-0.04567, 2, -0.046), (0.33172, None, 0.33172)])
def test_round_significant(value, digits, expected):
    assert th.round_significant(value, digits) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("version, expected", [("2025.1", "2025.2"), ("1.2.9", "1.2.10"), ("v7", "v8"),
                                               ("2025.1-rc", "2025.2-rc"), ("draft", "draft.1")])
def test_bump_version(version, expected):
    assert bump_version(version) == expected


def test_band_texts_partition_the_line_and_keep_the_sides():
    cuts = [th.Cut(0.1, True), th.Cut(0.332, False)]
    texts = th.bands_text(["red", "yellow", "green"], cuts, "percent")
    assert texts == {"red": "<= 10%", "yellow": "> 10% and < 33.2%", "green": ">= 33.2%"}
    intervals = [parse_interval(t) for t in texts.values()]
    check_partition(intervals, "test")  # raises on a gap or an overlap
    assert parse_interval(texts["red"]).contains(0.1) and parse_interval(texts["green"]).contains(0.332)


def test_equal_cuts_give_a_point_band_only_when_it_is_not_empty():
    point = th.bands_text(["red", "yellow", "green"], [th.Cut(0.0, False), th.Cut(0.0, True)], "ratio")
    assert point == {"red": "< 0", "yellow": "== 0", "green": "> 0"}
    assert th.bands_text(["red", "yellow", "green"], [th.Cut(0.0, True), th.Cut(0.0, True)], "ratio") is None
    assert th.bands_text(["red", "yellow", "green"], [th.Cut(0.5, True), th.Cut(0.2, True)], "ratio") is None


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=2),
       st.booleans(), st.booleans())
def test_band_texts_always_partition_or_refuse(values, side_a, side_b):
    a, b = sorted(values)
    texts = th.bands_text(["red", "yellow", "green"], [th.Cut(a, side_a), th.Cut(b, side_b)], "ratio")
    if texts is None:  # the two cuts are one number as written (12 significant digits)
        assert th.representable(a, "ratio") == th.representable(b, "ratio")
        return
    intervals = [parse_interval(t) for t in texts.values()]
    check_partition(intervals, "property")
    for x in (a, b, (a + b) / 2, a - 1, b + 1):
        assert sum(i.contains(x) for i in intervals) == 1


def test_sides_follow_the_exact_counts_at_a_tie():
    # 40% of the values are exactly 0, the target share below the first cut is 25%:
    # '< 0' gives 0%, '<= 0' gives 40%; 40% is closer to 25% than 0% is (15 vs 25 points).
    cut = th.choose_sides([th.Cut(0.0, None, 0.25)], below_lt=[0], below_le=[40], n=100)[0]
    assert cut.below_inclusive is True
    # 60% at 0: '<= 0' would be 60% (35 points off), '< 0' 0% (25 points off)
    cut = th.choose_sides([th.Cut(0.0, None, 0.25)], below_lt=[0], below_le=[60], n=100)[0]
    assert cut.below_inclusive is False
    # a side the strategy fixed is kept whatever the counts
    fixed = th.choose_sides([th.Cut(0.0, False, 0.25)], below_lt=[0], below_le=[30], n=100)[0]
    assert fixed.below_inclusive is False


def test_strategies_follow_their_formulas():
    values = np.arange(1, 101, dtype=float)
    quantile = lambda p: float(np.quantile(values, p))  # noqa: E731
    up, down = ["red", "yellow", "green"], ["green", "yellow", "red"]
    assert [c.value for c in th.propose("quartiles", up, quantile, None)] == [quantile(0.25), quantile(0.75)]
    assert [c.value for c in th.propose("mix", up, quantile, None, (0.1, 0.6, 0.3))] == \
        [quantile(0.1), pytest.approx(quantile(0.7))]
    # lower is better: the green share comes first in value order
    assert [c.value for c in th.propose("mix", down, quantile, None, (0.1, 0.6, 0.3))] == \
        [pytest.approx(quantile(0.3)), pytest.approx(quantile(0.9))]
    healthy = th.propose("healthy", up, quantile, 80.0)
    # the median starts Green; the quartile cut's side is left to choose_sides, as for quartiles
    assert [(c.value, c.below_inclusive) for c in healthy] == [(quantile(0.25), None), (80.0, False)]
    healthy_down = th.propose("healthy", down, quantile, 20.0)
    assert [(c.value, c.below_inclusive) for c in healthy_down] == [(20.0, True), (quantile(0.75), None)]
    assert [c.value for c in th.propose("quartiles", ["red", "green"], quantile, None)] == [quantile(0.5)]


def test_numbers_are_written_as_an_author_would():
    assert th.format_number(0.332, "percent") == "33.2%"
    assert th.format_number(0.1, "percent") == "10%"
    assert th.format_number(46.8, "ratio") == "46.8"
    assert th.format_number(1e-05, "ratio") == "0.00001"
    assert th.representable(0.1 + 0.2, "percent") == 0.3  # what '30%' reads back as
