"""Band intervals with explicit edge inclusivity, and partition checks."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adoptscore.errors import RubricError
from adoptscore.rubric.bands import Interval, check_partition, parse_interval


@pytest.mark.parametrize("text, interval", [
    ("<= 0.10", Interval(None, False, 0.10, True)),
    ("> 0.10 and <= 0.33", Interval(0.10, False, 0.33, True)),
    (">= 20%", Interval(0.20, True, None, False)),
    ("== 2", Interval(2, True, 2, True)),
    ("> 1, < 3", Interval(1, False, 3, False)),
])
def test_parse(text, interval):
    parsed = parse_interval(text)
    assert (parsed.low, parsed.low_inclusive, parsed.high, parsed.high_inclusive) == \
        (interval.low, interval.low_inclusive, interval.high, interval.high_inclusive)


@pytest.mark.parametrize("text, message", [
    ("<= ten", "is not a bound"), ("> 5 and < 1", "is empty"), ("> 1 and > 2", "two lower bounds"),
    ("between 1 and 2", "is not a bound"),
])
def test_parse_errors(text, message):
    with pytest.raises(RubricError, match=message):
        parse_interval(text)


def test_partition_errors():
    parse = parse_interval
    with pytest.raises(RubricError, match="overlap"):
        check_partition([parse("<= 1"), parse(">= 1")], "x")
    with pytest.raises(RubricError, match="gap"):
        check_partition([parse("< 1"), parse("> 1")], "x")
    with pytest.raises(RubricError, match="fall in no band"):
        check_partition([parse("> 0 and <= 1"), parse("> 1")], "x")
    ordered = check_partition([parse("> 2"), parse("<= 1"), parse("> 1 and <= 2")], "x")
    assert [i.source for i in ordered] == ["<= 1", "> 1 and <= 2", "> 2"]


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=5, unique=True),
       st.lists(st.booleans(), min_size=5, max_size=5), st.floats(-2e6, 2e6, allow_nan=False))
def test_a_valid_partition_puts_every_value_in_exactly_one_band(edges, closed_below, value):
    edges = sorted(edges)
    bands = []
    for i in range(len(edges) + 1):
        parts = []
        if i > 0:
            parts.append(f"{'>' if closed_below[i - 1] else '>='} {edges[i - 1]!r}")
        if i < len(edges):
            parts.append(f"{'<=' if closed_below[i] else '<'} {edges[i]!r}")
        bands.append(parse_interval(" and ".join(parts)))
    check_partition(bands, "x")
    assert sum(b.contains(value) for b in bands) == 1
    for edge in edges:
        assert sum(b.contains(edge) for b in bands) == 1
