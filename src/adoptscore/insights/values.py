"""Values read back from result tables: numbers with missing as None, and JSON-ready structures."""
from __future__ import annotations

import math
from typing import Any

import pandas as pd


def number(value: Any) -> float | None:
    """A float, or None for a missing value (None, NaN, pandas NA): never a silent 0."""
    if value is None or pd.isna(value):
        return None
    return float(value)


def plain(value: Any) -> Any:
    """``value`` with nested dicts and lists made JSON-ready: non-finite floats become None and
    NumPy scalars Python ones."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value
