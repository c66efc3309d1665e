WITH `source` AS (
SELECT
  *
FROM `usage`
),
`prepared` AS (
SELECT
  `t0`.`account_id`,
  `t0`.`period`,
  `t0`.`segment`,
  `t0`.`industry`,
  `t0`.`tier`,
  CASE
    WHEN IS_NAN(`t0`.`licensed_users` - `t0`.`licensed_users`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`licensed_users` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`licensed_users`
  END AS `licensed_users`,
  CASE
    WHEN IS_NAN(`t0`.`git_ops_users_l28d` - `t0`.`git_ops_users_l28d`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`git_ops_users_l28d` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`git_ops_users_l28d`
  END AS `git_ops_users_l28d`,
  CASE
    WHEN IS_NAN(`t0`.`billable_users` - `t0`.`billable_users`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`billable_users` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`billable_users`
  END AS `billable_users`,
  CASE
    WHEN IS_NAN(`t0`.`ci_builds_l28d` - `t0`.`ci_builds_l28d`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`ci_builds_l28d` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`ci_builds_l28d`
  END AS `ci_builds_l28d`,
  CASE
    WHEN IS_NAN(`t0`.`deployment_users_l28d` - `t0`.`deployment_users_l28d`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`deployment_users_l28d` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`deployment_users_l28d`
  END AS `deployment_users_l28d`,
  CASE
    WHEN IS_NAN(`t0`.`deployments_l28d` - `t0`.`deployments_l28d`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`deployments_l28d` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`deployments_l28d`
  END AS `deployments_l28d`,
  CASE
    WHEN IS_NAN(`t0`.`successful_deployments_l28d` - `t0`.`successful_deployments_l28d`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`successful_deployments_l28d` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`successful_deployments_l28d`
  END AS `successful_deployments_l28d`,
  CASE
    WHEN IS_NAN(`t0`.`failed_deployments_l28d` - `t0`.`failed_deployments_l28d`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`failed_deployments_l28d` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`failed_deployments_l28d`
  END AS `failed_deployments_l28d`,
  CASE
    WHEN IS_NAN(`t0`.`secure_scanner_users_l28d` - `t0`.`secure_scanner_users_l28d`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`secure_scanner_users_l28d` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`secure_scanner_users_l28d`
  END AS `secure_scanner_users_l28d`,
  CASE
    WHEN IS_NAN(`t0`.`sast_scans_l28d` - `t0`.`sast_scans_l28d`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`sast_scans_l28d` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`sast_scans_l28d`
  END AS `sast_scans_l28d`,
  CASE
    WHEN IS_NAN(`t0`.`dast_scans_l28d` - `t0`.`dast_scans_l28d`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`dast_scans_l28d` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`dast_scans_l28d`
  END AS `dast_scans_l28d`,
  CASE
    WHEN IS_NAN(`t0`.`secret_detection_scans_l28d` - `t0`.`secret_detection_scans_l28d`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`secret_detection_scans_l28d` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`secret_detection_scans_l28d`
  END AS `secret_detection_scans_l28d`,
  CASE
    WHEN IS_NAN(`t0`.`dependency_scanning_scans_l28d` - `t0`.`dependency_scanning_scans_l28d`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`dependency_scanning_scans_l28d` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`dependency_scanning_scans_l28d`
  END AS `dependency_scanning_scans_l28d`,
  CASE
    WHEN IS_NAN(`t0`.`container_scanning_scans_l28d` - `t0`.`container_scanning_scans_l28d`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`container_scanning_scans_l28d` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`container_scanning_scans_l28d`
  END AS `container_scanning_scans_l28d`,
  CASE
    WHEN IS_NAN(`t0`.`coverage_fuzzing_scans_l28d` - `t0`.`coverage_fuzzing_scans_l28d`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`coverage_fuzzing_scans_l28d` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`coverage_fuzzing_scans_l28d`
  END AS `coverage_fuzzing_scans_l28d`,
  CASE
    WHEN IS_NAN(`t0`.`api_fuzzing_scans_l28d` - `t0`.`api_fuzzing_scans_l28d`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`api_fuzzing_scans_l28d` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`api_fuzzing_scans_l28d`
  END AS `api_fuzzing_scans_l28d`,
  CASE
    WHEN IS_NAN(`t0`.`ci_internal_pipelines_l28d` - `t0`.`ci_internal_pipelines_l28d`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`ci_internal_pipelines_l28d` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`ci_internal_pipelines_l28d`
  END AS `ci_internal_pipelines_l28d`,
  CASE
    WHEN IS_NAN(`t0`.`account_age_months` - `t0`.`account_age_months`)
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`account_age_months`
  END AS `account_age_months`,
  CASE
    WHEN IS_NAN(`t0`.`unique_active_users_l28d` - `t0`.`unique_active_users_l28d`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`unique_active_users_l28d` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`unique_active_users_l28d`
  END AS `unique_active_users_l28d`
FROM `source` AS `t0`
WHERE
  CASE
    WHEN IS_NAN(`t0`.`licensed_users` - `t0`.`licensed_users`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`licensed_users` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`licensed_users`
  END > 0
),
`metric_inputs` AS (
SELECT
  `t0`.`account_id`,
  `t0`.`period`,
  `t0`.`segment`,
  `t0`.`industry`,
  `t0`.`tier`,
  `t0`.`account_age_months`,
  `t0`.`git_ops_users_l28d` AS `__m0_0_n`,
  `t0`.`billable_users` AS `__m0_0_d`,
  `t0`.`ci_builds_l28d` AS `__m1_0_n`,
  `t0`.`billable_users` AS `__m1_0_d`,
  `t0`.`deployment_users_l28d` AS `__m2_0_n`,
  `t0`.`billable_users` AS `__m2_0_d`,
  `t0`.`deployments_l28d` AS `__m2_1_n`,
  `t0`.`billable_users` AS `__m2_1_d`,
  `t0`.`successful_deployments_l28d` AS `__m2_2_n`,
  `t0`.`successful_deployments_l28d` + `t0`.`failed_deployments_l28d` AS `__m2_2_d`,
  INSTR(LOWER(`t0`.`tier`), 'ultimate') > 0 AS `__u3_app`,
  `t0`.`secure_scanner_users_l28d` AS `__m3_0_n`,
  `t0`.`billable_users` AS `__m3_0_d`,
  CASE
    WHEN (
      `t0`.`sast_scans_l28d` IS NULL
    )
    AND (
      `t0`.`dast_scans_l28d` IS NULL
    )
    AND (
      `t0`.`secret_detection_scans_l28d` IS NULL
    )
    AND (
      `t0`.`dependency_scanning_scans_l28d` IS NULL
    )
    AND (
      `t0`.`container_scanning_scans_l28d` IS NULL
    )
    AND (
      `t0`.`coverage_fuzzing_scans_l28d` IS NULL
    )
    AND (
      `t0`.`api_fuzzing_scans_l28d` IS NULL
    )
    THEN CAST(NULL AS FLOAT64)
    ELSE COALESCE(`t0`.`sast_scans_l28d`, 0) + COALESCE(`t0`.`dast_scans_l28d`, 0) + COALESCE(`t0`.`secret_detection_scans_l28d`, 0) + COALESCE(`t0`.`dependency_scanning_scans_l28d`, 0) + COALESCE(`t0`.`container_scanning_scans_l28d`, 0) + COALESCE(`t0`.`coverage_fuzzing_scans_l28d`, 0) + COALESCE(`t0`.`api_fuzzing_scans_l28d`, 0)
  END AS `__m3_1_n`,
  `t0`.`ci_internal_pipelines_l28d` AS `__m3_1_d`,
  CASE
    WHEN (
      `t0`.`sast_scans_l28d` IS NULL
    )
    AND (
      `t0`.`dast_scans_l28d` IS NULL
    )
    AND (
      `t0`.`secret_detection_scans_l28d` IS NULL
    )
    AND (
      `t0`.`dependency_scanning_scans_l28d` IS NULL
    )
    AND (
      `t0`.`container_scanning_scans_l28d` IS NULL
    )
    AND (
      `t0`.`coverage_fuzzing_scans_l28d` IS NULL
    )
    AND (
      `t0`.`api_fuzzing_scans_l28d` IS NULL
    )
    THEN CAST(NULL AS FLOAT64)
    ELSE CAST(CASE WHEN `t0`.`sast_scans_l28d` > 0 THEN 1 ELSE 0 END + CASE WHEN `t0`.`dast_scans_l28d` > 0 THEN 1 ELSE 0 END + CASE WHEN `t0`.`secret_detection_scans_l28d` > 0 THEN 1 ELSE 0 END + CASE WHEN `t0`.`dependency_scanning_scans_l28d` > 0 THEN 1 ELSE 0 END + CASE WHEN `t0`.`container_scanning_scans_l28d` > 0 THEN 1 ELSE 0 END + CASE WHEN `t0`.`coverage_fuzzing_scans_l28d` > 0 THEN 1 ELSE 0 END + CASE WHEN `t0`.`api_fuzzing_scans_l28d` > 0 THEN 1 ELSE 0 END AS FLOAT64)
  END AS `__m3_2_n`,
  CAST(NULL AS FLOAT64) AS `__m3_2_d`,
  `t0`.`billable_users` AS `__m4_0_n`,
  `t0`.`licensed_users` AS `__m4_0_d`,
  `t0`.`unique_active_users_l28d` AS `__m5_0_n`,
  `t0`.`billable_users` AS `__m5_0_d`
FROM `prepared` AS `t0`
),
`metric_values` AS (
SELECT
  `t0`.`account_id`,
  `t0`.`period`,
  `t0`.`segment`,
  `t0`.`industry`,
  `t0`.`tier`,
  `t0`.`account_age_months`,
  `t0`.`__m0_0_n`,
  `t0`.`__m0_0_d`,
  `t0`.`__m1_0_n`,
  `t0`.`__m1_0_d`,
  `t0`.`__m2_0_n`,
  `t0`.`__m2_0_d`,
  `t0`.`__m2_1_n`,
  `t0`.`__m2_1_d`,
  `t0`.`__m2_2_n`,
  `t0`.`__m2_2_d`,
  `t0`.`__u3_app`,
  `t0`.`__m3_0_n`,
  `t0`.`__m3_0_d`,
  `t0`.`__m3_1_n`,
  `t0`.`__m3_1_d`,
  `t0`.`__m3_2_n`,
  `t0`.`__m3_2_d`,
  `t0`.`__m4_0_n`,
  `t0`.`__m4_0_d`,
  `t0`.`__m5_0_n`,
  `t0`.`__m5_0_d`,
  CASE
    WHEN (
      `t0`.`__m0_0_n` IS NULL
    ) OR (
      `t0`.`__m0_0_d` IS NULL
    )
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`__m0_0_d` = 0
    THEN CAST(0.0 AS FLOAT64)
    ELSE ieee_divide(`t0`.`__m0_0_n`, `t0`.`__m0_0_d`)
  END AS `__m0_0_v0`,
  CASE
    WHEN (
      `t0`.`__m1_0_n` IS NULL
    ) OR (
      `t0`.`__m1_0_d` IS NULL
    )
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`__m1_0_d` = 0
    THEN CAST(0.0 AS FLOAT64)
    ELSE ieee_divide(`t0`.`__m1_0_n`, `t0`.`__m1_0_d`)
  END AS `__m1_0_v0`,
  CASE
    WHEN (
      `t0`.`__m2_0_n` IS NULL
    ) OR (
      `t0`.`__m2_0_d` IS NULL
    )
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`__m2_0_d` = 0
    THEN CAST(0.0 AS FLOAT64)
    ELSE ieee_divide(`t0`.`__m2_0_n`, `t0`.`__m2_0_d`)
  END AS `__m2_0_v0`,
  CASE
    WHEN (
      `t0`.`__m2_1_n` IS NULL
    ) OR (
      `t0`.`__m2_1_d` IS NULL
    )
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`__m2_1_d` = 0
    THEN CAST(0.0 AS FLOAT64)
    ELSE ieee_divide(`t0`.`__m2_1_n`, `t0`.`__m2_1_d`)
  END AS `__m2_1_v0`,
  CASE
    WHEN (
      `t0`.`__m2_2_n` IS NULL
    ) OR (
      `t0`.`__m2_2_d` IS NULL
    )
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`__m2_2_d` = 0
    THEN CAST(0.0 AS FLOAT64)
    ELSE ieee_divide(`t0`.`__m2_2_n`, `t0`.`__m2_2_d`)
  END AS `__m2_2_v0`,
  CASE
    WHEN (
      `t0`.`__m3_0_n` IS NULL
    ) OR (
      `t0`.`__m3_0_d` IS NULL
    )
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`__m3_0_d` = 0
    THEN CAST(0.0 AS FLOAT64)
    ELSE ieee_divide(`t0`.`__m3_0_n`, `t0`.`__m3_0_d`)
  END AS `__m3_0_v0`,
  CASE
    WHEN (
      `t0`.`__m3_1_n` IS NULL
    ) OR (
      `t0`.`__m3_1_d` IS NULL
    )
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`__m3_1_d` = 0
    THEN CAST(NULL AS FLOAT64)
    ELSE ieee_divide(`t0`.`__m3_1_n`, `t0`.`__m3_1_d`)
  END AS `__m3_1_v0`,
  `t0`.`__m3_2_n` AS `__m3_2_v0`,
  CASE
    WHEN (
      `t0`.`__m4_0_n` IS NULL
    ) OR (
      `t0`.`__m4_0_d` IS NULL
    )
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`__m4_0_d` = 0
    THEN CAST(0.0 AS FLOAT64)
    ELSE ieee_divide(`t0`.`__m4_0_n`, `t0`.`__m4_0_d`)
  END AS `__m4_0_v0`,
  CASE
    WHEN (
      `t0`.`__m5_0_n` IS NULL
    ) OR (
      `t0`.`__m5_0_d` IS NULL
    )
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`__m5_0_d` = 0
    THEN CAST(0.0 AS FLOAT64)
    ELSE ieee_divide(`t0`.`__m5_0_n`, `t0`.`__m5_0_d`)
  END AS `__m5_0_v0`
FROM `metric_inputs` AS `t0`
),
`metric_codes` AS (
SELECT
  `t0`.`account_id`,
  `t0`.`period`,
  `t0`.`segment`,
  `t0`.`industry`,
  `t0`.`tier`,
  `t0`.`account_age_months`,
  `t0`.`__m0_0_n`,
  `t0`.`__m0_0_d`,
  `t0`.`__m1_0_n`,
  `t0`.`__m1_0_d`,
  `t0`.`__m2_0_n`,
  `t0`.`__m2_0_d`,
  `t0`.`__m2_1_n`,
  `t0`.`__m2_1_d`,
  `t0`.`__m2_2_n`,
  `t0`.`__m2_2_d`,
  `t0`.`__u3_app`,
  `t0`.`__m3_0_n`,
  `t0`.`__m3_0_d`,
  `t0`.`__m3_1_n`,
  `t0`.`__m3_1_d`,
  `t0`.`__m3_2_n`,
  `t0`.`__m3_2_d`,
  `t0`.`__m4_0_n`,
  `t0`.`__m4_0_d`,
  `t0`.`__m5_0_n`,
  `t0`.`__m5_0_d`,
  `t0`.`__m0_0_v0`,
  `t0`.`__m1_0_v0`,
  `t0`.`__m2_0_v0`,
  `t0`.`__m2_1_v0`,
  `t0`.`__m2_2_v0`,
  `t0`.`__m3_0_v0`,
  `t0`.`__m3_1_v0`,
  `t0`.`__m3_2_v0`,
  `t0`.`__m4_0_v0`,
  `t0`.`__m5_0_v0`,
  `t0`.`__m0_0_v0` AS `__m0_0_v`,
  CASE
    WHEN `t0`.`__m0_0_v0` IS NOT NULL
    THEN 0
    WHEN `t0`.`__m0_0_n` IS NULL
    THEN 1
    WHEN `t0`.`__m0_0_d` IS NULL
    THEN 2
    ELSE 0
  END AS `__m0_0_code`,
  `t0`.`__m1_0_v0` AS `__m1_0_v`,
  CASE
    WHEN `t0`.`__m1_0_v0` IS NOT NULL
    THEN 0
    WHEN `t0`.`__m1_0_n` IS NULL
    THEN 1
    WHEN `t0`.`__m1_0_d` IS NULL
    THEN 2
    ELSE 0
  END AS `__m1_0_code`,
  `t0`.`__m2_0_v0` AS `__m2_0_v`,
  CASE
    WHEN `t0`.`__m2_0_v0` IS NOT NULL
    THEN 0
    WHEN `t0`.`__m2_0_n` IS NULL
    THEN 1
    WHEN `t0`.`__m2_0_d` IS NULL
    THEN 2
    ELSE 0
  END AS `__m2_0_code`,
  `t0`.`__m2_1_v0` AS `__m2_1_v`,
  CASE
    WHEN `t0`.`__m2_1_v0` IS NOT NULL
    THEN 0
    WHEN `t0`.`__m2_1_n` IS NULL
    THEN 1
    WHEN `t0`.`__m2_1_d` IS NULL
    THEN 2
    ELSE 0
  END AS `__m2_1_code`,
  `t0`.`__m2_2_v0` AS `__m2_2_v`,
  CASE
    WHEN `t0`.`__m2_2_v0` IS NOT NULL
    THEN 0
    WHEN `t0`.`__m2_2_n` IS NULL
    THEN 1
    WHEN `t0`.`__m2_2_d` IS NULL
    THEN 2
    ELSE 0
  END AS `__m2_2_code`,
  `t0`.`__m3_0_v0` AS `__m3_0_v`,
  CASE
    WHEN (
      `t0`.`__m3_0_v0` IS NOT NULL
    ) AND COALESCE(`t0`.`__u3_app`, FALSE)
    THEN 0
    WHEN `t0`.`__u3_app` = FALSE
    THEN 1
    WHEN `t0`.`__u3_app` IS NULL
    THEN 2
    WHEN `t0`.`__m3_0_n` IS NULL
    THEN 3
    WHEN `t0`.`__m3_0_d` IS NULL
    THEN 4
    ELSE 0
  END AS `__m3_0_code`,
  `t0`.`__m3_1_v0` AS `__m3_1_v`,
  CASE
    WHEN (
      `t0`.`__m3_1_v0` IS NOT NULL
    ) AND COALESCE(`t0`.`__u3_app`, FALSE)
    THEN 0
    WHEN `t0`.`__u3_app` = FALSE
    THEN 1
    WHEN `t0`.`__u3_app` IS NULL
    THEN 2
    WHEN `t0`.`__m3_1_n` IS NULL
    THEN 3
    WHEN `t0`.`__m3_1_d` IS NULL
    THEN 4
    WHEN `t0`.`__m3_1_d` = 0
    THEN 5
    ELSE 0
  END AS `__m3_1_code`,
  `t0`.`__m3_2_v0` AS `__m3_2_v`,
  CASE
    WHEN (
      `t0`.`__m3_2_v0` IS NOT NULL
    ) AND COALESCE(`t0`.`__u3_app`, FALSE)
    THEN 0
    WHEN `t0`.`__u3_app` = FALSE
    THEN 1
    WHEN `t0`.`__u3_app` IS NULL
    THEN 2
    WHEN `t0`.`__m3_2_n` IS NULL
    THEN 3
    ELSE 0
  END AS `__m3_2_code`,
  `t0`.`__m4_0_v0` AS `__m4_0_v`,
  CASE
    WHEN (
      `t0`.`__m4_0_v0` IS NOT NULL
    )
    AND COALESCE(
      (
        (
          `t0`.`account_age_months` >= CAST(3.0 AS FLOAT64)
        )
        AND (
          `t0`.`account_age_months` < CAST(7.0 AS FLOAT64)
        )
      )
      OR (
        (
          `t0`.`account_age_months` >= CAST(7.0 AS FLOAT64)
        )
        AND (
          `t0`.`account_age_months` < CAST(10.0 AS FLOAT64)
        )
      )
      OR (
        `t0`.`account_age_months` >= CAST(10.0 AS FLOAT64)
      ),
      FALSE
    )
    THEN 0
    WHEN `t0`.`account_age_months` < CAST(3.0 AS FLOAT64)
    THEN 1
    WHEN (
      `t0`.`account_age_months` IS NOT NULL
    )
    AND NOT (
      (
        `t0`.`account_age_months` < CAST(3.0 AS FLOAT64)
      )
      OR (
        (
          `t0`.`account_age_months` >= CAST(3.0 AS FLOAT64)
        )
        AND (
          `t0`.`account_age_months` < CAST(7.0 AS FLOAT64)
        )
      )
      OR (
        (
          `t0`.`account_age_months` >= CAST(7.0 AS FLOAT64)
        )
        AND (
          `t0`.`account_age_months` < CAST(10.0 AS FLOAT64)
        )
      )
      OR (
        `t0`.`account_age_months` >= CAST(10.0 AS FLOAT64)
      )
    )
    THEN 2
    WHEN `t0`.`account_age_months` IS NULL
    THEN 3
    WHEN `t0`.`__m4_0_n` IS NULL
    THEN 4
    WHEN `t0`.`__m4_0_d` IS NULL
    THEN 5
    ELSE 0
  END AS `__m4_0_code`,
  `t0`.`__m5_0_v0` AS `__m5_0_v`,
  CASE
    WHEN `t0`.`__m5_0_v0` IS NOT NULL
    THEN 0
    WHEN `t0`.`__m5_0_n` IS NULL
    THEN 1
    WHEN `t0`.`__m5_0_d` IS NULL
    THEN 2
    ELSE 0
  END AS `__m5_0_code`
FROM `metric_values` AS `t0`
),
`metric_reasons` AS (
SELECT
  `t0`.`account_id`,
  `t0`.`period`,
  `t0`.`segment`,
  `t0`.`industry`,
  `t0`.`tier`,
  `t0`.`account_age_months`,
  `t0`.`__m0_0_n`,
  `t0`.`__m0_0_d`,
  `t0`.`__m1_0_n`,
  `t0`.`__m1_0_d`,
  `t0`.`__m2_0_n`,
  `t0`.`__m2_0_d`,
  `t0`.`__m2_1_n`,
  `t0`.`__m2_1_d`,
  `t0`.`__m2_2_n`,
  `t0`.`__m2_2_d`,
  `t0`.`__u3_app`,
  `t0`.`__m3_0_n`,
  `t0`.`__m3_0_d`,
  `t0`.`__m3_1_n`,
  `t0`.`__m3_1_d`,
  `t0`.`__m3_2_n`,
  `t0`.`__m3_2_d`,
  `t0`.`__m4_0_n`,
  `t0`.`__m4_0_d`,
  `t0`.`__m5_0_n`,
  `t0`.`__m5_0_d`,
  `t0`.`__m0_0_v`,
  `t0`.`__m0_0_code`,
  `t0`.`__m1_0_v`,
  `t0`.`__m1_0_code`,
  `t0`.`__m2_0_v`,
  `t0`.`__m2_0_code`,
  `t0`.`__m2_1_v`,
  `t0`.`__m2_1_code`,
  `t0`.`__m2_2_v`,
  `t0`.`__m2_2_code`,
  `t0`.`__m3_0_v`,
  `t0`.`__m3_0_code`,
  `t0`.`__m3_1_v`,
  `t0`.`__m3_1_code`,
  `t0`.`__m3_2_v`,
  `t0`.`__m3_2_code`,
  `t0`.`__m4_0_v`,
  `t0`.`__m4_0_code`,
  `t0`.`__m5_0_v`,
  `t0`.`__m5_0_code`,
  CASE
    WHEN `t0`.`__m0_0_code` = 0
    THEN CAST(NULL AS STRING)
    WHEN `t0`.`__m0_0_code` = 1
    THEN 'numerator missing (git_ops_users_l28d)'
    WHEN `t0`.`__m0_0_code` = 2
    THEN 'denominator missing (billable_users)'
    ELSE CAST(NULL AS STRING)
  END AS `__m0_0_r`,
  FALSE AS `__m0_0_na`,
  CAST(ROUND(`t0`.`__m0_0_v`, 9) AS FLOAT64) AS `__m0_0_vr`,
  CASE
    WHEN `t0`.`__m1_0_code` = 0
    THEN CAST(NULL AS STRING)
    WHEN `t0`.`__m1_0_code` = 1
    THEN 'numerator missing (ci_builds_l28d)'
    WHEN `t0`.`__m1_0_code` = 2
    THEN 'denominator missing (billable_users)'
    ELSE CAST(NULL AS STRING)
  END AS `__m1_0_r`,
  FALSE AS `__m1_0_na`,
  CAST(ROUND(`t0`.`__m1_0_v`, 9) AS FLOAT64) AS `__m1_0_vr`,
  CASE
    WHEN `t0`.`__m2_0_code` = 0
    THEN CAST(NULL AS STRING)
    WHEN `t0`.`__m2_0_code` = 1
    THEN 'numerator missing (deployment_users_l28d)'
    WHEN `t0`.`__m2_0_code` = 2
    THEN 'denominator missing (billable_users)'
    ELSE CAST(NULL AS STRING)
  END AS `__m2_0_r`,
  FALSE AS `__m2_0_na`,
  CAST(ROUND(`t0`.`__m2_0_v`, 9) AS FLOAT64) AS `__m2_0_vr`,
  CASE
    WHEN `t0`.`__m2_1_code` = 0
    THEN CAST(NULL AS STRING)
    WHEN `t0`.`__m2_1_code` = 1
    THEN 'numerator missing (deployments_l28d)'
    WHEN `t0`.`__m2_1_code` = 2
    THEN 'denominator missing (billable_users)'
    ELSE CAST(NULL AS STRING)
  END AS `__m2_1_r`,
  FALSE AS `__m2_1_na`,
  CAST(ROUND(`t0`.`__m2_1_v`, 9) AS FLOAT64) AS `__m2_1_vr`,
  CASE
    WHEN `t0`.`__m2_2_code` = 0
    THEN CAST(NULL AS STRING)
    WHEN `t0`.`__m2_2_code` = 1
    THEN 'numerator missing (successful_deployments_l28d)'
    WHEN `t0`.`__m2_2_code` = 2
    THEN 'denominator missing (successful_deployments_l28d, failed_deployments_l28d)'
    ELSE CAST(NULL AS STRING)
  END AS `__m2_2_r`,
  FALSE AS `__m2_2_na`,
  CAST(ROUND(`t0`.`__m2_2_v`, 9) AS FLOAT64) AS `__m2_2_vr`,
  CASE
    WHEN `t0`.`__m3_0_code` = 0
    THEN CAST(NULL AS STRING)
    WHEN `t0`.`__m3_0_code` = 1
    THEN 'not applicable: contains(lower(tier), \'ultimate\')'
    WHEN `t0`.`__m3_0_code` = 2
    THEN 'applicability unknown: contains(lower(tier), \'ultimate\')'
    WHEN `t0`.`__m3_0_code` = 3
    THEN 'numerator missing (secure_scanner_users_l28d)'
    WHEN `t0`.`__m3_0_code` = 4
    THEN 'denominator missing (billable_users)'
    ELSE CAST(NULL AS STRING)
  END AS `__m3_0_r`,
  CASE WHEN `t0`.`__m3_0_code` = 0 THEN FALSE ELSE `t0`.`__m3_0_code` IN (1) END AS `__m3_0_na`,
  CAST(ROUND(`t0`.`__m3_0_v`, 9) AS FLOAT64) AS `__m3_0_vr`,
  CASE
    WHEN `t0`.`__m3_1_code` = 0
    THEN CAST(NULL AS STRING)
    WHEN `t0`.`__m3_1_code` = 1
    THEN 'not applicable: contains(lower(tier), \'ultimate\')'
    WHEN `t0`.`__m3_1_code` = 2
    THEN 'applicability unknown: contains(lower(tier), \'ultimate\')'
    WHEN `t0`.`__m3_1_code` = 3
    THEN 'numerator missing (sast_scans_l28d, dast_scans_l28d, secret_detection_scans_l28d, dependency_scanning_scans_l28d, container_scanning_scans_l28d, coverage_fuzzing_scans_l28d, api_fuzzing_scans_l28d)'
    WHEN `t0`.`__m3_1_code` = 4
    THEN 'denominator missing (ci_internal_pipelines_l28d)'
    WHEN `t0`.`__m3_1_code` = 5
    THEN 'denominator is zero (ci_internal_pipelines_l28d)'
    ELSE CAST(NULL AS STRING)
  END AS `__m3_1_r`,
  CASE WHEN `t0`.`__m3_1_code` = 0 THEN FALSE ELSE `t0`.`__m3_1_code` IN (1) END AS `__m3_1_na`,
  CAST(ROUND(`t0`.`__m3_1_v`, 9) AS FLOAT64) AS `__m3_1_vr`,
  CASE
    WHEN `t0`.`__m3_2_code` = 0
    THEN CAST(NULL AS STRING)
    WHEN `t0`.`__m3_2_code` = 1
    THEN 'not applicable: contains(lower(tier), \'ultimate\')'
    WHEN `t0`.`__m3_2_code` = 2
    THEN 'applicability unknown: contains(lower(tier), \'ultimate\')'
    WHEN `t0`.`__m3_2_code` = 3
    THEN 'numerator missing (sast_scans_l28d, dast_scans_l28d, secret_detection_scans_l28d, dependency_scanning_scans_l28d, container_scanning_scans_l28d, coverage_fuzzing_scans_l28d, api_fuzzing_scans_l28d)'
    ELSE CAST(NULL AS STRING)
  END AS `__m3_2_r`,
  CASE WHEN `t0`.`__m3_2_code` = 0 THEN FALSE ELSE `t0`.`__m3_2_code` IN (1) END AS `__m3_2_na`,
  CAST(ROUND(`t0`.`__m3_2_v`, 9) AS FLOAT64) AS `__m3_2_vr`,
  CASE
    WHEN `t0`.`__m4_0_code` = 0
    THEN CAST(NULL AS STRING)
    WHEN `t0`.`__m4_0_code` = 1
    THEN 'not applicable: account_age_months < 3'
    WHEN `t0`.`__m4_0_code` = 2
    THEN 'not applicable: account_age_months outside every band case'
    WHEN `t0`.`__m4_0_code` = 3
    THEN 'account_age_months missing'
    WHEN `t0`.`__m4_0_code` = 4
    THEN 'numerator missing (billable_users)'
    WHEN `t0`.`__m4_0_code` = 5
    THEN 'denominator missing (licensed_users)'
    ELSE CAST(NULL AS STRING)
  END AS `__m4_0_r`,
  CASE WHEN `t0`.`__m4_0_code` = 0 THEN FALSE ELSE `t0`.`__m4_0_code` IN (1, 2) END AS `__m4_0_na`,
  CAST(ROUND(`t0`.`__m4_0_v`, 9) AS FLOAT64) AS `__m4_0_vr`,
  CASE
    WHEN `t0`.`__m5_0_code` = 0
    THEN CAST(NULL AS STRING)
    WHEN `t0`.`__m5_0_code` = 1
    THEN 'numerator missing (unique_active_users_l28d)'
    WHEN `t0`.`__m5_0_code` = 2
    THEN 'denominator missing (billable_users)'
    ELSE CAST(NULL AS STRING)
  END AS `__m5_0_r`,
  FALSE AS `__m5_0_na`,
  CAST(ROUND(`t0`.`__m5_0_v`, 9) AS FLOAT64) AS `__m5_0_vr`
FROM `metric_codes` AS `t0`
),
`metric_colors` AS (
SELECT
  `t0`.`account_id`,
  `t0`.`period`,
  `t0`.`segment`,
  `t0`.`industry`,
  `t0`.`tier`,
  `t0`.`account_age_months`,
  `t0`.`__m0_0_n`,
  `t0`.`__m0_0_d`,
  `t0`.`__m1_0_n`,
  `t0`.`__m1_0_d`,
  `t0`.`__m2_0_n`,
  `t0`.`__m2_0_d`,
  `t0`.`__m2_1_n`,
  `t0`.`__m2_1_d`,
  `t0`.`__m2_2_n`,
  `t0`.`__m2_2_d`,
  `t0`.`__u3_app`,
  `t0`.`__m3_0_n`,
  `t0`.`__m3_0_d`,
  `t0`.`__m3_1_n`,
  `t0`.`__m3_1_d`,
  `t0`.`__m3_2_n`,
  `t0`.`__m3_2_d`,
  `t0`.`__m4_0_n`,
  `t0`.`__m4_0_d`,
  `t0`.`__m5_0_n`,
  `t0`.`__m5_0_d`,
  `t0`.`__m0_0_v`,
  `t0`.`__m0_0_code`,
  `t0`.`__m1_0_v`,
  `t0`.`__m1_0_code`,
  `t0`.`__m2_0_v`,
  `t0`.`__m2_0_code`,
  `t0`.`__m2_1_v`,
  `t0`.`__m2_1_code`,
  `t0`.`__m2_2_v`,
  `t0`.`__m2_2_code`,
  `t0`.`__m3_0_v`,
  `t0`.`__m3_0_code`,
  `t0`.`__m3_1_v`,
  `t0`.`__m3_1_code`,
  `t0`.`__m3_2_v`,
  `t0`.`__m3_2_code`,
  `t0`.`__m4_0_v`,
  `t0`.`__m4_0_code`,
  `t0`.`__m5_0_v`,
  `t0`.`__m5_0_code`,
  `t0`.`__m0_0_r`,
  `t0`.`__m0_0_na`,
  `t0`.`__m1_0_r`,
  `t0`.`__m1_0_na`,
  `t0`.`__m2_0_r`,
  `t0`.`__m2_0_na`,
  `t0`.`__m2_1_r`,
  `t0`.`__m2_1_na`,
  `t0`.`__m2_2_r`,
  `t0`.`__m2_2_na`,
  `t0`.`__m3_0_r`,
  `t0`.`__m3_0_na`,
  `t0`.`__m3_1_r`,
  `t0`.`__m3_1_na`,
  `t0`.`__m3_2_r`,
  `t0`.`__m3_2_na`,
  `t0`.`__m4_0_r`,
  `t0`.`__m4_0_na`,
  `t0`.`__m5_0_r`,
  `t0`.`__m5_0_na`,
  CASE
    WHEN `t0`.`__m0_0_code` = 0
    THEN CASE
      WHEN `t0`.`__m0_0_vr` IS NULL
      THEN CAST(NULL AS INT64)
      WHEN `t0`.`__m0_0_vr` <= CAST(0.1 AS FLOAT64)
      THEN 0
      WHEN `t0`.`__m0_0_vr` <= CAST(0.33 AS FLOAT64)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS INT64)
  END AS `__m0_0_c`,
  CASE
    WHEN `t0`.`__m1_0_code` = 0
    THEN CASE
      WHEN `t0`.`__m1_0_vr` IS NULL
      THEN CAST(NULL AS INT64)
      WHEN `t0`.`__m1_0_vr` <= CAST(2.0 AS FLOAT64)
      THEN 0
      WHEN `t0`.`__m1_0_vr` <= CAST(40.0 AS FLOAT64)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS INT64)
  END AS `__m1_0_c`,
  CASE
    WHEN `t0`.`__m2_0_code` = 0
    THEN CASE
      WHEN `t0`.`__m2_0_vr` IS NULL
      THEN CAST(NULL AS INT64)
      WHEN `t0`.`__m2_0_vr` < CAST(0.05 AS FLOAT64)
      THEN 0
      WHEN `t0`.`__m2_0_vr` <= CAST(0.12 AS FLOAT64)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS INT64)
  END AS `__m2_0_c`,
  CASE
    WHEN `t0`.`__m2_1_code` = 0
    THEN CASE
      WHEN `t0`.`__m2_1_vr` IS NULL
      THEN CAST(NULL AS INT64)
      WHEN `t0`.`__m2_1_vr` < CAST(2.0 AS FLOAT64)
      THEN 0
      WHEN `t0`.`__m2_1_vr` <= CAST(7.0 AS FLOAT64)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS INT64)
  END AS `__m2_1_c`,
  CASE
    WHEN `t0`.`__m2_2_code` = 0
    THEN CASE
      WHEN `t0`.`__m2_2_vr` IS NULL
      THEN CAST(NULL AS INT64)
      WHEN `t0`.`__m2_2_vr` < CAST(0.25 AS FLOAT64)
      THEN 0
      WHEN `t0`.`__m2_2_vr` <= CAST(0.8 AS FLOAT64)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS INT64)
  END AS `__m2_2_c`,
  CASE
    WHEN `t0`.`__m3_0_code` = 0
    THEN CASE
      WHEN `t0`.`__m3_0_vr` IS NULL
      THEN CAST(NULL AS INT64)
      WHEN `t0`.`__m3_0_vr` <= CAST(0.05 AS FLOAT64)
      THEN 0
      WHEN `t0`.`__m3_0_vr` < CAST(0.2 AS FLOAT64)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS INT64)
  END AS `__m3_0_c`,
  CASE
    WHEN `t0`.`__m3_1_code` = 0
    THEN CASE
      WHEN `t0`.`__m3_1_vr` IS NULL
      THEN CAST(NULL AS INT64)
      WHEN `t0`.`__m3_1_vr` < CAST(0.1 AS FLOAT64)
      THEN 0
      WHEN `t0`.`__m3_1_vr` <= CAST(0.5 AS FLOAT64)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS INT64)
  END AS `__m3_1_c`,
  CASE
    WHEN `t0`.`__m3_2_code` = 0
    THEN CASE
      WHEN `t0`.`__m3_2_vr` IS NULL
      THEN CAST(NULL AS INT64)
      WHEN `t0`.`__m3_2_vr` <= CAST(1.0 AS FLOAT64)
      THEN 0
      WHEN `t0`.`__m3_2_vr` < CAST(3.0 AS FLOAT64)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS INT64)
  END AS `__m3_2_c`,
  CASE
    WHEN `t0`.`__m4_0_code` = 0
    THEN CASE
      WHEN (
        `t0`.`account_age_months` >= CAST(3.0 AS FLOAT64)
      )
      AND (
        `t0`.`account_age_months` < CAST(7.0 AS FLOAT64)
      )
      THEN CASE
        WHEN `t0`.`__m4_0_vr` IS NULL
        THEN CAST(NULL AS INT64)
        WHEN `t0`.`__m4_0_vr` <= CAST(0.1 AS FLOAT64)
        THEN 0
        WHEN `t0`.`__m4_0_vr` <= CAST(0.5 AS FLOAT64)
        THEN 1
        ELSE 2
      END
      WHEN (
        `t0`.`account_age_months` >= CAST(7.0 AS FLOAT64)
      )
      AND (
        `t0`.`account_age_months` < CAST(10.0 AS FLOAT64)
      )
      THEN CASE
        WHEN `t0`.`__m4_0_vr` IS NULL
        THEN CAST(NULL AS INT64)
        WHEN `t0`.`__m4_0_vr` <= CAST(0.5 AS FLOAT64)
        THEN 0
        WHEN `t0`.`__m4_0_vr` <= CAST(0.75 AS FLOAT64)
        THEN 1
        ELSE 2
      END
      WHEN `t0`.`account_age_months` >= CAST(10.0 AS FLOAT64)
      THEN CASE
        WHEN `t0`.`__m4_0_vr` IS NULL
        THEN CAST(NULL AS INT64)
        WHEN `t0`.`__m4_0_vr` <= CAST(0.75 AS FLOAT64)
        THEN 0
        ELSE 2
      END
      ELSE CAST(NULL AS INT64)
    END
    ELSE CAST(NULL AS INT64)
  END AS `__m4_0_c`,
  CASE
    WHEN `t0`.`__m5_0_code` = 0
    THEN CASE
      WHEN `t0`.`__m5_0_vr` IS NULL
      THEN CAST(NULL AS INT64)
      WHEN `t0`.`__m5_0_vr` < CAST(0.5 AS FLOAT64)
      THEN 0
      WHEN `t0`.`__m5_0_vr` < CAST(0.8 AS FLOAT64)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS INT64)
  END AS `__m5_0_c`
FROM `metric_reasons` AS `t0`
),
`metric_points` AS (
SELECT
  `t0`.`account_id`,
  `t0`.`period`,
  `t0`.`segment`,
  `t0`.`industry`,
  `t0`.`tier`,
  `t0`.`account_age_months`,
  `t0`.`__m0_0_n`,
  `t0`.`__m0_0_d`,
  `t0`.`__m1_0_n`,
  `t0`.`__m1_0_d`,
  `t0`.`__m2_0_n`,
  `t0`.`__m2_0_d`,
  `t0`.`__m2_1_n`,
  `t0`.`__m2_1_d`,
  `t0`.`__m2_2_n`,
  `t0`.`__m2_2_d`,
  `t0`.`__u3_app`,
  `t0`.`__m3_0_n`,
  `t0`.`__m3_0_d`,
  `t0`.`__m3_1_n`,
  `t0`.`__m3_1_d`,
  `t0`.`__m3_2_n`,
  `t0`.`__m3_2_d`,
  `t0`.`__m4_0_n`,
  `t0`.`__m4_0_d`,
  `t0`.`__m5_0_n`,
  `t0`.`__m5_0_d`,
  `t0`.`__m0_0_v`,
  `t0`.`__m0_0_code`,
  `t0`.`__m1_0_v`,
  `t0`.`__m1_0_code`,
  `t0`.`__m2_0_v`,
  `t0`.`__m2_0_code`,
  `t0`.`__m2_1_v`,
  `t0`.`__m2_1_code`,
  `t0`.`__m2_2_v`,
  `t0`.`__m2_2_code`,
  `t0`.`__m3_0_v`,
  `t0`.`__m3_0_code`,
  `t0`.`__m3_1_v`,
  `t0`.`__m3_1_code`,
  `t0`.`__m3_2_v`,
  `t0`.`__m3_2_code`,
  `t0`.`__m4_0_v`,
  `t0`.`__m4_0_code`,
  `t0`.`__m5_0_v`,
  `t0`.`__m5_0_code`,
  `t0`.`__m0_0_r`,
  `t0`.`__m0_0_na`,
  `t0`.`__m1_0_r`,
  `t0`.`__m1_0_na`,
  `t0`.`__m2_0_r`,
  `t0`.`__m2_0_na`,
  `t0`.`__m2_1_r`,
  `t0`.`__m2_1_na`,
  `t0`.`__m2_2_r`,
  `t0`.`__m2_2_na`,
  `t0`.`__m3_0_r`,
  `t0`.`__m3_0_na`,
  `t0`.`__m3_1_r`,
  `t0`.`__m3_1_na`,
  `t0`.`__m3_2_r`,
  `t0`.`__m3_2_na`,
  `t0`.`__m4_0_r`,
  `t0`.`__m4_0_na`,
  `t0`.`__m5_0_r`,
  `t0`.`__m5_0_na`,
  `t0`.`__m0_0_c`,
  `t0`.`__m1_0_c`,
  `t0`.`__m2_0_c`,
  `t0`.`__m2_1_c`,
  `t0`.`__m2_2_c`,
  `t0`.`__m3_0_c`,
  `t0`.`__m3_1_c`,
  `t0`.`__m3_2_c`,
  `t0`.`__m4_0_c`,
  `t0`.`__m5_0_c`,
  CASE
    WHEN `t0`.`__m0_0_c` = 0
    THEN CAST(25.0 AS FLOAT64)
    WHEN `t0`.`__m0_0_c` = 1
    THEN CAST(63.0 AS FLOAT64)
    WHEN `t0`.`__m0_0_c` = 2
    THEN CAST(88.0 AS FLOAT64)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__m0_0_p`,
  CASE
    WHEN `t0`.`__m1_0_c` = 0
    THEN CAST(25.0 AS FLOAT64)
    WHEN `t0`.`__m1_0_c` = 1
    THEN CAST(63.0 AS FLOAT64)
    WHEN `t0`.`__m1_0_c` = 2
    THEN CAST(88.0 AS FLOAT64)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__m1_0_p`,
  CASE
    WHEN `t0`.`__m2_0_c` = 0
    THEN CAST(25.0 AS FLOAT64)
    WHEN `t0`.`__m2_0_c` = 1
    THEN CAST(63.0 AS FLOAT64)
    WHEN `t0`.`__m2_0_c` = 2
    THEN CAST(88.0 AS FLOAT64)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__m2_0_p`,
  CASE
    WHEN `t0`.`__m2_1_c` = 0
    THEN CAST(25.0 AS FLOAT64)
    WHEN `t0`.`__m2_1_c` = 1
    THEN CAST(63.0 AS FLOAT64)
    WHEN `t0`.`__m2_1_c` = 2
    THEN CAST(88.0 AS FLOAT64)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__m2_1_p`,
  CASE
    WHEN `t0`.`__m2_2_c` = 0
    THEN CAST(25.0 AS FLOAT64)
    WHEN `t0`.`__m2_2_c` = 1
    THEN CAST(63.0 AS FLOAT64)
    WHEN `t0`.`__m2_2_c` = 2
    THEN CAST(88.0 AS FLOAT64)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__m2_2_p`,
  CASE
    WHEN `t0`.`__m3_0_c` = 0
    THEN CAST(25.0 AS FLOAT64)
    WHEN `t0`.`__m3_0_c` = 1
    THEN CAST(63.0 AS FLOAT64)
    WHEN `t0`.`__m3_0_c` = 2
    THEN CAST(88.0 AS FLOAT64)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__m3_0_p`,
  CASE
    WHEN `t0`.`__m3_1_c` = 0
    THEN CAST(25.0 AS FLOAT64)
    WHEN `t0`.`__m3_1_c` = 1
    THEN CAST(63.0 AS FLOAT64)
    WHEN `t0`.`__m3_1_c` = 2
    THEN CAST(88.0 AS FLOAT64)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__m3_1_p`,
  CASE
    WHEN `t0`.`__m3_2_c` = 0
    THEN CAST(25.0 AS FLOAT64)
    WHEN `t0`.`__m3_2_c` = 1
    THEN CAST(63.0 AS FLOAT64)
    WHEN `t0`.`__m3_2_c` = 2
    THEN CAST(88.0 AS FLOAT64)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__m3_2_p`,
  CASE
    WHEN `t0`.`__m4_0_c` = 0
    THEN CAST(25.0 AS FLOAT64)
    WHEN `t0`.`__m4_0_c` = 1
    THEN CAST(63.0 AS FLOAT64)
    WHEN `t0`.`__m4_0_c` = 2
    THEN CAST(88.0 AS FLOAT64)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__m4_0_p`,
  CASE
    WHEN `t0`.`__m5_0_c` = 0
    THEN CAST(25.0 AS FLOAT64)
    WHEN `t0`.`__m5_0_c` = 1
    THEN CAST(63.0 AS FLOAT64)
    WHEN `t0`.`__m5_0_c` = 2
    THEN CAST(88.0 AS FLOAT64)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__m5_0_p`
FROM `metric_colors` AS `t0`
),
`metric_index` AS (
SELECT
  CAST(0 AS INT64) AS `__i`
UNION ALL
SELECT
  CAST(1 AS INT64) AS `__i`
UNION ALL
SELECT
  CAST(2 AS INT64) AS `__i`
UNION ALL
SELECT
  CAST(3 AS INT64) AS `__i`
UNION ALL
SELECT
  CAST(4 AS INT64) AS `__i`
UNION ALL
SELECT
  CAST(5 AS INT64) AS `__i`
UNION ALL
SELECT
  CAST(6 AS INT64) AS `__i`
UNION ALL
SELECT
  CAST(7 AS INT64) AS `__i`
UNION ALL
SELECT
  CAST(8 AS INT64) AS `__i`
UNION ALL
SELECT
  CAST(9 AS INT64) AS `__i`
)
SELECT
  `t4`.`rubric`,
  `t4`.`rubric_version`,
  `t4`.`account_id`,
  `t4`.`period`,
  `t4`.`use_case`,
  `t4`.`metric`,
  `t4`.`numerator`,
  `t4`.`denominator`,
  `t4`.`value`,
  CASE
    WHEN `t4`.`__c` IS NOT NULL
    THEN 'scored'
    WHEN `t4`.`__na`
    THEN 'not_applicable'
    ELSE 'no_data'
  END AS `status`,
  CASE
    WHEN `t4`.`__c` = 0
    THEN 'red'
    WHEN `t4`.`__c` = 1
    THEN 'yellow'
    WHEN `t4`.`__c` = 2
    THEN 'green'
    ELSE CAST(NULL AS STRING)
  END AS `color`,
  `t4`.`points`,
  `t4`.`reason`
FROM (
  SELECT
    'gitlab' AS `rubric`,
    '2025.1' AS `rubric_version`,
    `t2`.`account_id`,
    `t2`.`period`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN 'scm'
      WHEN `t3`.`__i` = 1
      THEN 'ci'
      WHEN `t3`.`__i` = 2
      THEN 'cd'
      WHEN `t3`.`__i` = 3
      THEN 'cd'
      WHEN `t3`.`__i` = 4
      THEN 'cd'
      WHEN `t3`.`__i` = 5
      THEN 'security'
      WHEN `t3`.`__i` = 6
      THEN 'security'
      WHEN `t3`.`__i` = 7
      THEN 'security'
      WHEN `t3`.`__i` = 8
      THEN 'license'
      WHEN `t3`.`__i` = 9
      THEN 'engagement'
      ELSE CAST(NULL AS STRING)
    END AS `use_case`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN 'git_ops_utilization'
      WHEN `t3`.`__i` = 1
      THEN 'ci_builds_per_user'
      WHEN `t3`.`__i` = 2
      THEN 'deployment_users_utilization'
      WHEN `t3`.`__i` = 3
      THEN 'deployments_per_user'
      WHEN `t3`.`__i` = 4
      THEN 'successful_deployments'
      WHEN `t3`.`__i` = 5
      THEN 'scanner_utilization'
      WHEN `t3`.`__i` = 6
      THEN 'scans_per_pipeline'
      WHEN `t3`.`__i` = 7
      THEN 'scanners_in_use'
      WHEN `t3`.`__i` = 8
      THEN 'license_utilization'
      WHEN `t3`.`__i` = 9
      THEN 'user_engagement'
      ELSE CAST(NULL AS STRING)
    END AS `metric`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__m0_0_n`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__m1_0_n`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__m2_0_n`
      WHEN `t3`.`__i` = 3
      THEN `t2`.`__m2_1_n`
      WHEN `t3`.`__i` = 4
      THEN `t2`.`__m2_2_n`
      WHEN `t3`.`__i` = 5
      THEN `t2`.`__m3_0_n`
      WHEN `t3`.`__i` = 6
      THEN `t2`.`__m3_1_n`
      WHEN `t3`.`__i` = 7
      THEN `t2`.`__m3_2_n`
      WHEN `t3`.`__i` = 8
      THEN `t2`.`__m4_0_n`
      WHEN `t3`.`__i` = 9
      THEN `t2`.`__m5_0_n`
      ELSE CAST(NULL AS FLOAT64)
    END AS `numerator`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__m0_0_d`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__m1_0_d`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__m2_0_d`
      WHEN `t3`.`__i` = 3
      THEN `t2`.`__m2_1_d`
      WHEN `t3`.`__i` = 4
      THEN `t2`.`__m2_2_d`
      WHEN `t3`.`__i` = 5
      THEN `t2`.`__m3_0_d`
      WHEN `t3`.`__i` = 6
      THEN `t2`.`__m3_1_d`
      WHEN `t3`.`__i` = 7
      THEN `t2`.`__m3_2_d`
      WHEN `t3`.`__i` = 8
      THEN `t2`.`__m4_0_d`
      WHEN `t3`.`__i` = 9
      THEN `t2`.`__m5_0_d`
      ELSE CAST(NULL AS FLOAT64)
    END AS `denominator`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__m0_0_v`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__m1_0_v`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__m2_0_v`
      WHEN `t3`.`__i` = 3
      THEN `t2`.`__m2_1_v`
      WHEN `t3`.`__i` = 4
      THEN `t2`.`__m2_2_v`
      WHEN `t3`.`__i` = 5
      THEN `t2`.`__m3_0_v`
      WHEN `t3`.`__i` = 6
      THEN `t2`.`__m3_1_v`
      WHEN `t3`.`__i` = 7
      THEN `t2`.`__m3_2_v`
      WHEN `t3`.`__i` = 8
      THEN `t2`.`__m4_0_v`
      WHEN `t3`.`__i` = 9
      THEN `t2`.`__m5_0_v`
      ELSE CAST(NULL AS FLOAT64)
    END AS `value`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__m0_0_c`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__m1_0_c`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__m2_0_c`
      WHEN `t3`.`__i` = 3
      THEN `t2`.`__m2_1_c`
      WHEN `t3`.`__i` = 4
      THEN `t2`.`__m2_2_c`
      WHEN `t3`.`__i` = 5
      THEN `t2`.`__m3_0_c`
      WHEN `t3`.`__i` = 6
      THEN `t2`.`__m3_1_c`
      WHEN `t3`.`__i` = 7
      THEN `t2`.`__m3_2_c`
      WHEN `t3`.`__i` = 8
      THEN `t2`.`__m4_0_c`
      WHEN `t3`.`__i` = 9
      THEN `t2`.`__m5_0_c`
      ELSE CAST(NULL AS INT64)
    END AS `__c`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__m0_0_na`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__m1_0_na`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__m2_0_na`
      WHEN `t3`.`__i` = 3
      THEN `t2`.`__m2_1_na`
      WHEN `t3`.`__i` = 4
      THEN `t2`.`__m2_2_na`
      WHEN `t3`.`__i` = 5
      THEN `t2`.`__m3_0_na`
      WHEN `t3`.`__i` = 6
      THEN `t2`.`__m3_1_na`
      WHEN `t3`.`__i` = 7
      THEN `t2`.`__m3_2_na`
      WHEN `t3`.`__i` = 8
      THEN `t2`.`__m4_0_na`
      WHEN `t3`.`__i` = 9
      THEN `t2`.`__m5_0_na`
      ELSE CAST(NULL AS BOOL)
    END AS `__na`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__m0_0_p`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__m1_0_p`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__m2_0_p`
      WHEN `t3`.`__i` = 3
      THEN `t2`.`__m2_1_p`
      WHEN `t3`.`__i` = 4
      THEN `t2`.`__m2_2_p`
      WHEN `t3`.`__i` = 5
      THEN `t2`.`__m3_0_p`
      WHEN `t3`.`__i` = 6
      THEN `t2`.`__m3_1_p`
      WHEN `t3`.`__i` = 7
      THEN `t2`.`__m3_2_p`
      WHEN `t3`.`__i` = 8
      THEN `t2`.`__m4_0_p`
      WHEN `t3`.`__i` = 9
      THEN `t2`.`__m5_0_p`
      ELSE CAST(NULL AS FLOAT64)
    END AS `points`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__m0_0_r`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__m1_0_r`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__m2_0_r`
      WHEN `t3`.`__i` = 3
      THEN `t2`.`__m2_1_r`
      WHEN `t3`.`__i` = 4
      THEN `t2`.`__m2_2_r`
      WHEN `t3`.`__i` = 5
      THEN `t2`.`__m3_0_r`
      WHEN `t3`.`__i` = 6
      THEN `t2`.`__m3_1_r`
      WHEN `t3`.`__i` = 7
      THEN `t2`.`__m3_2_r`
      WHEN `t3`.`__i` = 8
      THEN `t2`.`__m4_0_r`
      WHEN `t3`.`__i` = 9
      THEN `t2`.`__m5_0_r`
      ELSE CAST(NULL AS STRING)
    END AS `reason`
  FROM `metric_points` AS `t2`
  CROSS JOIN `metric_index` AS `t3`
) AS `t4`
