"""Hand-written DuckDB baseline for the `gitlab` rubric 2025.1.

One SQL pipeline (temporary views, which DuckDB inlines), written out by three streaming
``COPY (...) TO ... (FORMAT parquet)`` statements with ``preserve_insertion_order = false``.
The long tables are an ``UNNEST`` of a list of structs (one struct per metric / use case),
so every input row is read, cleaned and scored once per output table, with no join and
nothing materialised. Per metric the pipeline computes the value, a "scored" flag and a
band index (0 red, 1 yellow, 2 green) on ``round(value, 9)``; statuses, colors and reasons
are only spelled out as text in the final projections.

Thresholds, points and weights are hard-coded: that is what makes it a baseline.
"""

from __future__ import annotations

import os
import sys

import duckdb

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
SCANS = ", ".join(SCAN_COLS)
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
# the applies_when text as it appears in reasons, and quoted for a SQL literal
APPLIES = "contains(lower(tier), 'ultimate')"
APPLIES_SQL = APPLIES.replace("'", "''")

# key, use case, metric, band CASE on {x} (= round(value, 9)) giving 0 red / 1 yellow / 2 green.
# Bands cover the real line in order, so an ordered CASE is exact.
METRICS = [
    ("scm", "scm", "git_ops_utilization",
     "CASE WHEN {x} <= 0.10 THEN 0 WHEN {x} <= 0.33 THEN 1 ELSE 2 END"),
    ("ci", "ci", "ci_builds_per_user",
     "CASE WHEN {x} <= 2 THEN 0 WHEN {x} <= 40 THEN 1 ELSE 2 END"),
    ("cdu", "cd", "deployment_users_utilization",
     "CASE WHEN {x} < 0.05 THEN 0 WHEN {x} <= 0.12 THEN 1 ELSE 2 END"),
    ("cdd", "cd", "deployments_per_user",
     "CASE WHEN {x} < 2 THEN 0 WHEN {x} <= 7 THEN 1 ELSE 2 END"),
    ("cds", "cd", "successful_deployments",
     "CASE WHEN {x} < 0.25 THEN 0 WHEN {x} <= 0.80 THEN 1 ELSE 2 END"),
    ("ssu", "security", "scanner_utilization",
     "CASE WHEN {x} <= 0.05 THEN 0 WHEN {x} < 0.20 THEN 1 ELSE 2 END"),
    ("ssp", "security", "scans_per_pipeline",
     "CASE WHEN {x} < 0.1 THEN 0 WHEN {x} <= 0.5 THEN 1 ELSE 2 END"),
    ("sci", "security", "scanners_in_use",
     "CASE WHEN {x} <= 1 THEN 0 WHEN {x} < 3 THEN 1 ELSE 2 END"),
    ("lic", "license", "license_utilization",
     # band table on account_age_months (>= 3 here: younger accounts are not applicable)
     "CASE WHEN age < 7 THEN (CASE WHEN {x} <= 0.10 THEN 0 WHEN {x} <= 0.50 THEN 1 ELSE 2 END) "
     "WHEN age < 10 THEN (CASE WHEN {x} <= 0.50 THEN 0 WHEN {x} <= 0.75 THEN 1 ELSE 2 END) "
     "ELSE (CASE WHEN {x} <= 0.75 THEN 0 ELSE 2 END) END"),
    ("eng", "engagement", "user_engagement",
     "CASE WHEN {x} < 0.50 THEN 0 WHEN {x} < 0.80 THEN 1 ELSE 2 END"),
]
SECURITY = ("ssu", "ssp", "sci")

# use-case key, name, metric keys, weight in the overall score
USE_CASES = [
    ("scm", "scm", ["scm"], 15),
    ("ci", "ci", ["ci"], 15),
    ("cd", "cd", ["cdu", "cdd", "cds"], 15),
    ("sec", "security", ["ssu", "ssp", "sci"], 15),
    ("lic", "license", ["lic"], 30),
    ("eng", "engagement", ["eng"], 10),
]
OVERALL_ORDER = ["lic", "eng", "scm", "ci", "cd", "sec"]
ADOPTION = ["scm", "ci", "cd", "sec"]


def _views(input_parquet: str) -> str:
    # Layered views, one derived quantity per layer: DuckDB expands a lateral alias
    # (a column defined earlier in the same SELECT) by copying its expression, so each
    # layer only references columns of the layer below.
    path = input_parquet.replace("'", "''")
    cleaned = ",\n        ".join(
        ["CAST(account_age_months AS DOUBLE) AS account_age_months"]
        + [f"CASE WHEN {c} >= 0 THEN CAST({c} AS DOUBLE) END AS {c}" for c in COUNTS]
    )
    any_scan = " OR ".join(f"{c} IS NOT NULL" for c in SCAN_COLS)
    total = " + ".join(f"coalesce({c}, 0)" for c in SCAN_COLS)
    positive = " + ".join(f"CAST(coalesce({c} > 0, false) AS INTEGER)" for c in SCAN_COLS)
    # n / d under zero_denominator: zero (null n or d -> null through the arithmetic)
    r0 = "CASE WHEN {d} = 0 THEN {n} * 0.0 ELSE {n} / {d} END"
    values = ",\n        ".join(
        f"{r0.format(n=f'{k}_n', d=f'{k}_d')} AS {k}_v"
        for k in ("scm", "ci", "cdu", "cdd", "cds", "ssu", "lic", "eng")
    )
    ok = {k: f"{k}_v IS NOT NULL" for k, *_ in METRICS}
    for k in SECURITY:
        ok[k] = f"coalesce(sec_ok, false) AND {k}_v IS NOT NULL"
    ok["lic"] = "age >= 3 AND lic_v IS NOT NULL"
    bands = ",\n        ".join(
        f"CASE WHEN {ok[k]} THEN {case.format(x=f'round({k}_v, 9)')} END AS {k}_b"
        for k, _uc, _m, case in METRICS
    )
    points = ",\n        ".join(f"{_pts(k + '_b')} AS {k}_p" for k, *_ in METRICS)
    counts = ",\n        ".join(
        " + ".join(f"CAST({m}_b IS NOT NULL AS BIGINT)" for m in mkeys) + f" AS {key}_k"
        for key, _uc, mkeys, _w in USE_CASES
    )
    scores = ",\n        ".join(
        "(" + " + ".join(f"coalesce({m}_p, 0)" for m in mkeys) + f") / NULLIF({key}_k, 0)"
        f" AS {key}_score"
        for key, _uc, mkeys, _w in USE_CASES
    )
    colors = ",\n        ".join(
        f"{_score_color(key + '_score')} AS {key}_c" for key, *_ in USE_CASES
    )
    return rf"""
CREATE OR REPLACE TEMP VIEW gl_src AS
    SELECT
        CAST(account_id AS VARCHAR) AS account_id,
        CAST(period AS VARCHAR) AS period,
        CAST(segment AS VARCHAR) AS segment,
        CAST(industry AS VARCHAR) AS industry,
        CAST(tier AS VARCHAR) AS tier,
        {cleaned}
    FROM read_parquet('{path}')
    WHERE licensed_users > 0;  -- scope: raw > 0 <=> cleaned > 0 (null / 0 / negative: out)

-- numerators and denominators
CREATE OR REPLACE TEMP VIEW gl_nd AS
    SELECT
        account_id, period, segment, industry, tier,
        {APPLIES} AS sec_ok,
        account_age_months AS age,
        billable_users AS bill,
        git_ops_users_l28d AS scm_n, billable_users AS scm_d,
        ci_builds_l28d AS ci_n, billable_users AS ci_d,
        deployment_users_l28d AS cdu_n, billable_users AS cdu_d,
        deployments_l28d AS cdd_n, billable_users AS cdd_d,
        successful_deployments_l28d AS cds_n,
        successful_deployments_l28d + failed_deployments_l28d AS cds_d,
        secure_scanner_users_l28d AS ssu_n, billable_users AS ssu_d,
        CASE WHEN {any_scan} THEN {total} END AS ssp_n,
        ci_internal_pipelines_l28d AS ssp_d,
        CASE WHEN {any_scan} THEN CAST({positive} AS DOUBLE) END AS sci_n,
        billable_users AS lic_n, licensed_users AS lic_d,
        unique_active_users_l28d AS eng_n, billable_users AS eng_d
    FROM gl_src;

-- values
CREATE OR REPLACE TEMP VIEW gl_val AS
    SELECT
        *,
        {values},
        CASE WHEN ssp_d <> 0 THEN ssp_n / ssp_d END AS ssp_v,  -- zero -> no data
        sci_n AS sci_v  -- no denominator
    FROM gl_nd;

-- band index on round(value, 9) for scored metrics (0 red, 1 yellow, 2 green)
CREATE OR REPLACE TEMP VIEW gl_band AS
    SELECT
        *,
        {bands}
    FROM gl_val;

CREATE OR REPLACE TEMP VIEW gl_pts AS
    SELECT
        *,
        {points},
        {counts}
    FROM gl_band;

CREATE OR REPLACE TEMP VIEW gl_score AS
    SELECT
        *,
        {scores}
    FROM gl_pts;

CREATE OR REPLACE TEMP VIEW gl_uc AS
    SELECT
        *,
        {colors}
    FROM gl_score;
"""


def _pts(b: str) -> str:
    return f"CASE {b} WHEN 0 THEN 25.0::DOUBLE WHEN 1 THEN 63.0::DOUBLE WHEN 2 THEN 88.0::DOUBLE END"


# Constant text is typed as ENUMs: cheaper to carry through the plan than VARCHAR, and
# DuckDB's Parquet writer stores an ENUM as an ordinary dictionary-encoded string column, so
# the files are the same as with VARCHAR (readers see text), only faster to write.
ENUMS: dict[str, list[str]] = {
    "rubric": ["gitlab"],
    "version": ["2025.1"],
    "use_case": [uc for _k, uc, *_ in USE_CASES],
    "metric": [m for _k, _uc, m, _c in METRICS],
    "status": ["scored", "no_data", "not_applicable"],
    "color": ["red", "yellow", "green"],
    "reason": [],  # filled in while the statements are built
}


def _e(kind: str, value: str) -> str:
    """A constant of the ENUM type for `kind` (registering reasons as they are used)."""
    if kind == "reason" and value not in ENUMS["reason"]:
        ENUMS["reason"].append(value)
    assert value in ENUMS[kind], (kind, value)
    return "'" + value.replace("'", "''") + f"'::gl_{kind}"


def _create_types() -> str:
    return "\n".join(
        f"CREATE TYPE gl_{kind} AS ENUM ("
        + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ");"
        for kind, values in ENUMS.items()
    )


def _color(b: str) -> str:
    return (f"CASE {b} WHEN 0 THEN {_e('color', 'red')} WHEN 1 THEN {_e('color', 'yellow')} "
            f"WHEN 2 THEN {_e('color', 'green')} END")


def _score_color(x: str) -> str:
    # use-case / overall score bands on round(score, 9): <= 50 red, <= 75 yellow, > 75 green
    return (f"CASE WHEN round({x}, 9) <= 50 THEN {_e('color', 'red')} "
            f"WHEN round({x}, 9) <= 75 THEN {_e('color', 'yellow')} "
            f"WHEN round({x}, 9) > 75 THEN {_e('color', 'green')} END")


SCORED, NO_DATA, NOT_APPLICABLE = (_e("status", s) for s in ENUMS["status"])


def _metric_struct(key: str, uc: str, name: str) -> str:
    num = f"{key}_n"
    den = "CAST(NULL AS DOUBLE)" if key == "sci" else f"{key}_d"
    r = lambda text: _e("reason", text)  # noqa: E731
    # statuses and reasons, in the contract's precedence
    if key == "lic":
        status = (f"CASE WHEN lic_b IS NOT NULL THEN {SCORED} "
                  f"WHEN age < 3 THEN {NOT_APPLICABLE} ELSE {NO_DATA} END")
        reason = ("CASE WHEN lic_b IS NOT NULL THEN NULL "
                  f"WHEN age IS NULL THEN {r('account_age_months missing')} "
                  f"WHEN age < 3 THEN {r('not applicable: account_age_months < 3')} "
                  f"WHEN bill IS NULL THEN {r('numerator missing (billable_users)')} "
                  f"ELSE {r('denominator missing (licensed_users)')} END")
    else:
        numcols = {
            "scm": "git_ops_users_l28d", "ci": "ci_builds_l28d", "cdu": "deployment_users_l28d",
            "cdd": "deployments_l28d", "cds": "successful_deployments_l28d",
            "ssu": "secure_scanner_users_l28d", "ssp": SCANS, "sci": SCANS,
            "eng": "unique_active_users_l28d",
        }[key]
        dencols = {
            "cds": "successful_deployments_l28d, failed_deployments_l28d",
            "ssp": "ci_internal_pipelines_l28d",
        }.get(key, "billable_users")
        whens = [f"WHEN {key}_n IS NULL THEN {r(f'numerator missing ({numcols})')}"]
        if key != "sci":
            whens.append(f"WHEN {den} IS NULL THEN {r(f'denominator missing ({dencols})')}")
        if key == "ssp":
            whens.append(
                f"WHEN ssp_d = 0 THEN {r('denominator is zero (ci_internal_pipelines_l28d)')}")
        if key in SECURITY:
            status = (f"CASE WHEN sec_ok IS NULL THEN {NO_DATA} WHEN NOT sec_ok "
                      f"THEN {NOT_APPLICABLE} WHEN {key}_b IS NOT NULL THEN {SCORED} "
                      f"ELSE {NO_DATA} END")
            whens = [f"WHEN sec_ok IS NULL THEN {r(f'applicability unknown: {APPLIES}')}",
                     f"WHEN NOT sec_ok THEN {r(f'not applicable: {APPLIES}')}",
                     f"WHEN {key}_b IS NOT NULL THEN NULL", *whens]
        else:
            status = f"CASE WHEN {key}_b IS NOT NULL THEN {SCORED} ELSE {NO_DATA} END"
            whens = [f"WHEN {key}_b IS NOT NULL THEN NULL", *whens]
        reason = "CASE " + " ".join(whens) + " END"
    return (
        f"{{use_case: {_e('use_case', uc)}, metric: {_e('metric', name)}, numerator: {num}, "
        f"denominator: {den}, value: {key}_v, status: {status}, "
        f"color: {_color(key + '_b')}, points: {key}_p, reason: {reason}}}"
    )


def _constants() -> str:
    return f"{_e('rubric', 'gitlab')} AS rubric, {_e('version', '2025.1')} AS rubric_version"


def _metrics_sql(out: str) -> str:
    structs = ",\n            ".join(_metric_struct(*m[:3]) for m in METRICS)
    return f"""
COPY (
    SELECT {_constants()}, account_id, period,
        UNNEST([
            {structs}
        ], recursive := true)
    FROM gl_pts
) TO '{out}' (FORMAT parquet, COMPRESSION {COMPRESSION});
"""


def _use_case_struct(key: str, uc: str, n_metrics: int) -> str:
    k = f"{key}_k"
    r = lambda text: _e("reason", text)  # noqa: E731
    status = f"CASE WHEN {k} > 0 THEN {SCORED} ELSE {NO_DATA} END"
    reason = f"CASE WHEN {k} = 0 THEN {r('no metric has data')} END"
    coverage = f"{k} / {float(n_metrics)}"
    if key == "sec":
        status = (f"CASE WHEN sec_ok IS NULL THEN {NO_DATA} "
                  f"WHEN NOT sec_ok THEN {NOT_APPLICABLE} ELSE {status} END")
        reason = (f"CASE WHEN sec_ok IS NULL THEN {r(f'applicability unknown: {APPLIES}')} "
                  f"WHEN NOT sec_ok THEN {r(f'not applicable: {APPLIES}')} ELSE {reason} END")
        coverage = f"CASE WHEN NOT sec_ok THEN NULL ELSE {coverage} END"
    elif key == "lic":  # the one metric is not applicable (account younger than 3 months)
        status = f"CASE WHEN age < 3 THEN {NOT_APPLICABLE} ELSE {status} END"
        reason = f"CASE WHEN age < 3 THEN {r('no metric applies')} ELSE {reason} END"
        coverage = f"CASE WHEN age < 3 THEN NULL ELSE {coverage} END"
    return (
        f"{{use_case: {_e('use_case', uc)}, score: {key}_score, status: {status}, "
        f"color: {key}_c, coverage: {coverage}, metrics_scored: {k}, "
        f"adopted: CASE WHEN {k} > 0 THEN {key}_c = {_e('color', 'green')} END, "
        f"reason: {reason}}}"
    )


def _use_cases_sql(out: str) -> str:
    structs = ",\n            ".join(
        _use_case_struct(key, uc, len(mkeys)) for key, uc, mkeys, _w in USE_CASES
    )
    return f"""
COPY (
    SELECT {_constants()}, account_id, period,
        UNNEST([
            {structs}
        ], recursive := true)
    FROM gl_uc
) TO '{out}' (FORMAT parquet, COMPRESSION {COMPRESSION});
"""


def _overall_sql(out: str) -> str:
    w = {key: wt for key, _uc, _m, wt in USE_CASES}
    num = " + ".join(f"coalesce({w[k]}.0::DOUBLE * {k}_score, 0)" for k in OVERALL_ORDER)
    den = " + ".join(
        f"CASE WHEN {k}_score IS NOT NULL THEN {w[k]}.0::DOUBLE ELSE 0.0::DOUBLE END"
        for k in OVERALL_ORDER
    )
    green = " + ".join(
        f"CAST(coalesce({k}_c = {_e('color', 'green')}, false) AS BIGINT)" for k in ADOPTION)
    scored = " + ".join(f"CAST({k}_score IS NOT NULL AS BIGINT)" for k in OVERALL_ORDER)
    return f"""
COPY (
    SELECT {_constants()}, account_id, period,
        segment, industry, tier, score,
        CASE WHEN score IS NULL THEN {NO_DATA} ELSE {SCORED} END AS status,
        {_score_color('score')} AS color, adopted_use_cases, use_cases_scored
    FROM (
        SELECT account_id, period, segment, industry, tier,
            ({num}) / NULLIF({den}, 0) AS score,
            {green} AS adopted_use_cases,
            {scored} AS use_cases_scored
        FROM gl_uc
    )
) TO '{out}' (FORMAT parquet, COMPRESSION {COMPRESSION});
"""


def run(input_parquet: str, out_dir: str, threads: int | None = None) -> None:
    os.makedirs(out_dir, exist_ok=True)

    def out(name: str) -> str:
        return os.path.join(out_dir, name).replace("'", "''")

    # build every statement first: that registers the reason texts the ENUM types need
    views = _views(input_parquet)
    copies = [_metrics_sql(out("metrics.parquet")), _use_cases_sql(out("use_cases.parquet")),
              _overall_sql(out("overall.parquet"))]
    con = duckdb.connect(config={"preserve_insertion_order": False})
    try:
        con.execute("SET enable_progress_bar = false")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        con.execute(_create_types())
        con.execute(views)
        for sql in copies:
            con.execute(sql)
    finally:
        con.close()


if __name__ == "__main__":
    run(sys.argv[1], sys.argv[2])
