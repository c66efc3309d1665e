"""Calibrate against independent computations: numpy quantiles over values computed by hand from the
raw columns, pandas counts, and the engine scoring the written rubric."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.demo.cohort import healthy_accounts
from adoptscore.errors import AdoptscoreError
from adoptscore.lifecycle.calibrate import calibrate
from adoptscore.rubric.lint import lint
from adoptscore.rubric.loader import bundled_rubrics, load_rubric

ACCOUNTS, MONTHS = 400, 10


@pytest.fixture(scope="module")
def usage_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("calibrate") / "usage.parquet"
    pq.write_table(generate_usage(ACCOUNTS, MONTHS), path)
    return path


@pytest.fixture(scope="module")
def window(usage_path) -> list[str]:
    periods = sorted(pd.read_parquet(usage_path, columns=["period"])["period"].unique())
    return periods[-6:]


@pytest.fixture(scope="module")
def git_ops_values(usage_path, window) -> np.ndarray:
    """Git operation utilisation computed by hand, as the reference defines it: git ops users /
    billable users, negative counts are failure codes, a zero denominator gives 0 (GitLab's SQL),
    only licensed instances are scored."""
    raw = pd.read_parquet(usage_path)
    raw = raw[raw["period"].isin(window)]
    licensed = raw["licensed_users"].where(raw["licensed_users"] >= 0)
    raw = raw[licensed > 0]
    numerator = raw["git_ops_users_l28d"].where(raw["git_ops_users_l28d"] >= 0).astype(float)
    denominator = raw["billable_users"].where(raw["billable_users"] >= 0).astype(float)
    value = np.where(denominator == 0, 0.0, numerator / denominator.replace(0, np.nan))
    value = pd.Series(value).where(numerator.notna().to_numpy() & denominator.notna().to_numpy())
    return value.dropna().to_numpy()


@pytest.fixture(scope="module")
def quartiles(usage_path):
    return calibrate(usage_path, "gitlab", strategy="quartiles")


@pytest.fixture(scope="module")
def target_mix(usage_path):
    return calibrate(usage_path, "gitlab", strategy="mix", mix=(0.2, 0.5, 0.3), precision=None)


def band(calibration, use_case, metric, case=None):
    return next(b for b in calibration.bands if (b.use_case, b.metric) == (use_case, metric)
                and (case is None or (b.case or "").endswith(case)))


def test_quantiles_match_numpy_on_values_computed_by_hand(quartiles, git_ops_values, window):
    b = band(quartiles, "scm", "git_ops_utilization")
    assert quartiles.periods == window
    assert b.n == len(git_ops_values)
    for p in (10, 25, 50, 75, 90):
        assert b.quantiles[f"p{p}"] == pytest.approx(np.quantile(git_ops_values, p / 100), abs=1e-12)
    grid = dict(b.grid)
    assert grid[0.0] == pytest.approx(git_ops_values.min()) and grid[1.0] == pytest.approx(git_ops_values.max())
    assert grid[0.01] == pytest.approx(np.quantile(git_ops_values, 0.01), abs=1e-12)
    assert grid[0.99] == pytest.approx(np.quantile(git_ops_values, 0.99), abs=1e-12)


def test_histogram_counts_match_numpy(quartiles, git_ops_values):
    b = band(quartiles, "scm", "git_ops_utilization")
    v = np.round(git_ops_values, 9)
    edges = np.asarray(b.histogram.edges)
    assert edges[0] == pytest.approx(np.quantile(git_ops_values, 0.01)) and len(edges) == 41
    inside = v[(v >= edges[0]) & (v <= edges[-1])]
    expected, _ = np.histogram(inside, bins=edges)
    # A value on a bin edge (ratios of small counts often are: 1/20 = 0.05) may land on either side
    # of it through floating-point division; every other value must be counted exactly as numpy does.
    on_edge = int((np.abs(inside[:, None] - edges[None, :]).min(axis=1) < 1e-9).sum())
    assert np.abs(np.asarray(b.histogram.counts) - expected).sum() <= 2 * on_edge
    assert sum(b.histogram.counts) == len(inside)
    assert b.histogram.below == int((v < edges[0]).sum()) and b.histogram.above == int((v > edges[-1]).sum())


def test_current_mix_and_sensitivity_match_direct_counts(quartiles, git_ops_values):
    b = band(quartiles, "scm", "git_ops_utilization")  # red <= 10%, yellow <= 33%, green > 33%
    v = np.round(git_ops_values, 9)
    assert b.current_mix == {"red": int((v <= 0.10).sum()), "yellow": int(((v > 0.10) & (v <= 0.33)).sum()),
                             "green": int((v > 0.33).sum())}
    assert b.current_near == [int(((v >= 0.09) & (v <= 0.11)).sum()), int(((v >= 0.297) & (v <= 0.363)).sum())]


def test_quartile_cuts_are_the_rounded_quartiles(quartiles, git_ops_values):
    b = band(quartiles, "scm", "git_ops_utilization")
    low, high = (float(f"{np.quantile(git_ops_values, p):.3g}") for p in (0.25, 0.75))
    assert [c.value for c in b.proposed_cuts] == [pytest.approx(low, rel=1e-12), pytest.approx(high, rel=1e-12)]
    v = np.round(git_ops_values, 9)
    below = [(v <= c.value).sum() if c.below_inclusive else (v < c.value).sum() for c in b.proposed_cuts]
    assert b.proposed_mix == {"red": below[0], "yellow": below[1] - below[0], "green": len(v) - below[1]}


def test_band_table_cases_are_calibrated_within_their_range(quartiles, usage_path, window):
    raw = pd.read_parquet(usage_path)
    result = adoptscore.score(usage_path, "gitlab", periods=window)
    metrics = result.metrics
    lic = metrics[(metrics["metric"] == "license_utilization") & (metrics["status"] == "scored")]
    ages = raw[["account_id", "period", "account_age_months"]]
    lic = lic.merge(ages, on=["account_id", "period"])
    mature = lic[lic["account_age_months"] >= 10]["value"].to_numpy()
    b = band(quartiles, "license", "license_utilization", ">= 10")
    assert b.colors == ["red", "green"] and b.n == len(mature)
    assert b.quantiles["p50"] == pytest.approx(np.quantile(mature, 0.5))
    assert b.proposed_cuts[0].value == pytest.approx(float(f"{np.quantile(mature, 0.5):.3g}"))


@pytest.fixture(scope="module")
def window_metrics(usage_path, window) -> pd.DataFrame:
    m = adoptscore.score(usage_path, "gitlab", periods=window).metrics
    return m[m["status"] == "scored"]


@pytest.mark.parametrize("metric", ["git_ops_utilization", "ci_builds_per_user", "user_engagement",
                                    "successful_deployments", "scanner_utilization"])
def test_target_mix_is_hit_within_rounding(target_mix, window_metrics, metric):
    b = next(b for b in target_mix.bands if b.metric == metric)
    values = np.round(window_metrics[window_metrics["metric"] == metric]["value"].to_numpy(), 9)
    assert len(values) == b.n
    shares = {c: n / b.n for c, n in b.proposed_mix.items()}
    # Exact cuts (precision=None) sit between two order statistics, so the share below a cut is
    # off its target by at most one value, plus the values tied at the cut (ratios of small
    # counts repeat), which cannot be split.
    tied = [int((values == c.value).sum()) for c in b.proposed_cuts]
    below = [0.2, 0.7]
    achieved = [shares["red"], shares["red"] + shares["yellow"]]
    for target, got, ties in zip(below, achieved, tied):
        assert abs(got - target) <= (ties + 1) / b.n, (metric, shares, tied)
    # and with the default rounding to 3 significant digits, within one percentage point
    rounded = next(x for x in target_mix_rounded_cache(target_mix).bands if x.metric == metric)
    for color, target in zip(("red", "yellow", "green"), (0.2, 0.5, 0.3)):
        assert abs(rounded.proposed_mix[color] / rounded.n - target) <= 0.01


_ROUNDED = {}


def target_mix_rounded_cache(exact):
    if "r" not in _ROUNDED:
        _ROUNDED["r"] = calibrate(exact.source, "gitlab", strategy="mix", mix=(0.2, 0.5, 0.3), preview=False)
    return _ROUNDED["r"]


def test_target_mix_with_ties_takes_the_closest_side(target_mix, usage_path, window):
    b = band(target_mix, "security", "scanners_in_use")  # counts 0..7: many ties at every cut
    result = adoptscore.score(usage_path, "gitlab", periods=window)
    m = result.metrics
    values = m[(m["metric"] == "scanners_in_use") & (m["status"] == "scored")]["value"].to_numpy()
    assert len(values) == b.n
    for cut, target in zip(b.proposed_cuts, (0.2, 0.7)):
        lt, le = (values < cut.value).mean(), (values <= cut.value).mean()
        chosen = le if cut.below_inclusive else lt
        assert abs(chosen - target) == pytest.approx(min(abs(lt - target), abs(le - target)))


def test_written_rubric_lints_and_scores_the_proposed_mix(quartiles, usage_path, window, tmp_path):
    path = quartiles.write_rubric(tmp_path / "gitlab-next.yaml")
    text = path.read_text()
    assert "# GitLab's use-case adoption scoring" in text  # the input's comments are kept
    rubric = load_rubric(path)
    assert rubric.version == "2025.2" and rubric.provenance["calibration"]["strategy"] == "quartiles"
    assert rubric.provenance["calibration"]["window"].startswith(window[0])
    assert [f for f in lint(rubric, usage_path) if f.level == "error"] == []
    result = adoptscore.score(usage_path, rubric, periods=window)
    m = result.metrics
    for b in quartiles.bands:
        if b.case is not None or not b.changed:
            continue
        rows = m[(m["use_case"] == b.use_case) & (m["metric"] == b.metric) & m["color"].notna()]
        assert rows["color"].value_counts().to_dict() == {c: n for c, n in b.proposed_mix.items() if n}, b.label
    uc = result.use_cases
    states = uc["color"].fillna(uc["status"])
    for use_case, sides in quartiles.use_case_mix.items():
        if use_case == "overall":
            continue
        assert states[uc["use_case"] == use_case].value_counts().to_dict() == sides["proposed"], use_case


def test_healthy_cohort_anchors_green_at_its_median(usage_path, tmp_path, git_ops_values, window):
    cohort = healthy_accounts(ACCOUNTS, MONTHS)
    cohort_file = tmp_path / "healthy.csv"
    cohort.to_csv(cohort_file, index=False)
    result = calibrate(usage_path, "gitlab", strategy="healthy", cohort=cohort_file, precision=None)
    b = band(result, "scm", "git_ops_utilization")
    scored = adoptscore.score(usage_path, "gitlab", periods=window).metrics
    mine = scored[(scored["metric"] == "git_ops_utilization") & scored["account_id"].isin(cohort["account_id"])
                  & (scored["status"] == "scored")]["value"]
    assert b.healthy.n == len(mine) > 0
    assert b.healthy.median == pytest.approx(float(np.median(mine)))
    assert b.healthy.mean == pytest.approx(float(mine.mean()))
    in_window = adoptscore.score(usage_path, "gitlab", periods=window).overall["account_id"]
    assert result.cohort_accounts == in_window[in_window.isin(cohort["account_id"])].nunique() <= len(cohort)
    assert b.proposed_cuts[1].value == pytest.approx(float(np.median(mine)))
    assert b.proposed_bands["green"].startswith(">=")
    assert b.proposed_cuts[0].value == pytest.approx(np.quantile(git_ops_values, 0.25))
    # the quartile cut takes the side whose Red share is nearest 25% (ties: '<=', GitLab's convention)
    values, cut = np.asarray(git_ops_values), b.proposed_cuts[0].value
    le, lt = np.mean(values <= cut), np.mean(values < cut)
    assert b.proposed_bands["red"].startswith("<=" if abs(le - 0.25) <= abs(lt - 0.25) else "< ")


def test_healthy_red_is_not_empty_when_a_quarter_sits_at_zero(tmp_path):
    from adoptscore.lifecycle.thresholds import choose_sides, propose

    # 40% of the population at 0: p25 = 0, and a strict '< 0' would leave Red empty
    values = np.array([0.0] * 40 + list(np.linspace(0.01, 1, 60)))
    cuts = propose("healthy", ["red", "yellow", "green"], lambda p: float(np.quantile(values, p)), 0.8)
    red, _ = choose_sides(cuts, [int((values < c.value).sum()) for c in cuts],
                          [int((values <= c.value).sum()) for c in cuts], len(values))
    assert red.value == 0 and red.below_inclusive is True


def test_cohort_as_a_filter_and_per_segment_quantiles(usage_path, window):
    result = calibrate(usage_path, "gitlab", strategy="healthy", cohort_filter="segment == 'Enterprise'",
                       by="segment", metrics=["scm"], preview=False)
    assert [b.metric for b in result.bands] == ["git_ops_utilization"]
    m = adoptscore.score(usage_path, "gitlab", periods=window).metrics
    o = adoptscore.score(usage_path, "gitlab", periods=window).overall[["account_id", "period", "segment"]]
    git = m[(m["metric"] == "git_ops_utilization") & (m["status"] == "scored")].merge(o, on=["account_id", "period"])
    for stats in result.segments:
        values = git[git["segment"] == stats.segment]["value"].to_numpy()
        assert stats.n == len(values)
        assert stats.quantiles["p75"] == pytest.approx(np.quantile(values, 0.75))
    enterprise = git[git["segment"] == "Enterprise"]["value"]
    assert result.bands[0].healthy.median == pytest.approx(float(np.median(enterprise)))


def test_few_months_warn_and_output_is_json_ready(usage_path, window):
    result = calibrate(usage_path, "gitlab", window=3, preview=False, metrics=["ci"])
    assert any("only 3 periods" in w for w in result.warnings)
    assert result.periods == window[-3:]
    json.dumps(result.to_dict(), allow_nan=False)


def test_innovation_graph_target_mix():
    data = bundled_rubrics()["innovation-graph"].parent / "data" / "innovationgraph-long.csv"
    result = calibrate(data, "innovation-graph", strategy="mix", mix=(0.25, 0.5, 0.25), window=None,
                       precision=None, preview=False)
    assert result.rows > 100
    for b in result.bands:
        if b.proposed_bands is None:
            continue
        order = ("red", "yellow", "green") if b.colors[0] == "red" else ("green", "yellow", "red")
        targets = dict(zip(order, (0.25, 0.5, 0.25) if order[0] == "red" else (0.25, 0.5, 0.25)))
        for color, n in b.proposed_mix.items():
            assert abs(n / b.n - targets[color]) <= 2 / b.n + 1e-12, (b.label, b.proposed_mix)


@pytest.mark.parametrize("kwargs, message", [
    ({"strategy": "healthy"}, "needs a healthy cohort"),
    ({"strategy": "mix", "mix": (0.5, 0.5, 0.5)}, "does not add up"),
    ({"strategy": "mix"}, "needs three shares"),
    ({"strategy": "median"}, "unknown strategy"),
    ({"strategy": "healthy", "cohort_filter": "segment == 'SMB'", "mix": (0.2, 0.5, 0.3)}, "only applies to the mix"),
    ({"metrics": ["scm.nope"]}, "has no metric 'scm.nope'"),
    ({"periods": ["1999-01"]}, "not in the data"),
    ({"cohort": ["nobody"], "strategy": "healthy"}, "has no account in the data window"),
    ({"cohort_filter": "segmnt == 'SMB'", "strategy": "healthy"}, "did you mean segment"),
    ({"by": "region"}, "cannot group by 'region'"),
    ({"window": 0}, "positive number of periods"),
])
def test_bad_options_are_one_clear_error(usage_path, kwargs, message):
    with pytest.raises(AdoptscoreError, match=message):
        calibrate(usage_path, "gitlab", preview=False, **kwargs)


def test_the_input_rubric_is_never_overwritten(quartiles, tmp_path):
    with pytest.raises(AdoptscoreError, match="overwrite its input"):
        quartiles.write_rubric(bundled_rubrics()["gitlab"])
    target = tmp_path / "exists.yaml"
    target.write_text("keep me")
    with pytest.raises(AdoptscoreError, match="the file exists"):
        quartiles.write_rubric(target)
    assert target.read_text() == "keep me"


def test_duplicate_rows_in_the_window_are_an_error():
    usage = generate_usage(60, 8).to_pandas()
    latest = usage[usage["period"] == usage["period"].max()]
    doubled = pd.concat([usage, latest.head(1)], ignore_index=True)
    with pytest.raises(AdoptscoreError, match="duplicate rows: account_id A0000"):
        calibrate(doubled, "gitlab", preview=False)
    # a duplicate outside the window is not read, so it does not stop the calibration
    oldest = usage[usage["period"] == usage["period"].min()]
    outside = pd.concat([usage, oldest.head(1)], ignore_index=True)
    assert calibrate(outside, "gitlab", window=3, preview=False).rows > 0
