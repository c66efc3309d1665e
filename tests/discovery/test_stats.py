"""AUC, its interval, Spearman and the corrected critical value, against scikit-learn, scipy and by hand."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm, spearmanr
from sklearn.metrics import roc_auc_score

from adoptscore.discovery.stats import auc, corrected_z, spearman


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.booleans()), min_size=2, max_size=80))
def test_auc_is_scikit_learns_with_ties(pairs):
    values = np.array([v for v, _ in pairs], dtype=float)
    positive = np.array([p for _, p in pairs])
    got = auc(values, positive)
    if positive.all() or not positive.any():
        assert got.value is None and got.low is None  # undefined, never 0.5
        return
    assert got.value == pytest.approx(roc_auc_score(positive, values))
    assert got.low <= got.value <= got.high


def test_hanley_mcneil_interval_by_hand():
    values = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], dtype=float)
    positive = np.array([0, 0, 1, 0, 1, 0, 1, 1, 1, 1], dtype=bool)
    got = auc(values, positive)
    a, n1, n0 = 21 / 24, 6, 4  # 21 of the 24 (positive, negative) pairs are ordered right
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    se = math.sqrt((a * (1 - a) + (n1 - 1) * (q1 - a * a) + (n0 - 1) * (q2 - a * a)) / (n1 * n0))
    assert got.value == pytest.approx(a) and got.se == pytest.approx(se)
    assert got.low == pytest.approx(max(0.0, a - 1.959963984540054 * se))
    assert got.high == pytest.approx(min(1.0, a + 1.959963984540054 * se))


def test_nan_values_are_left_out_not_counted_as_low():
    values = np.array([np.nan, 1, 2, np.nan, 3, 4])
    positive = np.array([True, False, False, True, True, True])
    got = auc(values, positive)
    assert (got.positives, got.negatives) == (2, 2) and got.value == 1.0


def test_spearman_is_scipys_on_complete_columns():
    rng = np.random.default_rng(1)
    x = rng.normal(size=300)
    matrix = np.column_stack([x, x ** 3 + rng.normal(scale=0.1, size=300), rng.integers(0, 4, 300), -x])
    expected = spearmanr(matrix).statistic
    assert spearman(matrix) == pytest.approx(expected, abs=1e-9)


def test_corrected_z_is_bonferroni():
    assert corrected_z(1) == pytest.approx(norm.ppf(0.975))
    assert corrected_z(81) == pytest.approx(norm.ppf(1 - 0.05 / 162))
