"""format_value: one way to show a number, used by both renderers."""
from __future__ import annotations

import numpy as np
import pytest

from adoptscore.report.document import (
    MISSING,
    Colored,
    Distribution,
    format_value,
    is_number,
    is_numeric_column,
)


@pytest.mark.parametrize("value, spec, expected", [
    (0.1234, ".1%", "12.3%"),
    (1234567, ",d", "1,234,567"),
    (3.0, ",d", "3"),            # an integral float under an integer spec
    (2.5, "d", "2.50"),          # a spec that does not fit falls back to the default
    (np.float64(0.5), ".0%", "50%"),
    (np.int64(12), None, "12"),
    (1234.0, None, "1,234"),
    (12345.678, None, "12,346"),
    (3.14159, None, "3.14"),
    (0.000123456, None, "0.000123"),
    (None, ".2f", MISSING),
    (float("nan"), ".2f", MISSING),
    (np.nan, None, MISSING),
    (float("inf"), None, "∞"),
    (True, None, "yes"),
    ("text", ".2f", "text"),
    (Colored("Red", "red"), ".2f", "Red"),
])
def test_format_value(value, spec, expected):
    assert format_value(value, spec) == expected


def test_is_number():
    assert is_number(1) and is_number(2.5) and is_number(np.float32(1)) and is_number(float("nan"))
    assert not is_number(True) and not is_number("1") and not is_number(None) and not is_number(Colored("1"))


@pytest.mark.parametrize("cells, numeric", [
    ([1, 2.5, None], True),
    (["12.5%", "1,204", "", "—"], True),
    ([Colored("820 (36%)", "red"), Colored("1,106 (49%)", "yellow")], True),
    (["-0.3", "+4 pp", "2×"], True),
    ([1, "x"], False),
    (["2026-05"], False),
    (["Red", Colored("12%", "red")], False),
    ([None, "", "—"], False),  # nothing to align
])
def test_is_numeric_column(cells, numeric):
    assert is_numeric_column(cells) is numeric


def test_distribution_nearest_picks_the_grid_value_of_the_nearest_p():
    grid = [(0.0, 1.0), (0.1, 2.0), (0.26, 3.0), (0.5, float("nan")), (0.6, 5.0), (1.0, 9.0)]
    block = Distribution("d", grid, n=10)
    assert block.nearest(0.25) == 3.0
    assert block.nearest(0.5) == 5.0  # a NaN grid value is skipped, the nearest finite one wins
    assert block.nearest(0.0) == 1.0 and block.nearest(1.0) == 9.0
    assert Distribution("d", grid, n=0).nearest(0.5) is None
    assert Distribution("d", [], n=10).nearest(0.5) is None
