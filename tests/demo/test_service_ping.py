"""The demo Service Ping payloads: their shape, their messiness, and that they carry the population's truth."""
from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest
from scipy.stats import spearmanr

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.demo.service_ping import (
    BLEND,
    EXTENDED_USE_CASES,
    HEALTHY_Z,
    OWN,
    demo_instances,
    extended_truth,
    generate_payloads,
    healthy_instances,
    release_index,
    version_text,
    write_payloads,
)
from adoptscore.demo.truth import latent_adoption
from adoptscore.ingest.mapping import parse_version
from adoptscore.ingest.service_ping import ingest_payloads, read_payloads

ACCOUNTS, MONTHS = 40, 4


@pytest.fixture(scope="module")
def payloads():
    return list(generate_payloads(ACCOUNTS, MONTHS, seed=7))


def leaves(node) -> int:
    return sum(leaves(v) if isinstance(v, dict) else 1 for v in node.values())


def get(payload, path):
    node = payload
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def test_deterministic(payloads):
    again = list(generate_payloads(ACCOUNTS, MONTHS, seed=7))
    assert [n for n, _ in again] == [n for n, _ in payloads]
    assert json.dumps(again[5][1]) == json.dumps(payloads[5][1])
    other = list(generate_payloads(ACCOUNTS, MONTHS, seed=8))
    assert json.dumps(other[5][1]) != json.dumps(payloads[5][1])


def test_service_ping_shape(payloads):
    _, p = payloads[-1]
    for key in ("uuid", "recorded_at", "version", "edition", "license_user_count", "license_plan",
                "counts", "counts_monthly", "usage_activity_by_stage", "usage_activity_by_stage_monthly",
                "redis_hll_counters", "settings"):
        assert key in p, key
    assert isinstance(p["usage_activity_by_stage_monthly"]["create"], dict)
    assert all(isinstance(v, dict) for v in p["redis_hll_counters"].values())
    sizes = [leaves(p) for _, p in payloads]
    assert 1800 <= np.median(sizes) <= 2400, np.median(sizes)  # about 2,000 metrics per payload
    assert len(json.dumps(p)) > 40_000


def test_old_versions_send_fewer_keys(payloads):
    by_release = sorted(payloads, key=lambda item: parse_version(item[1]["version"]))
    oldest, newest = by_release[0][1], by_release[-1][1]
    assert parse_version(oldest["version"]) < parse_version(newest["version"])
    assert leaves(oldest) < leaves(newest)


def test_keys_appear_with_their_versions(payloads):
    seen = Counter()
    for _, p in payloads:
        version = parse_version(p["version"])
        has_billable = "license_billable_users" in p
        assert has_billable == (version >= (14, 0, 0)), p["version"]
        if get(p, "redis_hll_counters.manage.unique_active_users_monthly") is not None:
            assert version >= (15, 2, 0)
        new_ci = get(p, "counts.count_total_create_ci_build_monthly") is not None
        old_ci = get(p, "counts_monthly.ci_builds") is not None
        assert not (new_ci and old_ci)
        assert not new_ci or version >= (16, 10, 0)
        assert not old_ci or version < (16, 10, 0)
        assert ("license_md5" in p) == (version < (16, 2, 0)), p["version"]  # removed in 16.2
        assert ("license_sha256" in p) == (version >= (15, 2, 0)), p["version"]
        assert get(p, "counts.projects_enforcing_code_owner_approval") is None  # not a GitLab key
        seen["old"] += version < (14, 0, 0)
        seen["new_ci"] += new_ci
        seen["old_ci"] += old_ci
    assert seen["new_ci"] and seen["old_ci"]


def test_versions_follow_the_release_calendar():
    assert version_text(release_index("2024-02")) == "16.9.0-ee"
    assert version_text(release_index("2024-03")) == "16.10.0-ee"
    assert version_text(release_index("2021-05")) == "14.0.0-ee"
    assert version_text(-3) == "13.0.0-ee"


def test_failure_codes_and_weekly_payloads(payloads):
    negatives = sum(1 for _, p in payloads for section in ("counts", "counts_monthly")
                    for v in p.get(section, {}).values() if isinstance(v, int) and v < 0)
    assert negatives > 0
    weekly = [(n, p) for n, p in payloads if n.endswith("-week.json")]
    assert weekly
    name, early = weekly[0]
    later = dict(payloads)[name.replace("-week.json", ".json")]
    assert early["uuid"] == later["uuid"] and early["recorded_at"] < later["recorded_at"]
    assert early["recorded_at"][:7] == later["recorded_at"][:7]


def test_several_instances_per_customer_share_the_subscription():
    instances = demo_instances(300, seed=3)
    per_account = instances.groupby("account_id").size()
    assert set(per_account) <= {1, 2, 3} and (per_account > 1).mean() > 0.25
    assert (instances.groupby("account_id")["license_subscription_id"].nunique() == 1).all()
    assert instances["instance_id"].is_unique and instances["license_md5"].is_unique
    assert (instances.loc[instances["instance_no"] == 0, "share"] == 1.0).all()
    assert (instances.loc[instances["instance_no"] > 0, "share"] < 0.3).all()


def test_the_production_instance_carries_the_customers_usage_row(payloads):
    usage = generate_usage(ACCOUNTS, MONTHS, seed=7).to_pandas().set_index(["account_id", "period"])
    instances = demo_instances(ACCOUNTS, seed=7)
    production = instances[instances["instance_no"] == 0].set_index("instance_id")["account_id"]
    rows = ingest_payloads(payloads).table.to_pandas()
    rows = rows[rows["instance_id"].isin(production.index)]
    assert len(rows) == len(usage)
    compared = 0
    for row in rows.itertuples():
        expected = usage.loc[(production[row.instance_id], row.period)]
        for column in ("licensed_users", "git_ops_users_l28d", "ci_builds_l28d", "deployments_l28d",
                       "sast_scans_l28d", "account_age_months"):
            want, got = expected[column], getattr(row, column)
            if want is None or np.isnan(want) or want < 0:
                assert got is None or np.isnan(got), (row.instance_id, column)
            else:
                assert got == want, (row.instance_id, row.period, column)
                compared += 1
        if parse_version(row.gitlab_version) >= (14, 0, 0) and expected["billable_users"] >= 0:
            assert row.billable_users == expected["billable_users"]
    assert compared > 500


def test_extended_truth_is_the_documented_blend():
    core = latent_adoption(30, 3, 5).pivot(index=["account_id", "period"], columns="use_case", values="z")
    ext = extended_truth(30, 3, 5).pivot(index=["account_id", "period"], columns="use_case", values="z")
    for use_case in EXTENDED_USE_CASES:
        (first, w1), (second, w2) = BLEND[use_case]
        own = (ext[use_case] - w1 * core[first] - w2 * core[second]) / OWN
        # the own part is the account's: the same in every period
        assert (own.groupby(level="account_id").std() < 1e-9).all()
        assert 0.5 < own.groupby(level="account_id").first().std() < 1.6


def test_healthy_instances_come_from_the_truth():
    ids = healthy_instances(200, 8, seed=11)
    assert ids
    instances = demo_instances(200, seed=11).set_index("instance_id")
    accounts = set(instances.loc[ids, "account_id"])
    truth = extended_truth(200, 8, seed=11)
    recent = truth[(truth["months_back"] < 6) & truth["account_id"].isin(accounts)]
    assert (recent["z"] > HEALTHY_Z).all()
    assert set(recent["trajectory"]) <= {"flat", "growing"}
    # every instance of a healthy customer is in the cohort
    assert set(instances.index[instances["account_id"].isin(accounts)]) == set(ids)


@pytest.fixture(scope="module")
def scored_population():
    accounts, months = 150, 6
    ingest = ingest_payloads(generate_payloads(accounts, months, seed=21, filler=False))
    result = adoptscore.score(ingest.table, "gitlab-extended")
    truth = extended_truth(accounts, months, seed=21)
    instances = demo_instances(accounts, seed=21)
    # GitLab scores a customer by its production instance; small staging instances are mostly noise
    production = instances[instances["instance_no"] == 0].set_index("instance_id")["account_id"]
    return result.use_cases, truth, production


@pytest.mark.parametrize("use_case", EXTENDED_USE_CASES)
def test_extended_scores_follow_the_hidden_truth(scored_population, use_case):
    use_cases, truth, instances = scored_population
    scores = use_cases[(use_cases["use_case"] == use_case) & (use_cases["status"] == "scored")
                       & use_cases["account_id"].isin(instances.index)].copy()
    scores["customer"] = scores["account_id"].map(instances)
    z = truth[truth["use_case"] == use_case].set_index(["account_id", "period"])["z"]
    scores["z"] = [z[(c, p)] for c, p in zip(scores["customer"], scores["period"])]
    assert len(scores) > 500
    rho = spearmanr(scores["z"], scores["score"]).statistic
    assert rho > 0.5, rho


def test_write_payloads_writes_whole_files(tmp_path):
    count = write_payloads(tmp_path / "out", accounts=5, months=2, seed=1, limit=7)
    files = sorted((tmp_path / "out").iterdir())
    assert count == 7 and len(files) == 7 and not [f for f in files if f.name.startswith(".")]
    result = read_payloads(tmp_path / "out")
    assert result.payloads == 7 and not result.skipped
