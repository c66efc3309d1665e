"""Tests for the deterministic demo usage-data generator (adoptscore.demo)."""

from __future__ import annotations

import os
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adoptscore.demo import (
    ACCOUNTS_SCHEMA,
    COUNT_COLUMNS,
    HARD_NAMES,
    USAGE_SCHEMA,
    generate_accounts,
    generate_usage,
    iter_usage_chunks,
    write_usage,
)

EXPECTED_COLUMNS = [
    "account_id", "account_name", "period", "segment", "industry", "tier", "owner", "arr",
    "account_age_months",
    "billable_users", "licensed_users", "git_ops_users_l28d", "unique_active_users_l28d",
    "ci_builds_l28d", "ci_internal_pipelines_l28d", "deployment_users_l28d", "deployments_l28d",
    "successful_deployments_l28d", "failed_deployments_l28d", "secure_scanner_users_l28d",
    "sast_scans_l28d", "dast_scans_l28d", "secret_detection_scans_l28d",
    "dependency_scanning_scans_l28d", "container_scanning_scans_l28d",
    "coverage_fuzzing_scans_l28d", "api_fuzzing_scans_l28d",
    "ci_pipeline_users_l28d", "container_scanning_job_users_l28d", "secret_detection_job_users_l28d",
]
SCANS = [c for c in EXPECTED_COLUMNS if c.endswith("_scans_l28d")]
USER_COLUMNS = ["git_ops_users_l28d", "unique_active_users_l28d", "deployment_users_l28d",
                "secure_scanner_users_l28d"]


@pytest.fixture(scope="module")
def table() -> pa.Table:
    return generate_usage()


@pytest.fixture(scope="module")
def df(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas()


# ------------------------------------------------------------------------------------------
# A small re-implementation of the gitlab rubric's colours (docs/scoring-semantics.md,
# reference section 2), enough to check that the data exercises every band.
# ------------------------------------------------------------------------------------------


def _clean(s: pd.Series) -> np.ndarray:
    """Counts as float with failure codes (negative) and nulls as NaN."""
    v = s.to_numpy(dtype="float64", na_value=np.nan)
    return np.where(v < 0, np.nan, v)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    out[~(den != 0)] = np.nan  # zero denominator -> no data (default policy); NaN stays NaN
    return np.round(out, 9)


def _band(v: np.ndarray, red: np.ndarray, green: np.ndarray) -> np.ndarray:
    """Colour per value: 'red' / 'yellow' / 'green', None when the value is missing."""
    out = np.full(v.shape, None, dtype=object)
    ok = ~np.isnan(v)
    out[ok] = "yellow"
    out[ok & red] = "red"
    out[ok & green] = "green"
    return out


def colors(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per metric colour of every in-scope row (None: no data / not applicable)."""
    c = {col: _clean(frame[col]) for col in COUNT_COLUMNS}
    in_scope = c["licensed_users"] > 0
    bill = c["billable_users"]
    ultimate = frame["tier"].str.lower().str.contains("ultimate").to_numpy()
    age = frame["account_age_months"].to_numpy(dtype="float64")

    out: dict[str, np.ndarray] = {}
    v = _ratio(c["git_ops_users_l28d"], bill)
    out["scm_git_ops"] = _band(v, v <= 0.10, v > 0.33)
    v = _ratio(c["ci_builds_l28d"], bill)
    out["ci_builds_per_user"] = _band(v, v <= 2, v > 40)
    v = _ratio(c["deployment_users_l28d"], bill)
    out["cd_deployment_users"] = _band(v, v < 0.05, v > 0.12)
    v = _ratio(c["deployments_l28d"], bill)
    out["cd_deployments_per_user"] = _band(v, v < 2, v > 7)
    s, f = c["successful_deployments_l28d"], c["failed_deployments_l28d"]
    v = _ratio(s, s + f)
    out["cd_success_rate"] = _band(v, v < 0.25, v > 0.80)
    v = _ratio(c["secure_scanner_users_l28d"], bill)
    out["sec_scanner_users"] = _band(v, v <= 0.05, v >= 0.20)
    scans = np.vstack([c[x] for x in SCANS])
    known = ~np.isnan(scans)
    total = np.where(known.any(axis=0), np.nansum(scans, axis=0), np.nan)
    v = _ratio(total, c["ci_internal_pipelines_l28d"])
    out["sec_scans_per_pipeline"] = _band(v, v < 0.1, v > 0.5)
    v = np.where(known.any(axis=0), (np.nan_to_num(scans) > 0).sum(axis=0), np.nan)
    out["sec_scanners_in_use"] = _band(v, v <= 1, v >= 3)
    for key in ("sec_scanner_users", "sec_scans_per_pipeline", "sec_scanners_in_use"):
        out[key][~ultimate] = None  # Security applies only to Ultimate tiers
    v = _ratio(c["unique_active_users_l28d"], bill)
    out["engagement"] = _band(v, v < 0.5, v >= 0.8)
    v = _ratio(bill, c["licensed_users"])
    lic = np.full(v.shape, None, dtype=object)
    for lo, hi, red_edge, green_edge in ((3, 6, 0.10, 0.50), (7, 9, 0.50, 0.75),
                                          (10, 10**6, 0.75, 0.75)):
        m = (age >= lo) & (age <= hi)
        lic[m] = _band(v[m], v[m] <= red_edge, v[m] > green_edge)
    out["license_utilization"] = lic
    return {k: np.where(in_scope, x, None) for k, x in out.items()}


def color_mix(frame: pd.DataFrame) -> pd.DataFrame:
    rows = {}
    for metric, col in colors(frame).items():
        scored = col[col != None]  # noqa: E711 (element-wise)
        n = len(scored)
        rows[metric] = {
            "scored": n,
            **{c: float((scored == c).sum()) / n if n else 0.0 for c in ("red", "yellow", "green")},
        }
    return pd.DataFrame(rows).T


# ------------------------------------------------------------------------------------------
# Schema, ordering, periods
# ------------------------------------------------------------------------------------------


def test_schema_and_column_order(table: pa.Table) -> None:
    assert table.column_names == EXPECTED_COLUMNS
    assert table.schema.equals(USAGE_SCHEMA)
    for col in COUNT_COLUMNS + ("account_age_months",):
        assert table.schema.field(col).type == pa.int64()
    assert table.schema.field("arr").type == pa.float64()
    for col in ("account_id", "account_name", "period", "segment", "industry", "tier", "owner"):
        assert table.schema.field(col).type == pa.string()
    for col in EXPECTED_COLUMNS[:9]:
        assert table.column(col).null_count == 0, col


def test_accounts_table(table: pa.Table) -> None:
    accounts = generate_accounts()
    assert accounts.schema.equals(ACCOUNTS_SCHEMA)
    assert accounts.num_rows == 2000
    ids = accounts.column("account_id").to_pylist()
    assert ids[0] == "A000001" and ids[-1] == "A002000" and ids == sorted(ids)
    # the usage rows repeat exactly these static attributes
    usage = table.select(ACCOUNTS_SCHEMA.names).to_pandas().drop_duplicates()
    acc = accounts.to_pandas()
    merged = acc.merge(usage, how="inner", on=list(ACCOUNTS_SCHEMA.names))
    assert len(usage) == usage["account_id"].nunique()  # static per account
    assert len(merged) == len(usage)


def test_value_domains(df: pd.DataFrame) -> None:
    assert set(df["segment"]) == {"Enterprise", "Mid-Market", "SMB"}
    assert set(df["tier"]) == {"Self-Managed - Ultimate", "Self-Managed - Premium",
                               "SaaS - Ultimate", "SaaS - Premium"}
    assert len(set(df["industry"])) == 8
    assert 20 <= df["owner"].nunique() <= 25
    acc = generate_accounts().to_pandas()
    ultimate = acc["tier"].str.contains("Ultimate").mean()
    assert 0.28 <= ultimate <= 0.42
    assert (acc["arr"] > 0).all()
    # seats (licensed users at the latest period) by segment
    latest = df.sort_values("period").groupby("account_id").tail(1)
    lic = latest.set_index("segment")["licensed_users"]
    assert lic.loc["Enterprise"].median() > lic.loc["Mid-Market"].median() > lic.loc["SMB"].median()
    assert lic.loc["SMB"].max() <= 1000
    assert df["account_id"].str.fullmatch(r"A\d{6}").all()
    assert df["account_name"].nunique() > 1900  # realistic, mostly distinct names
    assert acc.groupby("segment")["arr"].median().is_monotonic_decreasing


def test_periods_consecutive_and_ending_at_end_period() -> None:
    t = generate_usage(accounts=300, months=14, seed=5, end_period="2025-03").to_pandas()
    periods = sorted(t["period"].unique())
    assert periods[-1] == "2025-03" and periods[0] == "2024-02" and len(periods) == 14
    assert all(re.fullmatch(r"\d{4}-\d{2}", p) for p in periods)
    # ordered by account, then period; no duplicate (account, period)
    assert not t.duplicated(["account_id", "period"]).any()
    assert t[["account_id", "period"]].equals(
        t[["account_id", "period"]].sort_values(["account_id", "period"]).reset_index(drop=True)
    )
    # age grows by one per month
    ordinal = t["period"].str[:4].astype(int) * 12 + t["period"].str[5:].astype(int)
    base = t["account_age_months"] - ordinal
    assert (base.groupby(t["account_id"]).nunique() == 1).all()
    assert (t["account_age_months"] >= 0).all()
    # year boundary
    assert list(generate_usage(3, 3, 0, "2026-01").to_pandas()["period"].unique()) == [
        "2025-11", "2025-12", "2026-01"]


def test_bad_arguments(tmp_path) -> None:
    with pytest.raises(ValueError):
        generate_usage(10, 3, 0, "2026-13")
    with pytest.raises(ValueError):
        generate_usage(10, 0)
    with pytest.raises(ValueError):
        write_usage(tmp_path / "x.json", accounts=3)
    assert generate_usage(accounts=0).num_rows == 0
    assert os.listdir(tmp_path) == []


# ------------------------------------------------------------------------------------------
# Determinism
# ------------------------------------------------------------------------------------------


def test_deterministic(table: pa.Table) -> None:
    assert generate_usage().equals(table)
    assert generate_accounts().equals(generate_accounts())
    assert not generate_usage(accounts=50, seed=1).equals(generate_usage(accounts=50, seed=2))


def test_account_rows_independent_of_accounts_and_chunking() -> None:
    small = generate_usage(accounts=40, months=6, seed=9)
    big = generate_usage(accounts=130, months=6, seed=9).slice(0, small.num_rows)
    assert big.equals(small)
    chunked = pa.concat_tables(iter_usage_chunks(130, 6, 9, chunk_accounts=7))
    assert chunked.equals(generate_usage(accounts=130, months=6, seed=9))
    acc_small = generate_accounts(40, seed=9)
    assert generate_accounts(130, seed=9).slice(0, 40).equals(acc_small)


def test_latest_month_independent_of_window_length() -> None:
    """A period's row depends on the months back from end_period, not on the window length."""
    a = generate_usage(accounts=60, months=4, seed=3)
    b = generate_usage(accounts=60, months=10, seed=3)
    b = b.filter(pc.greater_equal(b.column("period"), pc.min(a.column("period"))))
    assert b.equals(a)


def test_write_parquet_and_csv(tmp_path) -> None:
    expected = generate_usage(accounts=250, months=5, seed=11)
    p = tmp_path / "usage.parquet"
    n = write_usage(p, accounts=250, months=5, seed=11, chunk_accounts=60)
    assert n == expected.num_rows
    back = pq.read_table(p)
    assert back.num_rows == n and back.equals(expected)
    c = tmp_path / "usage.csv"
    assert write_usage(c, accounts=250, months=5, seed=11, chunk_accounts=1000) == n
    back_csv = pacsv.read_csv(
        c, convert_options=pacsv.ConvertOptions(column_types=USAGE_SCHEMA)
    ).select(USAGE_SCHEMA.names)
    assert back_csv.num_rows == n
    assert back_csv.cast(USAGE_SCHEMA).equals(expected)  # names with quotes/commas survive
    assert sorted(os.listdir(tmp_path)) == ["usage.csv", "usage.parquet"]  # no temp file left
    # byte-identical on a rerun, whatever the chunking of the same arguments
    p2 = tmp_path / "again.parquet"
    write_usage(p2, accounts=250, months=5, seed=11, chunk_accounts=60)
    assert p.read_bytes() == p2.read_bytes()


def test_write_failure_leaves_no_file(tmp_path, monkeypatch) -> None:
    import adoptscore.demo.generator as gen

    def boom(*args, **kwargs):
        yield generate_usage(accounts=3, months=2)
        raise RuntimeError("killed")

    monkeypatch.setattr(gen, "iter_usage_chunks", boom)
    with pytest.raises(RuntimeError):
        gen.write_usage(tmp_path / "out.parquet", accounts=10)
    assert os.listdir(tmp_path) == []


# ------------------------------------------------------------------------------------------
# Messiness
# ------------------------------------------------------------------------------------------


def test_messiness_present(df: pd.DataFrame) -> None:
    counts = df[list(COUNT_COLUMNS)]
    cells = counts.size
    null_share = counts.isna().sum().sum() / cells
    neg_share = (counts < 0).sum().sum() / cells
    assert 0.005 <= null_share <= 0.02, null_share
    assert 0.0015 <= neg_share <= 0.006, neg_share
    assert set(np.unique(counts.to_numpy(dtype="float64", na_value=0))[:4]) == {-4, -3, -2, -1}
    assert ((df["billable_users"] == 0).mean()) > 0.002
    lic_bad = (df["licensed_users"] == 0) | df["licensed_users"].isna()
    assert 0.005 <= lic_bad.mean() <= 0.03
    # missing months: ~3% of account-months absent, and some accounts start mid-window
    months = df["period"].nunique()
    per_acc = df.groupby("account_id").agg(n=("period", "size"),
                                           age0=("account_age_months", "min"))
    started_in_window = per_acc["age0"] == 0
    full_window = per_acc[~started_in_window]
    missing = 1 - full_window["n"].sum() / (months * len(full_window))
    assert 0.015 <= missing <= 0.05, missing
    assert 10 <= started_in_window.sum() <= 150
    assert (per_acc["age0"].between(1, 2)).sum() >= 3  # new at the start of the window
    # over-utilisation exists, users mostly below billable
    bill, lic = df["billable_users"], df["licensed_users"]
    assert ((bill > lic) & (lic > 0)).mean() > 0.02
    for col in USER_COLUMNS:
        ok = (bill > 0) & (df[col] >= 0)
        assert (df.loc[ok, col] <= bill[ok]).mean() > 0.95
    # non-adopters: zero deployments and zero pipelines
    per_account = df.groupby("account_id")
    assert (per_account["ci_internal_pipelines_l28d"].max() == 0).sum() >= 20
    no_deploys = (df["successful_deployments_l28d"] + df["failed_deployments_l28d"]) == 0
    assert no_deploys.groupby(df["account_id"]).all().sum() >= 40
    # non-Ultimate tiers mostly scan nothing
    non_ult = ~df["tier"].str.contains("Ultimate")
    scanned = (df[SCANS].fillna(0).clip(lower=0).sum(axis=1) > 0)
    assert scanned[non_ult].mean() < 0.25
    assert scanned[~non_ult].mean() > 0.7
    assert (df.loc[non_ult, ["dast_scans_l28d", "container_scanning_scans_l28d"]]
            .fillna(0).clip(lower=0) == 0).all().all()


def test_hard_names_present(df: pd.DataFrame) -> None:
    names = set(df["account_name"])
    for num, name in HARD_NAMES.items():
        assert name in names
        assert df.loc[df["account_id"] == f"A{num:06d}", "account_name"].iloc[0] == name
    joined = "\n".join(names)
    assert "<script>alert(1)</script>" in joined
    assert "O'Brien & \"Sons\" <Ltd>" in joined
    assert re.search("[\u0590-\u06ff]", joined)  # Hebrew / Arabic
    assert re.search("[\U0001f300-\U0001faff]", joined)  # emoji
    assert max(len(n) for n in names) >= 150


def test_sudden_drops_in_latest_month(df: pd.DataFrame) -> None:
    """Some use cases go Green -> Yellow/Red in the latest month (alerts have work to do)."""
    cols = colors(df)
    periods = sorted(df["period"].unique())
    prev, last = df["period"] == periods[-2], df["period"] == periods[-1]
    drops = 0
    for col in cols.values():
        frame = pd.DataFrame({"account_id": df["account_id"], "color": col})
        a = frame[prev].set_index("account_id")["color"]
        b = frame[last].set_index("account_id")["color"]
        both = a.index.intersection(b.index)
        drops += int(((a[both] == "green") & b[both].isin(["yellow", "red"])).sum())
    assert drops >= 100


# ------------------------------------------------------------------------------------------
# Colour mix under GitLab's thresholds
# ------------------------------------------------------------------------------------------


def test_color_mix_per_metric(df: pd.DataFrame) -> None:
    mix = color_mix(df)
    assert len(mix) == 10
    for metric, row in mix.iterrows():
        assert row["scored"] > 3000, metric
        shares = {c: row[c] for c in ("red", "yellow", "green")}
        if metric == "license_utilization":
            # Yellow exists only for accounts aged 3-9 months (10+ months: Red <= 75% < Green)
            assert 0.0 < shares["yellow"] < 0.10
            shares.pop("yellow")
        for color, share in shares.items():
            assert 0.10 <= share <= 0.60, (metric, color, share)


def test_license_yellow_among_young_accounts(df: pd.DataFrame) -> None:
    young = df[df["account_age_months"].between(3, 9)]
    assert len(young) > 300
    mix = color_mix(young).loc["license_utilization"]
    assert 0.10 <= mix["yellow"] <= 0.80


# ------------------------------------------------------------------------------------------
# Properties
# ------------------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    accounts=st.integers(min_value=0, max_value=60),
    months=st.integers(min_value=1, max_value=18),
    seed=st.integers(min_value=-(2**63), max_value=2**64),
    end_year=st.integers(min_value=2000, max_value=2100),
    end_month=st.integers(min_value=1, max_value=12),
)
def test_invariants(accounts: int, months: int, seed: int, end_year: int, end_month: int) -> None:
    end = f"{end_year:04d}-{end_month:02d}"
    t = generate_usage(accounts=accounts, months=months, seed=seed, end_period=end)
    assert t.schema.equals(USAGE_SCHEMA)
    d = t.to_pandas()
    if d.empty:
        return
    assert d["period"].max() <= end
    assert d["account_age_months"].min() >= 0
    assert not d.duplicated(["account_id", "period"]).any()
    c = {col: d[col].to_numpy(dtype="float64", na_value=np.nan) for col in COUNT_COLUMNS}
    for col, v in c.items():
        bad = v[~np.isnan(v) & (v < 0)]
        assert set(bad.tolist()) <= {-1.0, -2.0, -3.0, -4.0}, col
    bill = c["billable_users"]
    valid_bill = bill > 0
    for col in USER_COLUMNS:
        v = c[col]
        m = valid_bill & (v >= 0)
        assert (v[m] <= 1.2 * bill[m]).all(), col
    for col in ("git_ops_users_l28d", "deployment_users_l28d", "secure_scanner_users_l28d"):
        m = valid_bill & (c[col] >= 0)
        assert (c[col][m] <= bill[m]).all(), col
    dep, s, f = c["deployments_l28d"], c["successful_deployments_l28d"], c[
        "failed_deployments_l28d"]
    m = (dep >= 0) & (s >= 0) & (f >= 0)
    assert (s[m] + f[m] <= dep[m]).all()
    pipes, builds = c["ci_internal_pipelines_l28d"], c["ci_builds_l28d"]
    m = (pipes >= 0) & (builds >= 0)
    assert (pipes[m] <= builds[m]).all()
    for col in SCANS:
        m = (pipes == 0) & (c[col] >= 0)
        assert (c[col][m] == 0).all(), col
    m = (c["secure_scanner_users_l28d"] > 0)
    scans = np.vstack([c[x] for x in SCANS])
    assert (np.nan_to_num(scans[:, m], nan=1) != 0).any(axis=0).all()
    # static attributes constant per account
    assert (d.groupby("account_id")[["account_name", "segment", "tier", "arr"]].nunique() == 1
            ).all().all()
