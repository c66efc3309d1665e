"""Scoring invariants, checked with Hypothesis on the bundled gitlab rubric."""
from __future__ import annotations

import random

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SCANS, score_rows, usage_row

# Columns that only ever appear in numerators (or grow their ratio): more of them is better.
IMPROVABLE = ["git_ops_users_l28d", "unique_active_users_l28d", "ci_builds_l28d", "deployment_users_l28d",
              "deployments_l28d", "successful_deployments_l28d", "secure_scanner_users_l28d", *SCANS]
INPUTS = [*IMPROVABLE, "billable_users", "failed_deployments_l28d", "ci_internal_pipelines_l28d"]

count = st.one_of(st.none(), st.integers(min_value=-4, max_value=-1), st.integers(min_value=0, max_value=5000))
row_values = st.fixed_dictionaries({c: count for c in INPUTS}, optional={
    "tier": st.sampled_from(["SaaS - Ultimate", "Self-Managed - Premium", None]),
    "account_age_months": st.one_of(st.none(), st.integers(min_value=0, max_value=40)),
    "licensed_users": st.integers(min_value=1, max_value=5000),
})
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCORE_TABLES = ("use_cases", "overall")


def _rows(values: list[dict]) -> list[dict]:
    return [usage_row(f"a{i:03d}", **v) for i, v in enumerate(values)]


@SETTINGS
@given(st.lists(row_values, min_size=1, max_size=12))
def test_scores_stay_within_the_points_range_and_colors_follow_scores(values):
    result = score_rows(_rows(values))
    for table in SCORE_TABLES:
        df = getattr(result, table)
        scored = df[df["score"].notna()]
        assert ((scored["score"] >= 25 - 1e-9) & (scored["score"] <= 88 + 1e-9)).all()
        expected = scored["score"].round(9).map(lambda s: "red" if s <= 50 else "yellow" if s <= 75 else "green")
        assert (scored["color"] == expected).all()
        assert df.loc[df["score"].isna(), "color"].isna().all()
    metrics = result.metrics
    assert (metrics["status"] == "scored").eq(metrics["color"].notna()).all()


@SETTINGS
@given(st.lists(row_values, min_size=1, max_size=8), st.data())
def test_a_better_metric_value_never_lowers_a_score(values, data):
    improved = []
    for v in values:
        better = dict(v)
        present = [c for c in IMPROVABLE if isinstance(v.get(c), int) and v[c] >= 0]
        for column in data.draw(st.lists(st.sampled_from(present), unique=True, max_size=3)) if present else []:
            better[column] = v[column] + data.draw(st.integers(min_value=1, max_value=5000))
        improved.append(better)
    base = score_rows(_rows(values))
    up = score_rows(_rows(improved))
    for table in SCORE_TABLES:
        keys = ["account_id", "use_case"] if table == "use_cases" else ["account_id"]
        joined = getattr(base, table).merge(getattr(up, table), on=keys, suffixes=("_base", "_up"))
        both = joined[joined["score_base"].notna()]
        assert both["score_up"].notna().all()
        assert (both["score_up"] >= both["score_base"] - 1e-9).all(), both[keys + ["score_base", "score_up"]]


@SETTINGS
@given(st.lists(row_values, min_size=2, max_size=12), st.randoms(use_true_random=False))
def test_shuffling_rows_never_changes_results(values, rnd: random.Random):
    rows = _rows(values)
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    a, b = score_rows(rows), score_rows(shuffled)
    for table in ("metrics", "use_cases", "overall"):
        pd.testing.assert_frame_equal(getattr(a, table), getattr(b, table))


@SETTINGS
@given(st.lists(st.sampled_from(["SaaS - Ultimate", "SaaS - Premium", None]), min_size=1, max_size=5))
def test_an_account_with_no_data_gets_no_score(tiers):
    empty = {c: None for c in INPUTS}
    result = score_rows([usage_row(f"a{i}", tier=t, **empty) for i, t in enumerate(tiers)])
    assert result.overall["score"].isna().all() and result.overall["color"].isna().all()
    assert result.use_cases["score"].isna().all()
    assert set(result.use_cases["status"]) <= {"no_data", "not_applicable"}
    # License utilization still has billable -> it is no data, never red
    assert (result.overall["adopted_use_cases"] == 0).all()
