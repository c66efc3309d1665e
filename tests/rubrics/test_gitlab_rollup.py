"""The bundled gitlab-rollup rubric: the gitlab rubric's scores for one-instance accounts, and
GitLab's roll-up (primary production instance per subscription, ARR-weighted raw values) worked
by hand for a two-subscription account."""
from __future__ import annotations

import pandas as pd
import pytest

import adoptscore
from adoptscore.demo import generate_usage


def test_one_instance_accounts_score_as_with_the_gitlab_rubric():
    usage = generate_usage(accounts=80, months=2, seed=3).to_pandas()
    plain = adoptscore.score(usage, "gitlab")
    instances = usage.assign(instance_id=usage["account_id"] + "-prod", subscription_id=usage["account_id"] + "-s",
                             instance_type="production")
    rolled = adoptscore.score(instances, "gitlab-rollup")
    for table in ("use_cases", "overall"):
        a = getattr(plain, table).drop(columns=["rubric", "rubric_version"])
        b = getattr(rolled, table).drop(columns=["rubric", "rubric_version"])
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b[a.columns].reset_index(drop=True))


def test_two_subscriptions_weighted_by_arr_by_hand():
    base = generate_usage(accounts=1, months=1, seed=3).to_pandas().iloc[0].to_dict()

    def row(instance, subscription, kind, arr, billable, git_ops):
        return {**base, "instance_id": instance, "subscription_id": subscription, "instance_type": kind, "arr": arr,
                "billable_users": billable, "licensed_users": 1000, "git_ops_users_l28d": git_ops}

    rows = [row("i1", "s1", "production", 100_000, 100, 20),     # 20%
            row("i2", "s1", "staging", 100_000, 500, 500),       # bigger, but staging: not primary
            row("i3", "s2", "production", 300_000, 200, 100)]    # 50%
    result = adoptscore.score(pd.DataFrame(rows), "gitlab-rollup")
    scm = result.metrics.set_index("metric").loc["git_ops_utilization"]
    # (100k x 20% + 300k x 50%) / 400k = 42.5% > 33%: Green (reference, sections 1 and 2)
    assert scm["value"] == pytest.approx(0.425) and scm["color"] == "green"
