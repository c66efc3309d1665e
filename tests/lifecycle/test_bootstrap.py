"""Backtest bootstrap intervals: against the analytic interval, paired comparisons, and significance."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.demo.outcomes import generate_outcomes
from adoptscore.discovery.stats import hanley_mcneil_se
from adoptscore.errors import DataError
from adoptscore.lifecycle.backtest import backtest
from adoptscore.lifecycle.bootstrap import Interval, Sides, auc_interval, lift_interval, resamples

RUBRICS = Path(adoptscore.__file__).parent / "rubrics"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bootstrap")
    usage = generate_usage(accounts=600, months=12, seed=11).to_pandas()
    outcomes = generate_outcomes(accounts=600, months=12, seed=11)
    outcomes.to_csv(folder / "outcomes.csv", index=False)
    # the bundled rubric with its overall score bands turned upside down: it calls the best accounts Red
    document = yaml.safe_load((RUBRICS / "gitlab.yaml").read_text(encoding="utf-8"))
    document["version"] = "upside-down"
    swap = {"red": "green", "yellow": "yellow", "green": "red"}
    for use_case in document["use_cases"]:
        for metric in use_case["metrics"]:
            metric["direction"] = "higher_is_better" if metric.get("direction") == "lower_is_better" else "lower_is_better"
            cases = [metric] if "bands" in metric else [c for c in metric["bands_by"]["cases"] if "bands" in c]
            for case in cases:
                case["bands"] = {swap[color]: interval for color, interval in case["bands"].items()}
    (folder / "upside-down.yaml").write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return usage, folder


def test_the_auc_interval_is_close_to_the_analytic_one_and_holds_the_auc(demo):
    usage, folder = demo
    b = backtest(usage, "gitlab", folder / "outcomes.csv", bootstrap=800)
    r = b.rubrics[0]
    a = r.main.auc
    bad = sum(x.bad for x in r.main.rates if x.category in ("red", "yellow", "green"))
    good = r.main.scored - bad
    se = hanley_mcneil_se(a, bad, good)
    assert r.auc_interval.low < a < r.auc_interval.high
    # a percentile bootstrap and Hanley & McNeil agree on the width within a fifth here
    assert (r.auc_interval.high - r.auc_interval.low) == pytest.approx(2 * 1.96 * se, rel=0.2)
    for color in ("red", "yellow", "green"):
        lift = r.main.rate(color).lift
        i = r.lift_intervals[color]
        assert i.low <= lift <= i.high, color


def test_the_same_rubric_twice_is_no_difference_and_an_upside_down_one_is(demo):
    usage, folder = demo
    same = backtest(usage, ["gitlab", "gitlab"], folder / "outcomes.csv", bootstrap=300)
    (c,) = same.comparisons
    assert c.auc_change == 0 and (c.auc_interval.low, c.auc_interval.high) == (0.0, 0.0) and not c.significant
    assert any("not significant" in w for w in same.report().warnings)
    flipped = backtest(usage, ["gitlab", folder / "upside-down.yaml"], folder / "outcomes.csv", bootstrap=300)
    (c,) = flipped.comparisons
    assert flipped.rubrics[1].main.auc < 0.5 < flipped.rubrics[0].main.auc
    assert c.significant and c.auc_interval.high < 0
    assert not any("not significant" in w for w in flipped.report().warnings)


def test_resamples_are_fixed_and_no_bootstrap_means_no_intervals(demo):
    usage, folder = demo
    assert np.array_equal(resamples(50, 20), resamples(50, 20))
    none = backtest(usage, ["gitlab", "gitlab-2022"], folder / "outcomes.csv", bootstrap=0)
    assert none.comparisons == [] and none.rubrics[0].auc_interval is None
    with pytest.raises(DataError, match="bootstrap"):
        backtest(usage, "gitlab", folder / "outcomes.csv", bootstrap=-1)


def test_an_interval_is_not_given_when_most_resamples_lack_the_figure():
    # two bad outcomes in 200: many resamples have none, so a lift has no interval rather than a misleading one
    bad = np.zeros(200, dtype=bool)
    bad[:2] = True
    sides = Sides(np.linspace(0, 1, 200), np.array(["red"] * 3 + ["green"] * 197, dtype=object), bad)
    draws = resamples(200, 200)
    assert lift_interval(sides, draws, "red") == Interval(None, None, 200)
    assert auc_interval(sides, draws).low is None
