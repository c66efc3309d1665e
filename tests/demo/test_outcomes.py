"""Demo renewal outcomes: deterministic, driven by the latent truth, and visible to a backtest."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

import adoptscore
from adoptscore.demo import generate_accounts, generate_usage
from adoptscore.demo.outcomes import (
    LEAD_MONTHS,
    OUTCOMES,
    RENEWAL_WINDOW,
    generate_outcomes,
)
from adoptscore.demo.truth import latent_adoption
from adoptscore.lifecycle.backtest import backtest

BAD = ("churned", "contracted")


@pytest.fixture(scope="module")
def big() -> pd.DataFrame:
    return generate_outcomes(accounts=2000, months=15, seed=42)


def test_deterministic_and_independent_of_population_size(big):
    again = generate_outcomes(accounts=2000, months=15, seed=42)
    pd.testing.assert_frame_equal(big, again)
    small = generate_outcomes(accounts=300, months=15, seed=42)
    pd.testing.assert_frame_equal(small, big[big["account_id"] <= "A000300"].reset_index(drop=True))
    other = generate_outcomes(accounts=300, months=15, seed=7)
    assert not other["outcome"].equals(small["outcome"])


def test_shape(big):
    assert list(big.columns) == ["account_id", "date", "outcome", "arr"]
    assert big["account_id"].is_unique
    assert set(big["outcome"]) == set(OUTCOMES)
    months = pd.PeriodIndex(big["date"].str[:7], freq="M")
    assert months.min() >= pd.Period("2026-10", freq="M") - (RENEWAL_WINDOW - 1)
    assert months.max() <= pd.Period("2026-10", freq="M")
    assert pd.to_datetime(big["date"], format="%Y-%m-%d").notna().all()
    arr = generate_accounts(2000, seed=42).to_pandas().set_index("account_id")["arr"]
    assert np.allclose(big["arr"].to_numpy(), arr.loc[big["account_id"]].to_numpy())
    shares = big["outcome"].value_counts(normalize=True)
    assert 0.07 < shares["churned"] < 0.14 and 0.08 < shares["contracted"] < 0.16


def _two_proportion_z(bad_a: int, n_a: int, bad_b: int, n_b: int) -> float:
    pooled = (bad_a + bad_b) / (n_a + n_b)
    return (bad_a / n_a - bad_b / n_b) / math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))


def test_low_latent_adoption_churns_more(big):
    truth = latent_adoption(accounts=2000, months=15, seed=42)
    truth = truth[(truth["use_case"] != "security") | truth["ultimate"]]
    mean_z = truth.groupby(["account_id", "period"])["z"].mean().rename("z").reset_index()
    lead = (pd.PeriodIndex(big["date"].str[:7], freq="M") - LEAD_MONTHS).astype(str)
    joined = big.assign(period=lead).merge(mean_z, on=["account_id", "period"], how="left")
    assert joined["z"].notna().all()
    is_bad = joined["outcome"].isin(BAD)
    low = joined["z"] < joined["z"].median()
    z = _two_proportion_z(int(is_bad[low].sum()), int(low.sum()), int(is_bad[~low].sum()), int((~low).sum()))
    assert z > 4, "accounts below the median latent adoption must have clearly more bad outcomes"
    expanded = joined["outcome"] == "expanded"
    assert expanded[~low].mean() > expanded[low].mean()
    trajectory = truth.drop_duplicates("account_id").set_index("account_id")["trajectory"]
    joined["trajectory"] = joined["account_id"].map(trajectory)
    falling = joined["trajectory"].isin(["declining", "drop"])
    growing = joined["trajectory"] == "growing"
    assert is_bad[falling].mean() > is_bad[growing].mean()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    usage = generate_usage(accounts=300, months=10, seed=42).to_pandas()
    outcomes = generate_outcomes(accounts=300, months=10, seed=42)
    path = Path(tmp_path_factory.mktemp("outcomes")) / "outcomes.csv"
    outcomes.to_csv(path, index=False)
    return usage, outcomes, backtest(usage, ["gitlab"], path, months_before=3)


def test_backtest_on_demo_sees_the_truth(demo):
    usage, outcomes, result = demo
    overall = adoptscore.score(usage, "gitlab").overall
    period = (pd.PeriodIndex(outcomes["date"].str[:7], freq="M") - 3).astype(str)
    joined = outcomes.assign(period=period).merge(overall[["account_id", "period", "score", "color"]],
                                                  on=["account_id", "period"], how="left")
    scored = joined[joined["score"].notna()]
    is_bad = scored["outcome"].isin(BAD).to_numpy()
    expected_auc = roc_auc_score(is_bad, -scored["score"].to_numpy())
    main = result.rubrics[0].main
    assert main.auc == pytest.approx(expected_auc)
    assert main.scored == len(scored)
    # Hanley & McNeil standard error: the AUC must be above chance by more than three of them
    a, n_bad, n_good = expected_auc, int(is_bad.sum()), int((~is_bad).sum())
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    se = math.sqrt((a * (1 - a) + (n_bad - 1) * (q1 - a * a) + (n_good - 1) * (q2 - a * a)) / (n_bad * n_good))
    assert main.auc > 0.5 + 3 * se
    rates = {r.category: r for r in main.rates}
    for color in ("red", "yellow", "green"):
        subset = scored[scored["color"] == color]
        assert rates[color].n == len(subset)
        assert rates[color].bad == int(subset["outcome"].isin(BAD).sum())
    assert rates["red"].rate > rates["green"].rate
    assert rates["no_score"].n == int(joined["score"].isna().sum())
    assert len(result.rubrics[0].unmatched) == rates["no_score"].n
