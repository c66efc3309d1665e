"""adoptscore: use-case adoption scoring from product-usage data.

>>> import adoptscore
>>> rubric = adoptscore.load_rubric("gitlab")
>>> result = adoptscore.score("usage.parquet", rubric)      # doctest: +SKIP
>>> result.use_cases.head()                                  # doctest: +SKIP
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# Public names -> defining module. Imported on first use, so `adoptscore rubrics` or `lint` do not
# pay for the engine's imports (Ibis, pandas).
_EXPORTS = {
    "load_rubric": "adoptscore.api", "score": "adoptscore.api", "score_into": "adoptscore.api",
    "ScoreResult": "adoptscore.engine.result",
    "calibrate": "adoptscore.lifecycle.calibrate", "Calibration": "adoptscore.lifecycle.calibrate",
    "validate": "adoptscore.lifecycle.validate", "Validation": "adoptscore.lifecycle.validate",
    "diff": "adoptscore.lifecycle.diff", "RubricDiff": "adoptscore.lifecycle.diff",
    "backtest": "adoptscore.lifecycle.backtest", "Backtest": "adoptscore.lifecycle.backtest",
    "AdoptscoreError": "adoptscore.errors", "DataError": "adoptscore.errors", "RubricError": "adoptscore.errors",
    "Metric": "adoptscore.rubric.models", "Rubric": "adoptscore.rubric.models", "UseCase": "adoptscore.rubric.models",
}
__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'adoptscore' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
