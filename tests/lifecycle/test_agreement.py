"""Kappa and weighted kappa: a hand-worked case, scikit-learn on random cases, degenerate cases."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from adoptscore.lifecycle.agreement import ORDER, agreement_rate, confusion, disagreement_weights, kappa

# Rows: expected (red, yellow, green); columns: scored. n = 20.
HAND = np.array([[4, 1, 0],
                 [2, 5, 1],
                 [0, 1, 6]])
# Observed agreement p_o = (4 + 5 + 6) / 20 = 0.75.
# Row marginals 5, 8, 7 -> 0.25, 0.40, 0.35; column marginals 6, 7, 7 -> 0.30, 0.35, 0.35.
# Chance agreement p_e = 0.25*0.30 + 0.40*0.35 + 0.35*0.35 = 0.075 + 0.14 + 0.1225 = 0.3375.
# kappa = (0.75 - 0.3375) / (1 - 0.3375) = 0.4125 / 0.6625 = 33/53.
# Linear weights |i-j|/2: observed disagreement = 5 one-step items * 0.5 / 20 = 0.125;
#   chance one-step mass = .25*.35 + .40*.30 + .40*.35 + .35*.35 = 0.47 (x 0.5 = 0.235),
#   chance two-step mass = .25*.35 + .35*.30 = 0.1925 (x 1), total 0.4275;
#   kappa_linear = 1 - 0.125 / 0.4275 = 0.3025 / 0.4275 = 121/171.
# Quadratic weights ((i-j)/2)^2: observed 5 * 0.25 / 20 = 0.0625; chance 0.47 * 0.25 + 0.1925 = 0.31;
#   kappa_quadratic = 1 - 0.0625 / 0.31 = 0.2475 / 0.31 = 99/124.


def _pairs(matrix: np.ndarray) -> tuple[list[str], list[str]]:
    expected, scored = [], []
    for i, e in enumerate(ORDER):
        for j, s in enumerate(ORDER):
            expected += [e] * int(matrix[i, j])
            scored += [s] * int(matrix[i, j])
    return expected, scored


def test_hand_worked_example():
    assert kappa(HAND).value == pytest.approx(33 / 53)
    assert kappa(HAND, "linear").value == pytest.approx(121 / 171)
    assert kappa(HAND, "quadratic").value == pytest.approx(99 / 124)
    assert agreement_rate(HAND) == pytest.approx(0.75)


def test_hand_worked_example_matches_sklearn():
    expected, scored = _pairs(HAND)
    assert (confusion(expected, scored) == HAND).all()
    for ours, theirs in (("none", None), ("linear", "linear"), ("quadratic", "quadratic")):
        assert kappa(HAND, ours).value == pytest.approx(
            cohen_kappa_score(expected, scored, labels=list(ORDER), weights=theirs))


def test_confusion_rows_are_expected_columns_scored():
    matrix = confusion(["red", "red", "green"], ["yellow", "red", "red"])
    assert matrix.tolist() == [[1, 1, 0], [0, 0, 0], [1, 0, 0]]


def test_weights():
    assert disagreement_weights(3, "linear").tolist() == [[0, .5, 1], [.5, 0, .5], [1, .5, 0]]
    assert disagreement_weights(3, "quadratic").tolist() == [[0, .25, 1], [.25, 0, .25], [1, .25, 0]]
    assert disagreement_weights(3).tolist() == [[0, 1, 1], [1, 0, 1], [1, 1, 0]]
    with pytest.raises(ValueError):
        disagreement_weights(3, "cubic")  # type: ignore[arg-type]


colors = st.sampled_from(ORDER)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(colors, colors), min_size=1, max_size=60))
def test_kappa_matches_sklearn(pairs):
    expected = [e for e, _ in pairs]
    scored = [s for _, s in pairs]
    matrix = confusion(expected, scored)
    assert matrix.sum() == len(pairs)
    for ours, theirs in (("none", None), ("linear", "linear"), ("quadratic", "quadratic")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # sklearn warns on its NaN for the degenerate case
            reference = cohen_kappa_score(expected, scored, labels=list(ORDER), weights=theirs)
        result = kappa(matrix, ours)
        if math.isnan(reference):
            assert result.value is None and result.reason
        else:
            assert result.value == pytest.approx(reference, abs=1e-9)
            assert result.reason is None


@pytest.mark.parametrize("color", ORDER)
def test_one_category_on_both_sides_is_undefined(color):
    matrix = confusion([color] * 7, [color] * 7)
    for weights in ("none", "linear", "quadratic"):
        result = kappa(matrix, weights)
        assert result.value is None
        assert color in result.reason and "undefined" in result.reason
    assert agreement_rate(matrix) == 1.0


def test_no_pairs():
    result = kappa(np.zeros((3, 3)))
    assert result.value is None and result.reason == "no labels to compare"
    assert agreement_rate(np.zeros((3, 3))) is None


def test_one_category_each_but_different_is_zero_not_undefined():
    # every label green, every score red: chance disagreement is 1, observed 1 -> kappa 0
    result = kappa(confusion(["green"] * 4, ["red"] * 4))
    assert result.value == pytest.approx(0.0)
    assert kappa(confusion(["green"] * 4, ["red"] * 4), "linear").value == pytest.approx(0.0)


def test_perfect_agreement():
    matrix = confusion(["red", "yellow", "green"], ["red", "yellow", "green"])
    assert kappa(matrix).value == pytest.approx(1.0)
    assert kappa(matrix, "linear").value == pytest.approx(1.0)
