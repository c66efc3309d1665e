"""The hand-written benchmark baselines agree with each other and with hand-computed rows.

The benchmark (benchmarks/bench_score.py) fails when the engine's results differ from the
baselines'; these tests make sure the baselines themselves implement
docs/scoring-semantics.md for the `gitlab` rubric: generated data with every awkward case
(nulls, failure codes, zero denominators, unknown tiers, young accounts) scored identically
by the three, and a table of explicit rows whose expected results were computed by hand.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest


ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks"
BASELINES = ["gitlab_duckdb", "gitlab_polars", "gitlab_pandas"]
APPLIES = "contains(lower(tier), 'ultimate')"
SCANS = ("sast_scans_l28d, dast_scans_l28d, secret_detection_scans_l28d, "
         "dependency_scanning_scans_l28d, container_scanning_scans_l28d, "
         "coverage_fuzzing_scans_l28d, api_fuzzing_scans_l28d")


def _load(name: str, path: Path):
    # by path: `tests/benchmarks` would otherwise shadow the top-level `benchmarks` folder
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


bench = _load("_bench_score_under_test", BENCH / "bench_score.py")
datagen = _load("_bench_datagen_under_test", BENCH / "datagen.py")


def _run_all(input_path: Path, out_root: Path) -> dict[str, Path]:
    outs = {}
    for name in BASELINES:
        out = out_root / name
        bench.load_baseline(name).run(str(input_path), str(out))
        outs[name] = out
    return outs


# --------------------------------------------------------------------------------------------
# generated data: the three baselines produce identical tables
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    d = tmp_path_factory.mktemp("bench_generated")
    path = d / "usage.parquet"
    rows = datagen.write_usage_fallback(str(path), accounts=420, months=12, seed=7)
    assert rows == 5040
    return path, _run_all(path, d / "out")


def test_generated_data_exercises_every_case(generated):
    _path, outs = generated
    reasons = {r[0] for r in duckdb.sql(
        f"SELECT DISTINCT reason FROM read_parquet('{outs['gitlab_duckdb']}/metrics.parquet')"
    ).fetchall()}
    for expected in [
        "numerator missing (git_ops_users_l28d)",
        "denominator missing (billable_users)",
        "denominator missing (successful_deployments_l28d, failed_deployments_l28d)",
        "denominator is zero (ci_internal_pipelines_l28d)",
        f"numerator missing ({SCANS})",
        f"applicability unknown: {APPLIES}",
        f"not applicable: {APPLIES}",
        "not applicable: account_age_months < 3",
        "account_age_months missing",
    ]:
        assert expected in reasons


@pytest.mark.parametrize("other", ["gitlab_polars", "gitlab_pandas"])
def test_baselines_identical_on_generated_data(generated, other):
    _path, outs = generated
    report = bench.compare_outputs(outs["gitlab_duckdb"], outs[other])
    assert report["ok"], "\n".join(report["problems"])
    assert report["tables"]["metrics"]["rows_ref"] == 10 * report["tables"]["overall"]["rows_ref"]
    assert report["tables"]["use_cases"]["rows_ref"] == 6 * report["tables"]["overall"]["rows_ref"]


def test_compare_outputs_catches_a_difference(generated, tmp_path):
    _path, outs = generated
    ref = outs["gitlab_duckdb"]
    changed = tmp_path / "changed"
    changed.mkdir()
    for t in ("use_cases", "overall"):
        (changed / f"{t}.parquet").write_bytes((ref / f"{t}.parquet").read_bytes())
    duckdb.sql(
        f"COPY (SELECT * REPLACE (CASE WHEN row_number() OVER () = 7 THEN value + 1e-6 "
        f"ELSE value END AS value) FROM read_parquet('{ref}/metrics.parquet')) "
        f"TO '{changed}/metrics.parquet' (FORMAT parquet)")
    report = bench.compare_outputs(ref, changed)
    assert not report["ok"]
    assert report["tables"]["metrics"]["mismatches"] == 1
    assert report["tables"]["overall"]["mismatches"] == 0


# --------------------------------------------------------------------------------------------
# hand-computed rows
# --------------------------------------------------------------------------------------------

BASE = dict(
    account_name="x", segment="SMB", industry="Retail", tier="Self-Managed - Ultimate",
    owner="o", arr=1000.0, account_age_months=24,
    licensed_users=100, billable_users=100,
    git_ops_users_l28d=50,           # 0.50 -> green
    unique_active_users_l28d=90,     # 0.90 -> green
    ci_pipeline_users_l28d=10,
    ci_builds_l28d=5000,             # 50 per user -> green
    ci_internal_pipelines_l28d=100,
    deployment_users_l28d=20,        # 0.20 -> green
    deployments_l28d=1000,           # 10 per user -> green
    successful_deployments_l28d=90, failed_deployments_l28d=10,  # 0.90 -> green
    secure_scanner_users_l28d=30,    # 0.30 -> green
    sast_scans_l28d=20, dast_scans_l28d=20, secret_detection_scans_l28d=20,  # 60/100 -> green
    dependency_scanning_scans_l28d=0, container_scanning_scans_l28d=0,       # 3 in use -> green
    coverage_fuzzing_scans_l28d=0, api_fuzzing_scans_l28d=0,
)
NO_SCANS = {c.strip(): None for c in SCANS.split(",")}
CASES = {
    "all_green": {},
    "scm_edge_010": dict(git_ops_users_l28d=10),                          # 0.10 -> red
    "scm_above_010": dict(billable_users=10_000_000, licensed_users=10_000_000,
                          git_ops_users_l28d=1_000_001),                  # 0.1000001 -> yellow
    "scm_edge_033": dict(git_ops_users_l28d=33),                          # 0.33 -> yellow
    "zero_billable": dict(billable_users=0),                              # zero -> 0, scored red
    "failure_code": dict(git_ops_users_l28d=-1, ci_builds_l28d=None),
    "deploy_denominator": dict(failed_deployments_l28d=None),
    "deploy_numerator": dict(successful_deployments_l28d=-3),
    "deploy_zero": dict(successful_deployments_l28d=0, failed_deployments_l28d=0),
    "no_pipelines": dict(ci_internal_pipelines_l28d=0),
    "no_scans": dict(NO_SCANS),
    "tier_unknown": dict(tier=None),
    "tier_premium": dict(tier="SaaS - Premium"),
    "tier_upper": dict(tier="SaaS - ULTIMATE"),
    "young": dict(account_age_months=2),
    "age_unknown": dict(account_age_months=None),
    "age5_util050": dict(account_age_months=5, billable_users=50),       # yellow (<= 0.50)
    "age8_util050": dict(account_age_months=8, billable_users=50),       # red (<= 0.50)
    "age12_util075": dict(account_age_months=12, billable_users=75),     # red (<= 0.75)
    "age12_util076": dict(account_age_months=12, billable_users=76),     # green
    # scm green 88, ci yellow 63; license n/a, engagement, cd, security without a score
    "overall_two": dict(account_age_months=1, git_ops_users_l28d=50, ci_builds_l28d=1000,
                        unique_active_users_l28d=None, deployment_users_l28d=None,
                        deployments_l28d=None, successful_deployments_l28d=None,
                        tier="SaaS - Premium"),
    "overall_none": dict(account_age_months=1, git_ops_users_l28d=None, ci_builds_l28d=None,
                         unique_active_users_l28d=None, deployment_users_l28d=None,
                         deployments_l28d=None, successful_deployments_l28d=None,
                         tier="SaaS - Premium"),
    "out_zero": dict(licensed_users=0),
    "out_null": dict(licensed_users=None),
    "out_negative": dict(licensed_users=-1),
}


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    d = tmp_path_factory.mktemp("bench_hand")
    rows = []
    for name, over in CASES.items():
        r = dict(BASE, account_id=name, period="2025-01")
        r.update(over)
        rows.append(r)
    cols = ["account_id", "account_name", "period", "segment", "industry", "tier", "owner",
            "arr", "account_age_months", *datagen.COUNT_COLUMNS]
    types = {c: pa.int64() for c in ["account_age_months", *datagen.COUNT_COLUMNS]}
    types["arr"] = pa.float64()
    table = pa.table({c: pa.array([r[c] for r in rows], type=types.get(c, pa.string()))
                      for c in cols})
    path = d / "hand.parquet"
    pq.write_table(table, path)
    return _run_all(path, d / "out")


def _read(out: Path, table: str) -> dict:
    rel = duckdb.sql(f"SELECT * FROM read_parquet('{out}/{table}.parquet')")
    names = rel.columns
    out_rows = {}
    for r in rel.fetchall():
        d = dict(zip(names, r))
        key = (d["account_id"], d.get("use_case"), d.get("metric"))
        out_rows[key] = d
    return out_rows


@pytest.fixture(scope="module", params=BASELINES)
def results(request, hand):
    out = hand[request.param]
    return {t: _read(out, t) for t in ("metrics", "use_cases", "overall")}


def m(res, case, uc, metric):
    return res["metrics"][(case, uc, metric)]


def u(res, case, uc):
    return res["use_cases"][(case, uc, None)]


def o(res, case):
    return res["overall"][(case, None, None)]


def test_scope_and_row_counts(results):
    ids = {k[0] for k in results["overall"]}
    assert not ids & {"out_zero", "out_null", "out_negative"}
    n = len(CASES) - 3
    assert len(results["overall"]) == n
    assert len(results["use_cases"]) == 6 * n
    assert len(results["metrics"]) == 10 * n
    r = o(results, "all_green")
    assert (r["rubric"], r["rubric_version"], r["period"]) == ("gitlab", "2025.1", "2025-01")
    assert (r["segment"], r["industry"], r["tier"]) == ("SMB", "Retail", "Self-Managed - Ultimate")


def test_all_green(results):
    for (case, uc, _metric), r in results["metrics"].items():
        if case == "all_green":
            assert (r["status"], r["color"], r["points"], r["reason"]) == (
                "scored", "green", 88.0, None), (uc, _metric)
    r = o(results, "all_green")
    assert (r["score"], r["status"], r["color"]) == (88.0, "scored", "green")
    assert (r["adopted_use_cases"], r["use_cases_scored"]) == (4, 6)
    sec = u(results, "all_green", "security")
    assert (sec["score"], sec["coverage"], sec["metrics_scored"], sec["adopted"]) == (
        88.0, 1.0, 3, True)
    r = m(results, "all_green", "security", "scans_per_pipeline")
    assert (r["numerator"], r["denominator"], r["value"]) == (60.0, 100.0, 0.6)
    r = m(results, "all_green", "security", "scanners_in_use")
    assert (r["numerator"], r["denominator"], r["value"]) == (3.0, None, 3.0)


def test_band_edges(results):
    r = m(results, "scm_edge_010", "scm", "git_ops_utilization")
    assert (r["value"], r["color"], r["points"]) == (0.1, "red", 25.0)
    r = m(results, "scm_above_010", "scm", "git_ops_utilization")
    assert r["color"] == "yellow" and r["value"] == pytest.approx(0.1000001)
    assert m(results, "scm_edge_033", "scm", "git_ops_utilization")["color"] == "yellow"
    assert u(results, "scm_edge_010", "scm")["color"] == "red"
    assert u(results, "scm_edge_010", "scm")["adopted"] is False


def test_zero_denominator_scores_zero(results):
    for metric, uc in [("git_ops_utilization", "scm"), ("ci_builds_per_user", "ci"),
                       ("user_engagement", "engagement")]:
        r = m(results, "zero_billable", uc, metric)
        assert (r["value"], r["status"], r["color"], r["denominator"]) == (
            0.0, "scored", "red", 0.0)
    r = m(results, "zero_billable", "license", "license_utilization")
    assert (r["value"], r["color"]) == (0.0, "red")
    r = m(results, "deploy_zero", "cd", "successful_deployments")
    assert (r["value"], r["status"], r["color"], r["denominator"]) == (0.0, "scored", "red", 0.0)
    r = m(results, "no_pipelines", "security", "scans_per_pipeline")
    assert (r["value"], r["status"], r["color"], r["points"], r["reason"]) == (
        None, "no_data", None, None, "denominator is zero (ci_internal_pipelines_l28d)")
    # security score re-averaged over the two scored metrics
    r = u(results, "no_pipelines", "security")
    assert (r["score"], r["coverage"], r["metrics_scored"]) == (88.0, pytest.approx(2 / 3), 2)


def test_missing_values_and_failure_codes(results):
    r = m(results, "failure_code", "scm", "git_ops_utilization")
    assert (r["numerator"], r["value"], r["status"], r["color"], r["reason"]) == (
        None, None, "no_data", None, "numerator missing (git_ops_users_l28d)")
    assert m(results, "failure_code", "ci", "ci_builds_per_user")["reason"] == (
        "numerator missing (ci_builds_l28d)")
    r = u(results, "failure_code", "scm")
    assert (r["score"], r["status"], r["color"], r["coverage"], r["metrics_scored"],
            r["adopted"], r["reason"]) == (None, "no_data", None, 0.0, 0, None,
                                           "no metric has data")
    r = m(results, "deploy_denominator", "cd", "successful_deployments")
    assert (r["numerator"], r["denominator"], r["status"], r["reason"]) == (
        90.0, None, "no_data",
        "denominator missing (successful_deployments_l28d, failed_deployments_l28d)")
    r = m(results, "deploy_numerator", "cd", "successful_deployments")
    assert r["reason"] == "numerator missing (successful_deployments_l28d)"
    r = u(results, "deploy_numerator", "cd")
    assert (r["score"], r["coverage"], r["metrics_scored"]) == (88.0, pytest.approx(2 / 3), 2)
    for metric in ("scans_per_pipeline", "scanners_in_use"):
        r = m(results, "no_scans", "security", metric)
        assert (r["numerator"], r["status"], r["reason"]) == (
            None, "no_data", f"numerator missing ({SCANS})")


def test_security_applicability(results):
    for metric in ("scanner_utilization", "scans_per_pipeline", "scanners_in_use"):
        r = m(results, "tier_premium", "security", metric)
        assert (r["status"], r["color"], r["points"], r["reason"]) == (
            "not_applicable", None, None, f"not applicable: {APPLIES}")
        r = m(results, "tier_unknown", "security", metric)
        assert (r["status"], r["color"], r["reason"]) == (
            "no_data", None, f"applicability unknown: {APPLIES}")
        assert m(results, "tier_upper", "security", metric)["status"] == "scored"
    r = u(results, "tier_premium", "security")
    assert (r["score"], r["status"], r["coverage"], r["metrics_scored"], r["adopted"],
            r["reason"]) == (None, "not_applicable", None, 0, None, f"not applicable: {APPLIES}")
    r = u(results, "tier_unknown", "security")
    assert (r["score"], r["status"], r["coverage"], r["metrics_scored"], r["reason"]) == (
        None, "no_data", 0.0, 0, f"applicability unknown: {APPLIES}")
    # the other five use cases at 88 with weights 30 + 10 + 15 * 3 = 85
    r = o(results, "tier_premium")
    assert (r["score"], r["adopted_use_cases"], r["use_cases_scored"]) == (88.0, 3, 5)
    assert o(results, "tier_unknown")["tier"] is None


def test_license_band_table(results):
    r = m(results, "young", "license", "license_utilization")
    assert (r["value"], r["status"], r["color"], r["reason"]) == (
        1.0, "not_applicable", None, "not applicable: account_age_months < 3")
    r = u(results, "young", "license")
    assert (r["status"], r["coverage"], r["metrics_scored"], r["reason"]) == (
        "not_applicable", None, 0, "no metric applies")
    r = m(results, "age_unknown", "license", "license_utilization")
    assert (r["status"], r["reason"]) == ("no_data", "account_age_months missing")
    r = u(results, "age_unknown", "license")
    assert (r["status"], r["coverage"], r["reason"]) == ("no_data", 0.0, "no metric has data")
    colors = {c: m(results, c, "license", "license_utilization")["color"]
              for c in ("age5_util050", "age8_util050", "age12_util075", "age12_util076")}
    assert colors == {"age5_util050": "yellow", "age8_util050": "red",
                      "age12_util075": "red", "age12_util076": "green"}


def test_overall_renormalised(results):
    r = o(results, "overall_two")
    assert r["score"] == pytest.approx((88 * 15 + 63 * 15) / 30)  # 75.5
    assert (r["status"], r["color"], r["adopted_use_cases"], r["use_cases_scored"]) == (
        "scored", "green", 1, 2)
    assert u(results, "overall_two", "ci")["color"] == "yellow"
    # license scored 25 (red, weight 30) + four use cases at 88
    r = o(results, "zero_billable")
    assert u(results, "zero_billable", "license")["score"] == 25.0
    r = o(results, "overall_none")
    assert (r["score"], r["status"], r["color"], r["adopted_use_cases"],
            r["use_cases_scored"]) == (None, "no_data", None, 0, 0)
