"""Hand-written Polars (lazy) baseline for the `gitlab` rubric 2025.1.

One lazy plan: scan -> clean -> scope -> per-metric expressions; the three result tables
are three lazy ``sink_parquet`` sinks executed together by ``pl.collect_all`` on the
streaming engine, so the scan and the scoring are shared and nothing is materialised
whole. The long tables are a ``concat`` of one narrow projection per metric / use case.
Thresholds, points and weights are hard-coded: that is what makes it a baseline.
"""

from __future__ import annotations

import os
import sys

import polars as pl

COMPRESSION = "zstd"

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
APPLIES = "contains(lower(tier), 'ultimate')"
POINTS = {"red": 25.0, "yellow": 63.0, "green": 88.0}
NULL_STR = pl.lit(None, dtype=pl.String)
NULL_F64 = pl.lit(None, dtype=pl.Float64)

col = pl.col


def _r9(e: pl.Expr) -> pl.Expr:
    # round half away from zero, as SQL's round(x, 9)
    return e.round(9, mode="half_away_from_zero")


def _bands(v: pl.Expr, red, yellow, green) -> pl.Expr:
    """Each argument is a predicate builder on the rounded value (None: no such band)."""
    r = _r9(v)
    out = pl.when(red(r)).then(pl.lit("red"))
    if yellow is not None:
        out = out.when(yellow(r)).then(pl.lit("yellow"))
    return out.when(green(r)).then(pl.lit("green")).otherwise(NULL_STR)


def _points(c: pl.Expr) -> pl.Expr:
    return (
        pl.when(c == "red").then(25.0).when(c == "yellow").then(63.0)
        .when(c == "green").then(88.0).otherwise(NULL_F64)
    )


def _score_color(x: pl.Expr) -> pl.Expr:
    r = _r9(x)
    return (
        pl.when(r <= 50).then(pl.lit("red"))
        .when((r > 50) & (r <= 75)).then(pl.lit("yellow"))
        .when(r > 75).then(pl.lit("green"))
        .otherwise(NULL_STR)
    )


def _ratio0(n: pl.Expr, d: pl.Expr) -> pl.Expr:
    return pl.when(n.is_not_null() & d.is_not_null()).then(
        pl.when(d == 0).then(pl.lit(0.0)).otherwise(n / d)
    ).otherwise(NULL_F64)


def _metric_exprs() -> dict[str, dict[str, pl.Expr]]:
    """key -> dict(n, d, v, s, r, c, p) of expressions over the cleaned, scoped frame."""
    sec_ok = col("tier").str.to_lowercase().str.contains("ultimate", literal=True)
    bill = col("billable_users")
    out: dict[str, dict[str, pl.Expr]] = {}

    def plain(key, num, red, yellow, green, security=False):
        n, d = col(num), bill
        v = _ratio0(n, d)
        nodata = n.is_null() | d.is_null()
        s = pl.when(nodata).then(pl.lit("no_data")).otherwise(pl.lit("scored"))
        r = (
            pl.when(n.is_null()).then(pl.lit(f"numerator missing ({num})"))
            .when(d.is_null()).then(pl.lit("denominator missing (billable_users)"))
            .otherwise(NULL_STR)
        )
        if security:
            s = _applicability(sec_ok, s)
            r = _applicability_reason(sec_ok, r)
        out[key] = dict(n=n, d=d, v=v, s=s, r=r, c=_bands(v, red, yellow, green))

    plain("scm", "git_ops_users_l28d",
          lambda r: r <= 0.10, lambda r: (r > 0.10) & (r <= 0.33), lambda r: r > 0.33)
    plain("ci", "ci_builds_l28d",
          lambda r: r <= 2, lambda r: (r > 2) & (r <= 40), lambda r: r > 40)
    plain("cdu", "deployment_users_l28d",
          lambda r: r < 0.05, lambda r: (r >= 0.05) & (r <= 0.12), lambda r: r > 0.12)
    plain("cdd", "deployments_l28d",
          lambda r: r < 2, lambda r: (r >= 2) & (r <= 7), lambda r: r > 7)

    # cd.successful_deployments = successful / (successful + failed), zero -> 0
    n = col("successful_deployments_l28d")
    d = n + col("failed_deployments_l28d")
    v = _ratio0(n, d)
    out["cds"] = dict(
        n=n, d=d, v=v,
        s=pl.when(n.is_null() | d.is_null()).then(pl.lit("no_data")).otherwise(pl.lit("scored")),
        r=pl.when(n.is_null()).then(pl.lit("numerator missing (successful_deployments_l28d)"))
        .when(d.is_null()).then(pl.lit(
            "denominator missing (successful_deployments_l28d, failed_deployments_l28d)"))
        .otherwise(NULL_STR),
        c=_bands(v, lambda r: r < 0.25, lambda r: (r >= 0.25) & (r <= 0.80),
                 lambda r: r > 0.80),
    )

    plain("ssu", "secure_scanner_users_l28d",
          lambda r: r <= 0.05, lambda r: (r > 0.05) & (r < 0.20), lambda r: r >= 0.20,
          security=True)

    scans = [col(c) for c in SCAN_COLS]
    any_scan = pl.any_horizontal([c.is_not_null() for c in scans])
    scans_list = ", ".join(SCAN_COLS)
    # security.scans_per_pipeline: total(7) / pipelines, zero -> no data
    n = pl.when(any_scan).then(pl.sum_horizontal(scans)).otherwise(NULL_F64)
    d = col("ci_internal_pipelines_l28d")
    ok = n.is_not_null() & d.is_not_null() & (d != 0)
    v = pl.when(ok).then(n / d).otherwise(NULL_F64)
    out["ssp"] = dict(
        n=n, d=d, v=v,
        s=_applicability(sec_ok, pl.when(ok).then(pl.lit("scored")).otherwise(pl.lit("no_data"))),
        r=_applicability_reason(
            sec_ok,
            pl.when(n.is_null()).then(pl.lit(f"numerator missing ({scans_list})"))
            .when(d.is_null()).then(pl.lit("denominator missing (ci_internal_pipelines_l28d)"))
            .when(d == 0).then(pl.lit("denominator is zero (ci_internal_pipelines_l28d)"))
            .otherwise(NULL_STR),
        ),
        c=_bands(v, lambda r: r < 0.1, lambda r: (r >= 0.1) & (r <= 0.5), lambda r: r > 0.5),
    )
    # security.scanners_in_use: count_positive(7), no denominator
    n = pl.when(any_scan).then(
        pl.sum_horizontal([(c > 0).fill_null(False).cast(pl.Float64) for c in scans])
    ).otherwise(NULL_F64)
    out["sci"] = dict(
        n=n, d=NULL_F64, v=n,
        s=_applicability(
            sec_ok, pl.when(n.is_null()).then(pl.lit("no_data")).otherwise(pl.lit("scored"))),
        r=_applicability_reason(
            sec_ok,
            pl.when(n.is_null()).then(pl.lit(f"numerator missing ({scans_list})"))
            .otherwise(NULL_STR),
        ),
        c=_bands(n, lambda r: r <= 1, lambda r: (r > 1) & (r < 3), lambda r: r >= 3),
    )

    # license.license_utilization, band table on account_age_months
    age = col("account_age_months")
    n, d = bill, col("licensed_users")
    v = _ratio0(n, d)
    r9 = _r9(v)
    out["lic"] = dict(
        n=n, d=d, v=v,
        s=pl.when(age.is_null()).then(pl.lit("no_data"))
        .when(age < 3).then(pl.lit("not_applicable"))
        .when(n.is_null() | d.is_null()).then(pl.lit("no_data"))
        .otherwise(pl.lit("scored")),
        r=pl.when(age.is_null()).then(pl.lit("account_age_months missing"))
        .when(age < 3).then(pl.lit("not applicable: account_age_months < 3"))
        .when(n.is_null()).then(pl.lit("numerator missing (billable_users)"))
        .when(d.is_null()).then(pl.lit("denominator missing (licensed_users)"))
        .otherwise(NULL_STR),
        c=pl.when((age >= 3) & (age < 7)).then(
            pl.when(r9 <= 0.10).then(pl.lit("red"))
            .when((r9 > 0.10) & (r9 <= 0.50)).then(pl.lit("yellow"))
            .when(r9 > 0.50).then(pl.lit("green")).otherwise(NULL_STR)
        ).when((age >= 7) & (age < 10)).then(
            pl.when(r9 <= 0.50).then(pl.lit("red"))
            .when((r9 > 0.50) & (r9 <= 0.75)).then(pl.lit("yellow"))
            .when(r9 > 0.75).then(pl.lit("green")).otherwise(NULL_STR)
        ).when(age >= 10).then(
            pl.when(r9 <= 0.75).then(pl.lit("red"))
            .when(r9 > 0.75).then(pl.lit("green")).otherwise(NULL_STR)
        ).otherwise(NULL_STR),
    )

    plain("eng", "unique_active_users_l28d",
          lambda r: r < 0.50, lambda r: (r >= 0.50) & (r < 0.80), lambda r: r >= 0.80)
    return out


def _applicability(sec_ok: pl.Expr, s: pl.Expr) -> pl.Expr:
    return (
        pl.when(sec_ok.is_null()).then(pl.lit("no_data"))
        .when(~sec_ok).then(pl.lit("not_applicable")).otherwise(s)
    )


def _applicability_reason(sec_ok: pl.Expr, r: pl.Expr) -> pl.Expr:
    return (
        pl.when(sec_ok.is_null()).then(pl.lit(f"applicability unknown: {APPLIES}"))
        .when(~sec_ok).then(pl.lit(f"not applicable: {APPLIES}")).otherwise(r)
    )


METRICS = [  # (key, use_case, metric)
    ("scm", "scm", "git_ops_utilization"),
    ("ci", "ci", "ci_builds_per_user"),
    ("cdu", "cd", "deployment_users_utilization"),
    ("cdd", "cd", "deployments_per_user"),
    ("cds", "cd", "successful_deployments"),
    ("ssu", "security", "scanner_utilization"),
    ("ssp", "security", "scans_per_pipeline"),
    ("sci", "security", "scanners_in_use"),
    ("lic", "license", "license_utilization"),
    ("eng", "engagement", "user_engagement"),
]
USE_CASES = [  # (key, use_case, metric keys, overall weight)
    ("scm", "scm", ["scm"], 15.0),
    ("ci", "ci", ["ci"], 15.0),
    ("cd", "cd", ["cdu", "cdd", "cds"], 15.0),
    ("sec", "security", ["ssu", "ssp", "sci"], 15.0),
    ("lic", "license", ["lic"], 30.0),
    ("eng", "engagement", ["eng"], 10.0),
]
OVERALL_ORDER = ["lic", "eng", "scm", "ci", "cd", "sec"]


def _plans(input_parquet: str) -> tuple[pl.LazyFrame, pl.LazyFrame, pl.LazyFrame]:
    src = pl.scan_parquet(input_parquet)
    scoped = src.filter(col("licensed_users") > 0).select(
        col("account_id").cast(pl.String),
        col("period").cast(pl.String),
        col("segment").cast(pl.String),
        col("industry").cast(pl.String),
        col("tier").cast(pl.String),
        col("account_age_months").cast(pl.Float64),
        *[pl.when(col(c) >= 0).then(col(c).cast(pl.Float64)).otherwise(NULL_F64).alias(c)
          for c in COUNTS],
    )
    ex = _metric_exprs()
    # materialise per-metric value/status/color/points once (shared by the three sinks)
    scored = scoped.with_columns(
        *[e.alias(f"{k}_{part}") for k, d in ex.items() for part, e in d.items()
          if part in ("v", "s", "r", "c")],
        col("tier").str.to_lowercase().str.contains("ultimate", literal=True).alias("sec_ok"),
    ).with_columns(
        *[_points(col(f"{k}_c")).alias(f"{k}_p") for k in ex]
    )

    # --- metrics: one narrow projection per metric, concatenated
    parts = []
    for key, uc, name in METRICS:
        e = ex[key]
        parts.append(scored.select(
            pl.lit("gitlab").alias("rubric"),
            pl.lit("2025.1").alias("rubric_version"),
            col("account_id"),
            col("period"),
            pl.lit(uc).alias("use_case"),
            pl.lit(name).alias("metric"),
            e["n"].alias("numerator"),
            e["d"].alias("denominator"),
            col(f"{key}_v").alias("value"),
            col(f"{key}_s").alias("status"),
            pl.when(col(f"{key}_s") == "scored").then(col(f"{key}_c"))
            .otherwise(NULL_STR).alias("color"),
            pl.when(col(f"{key}_s") == "scored").then(col(f"{key}_p"))
            .otherwise(NULL_F64).alias("points"),
            col(f"{key}_r").alias("reason"),
        ))
    metrics = pl.concat(parts, how="vertical")

    # --- use cases
    k_exprs, score_exprs = {}, {}
    for key, _uc, mkeys, _w in USE_CASES:
        pts = [pl.when(col(f"{m}_s") == "scored").then(col(f"{m}_p")).otherwise(NULL_F64)
               for m in mkeys]
        k = pl.sum_horizontal([p.is_not_null().cast(pl.Int64) for p in pts])
        total = pts[0].fill_null(0.0)
        for p in pts[1:]:
            total = total + p.fill_null(0.0)
        k_exprs[key] = k.alias(f"{key}_k")
        score_exprs[key] = pl.when(k > 0).then(total / k).otherwise(NULL_F64).alias(
            f"{key}_score")
    ucs = scored.with_columns(*k_exprs.values(), *score_exprs.values()).with_columns(
        *[_score_color(col(f"{key}_score")).alias(f"{key}_uc") for key, *_ in USE_CASES]
    )
    sec_ok = col("sec_ok")
    uparts = []
    for key, uc, mkeys, _w in USE_CASES:
        k = col(f"{key}_k")
        status = pl.when(k > 0).then(pl.lit("scored")).otherwise(pl.lit("no_data"))
        reason = pl.when(k > 0).then(NULL_STR).otherwise(pl.lit("no metric has data"))
        coverage = k.cast(pl.Float64) / float(len(mkeys))
        if key == "sec":
            status = _applicability(sec_ok, status)
            reason = _applicability_reason(sec_ok, reason)
            coverage = pl.when(~sec_ok).then(NULL_F64).otherwise(coverage)
        elif key == "lic":
            na = col("lic_s") == "not_applicable"
            status = pl.when(na).then(pl.lit("not_applicable")).otherwise(status)
            reason = pl.when(na).then(pl.lit("no metric applies")).otherwise(reason)
            coverage = pl.when(na).then(NULL_F64).otherwise(coverage)
        uparts.append(ucs.select(
            pl.lit("gitlab").alias("rubric"),
            pl.lit("2025.1").alias("rubric_version"),
            col("account_id"),
            col("period"),
            pl.lit(uc).alias("use_case"),
            col(f"{key}_score").alias("score"),
            status.alias("status"),
            col(f"{key}_uc").alias("color"),
            coverage.alias("coverage"),
            k.alias("metrics_scored"),
            pl.when(k > 0).then(col(f"{key}_uc") == "green")
            .otherwise(pl.lit(None, dtype=pl.Boolean)).alias("adopted"),
            reason.alias("reason"),
        ))
    use_cases = pl.concat(uparts, how="vertical")

    # --- overall
    w = {key: wt for key, _uc, _m, wt in USE_CASES}
    num = den = None
    for key in OVERALL_ORDER:
        s = col(f"{key}_score")
        t_num = (pl.lit(w[key]) * s).fill_null(0.0)
        t_den = pl.when(s.is_not_null()).then(pl.lit(w[key])).otherwise(pl.lit(0.0))
        num = t_num if num is None else num + t_num
        den = t_den if den is None else den + t_den
    score = pl.when(den > 0).then(num / den).otherwise(NULL_F64)
    green = pl.sum_horizontal(
        [(col(f"{k}_uc") == "green").fill_null(False).cast(pl.Int64)
         for k in ("scm", "ci", "cd", "sec")])
    nscored = pl.sum_horizontal(
        [col(f"{k}_score").is_not_null().cast(pl.Int64) for k in OVERALL_ORDER])
    overall = ucs.select(
        pl.lit("gitlab").alias("rubric"),
        pl.lit("2025.1").alias("rubric_version"),
        col("account_id"),
        col("period"),
        col("segment"),
        col("industry"),
        col("tier"),
        score.alias("score"),
        pl.when(score.is_null()).then(pl.lit("no_data")).otherwise(pl.lit("scored"))
        .alias("status"),
        _score_color(score).alias("color"),
        green.alias("adopted_use_cases"),
        nscored.alias("use_cases_scored"),
    )
    return metrics, use_cases, overall


def run(input_parquet: str, out_dir: str) -> None:
    os.makedirs(out_dir, exist_ok=True)
    metrics, use_cases, overall = _plans(input_parquet)
    sinks = [
        lf.sink_parquet(os.path.join(out_dir, f"{name}.parquet"), compression=COMPRESSION,
                        maintain_order=False, lazy=True)
        for lf, name in ((metrics, "metrics"), (use_cases, "use_cases"), (overall, "overall"))
    ]
    pl.collect_all(sinks, engine="streaming")


if __name__ == "__main__":
    run(sys.argv[1], sys.argv[2])
