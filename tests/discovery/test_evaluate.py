"""metrics evaluate: on the demo data (whose adoption truth is known) and on the real Innovation Graph.

Figures are recomputed here with numpy, pandas and scikit-learn from the input files, never read
from the evaluation's own intermediate tables.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn.metrics import roc_auc_score

import adoptscore
from adoptscore.demo.cohort import CORE
from adoptscore.demo.noise import NOISE_COLUMNS, with_noise_columns
from adoptscore.discovery.draft import draft_yaml, propose
from adoptscore.discovery.evaluate import evaluate_metrics
from adoptscore.errors import DataError

LONG = Path(adoptscore.__file__).parent / "rubrics" / "data" / "innovationgraph-long.csv"
EU = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
      "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("adoptscore")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=cwd, timeout=600,
                          env={**os.environ, "COLUMNS": "200"})


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo (usage with noise counters added, healthy cohort, outcomes), as adoptscore demo writes them."""
    folder = tmp_path_factory.mktemp("discovery")
    done = cli("demo", "--out", "d", "--accounts", "800", "--months", "12", cwd=folder)
    assert done.returncode == 0, done.stderr
    d = folder / "d"
    usage = with_noise_columns(pd.read_parquet(d / "usage.parquet"))
    usage.to_parquet(d / "usage-noise.parquet")
    return d, usage


@pytest.fixture(scope="module")
def by_cohort(demo):
    d, usage = demo
    return evaluate_metrics(usage, cohort=d / "healthy-accounts.csv")


@pytest.fixture(scope="module")
def by_outcomes(demo):
    d, usage = demo
    return evaluate_metrics(usage, outcomes=d / "outcomes.csv")


def adoption_columns(use_cases) -> set[str]:
    """The counters the demo generator derives from the adoption of ``use_cases``: the single-column
    numerators of the bundled rubric's metrics there (a sum of seven scanners' counts is left out:
    each rare scanner alone carries little)."""
    rubric = adoptscore.load_rubric("gitlab")
    return {m.numerator for u, m in rubric.metrics if u.id in use_cases and len(m.numerator_expression.columns) == 1}


# the truth behind each kind of evidence: the healthy cohort is picked on the core use cases and CD
# (adoptscore.demo.cohort), outcomes follow the mean adoption over every use case (demo.outcomes)
EVIDENCE = {"by_cohort": (*CORE, "cd"), "by_outcomes": ("scm", "ci", "cd", "security", "license", "engagement")}


@pytest.mark.parametrize("evidence", sorted(EVIDENCE))
def test_adoption_metrics_rank_above_the_noise_and_noise_is_never_proposed(evidence, request):
    e = request.getfixturevalue(evidence)
    columns = adoption_columns(EVIDENCE[evidence])
    assert len(columns) >= 6
    rank = {c.id: i for i, c in enumerate(e.candidates)}
    noise = [c for c in e.candidates if c.numerator in NOISE_COLUMNS]
    assert len(noise) == len(NOISE_COLUMNS) * (1 + len(e.denominators))
    best_noise = min(rank[c.id] for c in noise)
    # the best candidate of every adoption counter the generator drives is above every noise candidate
    for column in sorted(columns):
        best = min(rank[c.id] for c in e.candidates if c.numerator == column)
        assert best < best_noise, (column, best, best_noise, e.candidates[best_noise].id)
    assert not any(c.strong and c.eligible for c in noise)
    proposed = [c for cs in propose(e).values() for c in cs]
    assert proposed and not any(c.numerator in NOISE_COLUMNS for c in proposed)
    assert all(1 <= len(cs) <= 7 for cs in propose(e).values())


def test_the_figures_are_what_numpy_and_scikit_learn_compute(demo, by_cohort, by_outcomes):
    d, usage = demo
    latest = usage[usage["period"] == usage["period"].max()]
    latest = latest[latest["licensed_users"] > 0]  # the rubric's scope
    healthy = set(pd.read_csv(d / "healthy-accounts.csv")["account_id"])
    c = by_cohort.candidate("git_ops_users_l28d_per_licensed_users")
    num = latest["git_ops_users_l28d"].astype(float)
    value = (num.where(num >= 0) / latest["licensed_users"]).to_numpy()
    have = ~np.isnan(value)
    assert by_cohort.accounts == len(latest)
    assert c.reporting == pytest.approx(have.mean())
    assert c.failure_rate == pytest.approx((num < 0).mean())
    assert c.quantiles["p25"] == pytest.approx(np.quantile(value[have], 0.25))
    assert c.quantiles["p75"] == pytest.approx(np.quantile(value[have], 0.75))
    member = latest["account_id"].isin(healthy).to_numpy()
    assert c.cohort.value == pytest.approx(roc_auc_score(member[have], value[have]))

    # outcomes: each outcome against the account's last usage row in an earlier month
    outcomes = pd.read_csv(d / "outcomes.csv")
    outcomes = outcomes[outcomes["outcome"].isin(["renewed", "expanded", "churned", "contracted"])]
    rows = usage[usage["licensed_users"] > 0]
    pairs = []
    for record in outcomes.itertuples():
        before = rows[(rows["account_id"] == record.account_id) & (rows["period"] < str(record.date)[:7])]
        if len(before):
            last = before.sort_values("period").iloc[-1]
            n = float(last["git_ops_users_l28d"])
            pairs.append((n / last["licensed_users"] if n >= 0 else np.nan, record.outcome in ("renewed", "expanded")))
    values = np.array([v for v, _ in pairs])
    good = np.array([g for _, g in pairs])
    keep = ~np.isnan(values)
    o = by_outcomes.candidate("git_ops_users_l28d_per_licensed_users").outcomes
    assert by_outcomes.outcomes_used == len(pairs)
    assert o.value == pytest.approx(roc_auc_score(good[keep], values[keep]))


def test_a_ratio_that_only_measures_its_denominator_is_not_eligible(by_outcomes):
    # noise / licensed users carries 1 / licensed users, i.e. account size: it must not pass for adoption
    for c in by_outcomes.candidates:
        if c.numerator in NOISE_COLUMNS and c.denominator and c.strong:
            assert c.denominator_explains and not c.eligible, c.id


def test_the_draft_is_a_rubric_lint_accepts_and_the_report_is_written(demo, tmp_path):
    d, _ = demo
    done = cli("metrics", "evaluate", str(d / "usage-noise.parquet"), "--cohort", str(d / "healthy-accounts.csv"),
               "--outcomes", str(d / "outcomes.csv"), "--draft", "draft.yaml", "--json", "m.json", "--html", "m.html",
               cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Proposed metrics per use case" in done.stdout and "Traceback" not in done.stderr
    linted = cli("lint", "draft.yaml", "--data", str(d / "usage-noise.parquet"), cwd=tmp_path)
    assert linted.returncode == 0 and "0 error(s)" in linted.stdout, linted.stdout + linted.stderr
    document = yaml.safe_load((tmp_path / "draft.yaml").read_text())
    report = json.loads((tmp_path / "m.json").read_text())
    drafted = {u["id"]: [m["id"] for m in u["metrics"]] for u in document["use_cases"]}
    assert drafted == report["proposal"]
    html = (tmp_path / "m.html").read_text()
    assert "<svg" in html and "Proposed metrics per use case" in html
    # the draft scores the data
    scored = cli("score", str(d / "usage-noise.parquet"), "--rubric", "draft.yaml", cwd=tmp_path)
    assert scored.returncode == 0, scored.stderr


def test_bad_input_is_one_located_line_and_writes_nothing(demo, tmp_path):
    d, _ = demo
    done = cli("metrics", "evaluate", str(d / "usage.parquet"), "--denominator", "seats", "--draft", "x.yaml",
               cwd=tmp_path)
    assert done.returncode == 2 and "seats" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.yaml").exists()
    bad = tmp_path / "cohort.csv"
    bad.write_text("id\nA1\n")
    done = cli("metrics", "evaluate", str(d / "usage.parquet"), "--cohort", str(bad), cwd=tmp_path)
    assert done.returncode == 2 and "cohort.csv" in done.stderr and "account_id" in done.stderr
    with pytest.raises(DataError, match="period '1999-01'"):
        evaluate_metrics(d / "usage.parquet", period="1999-01")


def test_without_evidence_the_report_says_the_ranking_rests_on_availability(demo):
    _, usage = demo
    e = evaluate_metrics(usage)
    assert not e.has_evidence
    assert any("no --cohort or --outcomes" in w for w in e.report().warnings)


def test_the_real_innovation_graph_report_runs_and_its_figures_hold(tmp_path):
    cohort = tmp_path / "eu.csv"
    cohort.write_text("account_id\n" + "\n".join(EU) + "\n")
    e = evaluate_metrics(LONG, rubric="innovation-graph", cohort=cohort)
    raw = pd.read_csv(LONG, keep_default_na=False)  # "NA" is Namibia, not a missing value
    wide = raw.pivot_table(index=["economy", "period"], columns="metric", values="value", aggfunc="max").reset_index()
    wide = wide[wide["economy"] != "EU"]  # the rubric's scope
    latest = wide[wide["period"] == wide["period"].max()]
    assert e.period == latest["period"].iloc[0] and e.accounts == len(latest)
    c = e.candidate("git_pushes_per_developers")
    pushes, devs = latest["git_pushes"].astype(float), latest["developers"].astype(float)
    value = (pushes.where(pushes >= 0) / devs.where(devs > 0)).to_numpy()
    have = ~np.isnan(value)
    assert c.reporting == pytest.approx(have.mean())  # suppressed values in the real data: not 100%
    assert c.reporting < 1.0
    assert c.quantiles["p50"] == pytest.approx(np.median(value[have]))
    member = latest["economy"].isin(EU).to_numpy()
    assert c.cohort.value == pytest.approx(roc_auc_score(member[have], value[have]))
    text = draft_yaml(e)
    assert adoptscore.Rubric.model_validate(yaml.safe_load(text)).name == "innovation-graph-discovered"
    report = e.report()
    assert report.sections and report.figures[0] == ("period", e.period)
