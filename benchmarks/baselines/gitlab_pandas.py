"""Straightforward pandas baseline for the `gitlab` rubric 2025.1 (a reference, not a contender).

Vectorised numpy/pandas code over the whole frame in memory: read the Parquet file, compute
each metric as arrays, build the three long/wide frames and write them with pyarrow.
Thresholds, points and weights are hard-coded: that is what makes it a baseline.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

COMPRESSION = os.environ.get("BENCH_PARQUET_COMPRESSION", "zstd")

SCAN_COLS = [
    "sast_scans_l28d",
    "dast_scans_l28d",
    "secret_detection_scans_l28d",
    "dependency_scanning_scans_l28d",
    "container_scanning_scans_l28d",
    "coverage_fuzzing_scans_l28d",
    "api_fuzzing_scans_l28d",
]
# Columns the rubric declares as `count`: negative values are failure codes -> missing.
# (account_age_months is declared `number` in the bundled rubric, so it is not cleaned:
# docs/scoring-semantics.md cleans counts only.)
COUNTS = [
    "licensed_users",
    "billable_users",
    "git_ops_users_l28d",
    "unique_active_users_l28d",
    "ci_builds_l28d",
    "ci_internal_pipelines_l28d",
    "deployment_users_l28d",
    "deployments_l28d",
    "successful_deployments_l28d",
    "failed_deployments_l28d",
    "secure_scanner_users_l28d",
    *SCAN_COLS,
]
NUMERIC = ["account_age_months", *COUNTS]
TEXT = ["account_id", "period", "segment", "industry", "tier"]
APPLIES = "contains(lower(tier), 'ultimate')"
COLORS = np.array(["red", "yellow", "green"], dtype=object)
POINTS = np.array([25.0, 63.0, 88.0])


def _round9(x: np.ndarray) -> np.ndarray:
    # SQL round(x, 9): half away from zero (values here are never negative)
    return np.floor(x * 1e9 + 0.5) / 1e9


def _band(v, scored, edges):
    """edges: [(upper, inclusive), (upper, inclusive)] for red and yellow; the rest is green.
    Returns the band index as float (nan when not scored)."""
    x = _round9(np.where(scored, v, 0.0))
    b = np.full(len(v), 2.0)
    for idx in range(len(edges) - 1, -1, -1):
        upper, inclusive = edges[idx]
        if upper is None:
            continue
        hit = x <= upper if inclusive else x < upper
        b = np.where(hit, float(idx), b)
    return np.where(scored, b, np.nan)


def _text(values: np.ndarray) -> pa.Array:
    return pa.array(values, type=pa.string(), from_pandas=True)


def run(input_parquet: str, out_dir: str) -> None:
    os.makedirs(out_dir, exist_ok=True)
    df = pd.read_parquet(input_parquet, columns=TEXT + NUMERIC)
    for c in NUMERIC:  # numbers as float64, NaN for missing; failure codes -> missing
        v = df[c].astype("float64").to_numpy(na_value=np.nan)
        df[c] = np.where(v >= 0, v, np.nan) if c in COUNTS else v
    df = df[df["licensed_users"] > 0].reset_index(drop=True)
    n_rows = len(df)
    g = {c: df[c].to_numpy() for c in NUMERIC}
    ids_arr = _text(df["account_id"].astype(str).to_numpy(dtype=object))  # once, reused
    periods_arr = _text(df["period"].astype(str).to_numpy(dtype=object))

    tier = df["tier"]
    tier_known = tier.notna().to_numpy()
    sec_ok = tier.astype("string").str.lower().str.contains("ultimate", regex=False)
    sec_ok = sec_ok.fillna(False).to_numpy(dtype=bool)
    age = g["account_age_months"]
    bill = g["billable_users"]

    def ratio0(n, d):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(d == 0, n * 0.0, n / d)  # nan in n or d stays nan

    scans = np.column_stack([g[c] for c in SCAN_COLS])
    any_scan = ~np.isnan(scans).all(axis=1)
    scans_total = np.where(any_scan, np.nansum(scans, axis=1), np.nan)
    scans_pos = np.where(any_scan, (np.nan_to_num(scans, nan=0.0) > 0).sum(axis=1), np.nan)
    scan_names = ", ".join(SCAN_COLS)

    metrics = []  # dicts of arrays per metric

    def metric(uc, name, n, d, v, numcols, dencols, edges, security=False, zero_nodata=False):
        scored = ~np.isnan(v)
        reason = np.full(n_rows, None, dtype=object)
        reason[np.isnan(n)] = f"numerator missing ({numcols})"
        if d is not None:
            reason[~np.isnan(n) & np.isnan(d)] = f"denominator missing ({dencols})"
            if zero_nodata:
                reason[~np.isnan(n) & (d == 0)] = f"denominator is zero ({dencols})"
        status = np.where(scored, "scored", "no_data").astype(object)
        if security:
            scored = scored & sec_ok
            status[~scored] = "no_data"
            status[tier_known & ~sec_ok] = "not_applicable"
            reason[scored] = None
            reason[tier_known & ~sec_ok] = f"not applicable: {APPLIES}"
            reason[~tier_known] = f"applicability unknown: {APPLIES}"
        b = _band(v, scored, edges)
        metrics.append(dict(uc=uc, name=name, n=n, d=d, v=v, status=status, b=b, reason=reason))

    metric("scm", "git_ops_utilization", g["git_ops_users_l28d"], bill,
           ratio0(g["git_ops_users_l28d"], bill), "git_ops_users_l28d", "billable_users",
           [(0.10, True), (0.33, True)])
    metric("ci", "ci_builds_per_user", g["ci_builds_l28d"], bill,
           ratio0(g["ci_builds_l28d"], bill), "ci_builds_l28d", "billable_users",
           [(2, True), (40, True)])
    metric("cd", "deployment_users_utilization", g["deployment_users_l28d"], bill,
           ratio0(g["deployment_users_l28d"], bill), "deployment_users_l28d", "billable_users",
           [(0.05, False), (0.12, True)])
    metric("cd", "deployments_per_user", g["deployments_l28d"], bill,
           ratio0(g["deployments_l28d"], bill), "deployments_l28d", "billable_users",
           [(2, False), (7, True)])
    succ = g["successful_deployments_l28d"]
    sd = succ + g["failed_deployments_l28d"]
    metric("cd", "successful_deployments", succ, sd, ratio0(succ, sd),
           "successful_deployments_l28d",
           "successful_deployments_l28d, failed_deployments_l28d",
           [(0.25, False), (0.80, True)])
    metric("security", "scanner_utilization", g["secure_scanner_users_l28d"], bill,
           ratio0(g["secure_scanner_users_l28d"], bill), "secure_scanner_users_l28d",
           "billable_users", [(0.05, True), (0.20, False)], security=True)
    pipes = g["ci_internal_pipelines_l28d"]
    with np.errstate(divide="ignore", invalid="ignore"):
        ssp_v = np.where(pipes == 0, np.nan, scans_total / pipes)
    metric("security", "scans_per_pipeline", scans_total, pipes, ssp_v, scan_names,
           "ci_internal_pipelines_l28d", [(0.1, False), (0.5, True)], security=True,
           zero_nodata=True)
    metric("security", "scanners_in_use", scans_pos, None, scans_pos, scan_names, None,
           [(1, True), (3, False)], security=True)

    # license: band table on account_age_months
    lic = g["licensed_users"]
    lic_v = ratio0(bill, lic)
    age_known = ~np.isnan(age)
    lic_na = age_known & (age < 3)
    lic_scored = ~np.isnan(lic_v) & age_known & ~lic_na
    b = np.full(n_rows, np.nan)
    for lo, hi, edges in ((3, 7, [(0.10, True), (0.50, True)]),
                          (7, 10, [(0.50, True), (0.75, True)]),
                          (10, np.inf, [(0.75, True), (None, True)])):
        sel = lic_scored & (age >= lo) & (age < hi)
        b = np.where(sel, _band(lic_v, sel, edges), b)
    reason = np.full(n_rows, None, dtype=object)
    reason[np.isnan(bill)] = "numerator missing (billable_users)"
    reason[lic_na] = "not applicable: account_age_months < 3"
    reason[~age_known] = "account_age_months missing"
    status = np.where(lic_scored, "scored", "no_data").astype(object)
    status[lic_na] = "not_applicable"
    metrics.append(dict(uc="license", name="license_utilization", n=bill, d=lic, v=lic_v,
                        status=status, b=b, reason=reason))

    metric("engagement", "user_engagement", g["unique_active_users_l28d"], bill,
           ratio0(g["unique_active_users_l28d"], bill), "unique_active_users_l28d",
           "billable_users", [(0.50, False), (0.80, False)])

    # ---- metrics table
    def nullable(a):
        return pa.array(a, type=pa.float64(), from_pandas=True)  # NaN -> null

    chunks = []
    for m in metrics:
        b = m["b"]
        has = ~np.isnan(b)
        bi = np.where(has, b, 0).astype(np.int64)
        color = np.where(has, COLORS[bi], None)
        points = np.where(has, POINTS[bi], np.nan)
        chunks.append(pa.table({
            "rubric": pa.repeat("gitlab", n_rows),
            "rubric_version": pa.repeat("2025.1", n_rows),
            "account_id": ids_arr,
            "period": periods_arr,
            "use_case": pa.repeat(m["uc"], n_rows),
            "metric": pa.repeat(m["name"], n_rows),
            "numerator": nullable(m["n"]),
            "denominator": nullable(m["d"] if m["d"] is not None else np.full(n_rows, np.nan)),
            "value": nullable(m["v"]),
            "status": _text(m["status"]),
            "color": _text(color),
            "points": nullable(points),
            "reason": _text(m["reason"]),
        }))
    pq.write_table(pa.concat_tables(chunks), os.path.join(out_dir, "metrics.parquet"),
                   compression=COMPRESSION)
    del chunks

    # ---- use cases
    by_uc: dict[str, list[dict]] = {}
    for m in metrics:
        by_uc.setdefault(m["uc"], []).append(m)
    scores = {}
    rows = []
    for uc in ("scm", "ci", "cd", "security", "license", "engagement"):
        ms = by_uc[uc]
        pts = np.column_stack([np.where(np.isnan(m["b"]), np.nan,
                                        POINTS[np.nan_to_num(m["b"]).astype(np.int64)])
                               for m in ms])
        k = (~np.isnan(pts)).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.where(k > 0, np.nansum(pts, axis=1) / k, np.nan)
        x = _round9(np.nan_to_num(score))
        color = np.where(np.isnan(score), None,
                         np.where(x <= 50, "red", np.where(x <= 75, "yellow", "green")))
        status = np.where(k > 0, "scored", "no_data").astype(object)
        reason = np.where(k > 0, None, "no metric has data").astype(object)
        coverage = k / len(ms)
        if uc == "security":
            na = tier_known & ~sec_ok
            status[na] = "not_applicable"
            reason[na] = f"not applicable: {APPLIES}"
            status[~tier_known] = "no_data"
            reason[~tier_known] = f"applicability unknown: {APPLIES}"
            coverage = np.where(na, np.nan, coverage)
        elif uc == "license":
            status[lic_na] = "not_applicable"
            reason[lic_na] = "no metric applies"
            coverage = np.where(lic_na, np.nan, coverage)
        adopted = pd.array(np.where(k > 0, color == "green", False), dtype="boolean")
        adopted[k == 0] = pd.NA
        scores[uc] = (score, color)
        rows.append(pa.table({
            "rubric": pa.repeat("gitlab", n_rows),
            "rubric_version": pa.repeat("2025.1", n_rows),
            "account_id": ids_arr,
            "period": periods_arr,
            "use_case": pa.repeat(uc, n_rows),
            "score": nullable(score),
            "status": _text(status),
            "color": _text(color),
            "coverage": nullable(coverage),
            "metrics_scored": pa.array(k.astype(np.int64)),
            "adopted": pa.array(adopted, type=pa.bool_()),
            "reason": _text(reason),
        }))
    pq.write_table(pa.concat_tables(rows), os.path.join(out_dir, "use_cases.parquet"),
                   compression=COMPRESSION)
    del rows

    # ---- overall
    num = np.zeros(n_rows)
    den = np.zeros(n_rows)
    for uc, w in (("license", 30.0), ("engagement", 10.0), ("scm", 15.0), ("ci", 15.0),
                  ("cd", 15.0), ("security", 15.0)):
        s = scores[uc][0]
        num = num + np.where(np.isnan(s), 0.0, w * np.nan_to_num(s))
        den = den + np.where(np.isnan(s), 0.0, w)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(den > 0, num / den, np.nan)
    x = _round9(np.nan_to_num(score))
    color = np.where(np.isnan(score), None,
                     np.where(x <= 50, "red", np.where(x <= 75, "yellow", "green")))
    adopted_n = sum((scores[uc][1] == "green").astype(np.int64)
                    for uc in ("scm", "ci", "cd", "security"))
    scored_n = sum((~np.isnan(scores[uc][0])).astype(np.int64) for uc in scores)
    overall = pa.table({
        "rubric": pa.repeat("gitlab", n_rows),
        "rubric_version": pa.repeat("2025.1", n_rows),
        "account_id": ids_arr,
        "period": periods_arr,
        "segment": _text(df["segment"].astype(object).where(df["segment"].notna(), None)
                         .to_numpy(dtype=object)),
        "industry": _text(df["industry"].astype(object).where(df["industry"].notna(), None)
                          .to_numpy(dtype=object)),
        "tier": _text(tier.astype(object).where(tier.notna(), None).to_numpy(dtype=object)),
        "score": nullable(score),
        "status": _text(np.where(np.isnan(score), "no_data", "scored").astype(object)),
        "color": _text(color),
        "adopted_use_cases": pa.array(np.asarray(adopted_n, dtype=np.int64)),
        "use_cases_scored": pa.array(np.asarray(scored_n, dtype=np.int64)),
    })
    pq.write_table(overall, os.path.join(out_dir, "overall.parquet"), compression=COMPRESSION)


if __name__ == "__main__":
    run(sys.argv[1], sys.argv[2])
