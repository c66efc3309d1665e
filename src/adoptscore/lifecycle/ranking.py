"""How well a number ranks good against bad cases: the ROC AUC (ties count one half) and ROC points."""
from __future__ import annotations

import numpy as np


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks from 1, tied values sharing the mean of the ranks they span."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    mean_rank = ends - (counts - 1) / 2.0
    return mean_rank[inverse]


def _clean(predictor: np.ndarray | list, positive: np.ndarray | list) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(predictor, dtype=float).ravel()
    y = np.asarray(positive, dtype=bool).ravel()
    if x.shape != y.shape:
        raise ValueError(f"predictor and positive differ in length ({x.size} and {y.size})")
    if np.isnan(x).any():
        raise ValueError("the predictor has missing values; drop them first")
    return x, y


def auc(predictor: np.ndarray | list, positive: np.ndarray | list) -> float | None:
    """The probability that a random positive case has a higher ``predictor`` than a random
    negative one, ties counting one half (the Mann-Whitney form of the ROC AUC).

    ``None`` when there is no positive or no negative case (the AUC is undefined).
    """
    x, y = _clean(predictor, positive)
    n_pos = int(y.sum())
    n_neg = int(y.size - n_pos)
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = average_ranks(x)
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def roc_points(predictor: np.ndarray | list, positive: np.ndarray | list) -> tuple[list[float], list[float]]:
    """ROC curve as (false positive rates, true positive rates), from (0, 0) to (1, 1).

    A case counts as flagged when its ``predictor`` is at or above a threshold; there is one point
    per distinct predictor value, so tied cases move the curve together (a diagonal step).
    Empty lists when the curve is undefined (no positive or no negative case).
    """
    x, y = _clean(predictor, positive)
    n_pos = int(y.sum())
    n_neg = int(y.size - n_pos)
    if n_pos == 0 or n_neg == 0:
        return [], []
    order = np.argsort(-x, kind="stable")
    x, y = x[order], y[order]
    last_of_value = np.r_[np.flatnonzero(np.diff(x) != 0), x.size - 1]
    tp = np.cumsum(y)[last_of_value]
    fp = (last_of_value + 1) - tp
    fpr = np.r_[0.0, fp / n_neg]
    tpr = np.r_[0.0, tp / n_pos]
    return [float(v) for v in fpr], [float(v) for v in tpr]
