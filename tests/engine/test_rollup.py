"""The account roll-up (docs/rollup.md): hand-worked cases, properties, and an end-to-end check
against an independent pandas computation on multi-instance demo data."""
from __future__ import annotations

import math

import hypothesis.strategies as st
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

import adoptscore
from adoptscore.demo import generate_instance_usage
from adoptscore.errors import DataError, RubricError
from adoptscore.rubric.loader import loads_rubric
from tests.conftest import frame as gitlab_frame
from tests.conftest import usage_row
from tests.engine.rollup_support import (
    EXAMPLE,
    GITLAB_WEIGHTED,
    example,
    frame,
    gitlab_rollup,
    metric,
    score,
    unit,
    use_case,
)

ULTIMATE, PREMIUM = "Self-Managed - Ultimate", "Self-Managed - Premium"
SECURITY_RULE = "contains(lower(tier), 'ultimate')"


@pytest.fixture(scope="module")
def weighted():
    return example()


# -- weighting -------------------------------------------------------------------------------

def test_gitlab_example_two_subscriptions_weighted_by_arr(weighted):
    """ARR 100k at 20% and 300k at 50%: (0.2 * 100 + 0.5 * 300) / 400 = 0.425, Green (> 33%),
    although the smaller subscription alone is Yellow."""
    rows = [unit("i1", "s1", arr=100_000, git_ops_users=20), unit("i2", "s2", arr=300_000, git_ops_users=50)]
    got = metric(score(rows, weighted), "git_ops")
    assert got["value"] == pytest.approx(0.425, abs=1e-12)
    assert (got["status"], got["color"], got["points"]) == ("scored", "green", 88)
    # a value averaged over two subscriptions has no numerator/denominator of its own
    assert pd.isna(got["numerator"]) and pd.isna(got["denominator"])
    alone = metric(score(rows[:1], weighted), "git_ops")
    assert (alone["value"], alone["color"], alone["numerator"], alone["denominator"]) == (0.2, "yellow", 20, 100)


def test_bundled_gitlab_rubric_with_a_rollup_block():
    ids = {"instance_type": "production"}
    data = gitlab_frame([usage_row("acme", instance_id="i1", subscription_id="s1", arr=100_000, git_ops_users_l28d=200, **ids),
                         usage_row("acme", instance_id="i2", subscription_id="s2", arr=300_000, git_ops_users_l28d=500, **ids)])
    result = score(data, gitlab_rollup(**GITLAB_WEIGHTED))
    got = metric(result, "git_ops_utilization")
    assert got["value"] == pytest.approx(0.425, abs=1e-12) and got["color"] == "green"
    # every other metric is equal in both subscriptions: the average is that value
    assert metric(result, "user_engagement")["value"] == pytest.approx(0.6, abs=1e-12)


def test_zero_and_missing_weights_are_left_out(weighted):
    rows = [unit("i1", "s1", arr=0, git_ops_users=90), unit("i2", "s2", arr=None, git_ops_users=80),
            unit("i3", "s3", arr=-5, git_ops_users=70), unit("i4", "s4", arr=50_000, git_ops_users=30)]
    got = metric(score(rows, weighted), "git_ops")
    # only s4 has a positive weight: its value exactly, with its numbers
    assert (got["value"], got["numerator"], got["denominator"], got["color"]) == (0.3, 30, 100, "yellow")
    assert pd.isna(got["reason"])


def test_no_positive_weight_averages_equally_and_says_so(weighted):
    rows = [unit("i1", "s1", arr=0, git_ops_users=10), unit("i2", "s2", arr=None, git_ops_users=50)]
    got = metric(score(rows, weighted), "git_ops")
    assert got["value"] == pytest.approx(0.3, abs=1e-12)
    assert (got["status"], got["color"]) == ("scored", "yellow")
    assert got["reason"] == "equal weights: no subscription with data has a positive arr"
    assert pd.isna(got["numerator"])
    # one subscription: its value is the account's, whatever its weight, and nothing to note
    alone = metric(score(rows[1:], weighted), "git_ops")
    assert (alone["value"], alone["status"], alone["numerator"]) == (0.5, "scored", 50)
    assert pd.isna(alone["reason"])


def test_weighted_without_a_subscription_level_averages_every_instance():
    rubric = example(subscription=None, primary=None)
    rows = [unit("i1", "s1", arr=100_000, git_ops_users=20),
            unit("i2", "s1", arr=300_000, git_ops_users=50, instance_type="staging")]
    assert metric(score(rows, rubric), "git_ops")["value"] == pytest.approx(0.425, abs=1e-12)


def test_cap_applies_to_each_unit_before_averaging(weighted):
    rows = [unit("i1", "s1", ci_builds=50_000), unit("i2", "s2", ci_builds=1000)]  # 500 (capped to 100) and 10
    got = metric(score(rows, weighted), "builds")
    assert got["value"] == pytest.approx(55.0, abs=1e-12) and got["color"] == "green"


# -- the primary instance --------------------------------------------------------------------

# Each case: instances of one subscription as (id, type, billable users, licensed users); the
# instance whose Git-ops count (its number * 1) the account gets is the primary.
PRIMARY_CASES = {
    "production beats a bigger staging": ([("i1", "staging", 500, 500), ("i2", "production", 100, 100)], "i2"),
    "most billable users among production": ([("i1", "production", 100, 100), ("i2", "production", 300, 300),
                                              ("i3", "staging", 900, 900)], "i2"),
    "ties go to the lowest instance id": ([("i2", "production", 100, 100), ("i10", "production", 100, 100),
                                           ("i1", "production", 100, 100)], "i1"),
    "no production: most billable users": ([("i1", "staging", 10, 10), ("i2", "test", 40, 40)], "i2"),
    "unknown billable users rank last": ([("i1", "production", None, 100), ("i2", "production", 5, 5)], "i2"),
    "unknown type is not preferred": ([("i1", None, 900, 900), ("i2", "production", 5, 5)], "i2"),
    "out of scope never primary": ([("i1", "production", 900, 0), ("i2", "staging", 5, 5)], "i2"),
}


@pytest.mark.parametrize("case", list(PRIMARY_CASES))
@pytest.mark.parametrize("order", ["given", "reversed"])
def test_primary_instance(weighted, case, order):
    instances, expected = PRIMARY_CASES[case]
    rows = [unit(i, "s1", instance_type=kind, billable_users=billable, licensed_users=licensed,
                 git_ops_users=float(int(i[1:]))) for i, kind, billable, licensed in instances]
    if order == "reversed":
        rows = rows[::-1]
    got = metric(score(rows, weighted), "git_ops")
    assert got["numerator"] == int(expected[1:])


def test_strategy_primary_scores_the_primary_instance_as_its_own_account():
    rubric = example(strategy="primary", subscription=None, weight=None)
    rows = [unit("i1", "s1", instance_type="staging", billable_users=500, licensed_users=600, git_ops_users=400),
            unit("i2", "s2", billable_users=80, licensed_users=100, git_ops_users=30, tier=PREMIUM, segment="SMB"),
            unit("i3", "s3", billable_users=60, git_ops_users=55)]
    got = score(rows, rubric)
    alone = score([rows[1]], example(rollup=None))
    for table in ("metrics", "use_cases", "overall"):
        pd.testing.assert_frame_equal(got.table(table), alone.table(table))
    assert got.overall.loc[0, "segment"] == "SMB"


# -- no data, applicability ------------------------------------------------------------------

def test_a_unit_without_data_is_left_out_never_zero(weighted):
    rows = [unit("i1", "s1", arr=100_000, git_ops_users=None), unit("i2", "s2", arr=300_000, git_ops_users=50)]
    got = metric(score(rows, weighted), "git_ops")
    assert (got["value"], got["numerator"], got["denominator"]) == (0.5, 50, 100)


@pytest.mark.parametrize("first, second, reason", [
    ({"git_ops_users": None}, {"git_ops_users": None}, "numerator missing (git_ops_users)"),
    ({"billable_users": 0}, {"billable_users": 0}, "denominator is zero (billable_users)"),
    # the first reason in the usual precedence wins, whichever subscription has it
    ({"billable_users": 0}, {"git_ops_users": None}, "numerator missing (git_ops_users)"),
    ({"billable_users": None}, {"billable_users": 0}, "denominator missing (billable_users)"),
])
def test_no_unit_with_data_is_no_data(weighted, first, second, reason):
    result = score([unit("i1", "s1", **first), unit("i2", "s2", arr=300_000, **second)], weighted)
    got = metric(result, "git_ops")
    assert (got["status"], got["reason"]) == ("no_data", reason)
    assert pd.isna(got["value"]) and pd.isna(got["color"]) and pd.isna(got["points"])


def test_one_unit_without_data_keeps_its_numbers(weighted):
    """An account of one subscription shows its numbers even when they give no value, as without a roll-up."""
    got = metric(score([unit("i1", "s1", billable_users=0)], weighted), "git_ops")
    assert (got["status"], got["numerator"], got["denominator"]) == ("no_data", 20, 0)


def test_zero_denominator_policy_zero_counts_as_a_value(weighted):
    rows = [unit("i1", "s1", arr=100_000, billable_users=0), unit("i2", "s2", arr=300_000, scanner_users=20)]
    got = metric(score(rows, weighted), "scanners")
    assert got["value"] == pytest.approx(0.15, abs=1e-12) and got["color"] == "yellow"


def test_applicability_is_per_subscription(weighted):
    """Security applies to Ultimate subscriptions only: a Premium one is left out of the average."""
    rows = [unit("i1", "s1", arr=100_000, scanner_users=30), unit("i2", "s2", arr=300_000, scanner_users=0, tier=PREMIUM)]
    got = metric(score(rows, weighted), "scanners")
    assert (got["value"], got["color"], got["numerator"]) == (0.3, "green", 30)


@pytest.mark.parametrize("tiers, status, reason", [
    ((PREMIUM, "SaaS - Premium"), "not_applicable", f"not applicable: {SECURITY_RULE}"),
    ((None, PREMIUM), "no_data", f"applicability unknown: {SECURITY_RULE}"),
])
def test_use_case_applies_to_no_subscription(weighted, tiers, status, reason):
    rows = [unit("i1", "s1", tier=tiers[0]), unit("i2", "s2", tier=tiers[1])]
    result = score(rows, weighted)
    got = metric(result, "scanners")
    assert (got["status"], got["reason"]) == (status, reason)
    assert (use_case(result, "security")["status"], use_case(result, "security")["reason"]) == (status, reason)


def test_applying_subscription_without_data_gives_its_reason(weighted):
    rows = [unit("i1", "s1", scanner_users=None), unit("i2", "s2", arr=300_000, tier=PREMIUM)]
    got = metric(score(rows, weighted), "scanners")
    assert (got["status"], got["reason"]) == ("no_data", "numerator missing (scanner_users)")


def test_account_attributes_come_from_the_lead_subscription(weighted):
    """Segments and band-table keys are the highest-weight subscription's (ties: lowest id)."""
    young = {"account_age_months": 2, "segment": "SMB", "tier": ULTIMATE}
    old = {"account_age_months": 12, "segment": "Enterprise", "tier": PREMIUM}
    result = score([unit("i1", "s1", arr=100_000, **young), unit("i2", "s2", arr=300_000, **old)], weighted)
    assert tuple(result.overall.loc[0, ["segment", "tier"]]) == ("Enterprise", PREMIUM)
    assert metric(result, "license")["status"] == "scored"
    result = score([unit("i1", "s1", arr=300_000, **young), unit("i2", "s2", arr=100_000, **old)], weighted)
    assert tuple(result.overall.loc[0, ["segment", "tier"]]) == ("SMB", ULTIMATE)
    got = metric(result, "license")
    assert (got["status"], got["reason"]) == ("not_applicable", "not applicable: account_age_months < 3")
    result = score([unit("i2", "s2", **old), unit("i1", "s1", **young)], weighted)  # equal ARR
    assert result.overall.loc[0, "segment"] == "SMB"


def test_accounts_and_periods_stay_apart(weighted):
    rows = [unit("i1", "s1", git_ops_users=20), unit("i2", "s2", git_ops_users=60),
            unit("i1", "s1", account="beta", git_ops_users=50),
            unit("i1", "s1", git_ops_users=40) | {"period": "2026-09"}]
    result = score(rows, weighted)
    values = result.metrics[result.metrics["metric"] == "git_ops"].set_index(["account_id", "period"])["value"]
    assert values.to_dict() == pytest.approx({("acme", "2026-09"): 0.4, ("acme", "2026-10"): 0.4, ("beta", "2026-10"): 0.5})


# -- properties ------------------------------------------------------------------------------

COUNTS = st.one_of(st.none(), st.just(0.0), st.just(-1.0), st.integers(1, 400).map(float))


@st.composite
def instance_rows(draw, accounts: int = 6, max_instances: int = 4, single: bool = False):
    rows = []
    for a in range(draw(st.integers(1, accounts))):
        n = 1 if single else draw(st.integers(1, max_instances))
        for i in range(n):
            rows.append(unit(
                f"i{i}", f"s{draw(st.integers(0, 1 if single else 2))}", account=f"a{a}",
                instance_type=draw(st.sampled_from(["production", "staging", None])),
                tier=draw(st.sampled_from([ULTIMATE, PREMIUM, None])),
                arr=draw(st.one_of(st.none(), st.just(0.0), st.integers(1, 10).map(lambda k: k * 10_000.0))),
                account_age_months=draw(st.sampled_from([1.0, 5.0, 12.0, None])),
                licensed_users=draw(st.sampled_from([0.0, 100.0, 300.0])),
                billable_users=draw(COUNTS), git_ops_users=draw(COUNTS), ci_builds=draw(COUNTS),
                scanner_users=draw(COUNTS)))
    if all(r["licensed_users"] == 0 for r in rows):
        rows[0]["licensed_users"] = 100.0  # keep at least one row in scope
    return rows


PROPERTY = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _tables(result: adoptscore.ScoreResult) -> dict[str, pd.DataFrame]:
    """The wide result (every column the three tables are cut from, in one query: DuckDB plans the
    whole SQL for each query, so one query per scoring keeps the properties fast)."""
    wide = result.to_arrow("wide").to_pandas()
    return {"wide": wide.sort_values(["account_id", "period"]).reset_index(drop=True)}


@PROPERTY
@given(rows=instance_rows(single=True), strategy=st.sampled_from(["weighted", "primary"]))
def test_one_instance_per_account_scores_exactly_as_without_the_rollup(rows, strategy):
    rubric = example() if strategy == "weighted" else example(strategy="primary", subscription=None, weight=None)
    got, plain = _tables(score(rows, rubric)), _tables(score(rows, example(rollup=None)))
    for name in got:
        pd.testing.assert_frame_equal(got[name], plain[name], check_exact=True)


@PROPERTY
@given(rows=instance_rows(), seed=st.integers(0, 2**16))
def test_row_order_changes_nothing(rows, seed):
    shuffled = [rows[i] for i in np.random.default_rng(seed).permutation(len(rows))]
    a, b = _tables(score(rows, example())), _tables(score(shuffled, example()))
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=False, rtol=0, atol=1e-12)


@PROPERTY
@given(rows=instance_rows(max_instances=3))
def test_weighted_value_lies_between_the_units_values(rows):
    # one production instance per subscription, so each subscription's value is its own row's ratio
    seen: set[tuple[str, str]] = set()
    kept = []
    for row in rows:
        if (row["account_id"], row["subscription_id"]) not in seen and row["licensed_users"] > 0:
            seen.add((row["account_id"], row["subscription_id"]))
            kept.append({**row, "instance_type": "production"})
    if not kept:
        return
    result = score(kept, example())
    units = frame(kept)
    git_ops, billable = units["git_ops_users"].astype(float), units["billable_users"].astype(float)
    usable = (git_ops >= 0) & (billable > 0)
    units["ratio"] = (git_ops / billable).where(usable)
    bounds = units.groupby("account_id")["ratio"].agg(["min", "max"])
    got = result.metrics[result.metrics["metric"] == "git_ops"].set_index("account_id")
    for account, row in got.iterrows():
        low, high = bounds.loc[account]
        if pd.isna(row["value"]):
            assert pd.isna(low), (account, low)
        else:
            assert low - 1e-12 <= row["value"] <= high + 1e-12, (account, row["value"], low, high)


# -- end to end against pandas ---------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_instances() -> pd.DataFrame:
    return generate_instance_usage(accounts=120, months=3, seed=11).to_pandas()


@pytest.fixture(scope="module")
def demo_scored(demo_instances):
    return score(demo_instances, gitlab_rollup(**GITLAB_WEIGHTED))


def _expected_gitlab_rollup(data: pd.DataFrame) -> pd.DataFrame:
    """The roll-up computed independently in pandas from per-instance values.

    Per-instance values come from scoring each instance as its own account without a roll-up;
    the choice of primary instances, the weighting, the applicability and the banding at account
    level are done here.
    """
    gitlab = adoptscore.load_rubric("gitlab")
    per_instance = data.assign(account_id=data["instance_id"])
    values = adoptscore.score(per_instance, gitlab).metrics[["account_id", "period", "use_case", "metric", "value"]]
    values = values.rename(columns={"account_id": "instance_id"})
    rows = data[data["licensed_users"] > 0].copy()  # the rubric's scope
    rows["preferred"] = (rows["instance_type"] == "production").astype(int)
    rows["known"] = rows["billable_users"].notna().astype(int)
    rows = rows.sort_values(["preferred", "known", "billable_users", "instance_id"], ascending=[False, False, False, True],
                            na_position="last")
    primary = rows.drop_duplicates(["account_id", "subscription_id", "period"])
    primary = primary.assign(weight=primary["arr"].where(primary["arr"] > 0, 0.0).fillna(0.0))
    lead = primary.sort_values(["weight", "subscription_id"], ascending=[False, True]).drop_duplicates(["account_id", "period"])
    units = primary.merge(values, on=["instance_id", "period"])
    ultimate = units["tier"].str.lower().str.contains("ultimate").fillna(False).astype(bool)
    # applies_when, per subscription; an account of one subscription shows its value regardless
    alone = units.groupby(["account_id", "period"])["subscription_id"].transform("nunique") == 1
    units = units.assign(applies=(units["use_case"] != "security") | ultimate)
    units = units[units["applies"] | alone]
    units = units[units["value"].notna()]
    out = []
    for (account, period, use_case_id, metric_id), group in units.groupby(["account_id", "period", "use_case", "metric"]):
        weights = group["weight"] if group["weight"].sum() > 0 else pd.Series(1.0, index=group.index)
        value = float((group["value"] * weights).sum() / weights.sum())
        out.append({"account_id": account, "period": period, "use_case": use_case_id, "metric": metric_id, "value": value,
                    "applies": bool(group["applies"].all())})
    expected = pd.DataFrame(out).merge(lead[["account_id", "period", "account_age_months"]], on=["account_id", "period"])
    colors = []
    for _, row in expected.iterrows():
        m = next(m for u, m in gitlab.metrics if m.id == row["metric"])
        bands = m.ordered_bands
        if m.bands_by is not None:
            case = next((c for c in m.bands_by.cases if c.interval.contains(row["account_age_months"])), None)
            bands = case.ordered_bands if case is not None else []
        colors.append(next((c for c, i in bands if i.contains(round(row["value"], 9))), None) if row["applies"] else None)
    return expected.assign(color=colors)


def test_end_to_end_matches_an_independent_pandas_computation(demo_instances, demo_scored):
    expected = _expected_gitlab_rollup(demo_instances).set_index(["account_id", "period", "use_case", "metric"])
    got = demo_scored.metrics.set_index(["account_id", "period", "use_case", "metric"])
    assert len(expected) > 500
    # the engine has a value exactly where pandas has one, the same value, and the same color
    assert set(got.index[got["value"].notna()]) == set(expected.index)
    joined = expected.merge(got, how="left", left_index=True, right_index=True, suffixes=("", "_got"))
    assert np.allclose(joined["value"], joined["value_got"], rtol=0, atol=1e-9)
    assert set(got.index[got["status"] == "scored"]) == set(expected.index[expected["color"].notna()])
    scored = joined[joined["color"].notna()]
    assert (scored["color"] == scored["color_got"]).all()


def test_the_demo_exercises_the_rollup(demo_instances, demo_scored):
    """Several subscriptions and instances, a staging instance out-ranking production on users,
    zero and unknown ARR, equal-weight fallbacks: the end-to-end test means something."""
    per_account = demo_instances.groupby(["account_id", "period"])
    assert per_account["subscription_id"].nunique().max() >= 3 and per_account["instance_id"].nunique().max() >= 4
    assert (demo_instances["arr"] == 0).any() and demo_instances["arr"].isna().any()
    reasons = demo_scored.metrics["reason"].dropna()
    assert reasons.str.startswith("equal weights").any()
    assert set(demo_scored.metrics["status"]) == {"scored", "no_data", "not_applicable"}
    in_scope = demo_instances[demo_instances["licensed_users"] > 0]
    assert len(demo_scored.overall) == len(in_scope[["account_id", "period"]].drop_duplicates())
    # the preferred production instance is not always the one with the most billable users
    biggest = demo_instances.sort_values("billable_users", ascending=False).drop_duplicates(["subscription_id", "period"])
    assert (biggest["instance_type"] == "staging").any()


# -- errors ----------------------------------------------------------------------------------

def test_a_rollup_column_missing_from_the_data_is_one_data_error(weighted):
    data = frame([unit()]).drop(columns=["subscription_id"])
    with pytest.raises(DataError) as info:
        score(data, weighted)
    assert "subscription_id" in info.value.message and info.value.hint


def test_rollup_expression_of_the_wrong_type_is_a_rubric_error():
    """Without declared columns the types are known only from the data: one clear error, not a traceback."""
    text = EXAMPLE.read_text(encoding="utf-8")
    start, end = text.index("  columns:"), text.index("rollup:")
    undeclared = text[:start] + text[end:]
    rubric = loads_rubric(undeclared.replace("where: instance_type == 'production'", "where: instance_type > 3"))
    with pytest.raises(RubricError) as info:
        score([unit()], rubric)
    assert "rollup.primary.where" in info.value.message and info.value.hint
    rubric = loads_rubric(undeclared.replace("weight: arr", "weight: tier"))
    with pytest.raises(RubricError, match="rollup.weight: 'tier' gives string, not a number"):
        score([unit()], rubric)


def test_duplicate_instance_rows_are_a_data_error(weighted):
    with pytest.raises(DataError, match="duplicate rows"):
        score([unit("i1"), unit("i1")], weighted)


def test_rollup_rows_must_not_be_silently_merged_without_the_block():
    """Data with several instances per account and a rubric without a roll-up is still refused."""
    with pytest.raises(DataError, match="duplicate rows"):
        adoptscore.score(frame([unit("i1"), unit("i2")]), example(rollup=None))


def test_values_are_finite(demo_scored):
    values = demo_scored.metrics["value"].dropna()
    assert all(math.isfinite(v) for v in values)


def test_written_files_match_the_tables(weighted, tmp_path):
    """The one-pass writer (wide result cut into three tables) gives the same rows, the equal-weights
    note on a scored metric included."""
    rows = [unit("i1", "s1", arr=0, git_ops_users=10), unit("i2", "s2", arr=None, git_ops_users=50, tier=PREMIUM),
            unit("i1", "s1", account="beta", billable_users=0), unit("i2", "s1", account="beta", instance_type="staging")]
    result = score(rows, weighted)
    written = result.write(tmp_path, "parquet")
    for name, path in written.items():
        got, expected = pd.read_parquet(path), result.table(name)
        keys = [c for c in ("account_id", "period", "use_case", "metric") if c in expected.columns]
        got = got.sort_values(keys).reset_index(drop=True)
        pd.testing.assert_frame_equal(got.astype(object).where(got.notna(), None),
                                      expected.astype(object).where(expected.notna(), None), check_dtype=False)
    assert (result.metrics["reason"] == "equal weights: no subscription with data has a positive arr").any()
