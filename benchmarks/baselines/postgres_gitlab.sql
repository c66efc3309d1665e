-- Hand-written PostgreSQL baseline for the `gitlab` rubric 2025.1 (the bar for benchmarks/bench_postgres.py).
--
-- What a competent engineer writes for PostgreSQL by hand: a chain of views (cleaned inputs,
-- numerators and denominators, values, band indexes, points, use-case scores), then one
-- CREATE TABLE AS per result table, the long tables unpivoted with CROSS JOIN LATERAL (VALUES ...).
-- Thresholds, points and weights are hard-coded. Semantics as docs/scoring-semantics.md and
-- benchmarks/baselines/gitlab_duckdb.py: counts below zero are failure codes (missing), scope
-- licensed_users > 0, bands on values rounded to 9 decimals, zero denominators give 0 except
-- scans per pipeline (no data).
--
-- Every view ends in OFFSET 0, the usual PostgreSQL fence: without it the planner inlines the views,
-- pulls the subqueries up and substitutes each column's expression wherever it is used, and over
-- seven layers planning alone took more than 7 minutes (the engine's SQL needs the same fence).
--
-- Placeholders replaced by the benchmark: __USAGE__ (the usage table), __OUT__ (prefix of the
-- result tables). Statements are separated by lines holding only ';'.

CREATE OR REPLACE TEMP VIEW gl_src AS
SELECT
    account_id::text AS account_id, period::text AS period, segment::text AS segment,
    industry::text AS industry, tier::text AS tier,
    account_age_months::float8 AS age,
    CASE WHEN billable_users >= 0 THEN billable_users::float8 END AS billable_users,
    CASE WHEN licensed_users >= 0 THEN licensed_users::float8 END AS licensed_users,
    CASE WHEN git_ops_users_l28d >= 0 THEN git_ops_users_l28d::float8 END AS git_ops_users_l28d,
    CASE WHEN unique_active_users_l28d >= 0 THEN unique_active_users_l28d::float8 END AS unique_active_users_l28d,
    CASE WHEN ci_builds_l28d >= 0 THEN ci_builds_l28d::float8 END AS ci_builds_l28d,
    CASE WHEN ci_internal_pipelines_l28d >= 0 THEN ci_internal_pipelines_l28d::float8 END AS ci_internal_pipelines_l28d,
    CASE WHEN deployment_users_l28d >= 0 THEN deployment_users_l28d::float8 END AS deployment_users_l28d,
    CASE WHEN deployments_l28d >= 0 THEN deployments_l28d::float8 END AS deployments_l28d,
    CASE WHEN successful_deployments_l28d >= 0 THEN successful_deployments_l28d::float8 END AS successful_deployments_l28d,
    CASE WHEN failed_deployments_l28d >= 0 THEN failed_deployments_l28d::float8 END AS failed_deployments_l28d,
    CASE WHEN secure_scanner_users_l28d >= 0 THEN secure_scanner_users_l28d::float8 END AS secure_scanner_users_l28d,
    CASE WHEN sast_scans_l28d >= 0 THEN sast_scans_l28d::float8 END AS sast,
    CASE WHEN dast_scans_l28d >= 0 THEN dast_scans_l28d::float8 END AS dast,
    CASE WHEN secret_detection_scans_l28d >= 0 THEN secret_detection_scans_l28d::float8 END AS secret,
    CASE WHEN dependency_scanning_scans_l28d >= 0 THEN dependency_scanning_scans_l28d::float8 END AS dep,
    CASE WHEN container_scanning_scans_l28d >= 0 THEN container_scanning_scans_l28d::float8 END AS cont,
    CASE WHEN coverage_fuzzing_scans_l28d >= 0 THEN coverage_fuzzing_scans_l28d::float8 END AS covf,
    CASE WHEN api_fuzzing_scans_l28d >= 0 THEN api_fuzzing_scans_l28d::float8 END AS apif
FROM __USAGE__
WHERE licensed_users > 0
OFFSET 0  -- a fence: see the header
;
CREATE OR REPLACE TEMP VIEW gl_nd AS
SELECT
    account_id, period, segment, industry, tier, age,
    strpos(lower(tier), 'ultimate') > 0 AS sec_ok,
    billable_users AS bill,
    git_ops_users_l28d AS scm_n, billable_users AS scm_d,
    ci_builds_l28d AS ci_n, billable_users AS ci_d,
    deployment_users_l28d AS cdu_n, billable_users AS cdu_d,
    deployments_l28d AS cdd_n, billable_users AS cdd_d,
    successful_deployments_l28d AS cds_n, successful_deployments_l28d + failed_deployments_l28d AS cds_d,
    secure_scanner_users_l28d AS ssu_n, billable_users AS ssu_d,
    CASE WHEN num_nonnulls(sast, dast, secret, dep, cont, covf, apif) > 0
         THEN coalesce(sast, 0) + coalesce(dast, 0) + coalesce(secret, 0) + coalesce(dep, 0)
              + coalesce(cont, 0) + coalesce(covf, 0) + coalesce(apif, 0) END AS ssp_n,
    ci_internal_pipelines_l28d AS ssp_d,
    CASE WHEN num_nonnulls(sast, dast, secret, dep, cont, covf, apif) > 0
         THEN (((sast > 0) IS TRUE)::int + ((dast > 0) IS TRUE)::int + ((secret > 0) IS TRUE)::int + ((dep > 0) IS TRUE)::int + ((cont > 0) IS TRUE)::int
               + ((covf > 0) IS TRUE)::int + ((apif > 0) IS TRUE)::int)::float8 END AS sci_n,
    billable_users AS lic_n, licensed_users AS lic_d,
    unique_active_users_l28d AS eng_n, billable_users AS eng_d
FROM gl_src
OFFSET 0  -- a fence: see the header
;
CREATE OR REPLACE TEMP VIEW gl_val AS
SELECT *,
    CASE WHEN scm_d = 0 THEN scm_n * 0 ELSE scm_n / scm_d END AS scm_v,
    CASE WHEN ci_d = 0 THEN ci_n * 0 ELSE ci_n / ci_d END AS ci_v,
    CASE WHEN cdu_d = 0 THEN cdu_n * 0 ELSE cdu_n / cdu_d END AS cdu_v,
    CASE WHEN cdd_d = 0 THEN cdd_n * 0 ELSE cdd_n / cdd_d END AS cdd_v,
    CASE WHEN cds_d = 0 THEN cds_n * 0 ELSE cds_n / cds_d END AS cds_v,
    CASE WHEN ssu_d = 0 THEN ssu_n * 0 ELSE ssu_n / ssu_d END AS ssu_v,
    CASE WHEN ssp_d <> 0 THEN ssp_n / ssp_d END AS ssp_v,
    sci_n AS sci_v,
    CASE WHEN lic_d = 0 THEN lic_n * 0 ELSE lic_n / lic_d END AS lic_v,
    CASE WHEN eng_d = 0 THEN eng_n * 0 ELSE eng_n / eng_d END AS eng_v
FROM gl_nd
OFFSET 0  -- a fence: see the header
;
-- band index (0 red, 1 yellow, 2 green) on the value rounded to 9 decimals, for scored metrics only
CREATE OR REPLACE TEMP VIEW gl_band AS
SELECT *,
    CASE WHEN scm_r <= 0.10 THEN 0 WHEN scm_r <= 0.33 THEN 1 WHEN scm_r IS NOT NULL THEN 2 END AS scm_b,
    CASE WHEN ci_r <= 2 THEN 0 WHEN ci_r <= 40 THEN 1 WHEN ci_r IS NOT NULL THEN 2 END AS ci_b,
    CASE WHEN cdu_r < 0.05 THEN 0 WHEN cdu_r <= 0.12 THEN 1 WHEN cdu_r IS NOT NULL THEN 2 END AS cdu_b,
    CASE WHEN cdd_r < 2 THEN 0 WHEN cdd_r <= 7 THEN 1 WHEN cdd_r IS NOT NULL THEN 2 END AS cdd_b,
    CASE WHEN cds_r < 0.25 THEN 0 WHEN cds_r <= 0.80 THEN 1 WHEN cds_r IS NOT NULL THEN 2 END AS cds_b,
    CASE WHEN NOT coalesce(sec_ok, false) THEN NULL
         WHEN ssu_r <= 0.05 THEN 0 WHEN ssu_r < 0.20 THEN 1 WHEN ssu_r IS NOT NULL THEN 2 END AS ssu_b,
    CASE WHEN NOT coalesce(sec_ok, false) THEN NULL
         WHEN ssp_r < 0.1 THEN 0 WHEN ssp_r <= 0.5 THEN 1 WHEN ssp_r IS NOT NULL THEN 2 END AS ssp_b,
    CASE WHEN NOT coalesce(sec_ok, false) THEN NULL
         WHEN sci_r <= 1 THEN 0 WHEN sci_r < 3 THEN 1 WHEN sci_r IS NOT NULL THEN 2 END AS sci_b,
    CASE WHEN lic_r IS NULL OR age IS NULL OR age < 3 THEN NULL
         WHEN age < 7 THEN (CASE WHEN lic_r <= 0.10 THEN 0 WHEN lic_r <= 0.50 THEN 1 ELSE 2 END)
         WHEN age < 10 THEN (CASE WHEN lic_r <= 0.50 THEN 0 WHEN lic_r <= 0.75 THEN 1 ELSE 2 END)
         ELSE (CASE WHEN lic_r <= 0.75 THEN 0 ELSE 2 END) END AS lic_b,
    CASE WHEN eng_r < 0.50 THEN 0 WHEN eng_r < 0.80 THEN 1 WHEN eng_r IS NOT NULL THEN 2 END AS eng_b
FROM (
    SELECT *,
        round(scm_v::numeric, 9) AS scm_r, round(ci_v::numeric, 9) AS ci_r, round(cdu_v::numeric, 9) AS cdu_r,
        round(cdd_v::numeric, 9) AS cdd_r, round(cds_v::numeric, 9) AS cds_r, round(ssu_v::numeric, 9) AS ssu_r,
        round(ssp_v::numeric, 9) AS ssp_r, round(sci_v::numeric, 9) AS sci_r, round(lic_v::numeric, 9) AS lic_r,
        round(eng_v::numeric, 9) AS eng_r
    FROM gl_val
    OFFSET 0
) AS rounded
OFFSET 0  -- a fence: see the header
;
CREATE OR REPLACE TEMP VIEW gl_pts AS
SELECT *,
    (ARRAY[25.0, 63.0, 88.0]::float8[])[scm_b + 1] AS scm_p, (ARRAY[25.0, 63.0, 88.0]::float8[])[ci_b + 1] AS ci_p,
    (ARRAY[25.0, 63.0, 88.0]::float8[])[cdu_b + 1] AS cdu_p, (ARRAY[25.0, 63.0, 88.0]::float8[])[cdd_b + 1] AS cdd_p,
    (ARRAY[25.0, 63.0, 88.0]::float8[])[cds_b + 1] AS cds_p, (ARRAY[25.0, 63.0, 88.0]::float8[])[ssu_b + 1] AS ssu_p,
    (ARRAY[25.0, 63.0, 88.0]::float8[])[ssp_b + 1] AS ssp_p, (ARRAY[25.0, 63.0, 88.0]::float8[])[sci_b + 1] AS sci_p,
    (ARRAY[25.0, 63.0, 88.0]::float8[])[lic_b + 1] AS lic_p, (ARRAY[25.0, 63.0, 88.0]::float8[])[eng_b + 1] AS eng_p,
    (scm_b IS NOT NULL)::int::bigint AS scm_k,
    (ci_b IS NOT NULL)::int::bigint AS ci_k,
    ((cdu_b IS NOT NULL)::int + (cdd_b IS NOT NULL)::int + (cds_b IS NOT NULL)::int)::bigint AS cd_k,
    ((ssu_b IS NOT NULL)::int + (ssp_b IS NOT NULL)::int + (sci_b IS NOT NULL)::int)::bigint AS sec_k,
    (lic_b IS NOT NULL)::int::bigint AS lic_k,
    (eng_b IS NOT NULL)::int::bigint AS eng_k
FROM gl_band
OFFSET 0  -- a fence: see the header
;
CREATE OR REPLACE TEMP VIEW gl_score AS
SELECT *,
    scm_p AS scm_score, ci_p AS ci_score,
    (coalesce(cdu_p, 0) + coalesce(cdd_p, 0) + coalesce(cds_p, 0)) / nullif(cd_k, 0) AS cd_score,
    (coalesce(ssu_p, 0) + coalesce(ssp_p, 0) + coalesce(sci_p, 0)) / nullif(sec_k, 0) AS sec_score,
    lic_p AS lic_score, eng_p AS eng_score
FROM gl_pts
OFFSET 0  -- a fence: see the header
;
CREATE OR REPLACE TEMP VIEW gl_uc AS
SELECT *,
    CASE WHEN round(scm_score::numeric, 9) <= 50 THEN 'red' WHEN round(scm_score::numeric, 9) <= 75 THEN 'yellow'
         WHEN scm_score IS NOT NULL THEN 'green' END AS scm_c,
    CASE WHEN round(ci_score::numeric, 9) <= 50 THEN 'red' WHEN round(ci_score::numeric, 9) <= 75 THEN 'yellow'
         WHEN ci_score IS NOT NULL THEN 'green' END AS ci_c,
    CASE WHEN round(cd_score::numeric, 9) <= 50 THEN 'red' WHEN round(cd_score::numeric, 9) <= 75 THEN 'yellow'
         WHEN cd_score IS NOT NULL THEN 'green' END AS cd_c,
    CASE WHEN round(sec_score::numeric, 9) <= 50 THEN 'red' WHEN round(sec_score::numeric, 9) <= 75 THEN 'yellow'
         WHEN sec_score IS NOT NULL THEN 'green' END AS sec_c,
    CASE WHEN round(lic_score::numeric, 9) <= 50 THEN 'red' WHEN round(lic_score::numeric, 9) <= 75 THEN 'yellow'
         WHEN lic_score IS NOT NULL THEN 'green' END AS lic_c,
    CASE WHEN round(eng_score::numeric, 9) <= 50 THEN 'red' WHEN round(eng_score::numeric, 9) <= 75 THEN 'yellow'
         WHEN eng_score IS NOT NULL THEN 'green' END AS eng_c
FROM gl_score
OFFSET 0  -- a fence: see the header
;
CREATE UNLOGGED TABLE __OUT__metrics AS
SELECT 'gitlab'::text AS rubric, '2025.1'::text AS rubric_version, p.account_id, p.period, m.*
FROM gl_pts AS p
CROSS JOIN LATERAL (VALUES
    ('scm', 'git_ops_utilization', scm_n, scm_d, scm_v,
     CASE WHEN scm_b IS NOT NULL THEN 'scored' ELSE 'no_data' END,
     (ARRAY['red', 'yellow', 'green'])[scm_b + 1], scm_p,
     CASE WHEN scm_b IS NOT NULL THEN NULL WHEN scm_n IS NULL THEN 'numerator missing (git_ops_users_l28d)'
          WHEN scm_d IS NULL THEN 'denominator missing (billable_users)' END),
    ('ci', 'ci_builds_per_user', ci_n, ci_d, ci_v,
     CASE WHEN ci_b IS NOT NULL THEN 'scored' ELSE 'no_data' END,
     (ARRAY['red', 'yellow', 'green'])[ci_b + 1], ci_p,
     CASE WHEN ci_b IS NOT NULL THEN NULL WHEN ci_n IS NULL THEN 'numerator missing (ci_builds_l28d)'
          WHEN ci_d IS NULL THEN 'denominator missing (billable_users)' END),
    ('cd', 'deployment_users_utilization', cdu_n, cdu_d, cdu_v,
     CASE WHEN cdu_b IS NOT NULL THEN 'scored' ELSE 'no_data' END,
     (ARRAY['red', 'yellow', 'green'])[cdu_b + 1], cdu_p,
     CASE WHEN cdu_b IS NOT NULL THEN NULL WHEN cdu_n IS NULL THEN 'numerator missing (deployment_users_l28d)'
          WHEN cdu_d IS NULL THEN 'denominator missing (billable_users)' END),
    ('cd', 'deployments_per_user', cdd_n, cdd_d, cdd_v,
     CASE WHEN cdd_b IS NOT NULL THEN 'scored' ELSE 'no_data' END,
     (ARRAY['red', 'yellow', 'green'])[cdd_b + 1], cdd_p,
     CASE WHEN cdd_b IS NOT NULL THEN NULL WHEN cdd_n IS NULL THEN 'numerator missing (deployments_l28d)'
          WHEN cdd_d IS NULL THEN 'denominator missing (billable_users)' END),
    ('cd', 'successful_deployments', cds_n, cds_d, cds_v,
     CASE WHEN cds_b IS NOT NULL THEN 'scored' ELSE 'no_data' END,
     (ARRAY['red', 'yellow', 'green'])[cds_b + 1], cds_p,
     CASE WHEN cds_b IS NOT NULL THEN NULL WHEN cds_n IS NULL THEN 'numerator missing (successful_deployments_l28d)'
          WHEN cds_d IS NULL THEN 'denominator missing (successful_deployments_l28d, failed_deployments_l28d)' END),
    ('security', 'scanner_utilization', ssu_n, ssu_d, ssu_v,
     CASE WHEN sec_ok IS NULL THEN 'no_data' WHEN NOT sec_ok THEN 'not_applicable'
          WHEN ssu_b IS NOT NULL THEN 'scored' ELSE 'no_data' END,
     (ARRAY['red', 'yellow', 'green'])[ssu_b + 1], ssu_p,
     CASE WHEN sec_ok IS NULL THEN 'applicability unknown: contains(lower(tier), ''ultimate'')'
          WHEN NOT sec_ok THEN 'not applicable: contains(lower(tier), ''ultimate'')'
          WHEN ssu_b IS NOT NULL THEN NULL WHEN ssu_n IS NULL THEN 'numerator missing (secure_scanner_users_l28d)'
          WHEN ssu_d IS NULL THEN 'denominator missing (billable_users)' END),
    ('security', 'scans_per_pipeline', ssp_n, ssp_d, ssp_v,
     CASE WHEN sec_ok IS NULL THEN 'no_data' WHEN NOT sec_ok THEN 'not_applicable'
          WHEN ssp_b IS NOT NULL THEN 'scored' ELSE 'no_data' END,
     (ARRAY['red', 'yellow', 'green'])[ssp_b + 1], ssp_p,
     CASE WHEN sec_ok IS NULL THEN 'applicability unknown: contains(lower(tier), ''ultimate'')'
          WHEN NOT sec_ok THEN 'not applicable: contains(lower(tier), ''ultimate'')'
          WHEN ssp_b IS NOT NULL THEN NULL
          WHEN ssp_n IS NULL THEN 'numerator missing (sast_scans_l28d, dast_scans_l28d, secret_detection_scans_l28d, dependency_scanning_scans_l28d, container_scanning_scans_l28d, coverage_fuzzing_scans_l28d, api_fuzzing_scans_l28d)'
          WHEN ssp_d IS NULL THEN 'denominator missing (ci_internal_pipelines_l28d)'
          WHEN ssp_d = 0 THEN 'denominator is zero (ci_internal_pipelines_l28d)' END),
    ('security', 'scanners_in_use', sci_n, NULL::float8, sci_v,
     CASE WHEN sec_ok IS NULL THEN 'no_data' WHEN NOT sec_ok THEN 'not_applicable'
          WHEN sci_b IS NOT NULL THEN 'scored' ELSE 'no_data' END,
     (ARRAY['red', 'yellow', 'green'])[sci_b + 1], sci_p,
     CASE WHEN sec_ok IS NULL THEN 'applicability unknown: contains(lower(tier), ''ultimate'')'
          WHEN NOT sec_ok THEN 'not applicable: contains(lower(tier), ''ultimate'')'
          WHEN sci_b IS NOT NULL THEN NULL
          WHEN sci_n IS NULL THEN 'numerator missing (sast_scans_l28d, dast_scans_l28d, secret_detection_scans_l28d, dependency_scanning_scans_l28d, container_scanning_scans_l28d, coverage_fuzzing_scans_l28d, api_fuzzing_scans_l28d)' END),
    ('license', 'license_utilization', lic_n, lic_d, lic_v,
     CASE WHEN lic_b IS NOT NULL THEN 'scored' WHEN age < 3 THEN 'not_applicable' ELSE 'no_data' END,
     (ARRAY['red', 'yellow', 'green'])[lic_b + 1], lic_p,
     CASE WHEN lic_b IS NOT NULL THEN NULL WHEN age IS NULL THEN 'account_age_months missing'
          WHEN age < 3 THEN 'not applicable: account_age_months < 3'
          WHEN bill IS NULL THEN 'numerator missing (billable_users)' ELSE 'denominator missing (licensed_users)' END),
    ('engagement', 'user_engagement', eng_n, eng_d, eng_v,
     CASE WHEN eng_b IS NOT NULL THEN 'scored' ELSE 'no_data' END,
     (ARRAY['red', 'yellow', 'green'])[eng_b + 1], eng_p,
     CASE WHEN eng_b IS NOT NULL THEN NULL WHEN eng_n IS NULL THEN 'numerator missing (unique_active_users_l28d)'
          WHEN eng_d IS NULL THEN 'denominator missing (billable_users)' END)
) AS m(use_case, metric, numerator, denominator, value, status, color, points, reason)
;
CREATE UNLOGGED TABLE __OUT__use_cases AS
SELECT 'gitlab'::text AS rubric, '2025.1'::text AS rubric_version, u.account_id, u.period, m.*
FROM gl_uc AS u
CROSS JOIN LATERAL (VALUES
    ('scm', scm_score, CASE WHEN scm_k > 0 THEN 'scored' ELSE 'no_data' END, scm_c, scm_k / 1.0::float8, scm_k,
     CASE WHEN scm_k > 0 THEN scm_c = 'green' END, CASE WHEN scm_k = 0 THEN 'no metric has data' END),
    ('ci', ci_score, CASE WHEN ci_k > 0 THEN 'scored' ELSE 'no_data' END, ci_c, ci_k / 1.0::float8, ci_k,
     CASE WHEN ci_k > 0 THEN ci_c = 'green' END, CASE WHEN ci_k = 0 THEN 'no metric has data' END),
    ('cd', cd_score, CASE WHEN cd_k > 0 THEN 'scored' ELSE 'no_data' END, cd_c, cd_k / 3.0::float8, cd_k,
     CASE WHEN cd_k > 0 THEN cd_c = 'green' END, CASE WHEN cd_k = 0 THEN 'no metric has data' END),
    ('security', sec_score,
     CASE WHEN sec_ok IS NULL THEN 'no_data' WHEN NOT sec_ok THEN 'not_applicable'
          WHEN sec_k > 0 THEN 'scored' ELSE 'no_data' END,
     sec_c, CASE WHEN NOT sec_ok THEN NULL ELSE sec_k / 3.0::float8 END, sec_k,
     CASE WHEN sec_k > 0 THEN sec_c = 'green' END,
     CASE WHEN sec_ok IS NULL THEN 'applicability unknown: contains(lower(tier), ''ultimate'')'
          WHEN NOT sec_ok THEN 'not applicable: contains(lower(tier), ''ultimate'')'
          WHEN sec_k = 0 THEN 'no metric has data' END),
    ('license', lic_score,
     CASE WHEN age < 3 THEN 'not_applicable' WHEN lic_k > 0 THEN 'scored' ELSE 'no_data' END,
     lic_c, CASE WHEN age < 3 THEN NULL ELSE lic_k / 1.0::float8 END, lic_k,
     CASE WHEN lic_k > 0 THEN lic_c = 'green' END,
     CASE WHEN age < 3 THEN 'no metric applies' WHEN lic_k = 0 THEN 'no metric has data' END),
    ('engagement', eng_score, CASE WHEN eng_k > 0 THEN 'scored' ELSE 'no_data' END, eng_c, eng_k / 1.0::float8, eng_k,
     CASE WHEN eng_k > 0 THEN eng_c = 'green' END, CASE WHEN eng_k = 0 THEN 'no metric has data' END)
) AS m(use_case, score, status, color, coverage, metrics_scored, adopted, reason)
;
CREATE UNLOGGED TABLE __OUT__overall AS
SELECT 'gitlab'::text AS rubric, '2025.1'::text AS rubric_version, account_id, period, segment, industry, tier, score,
    CASE WHEN score IS NULL THEN 'no_data' ELSE 'scored' END AS status,
    CASE WHEN round(score::numeric, 9) <= 50 THEN 'red' WHEN round(score::numeric, 9) <= 75 THEN 'yellow'
         WHEN score IS NOT NULL THEN 'green' END AS color,
    adopted_use_cases, use_cases_scored
FROM (
    SELECT account_id, period, segment, industry, tier,
        (coalesce(15 * scm_score, 0) + coalesce(15 * ci_score, 0) + coalesce(15 * cd_score, 0)
         + coalesce(15 * sec_score, 0) + coalesce(30 * lic_score, 0) + coalesce(10 * eng_score, 0))
        / nullif((scm_score IS NOT NULL)::int * 15 + (ci_score IS NOT NULL)::int * 15 + (cd_score IS NOT NULL)::int * 15
                 + (sec_score IS NOT NULL)::int * 15 + (lic_score IS NOT NULL)::int * 30
                 + (eng_score IS NOT NULL)::int * 10, 0)::float8 AS score,
        (coalesce((scm_c = 'green')::int, 0) + coalesce((ci_c = 'green')::int, 0) + coalesce((cd_c = 'green')::int, 0)
         + coalesce((sec_c = 'green')::int, 0))::bigint AS adopted_use_cases,
        ((scm_score IS NOT NULL)::int + (ci_score IS NOT NULL)::int + (cd_score IS NOT NULL)::int
         + (sec_score IS NOT NULL)::int + (lic_score IS NOT NULL)::int + (eng_score IS NOT NULL)::int)::bigint AS use_cases_scored
    FROM gl_uc
    OFFSET 0
) AS o
;
