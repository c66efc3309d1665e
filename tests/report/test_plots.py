"""The histogram derived from a quantile grid, against numpy on the values behind the grid."""
from __future__ import annotations

import numpy as np
import pytest

from adoptscore.report.plots import histogram_from_quantiles

N = 100_000
PERCENTILES = np.linspace(0.0, 1.0, 101)
DECILES = np.linspace(0.0, 1.0, 11)

# Each bin edge cuts one percentile interval of N/100 = 1,000 values, where the derived CDF is the
# chord of the empirical one. The misplaced count at one edge is the gap between the two: sampling
# wiggle of a Brownian bridge over 1,000 values (about sqrt(1000) ~ 32 at worst) plus curvature of
# the CDF. A bin has two edges, so we allow 150 values (0.15% of N, 15% of one percentile) per bin;
# the observed worst is about 60. Summed over bins, the misplaced share stays below 2%.
PER_BIN = 150
TOTAL_VARIATION = 0.02


def lognormal(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).lognormal(mean=0.0, sigma=1.0, size=N)


def zero_mass(seed: int) -> np.ndarray:
    values = np.random.default_rng(seed).lognormal(mean=-1.0, sigma=0.9, size=N)
    values[: int(0.4 * N)] = 0.0  # 40% exact zeros: a zero-width step in the grid
    return values


def capped(seed: int) -> np.ndarray:
    return np.minimum(lognormal(seed), 1.0)  # half of the values exactly 1, at the top


def grid(values: np.ndarray, ps: np.ndarray = PERCENTILES) -> list[tuple[float, float]]:
    return [(float(p), float(q)) for p, q in zip(ps, np.quantile(values, ps))]


@pytest.mark.parametrize("make, seed", [(lognormal, 1), (lognormal, 2), (zero_mass, 3), (capped, 4)])
def test_counts_match_numpy_on_the_same_edges(make, seed):
    values = make(seed)
    edges, counts = histogram_from_quantiles(grid(values), N, bins=40)
    reference, _ = np.histogram(values, bins=edges)

    assert len(edges) == 41 and len(counts) == 40
    assert np.allclose(np.diff(edges), np.diff(edges)[0])  # equal widths
    assert edges[0] == pytest.approx(np.quantile(values, 0.01))
    assert edges[-1] == pytest.approx(np.quantile(values, 0.99))
    # The total is N times the share of values within the edges, to float precision: P(X < p1 value)
    # is 1% unless that value is a point mass (then the whole mass is inside), and the last bin is
    # closed, so everything at the p99 value is in too.
    inside = np.mean((values >= edges[0]) & (values <= edges[-1]))
    expected_share = (1.0 if np.quantile(values, 0.01) == values.min() else 0.99) - (
        0.0 if np.quantile(values, 0.99) == values.max() else 0.01)
    assert counts.sum() == pytest.approx(N * expected_share, abs=1e-6)
    assert abs(counts.sum() - reference.sum()) <= 2  # numpy's own quantile interpolation
    assert inside * N == reference.sum()
    assert np.all(counts >= 0)
    assert np.abs(counts - reference).max() <= PER_BIN
    assert np.abs(counts - reference).sum() / N <= TOTAL_VARIATION
    # A hard bound too: both CDFs are monotone and meet at every percentile, so the cumulative
    # counts can never differ by more than one percentile (plus numpy's interpolation slack).
    assert np.abs(np.cumsum(counts) - np.cumsum(reference)).max() <= N / 100 + 2


def test_point_mass_lands_whole_in_its_bin():
    values = zero_mass(5)
    edges, counts = histogram_from_quantiles(grid(values), N, bins=40)
    reference, _ = np.histogram(values, bins=edges)
    assert edges[0] == 0.0
    # The first bin holds the 40,000 zeros plus the few positive values below its upper edge.
    assert counts[0] >= 0.4 * N
    assert counts[0] == pytest.approx(reference[0], abs=PER_BIN)


def test_a_coarse_grid_is_drawn_whole_and_keeps_every_value():
    values = lognormal(6)
    edges, counts = histogram_from_quantiles(grid(values, DECILES), N, bins=20)
    reference, _ = np.histogram(values, bins=edges)
    assert edges[0] == values.min() and edges[-1] == values.max()
    assert counts.sum() == pytest.approx(N, abs=1e-6)
    assert reference.sum() == N
    # Both CDFs rise monotonically and meet at every decile, so between two deciles they differ by
    # at most one decile's mass: the cumulative counts agree within N / 10 (a hard bound, not a
    # tolerance). The upper decile reaches far into the tail, so the bound is nearly reached.
    assert np.abs(np.cumsum(counts) - np.cumsum(reference)).max() <= 0.1 * N + 2


def test_hand_worked_point_mass_at_the_minimum():
    # Half the values are 0, the other half spread evenly up to 10.
    edges, counts = histogram_from_quantiles([(0.0, 0.0), (0.5, 0.0), (1.0, 10.0)], 100, bins=2)
    assert edges.tolist() == [0.0, 5.0, 10.0]
    assert counts.tolist() == pytest.approx([75.0, 25.0])


def test_hand_worked_point_mass_inside():
    # A quarter in [0, 1), half exactly 1, a quarter in (1, 2]; bins are [a, b) like numpy's.
    edges, counts = histogram_from_quantiles([(0.0, 0.0), (0.25, 1.0), (0.75, 1.0), (1.0, 2.0)], 100, bins=4)
    assert edges.tolist() == [0.0, 0.5, 1.0, 1.5, 2.0]
    assert counts.tolist() == pytest.approx([12.5, 12.5, 62.5, 12.5])


def test_two_point_masses_and_nothing_between():
    _, counts = histogram_from_quantiles([(0.0, 0.0), (0.5, 0.0), (0.5, 1.0), (1.0, 1.0)], 10, bins=4)
    assert counts.tolist() == pytest.approx([5.0, 0.0, 0.0, 5.0])


def test_all_values_equal():
    edges, counts = histogram_from_quantiles([(p, 3.0) for p in PERCENTILES], 500)
    assert len(counts) == 1 and counts[0] == pytest.approx(500)
    assert edges[0] < 3.0 < edges[1]
    assert np.all(np.isfinite(edges))


def test_nearly_all_values_equal_falls_back_to_the_whole_range():
    # 99.5% zeros: the p1 and p99 values are both 0, so clipping would leave nothing to draw.
    values = np.zeros(N)
    values[-500:] = np.linspace(1.0, 5.0, 500)
    edges, counts = histogram_from_quantiles(grid(values), N, bins=10)
    reference, _ = np.histogram(values, bins=edges)
    assert edges[0] == 0.0 and edges[-1] == 5.0
    assert counts.sum() == pytest.approx(N)
    assert counts[0] == pytest.approx(reference[0], abs=0.01 * N)


def test_no_nan_or_inf_from_any_grid():
    rng = np.random.default_rng(9)
    for _ in range(200):
        # Values with many ties, grids of random density.
        values = rng.integers(0, rng.integers(1, 5), size=200).astype(float)
        ps = np.unique(np.r_[0.0, rng.random(rng.integers(1, 30)), 1.0])
        edges, counts = histogram_from_quantiles(grid(values, ps), 200, bins=int(rng.integers(1, 50)))
        assert np.all(np.isfinite(edges)) and np.all(np.isfinite(counts))
        assert np.all(counts >= 0)
        assert np.all(np.diff(edges) > 0)


def test_invalid_grids_are_refused():
    with pytest.raises(ValueError):
        histogram_from_quantiles([], 10)
    with pytest.raises(ValueError):
        histogram_from_quantiles([(0.0, 2.0), (1.0, 1.0)], 10)
    with pytest.raises(ValueError):
        histogram_from_quantiles([(0.0, float("nan"))], 10)
