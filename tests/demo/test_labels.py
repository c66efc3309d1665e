"""The demo's account-owner labels: deterministic, stratified, moved away from the truth on purpose,
and validate on the demo agrees clearly above chance but not perfectly."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.demo.labels import LABEL_USE_CASES, generate_labels
from adoptscore.demo.truth import latent_adoption, latent_color
from adoptscore.lifecycle.agreement import ORDER
from adoptscore.lifecycle.validate import validate

END = "2026-10"
RANK = {"red": 0, "yellow": 1, "green": 2}


@pytest.fixture(scope="module")
def labels() -> pd.DataFrame:
    return generate_labels()


@pytest.fixture(scope="module")
def usage():
    return generate_usage()


@pytest.fixture(scope="module")
def with_truth(labels) -> pd.DataFrame:
    truth = latent_adoption()
    end = truth[truth["months_back"] == 0][["account_id", "use_case", "z", "tier", "active"]]
    merged = labels.merge(end, on=["account_id", "use_case"], how="left", validate="one_to_one")
    merged["truth"] = latent_color(merged["z"])
    merged["moved"] = merged["truth"] != merged["expected_color"]
    return merged


def test_deterministic(labels):
    again = generate_labels()
    pd.testing.assert_frame_equal(labels, again)
    other = generate_labels(seed=7)
    assert not other[["account_id", "use_case"]].equals(labels[["account_id", "use_case"]])


def test_shape(labels):
    assert list(labels.columns) == ["account_id", "period", "use_case", "expected_color", "note"]
    assert set(labels["period"]) == {END}
    counts = labels.groupby("use_case").size()
    assert set(counts.index) == set(LABEL_USE_CASES) and (counts == 20).all()
    assert not labels.duplicated(["account_id", "use_case"]).any()
    for use_case, group in labels.groupby("use_case"):
        assert set(group["expected_color"]) == set(ORDER), use_case


def test_stratified_on_the_truth(with_truth):
    assert with_truth["active"].all()
    for use_case, group in with_truth.groupby("use_case"):
        spread = group["truth"].value_counts()
        assert set(spread.index) == set(ORDER), use_case
        assert spread.min() >= 5, (use_case, spread.to_dict())  # ~20/3 each where the population allows


def test_security_only_for_ultimate_and_license_after_month_three(with_truth, usage):
    security = with_truth[with_truth["use_case"] == "security"]
    assert security["tier"].str.lower().str.contains("ultimate").all()
    rows = usage.to_pandas()
    rows = rows[rows["period"] == END].set_index("account_id")
    licensed = with_truth[with_truth["use_case"] == "license"]["account_id"]
    assert (rows.loc[licensed, "account_age_months"] >= 3).all()
    assert (rows.loc[with_truth["account_id"].unique(), "licensed_users"] > 0).all()


def test_moved_labels(with_truth):
    # round(0.15 x 20) = 3 labels per use case are moved one step from the truth, each with a CSM note
    moved = with_truth[with_truth["moved"]]
    assert (moved.groupby("use_case").size() == 3).all() and len(moved) == 3 * len(LABEL_USE_CASES)
    steps = (moved["expected_color"].map(RANK) - moved["truth"].map(RANK)).abs()
    assert (steps == 1).all()
    assert moved["note"].str.startswith("CSM: ").all()
    kept = with_truth[~with_truth["moved"]]
    assert not kept["note"].fillna("").str.startswith("CSM: ").any()


def test_no_disagreement_share_gives_the_truth():
    clean = generate_labels(accounts=600, months=6, per_use_case=9, disagree=0.0)
    truth = latent_adoption(accounts=600, months=6)
    end = truth[truth["months_back"] == 0]
    merged = clean.merge(end, on=["account_id", "use_case"])
    assert (merged["expected_color"] == latent_color(merged["z"])).all()


def test_validate_on_the_demo(labels, usage, with_truth):
    # the labelled accounts' scores, once: validate reads them; the check below joins and counts them itself
    result = adoptscore.score(usage, "gitlab", accounts=sorted(labels["account_id"].unique()), periods=[END])
    v = validate(result, None, labels)

    # the same agreement computed independently: join the labels to the scores, count, sklearn
    scored = result.use_cases
    joined = labels.merge(scored[["account_id", "period", "use_case", "color"]],
                          on=["account_id", "period", "use_case"], how="left", validate="one_to_one")
    compared = joined.dropna(subset=["color"])
    assert v.total.labels == len(labels)
    assert v.total.compared == len(compared)
    assert v.total.agreeing == int((compared["color"] == compared["expected_color"]).sum())
    assert v.total.kappa.value == pytest.approx(
        cohen_kappa_score(compared["expected_color"], compared["color"], labels=list(ORDER)))
    assert v.total.linear.value == pytest.approx(
        cohen_kappa_score(compared["expected_color"], compared["color"], labels=list(ORDER), weights="linear"))
    for a in v.use_cases:
        part = compared[compared["use_case"] == a.use_case]
        assert a.agreeing == int((part["color"] == part["expected_color"]).sum()), a.use_case

    # clearly above chance: the observed agreement beats agreement from the marginals alone
    p_expected = compared["expected_color"].value_counts(normalize=True)
    p_scored = compared["color"].value_counts(normalize=True)
    chance = sum(p_expected.get(c, 0.0) * p_scored.get(c, 0.0) for c in ORDER)
    assert v.total.rate > chance + 0.2, (v.total.rate, chance)
    assert v.total.kappa.value > 0.3

    # the scores follow the truth, so labels moved away from it agree far less than the others
    outcome = with_truth.merge(compared[["account_id", "use_case", "color"]], on=["account_id", "use_case"])
    agree = outcome["color"] == outcome["expected_color"]
    moved_rate, kept_rate = agree[outcome["moved"]].mean(), agree[~outcome["moved"]].mean()
    assert kept_rate > moved_rate + 0.25, (kept_rate, moved_rate)
    # ... and not perfectly: every moved label scored as the truth says is a disagreement
    missed = outcome[outcome["moved"] & (outcome["color"] == outcome["truth"])]
    assert len(missed) > 0 and v.total.rate <= 1 - len(missed) / v.total.compared
    flagged = {(d.label.account_id, d.label.use_case) for d in v.disagreements}
    assert set(zip(missed["account_id"], missed["use_case"], strict=True)) <= flagged
    assert np.isfinite([a.rate for a in v.use_cases if a.rate is not None]).all()
