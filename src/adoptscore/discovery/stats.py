"""The statistics metric discovery reports: AUC with a confidence interval, and rank correlation.

AUC is the Mann-Whitney probability that a value from the positive group exceeds one from the
negative group (ties count half), from average ranks. Its 95% interval uses Hanley & McNeil's
(1982) standard error, which needs only the AUC and the two group sizes::

    q1 = A / (2 - A),  q2 = 2 A^2 / (1 + A)
    se = sqrt((A (1 - A) + (n1 - 1) (q1 - A^2) + (n0 - 1) (q2 - A^2)) / (n1 n0))

An AUC is undefined (``None``) when either group is empty, never 0.5 by default.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from adoptscore.lifecycle.ranking import auc as rank_auc
from adoptscore.lifecycle.ranking import average_ranks

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Auc:
    """An AUC, its 95% interval and the group sizes behind it (``value`` None: not computable)."""

    value: float | None
    low: float | None
    high: float | None
    positives: int
    negatives: int
    se: float | None = None

    def clears(self, z: float) -> bool:
        """Whether the AUC is more than ``z`` standard errors from 0.5 (``z`` above 1.96 corrects
        for testing many candidates at once)."""
        return self.value is not None and self.se is not None and abs(self.value - 0.5) > z * self.se

    @property
    def strength(self) -> float:
        """How far from chance, in either direction (0 when unknown)."""
        return 0.0 if self.value is None else abs(self.value - 0.5)

    @property
    def significant(self) -> bool:
        """Whether the interval excludes 0.5 (chance)."""
        return self.low is not None and self.high is not None and (self.low > 0.5 or self.high < 0.5)

    def to_dict(self) -> dict[str, float | int | bool | None]:
        return {"auc": self.value, "low": self.low, "high": self.high, "se": self.se, "positives": self.positives,
                "negatives": self.negatives, "significant": self.significant}


def auc(values: np.ndarray, positive: np.ndarray) -> Auc:
    """AUC of ``values`` for telling ``positive`` rows (booleans) from the others; NaN values are left out."""
    values = np.asarray(values, dtype=np.float64)
    positive = np.asarray(positive, dtype=bool)
    keep = ~np.isnan(values)
    values, positive = values[keep], positive[keep]
    n1, n0 = int(positive.sum()), int((~positive).sum())
    a = rank_auc(values, positive)
    if a is None:
        return Auc(None, None, None, n1, n0)
    return Auc(a, *_interval(a, n1, n0), n1, n0, hanley_mcneil_se(a, n1, n0))


def hanley_mcneil_se(a: float, n1: int, n0: int) -> float:
    """The standard error of an AUC ``a`` from ``n1`` positive and ``n0`` negative cases."""
    q1, q2 = a / (2.0 - a), 2.0 * a * a / (1.0 + a)
    variance = (a * (1 - a) + (n1 - 1) * (q1 - a * a) + (n0 - 1) * (q2 - a * a)) / (n1 * n0)
    return math.sqrt(max(variance, 0.0))


def _interval(a: float, n1: int, n0: int) -> tuple[float, float]:
    se = hanley_mcneil_se(a, n1, n0)
    return max(0.0, a - Z95 * se), min(1.0, a + Z95 * se)


def spearman(matrix: np.ndarray) -> np.ndarray:
    """Spearman correlations between the columns of ``matrix`` (rows with any NaN left out per
    pair would cost k^2 passes: here each column's NaNs are replaced by its median rank)."""
    n, k = matrix.shape
    ranked = np.empty_like(matrix, dtype=np.float64)
    for j in range(k):
        column = matrix[:, j]
        ok = ~np.isnan(column)
        r = np.full(n, np.nan)
        if ok.any():
            r[ok] = average_ranks(column[ok])
            r[~ok] = np.median(r[ok])
        else:
            r[:] = 0.0
        ranked[:, j] = r
    ranked -= ranked.mean(axis=0)
    norms = np.sqrt((ranked ** 2).sum(axis=0))
    norms[norms == 0] = 1.0
    ranked /= norms
    return np.clip(ranked.T @ ranked, -1.0, 1.0)


def corrected_z(tests: int, alpha: float = 0.05) -> float:
    """The two-sided critical value for ``tests`` tests at family-wise level ``alpha`` (Bonferroni)."""
    from statistics import NormalDist

    return NormalDist().inv_cdf(1.0 - alpha / (2.0 * max(tests, 1)))
