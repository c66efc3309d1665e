"""format_value: one way to show a number, used by both renderers."""
from __future__ import annotations

import numpy as np
import pytest

from adoptscore.report.document import MISSING, Colored, format_value, is_number


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
