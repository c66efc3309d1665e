"""Agreement between two raters on ordered colors: confusion matrix, Cohen's kappa, weighted kappa.

The raters are the account owners (expected colors, rows) and the rubric (scored colors, columns).
With ``O`` the observed proportions of the k x k confusion matrix, ``E`` the proportions expected
by chance (the outer product of the row and column marginals) and ``W`` disagreement weights
(0 on the diagonal)::

    kappa_w = 1 - sum(W * O) / sum(W * E)

Unweighted kappa uses ``W = 1`` off the diagonal, which is the familiar ``(p_o - p_e) / (1 - p_e)``.
For ordered categories (red < yellow < green) a one-step miss counts less than a two-step one:
linear weights ``|i - j| / (k - 1)``, quadratic ``((i - j) / (k - 1)) ** 2``. Kappa is undefined when
chance disagreement is zero (both raters put every item in the same single category, or there are
no items): it is then reported as ``None`` with a reason, never NaN.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

#: The colors in their order, worst first.
ORDER: tuple[str, ...] = ("red", "yellow", "green")

Weights = Literal["none", "linear", "quadratic"]


@dataclass(frozen=True)
class Kappa:
    """A kappa value, or ``None`` with the reason it is undefined."""

    value: float | None
    reason: str | None = None


def confusion(expected: Iterable[str], scored: Iterable[str],
              categories: Sequence[str] = ORDER) -> np.ndarray:
    """Counts of (expected, scored) pairs: rows are expected categories, columns scored ones."""
    index = {c: i for i, c in enumerate(categories)}
    matrix = np.zeros((len(categories), len(categories)), dtype=np.int64)
    for e, s in zip(expected, scored, strict=True):
        matrix[index[e], index[s]] += 1
    return matrix


def disagreement_weights(k: int, weights: Weights = "none") -> np.ndarray:
    """The k x k disagreement weights: 0 on the diagonal, up to 1 for the farthest categories."""
    i, j = np.indices((k, k))
    if weights == "none":
        return (i != j).astype(float)
    distance = np.abs(i - j) / max(k - 1, 1)
    if weights == "linear":
        return distance
    if weights == "quadratic":
        return distance ** 2
    raise ValueError(f"unknown weights {weights!r}: use none, linear or quadratic")


def kappa(matrix: np.ndarray, weights: Weights = "none") -> Kappa:
    """Cohen's kappa of a square confusion matrix of counts (weighted when ``weights`` is given)."""
    counts = np.asarray(matrix, dtype=float)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
        raise ValueError("a confusion matrix must be square")
    n = counts.sum()
    if n == 0:
        return Kappa(None, "no labels to compare")
    observed = counts / n
    chance = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    w = disagreement_weights(counts.shape[0], weights)
    chance_disagreement = float((w * chance).sum())
    if chance_disagreement <= 1e-12:
        used = [i for i in range(counts.shape[0]) if counts[i].sum() or counts[:, i].sum()]
        only = ORDER[used[0]] if len(used) == 1 and counts.shape[0] == len(ORDER) else "one category"
        return Kappa(None, f"undefined: every label and every score is {only}, so agreement by chance is "
                           "already 100%")
    return Kappa(1.0 - float((w * observed).sum()) / chance_disagreement)


def agreement_rate(matrix: np.ndarray) -> float | None:
    """The share of pairs on the diagonal, or ``None`` with no pairs."""
    counts = np.asarray(matrix, dtype=float)
    n = counts.sum()
    return None if n == 0 else float(np.trace(counts) / n)
