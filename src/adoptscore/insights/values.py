"""Values read back from result tables: numbers with missing as None, and JSON-ready structures."""
from __future__ import annotations

import dataclasses
import math
from typing import Any

import pandas as pd


def number(value: Any) -> float | None:
    """A float, or None for a missing value (None, NaN, pandas NA): never a silent 0."""
    if value is None or pd.isna(value):
        return None
    return float(value)


_FIELDS: dict[type, tuple[str, ...]] = {}


def plain(value: Any) -> Any:
    """``value`` with nested dataclasses, dicts and lists made JSON-ready: dataclasses become
    dicts of their fields, non-finite floats None and NumPy scalars Python ones.

    One pass, unlike ``dataclasses.asdict`` followed by a cleaning pass: ``asdict`` deep-copies
    every leaf, and an account's scorecard has thousands of them.
    """
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if isinstance(value, float):  # NumPy's float64 is a float too
        return float(value) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if dataclasses.is_dataclass(kind):
        names = _FIELDS.get(kind)
        if names is None:
            names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
        return {name: plain(getattr(value, name)) for name in names}
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return plain(value.item())
    return value
