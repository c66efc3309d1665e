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
`use_case_sums` AS (
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
  `t0`.`__m0_0_na`,
  `t0`.`__m1_0_na`,
  `t0`.`__m2_0_na`,
  `t0`.`__m2_1_na`,
  `t0`.`__m2_2_na`,
  `t0`.`__m3_0_na`,
  `t0`.`__m3_1_na`,
  `t0`.`__m3_2_na`,
  `t0`.`__m4_0_na`,
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
  `t0`.`__m0_0_p`,
  `t0`.`__m1_0_p`,
  `t0`.`__m2_0_p`,
  `t0`.`__m2_1_p`,
  `t0`.`__m2_2_p`,
  `t0`.`__m3_0_p`,
  `t0`.`__m3_1_p`,
  `t0`.`__m3_2_p`,
  `t0`.`__m4_0_p`,
  `t0`.`__m5_0_p`,
  CASE
    WHEN `t0`.`__m0_0_p` IS NOT NULL
    THEN `t0`.`__m0_0_p` * CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END AS `__u0_tot`,
  CASE
    WHEN `t0`.`__m0_0_p` IS NOT NULL
    THEN CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END AS `__u0_w`,
  CASE WHEN `t0`.`__m0_0_na` THEN CAST(0.0 AS FLOAT64) ELSE CAST(1.0 AS FLOAT64) END AS `__u0_aw`,
  CAST(CASE WHEN `t0`.`__m0_0_p` IS NOT NULL THEN 1 ELSE 0 END AS INT64) AS `__u0_n`,
  CASE
    WHEN `t0`.`__m1_0_p` IS NOT NULL
    THEN `t0`.`__m1_0_p` * CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END AS `__u1_tot`,
  CASE
    WHEN `t0`.`__m1_0_p` IS NOT NULL
    THEN CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END AS `__u1_w`,
  CASE WHEN `t0`.`__m1_0_na` THEN CAST(0.0 AS FLOAT64) ELSE CAST(1.0 AS FLOAT64) END AS `__u1_aw`,
  CAST(CASE WHEN `t0`.`__m1_0_p` IS NOT NULL THEN 1 ELSE 0 END AS INT64) AS `__u1_n`,
  CASE
    WHEN `t0`.`__m2_0_p` IS NOT NULL
    THEN `t0`.`__m2_0_p` * CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END + CASE
    WHEN `t0`.`__m2_1_p` IS NOT NULL
    THEN `t0`.`__m2_1_p` * CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END + CASE
    WHEN `t0`.`__m2_2_p` IS NOT NULL
    THEN `t0`.`__m2_2_p` * CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END AS `__u2_tot`,
  CASE
    WHEN `t0`.`__m2_0_p` IS NOT NULL
    THEN CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END + CASE
    WHEN `t0`.`__m2_1_p` IS NOT NULL
    THEN CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END + CASE
    WHEN `t0`.`__m2_2_p` IS NOT NULL
    THEN CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END AS `__u2_w`,
  CASE WHEN `t0`.`__m2_0_na` THEN CAST(0.0 AS FLOAT64) ELSE CAST(1.0 AS FLOAT64) END + CASE WHEN `t0`.`__m2_1_na` THEN CAST(0.0 AS FLOAT64) ELSE CAST(1.0 AS FLOAT64) END + CASE WHEN `t0`.`__m2_2_na` THEN CAST(0.0 AS FLOAT64) ELSE CAST(1.0 AS FLOAT64) END AS `__u2_aw`,
  CAST(CAST(CASE WHEN `t0`.`__m2_0_p` IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN `t0`.`__m2_1_p` IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN `t0`.`__m2_2_p` IS NOT NULL THEN 1 ELSE 0 END AS INT64) AS INT64) AS `__u2_n`,
  CASE
    WHEN `t0`.`__m3_0_p` IS NOT NULL
    THEN `t0`.`__m3_0_p` * CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END + CASE
    WHEN `t0`.`__m3_1_p` IS NOT NULL
    THEN `t0`.`__m3_1_p` * CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END + CASE
    WHEN `t0`.`__m3_2_p` IS NOT NULL
    THEN `t0`.`__m3_2_p` * CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END AS `__u3_tot`,
  CASE
    WHEN `t0`.`__m3_0_p` IS NOT NULL
    THEN CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END + CASE
    WHEN `t0`.`__m3_1_p` IS NOT NULL
    THEN CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END + CASE
    WHEN `t0`.`__m3_2_p` IS NOT NULL
    THEN CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END AS `__u3_w`,
  CASE WHEN `t0`.`__m3_0_na` THEN CAST(0.0 AS FLOAT64) ELSE CAST(1.0 AS FLOAT64) END + CASE WHEN `t0`.`__m3_1_na` THEN CAST(0.0 AS FLOAT64) ELSE CAST(1.0 AS FLOAT64) END + CASE WHEN `t0`.`__m3_2_na` THEN CAST(0.0 AS FLOAT64) ELSE CAST(1.0 AS FLOAT64) END AS `__u3_aw`,
  CAST(CAST(CASE WHEN `t0`.`__m3_0_p` IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN `t0`.`__m3_1_p` IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN `t0`.`__m3_2_p` IS NOT NULL THEN 1 ELSE 0 END AS INT64) AS INT64) AS `__u3_n`,
  CASE
    WHEN `t0`.`__m4_0_p` IS NOT NULL
    THEN `t0`.`__m4_0_p` * CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END AS `__u4_tot`,
  CASE
    WHEN `t0`.`__m4_0_p` IS NOT NULL
    THEN CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END AS `__u4_w`,
  CASE WHEN `t0`.`__m4_0_na` THEN CAST(0.0 AS FLOAT64) ELSE CAST(1.0 AS FLOAT64) END AS `__u4_aw`,
  CAST(CASE WHEN `t0`.`__m4_0_p` IS NOT NULL THEN 1 ELSE 0 END AS INT64) AS `__u4_n`,
  CASE
    WHEN `t0`.`__m5_0_p` IS NOT NULL
    THEN `t0`.`__m5_0_p` * CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END AS `__u5_tot`,
  CASE
    WHEN `t0`.`__m5_0_p` IS NOT NULL
    THEN CAST(1.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END AS `__u5_w`,
  CASE WHEN `t0`.`__m5_0_na` THEN CAST(0.0 AS FLOAT64) ELSE CAST(1.0 AS FLOAT64) END AS `__u5_aw`,
  CAST(CASE WHEN `t0`.`__m5_0_p` IS NOT NULL THEN 1 ELSE 0 END AS INT64) AS `__u5_n`
FROM `metric_points` AS `t0`
),
`use_case_scores` AS (
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
  `t0`.`__m0_0_na`,
  `t0`.`__m1_0_na`,
  `t0`.`__m2_0_na`,
  `t0`.`__m2_1_na`,
  `t0`.`__m2_2_na`,
  `t0`.`__m3_0_na`,
  `t0`.`__m3_1_na`,
  `t0`.`__m3_2_na`,
  `t0`.`__m4_0_na`,
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
  `t0`.`__m0_0_p`,
  `t0`.`__m1_0_p`,
  `t0`.`__m2_0_p`,
  `t0`.`__m2_1_p`,
  `t0`.`__m2_2_p`,
  `t0`.`__m3_0_p`,
  `t0`.`__m3_1_p`,
  `t0`.`__m3_2_p`,
  `t0`.`__m4_0_p`,
  `t0`.`__m5_0_p`,
  `t0`.`__u0_tot`,
  `t0`.`__u0_w`,
  `t0`.`__u0_aw`,
  `t0`.`__u0_n`,
  `t0`.`__u1_tot`,
  `t0`.`__u1_w`,
  `t0`.`__u1_aw`,
  `t0`.`__u1_n`,
  `t0`.`__u2_tot`,
  `t0`.`__u2_w`,
  `t0`.`__u2_aw`,
  `t0`.`__u2_n`,
  `t0`.`__u3_tot`,
  `t0`.`__u3_w`,
  `t0`.`__u3_aw`,
  `t0`.`__u3_n`,
  `t0`.`__u4_tot`,
  `t0`.`__u4_w`,
  `t0`.`__u4_aw`,
  `t0`.`__u4_n`,
  `t0`.`__u5_tot`,
  `t0`.`__u5_w`,
  `t0`.`__u5_aw`,
  `t0`.`__u5_n`,
  CASE
    WHEN `t0`.`__u0_w` > 0
    THEN ieee_divide(`t0`.`__u0_tot`, `t0`.`__u0_w`)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__u0_s`,
  CASE
    WHEN `t0`.`__u0_aw` > 0
    THEN ieee_divide(`t0`.`__u0_w`, `t0`.`__u0_aw`)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__u0_cov`,
  CASE WHEN `t0`.`__u0_w` > 0 THEN 0 WHEN `t0`.`__u0_aw` = 0 THEN 2 ELSE 1 END AS `__u0_st`,
  CASE WHEN `t0`.`__u0_w` > 0 THEN 0 WHEN `t0`.`__u0_aw` = 0 THEN 2 ELSE 1 END AS `__u0_r`,
  CASE
    WHEN `t0`.`__u1_w` > 0
    THEN ieee_divide(`t0`.`__u1_tot`, `t0`.`__u1_w`)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__u1_s`,
  CASE
    WHEN `t0`.`__u1_aw` > 0
    THEN ieee_divide(`t0`.`__u1_w`, `t0`.`__u1_aw`)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__u1_cov`,
  CASE WHEN `t0`.`__u1_w` > 0 THEN 0 WHEN `t0`.`__u1_aw` = 0 THEN 2 ELSE 1 END AS `__u1_st`,
  CASE WHEN `t0`.`__u1_w` > 0 THEN 0 WHEN `t0`.`__u1_aw` = 0 THEN 2 ELSE 1 END AS `__u1_r`,
  CASE
    WHEN `t0`.`__u2_w` > 0
    THEN ieee_divide(`t0`.`__u2_tot`, `t0`.`__u2_w`)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__u2_s`,
  CASE
    WHEN `t0`.`__u2_aw` > 0
    THEN ieee_divide(`t0`.`__u2_w`, `t0`.`__u2_aw`)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__u2_cov`,
  CASE WHEN `t0`.`__u2_w` > 0 THEN 0 WHEN `t0`.`__u2_aw` = 0 THEN 2 ELSE 1 END AS `__u2_st`,
  CASE WHEN `t0`.`__u2_w` > 0 THEN 0 WHEN `t0`.`__u2_aw` = 0 THEN 2 ELSE 1 END AS `__u2_r`,
  CASE
    WHEN `t0`.`__u3_w` > 0
    THEN ieee_divide(`t0`.`__u3_tot`, `t0`.`__u3_w`)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__u3_s`,
  CASE
    WHEN `t0`.`__u3_aw` > 0
    THEN ieee_divide(`t0`.`__u3_w`, `t0`.`__u3_aw`)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__u3_cov`,
  CASE WHEN `t0`.`__u3_w` > 0 THEN 0 WHEN `t0`.`__u3_aw` = 0 THEN 2 ELSE 1 END AS `__u3_st`,
  CASE
    WHEN `t0`.`__u3_w` > 0
    THEN 0
    WHEN `t0`.`__u3_aw` = 0
    THEN CASE WHEN `t0`.`__u3_app` = FALSE THEN 4 ELSE 2 END
    ELSE CASE WHEN `t0`.`__u3_app` IS NULL THEN 3 ELSE 1 END
  END AS `__u3_r`,
  CASE
    WHEN `t0`.`__u4_w` > 0
    THEN ieee_divide(`t0`.`__u4_tot`, `t0`.`__u4_w`)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__u4_s`,
  CASE
    WHEN `t0`.`__u4_aw` > 0
    THEN ieee_divide(`t0`.`__u4_w`, `t0`.`__u4_aw`)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__u4_cov`,
  CASE WHEN `t0`.`__u4_w` > 0 THEN 0 WHEN `t0`.`__u4_aw` = 0 THEN 2 ELSE 1 END AS `__u4_st`,
  CASE WHEN `t0`.`__u4_w` > 0 THEN 0 WHEN `t0`.`__u4_aw` = 0 THEN 2 ELSE 1 END AS `__u4_r`,
  CASE
    WHEN `t0`.`__u5_w` > 0
    THEN ieee_divide(`t0`.`__u5_tot`, `t0`.`__u5_w`)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__u5_s`,
  CASE
    WHEN `t0`.`__u5_aw` > 0
    THEN ieee_divide(`t0`.`__u5_w`, `t0`.`__u5_aw`)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__u5_cov`,
  CASE WHEN `t0`.`__u5_w` > 0 THEN 0 WHEN `t0`.`__u5_aw` = 0 THEN 2 ELSE 1 END AS `__u5_st`,
  CASE WHEN `t0`.`__u5_w` > 0 THEN 0 WHEN `t0`.`__u5_aw` = 0 THEN 2 ELSE 1 END AS `__u5_r`
FROM `use_case_sums` AS `t0`
),
`use_case_rounded` AS (
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
  `t0`.`__m0_0_na`,
  `t0`.`__m1_0_na`,
  `t0`.`__m2_0_na`,
  `t0`.`__m2_1_na`,
  `t0`.`__m2_2_na`,
  `t0`.`__m3_0_na`,
  `t0`.`__m3_1_na`,
  `t0`.`__m3_2_na`,
  `t0`.`__m4_0_na`,
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
  `t0`.`__m0_0_p`,
  `t0`.`__m1_0_p`,
  `t0`.`__m2_0_p`,
  `t0`.`__m2_1_p`,
  `t0`.`__m2_2_p`,
  `t0`.`__m3_0_p`,
  `t0`.`__m3_1_p`,
  `t0`.`__m3_2_p`,
  `t0`.`__m4_0_p`,
  `t0`.`__m5_0_p`,
  `t0`.`__u0_tot`,
  `t0`.`__u0_w`,
  `t0`.`__u0_aw`,
  `t0`.`__u0_n`,
  `t0`.`__u1_tot`,
  `t0`.`__u1_w`,
  `t0`.`__u1_aw`,
  `t0`.`__u1_n`,
  `t0`.`__u2_tot`,
  `t0`.`__u2_w`,
  `t0`.`__u2_aw`,
  `t0`.`__u2_n`,
  `t0`.`__u3_tot`,
  `t0`.`__u3_w`,
  `t0`.`__u3_aw`,
  `t0`.`__u3_n`,
  `t0`.`__u4_tot`,
  `t0`.`__u4_w`,
  `t0`.`__u4_aw`,
  `t0`.`__u4_n`,
  `t0`.`__u5_tot`,
  `t0`.`__u5_w`,
  `t0`.`__u5_aw`,
  `t0`.`__u5_n`,
  `t0`.`__u0_s`,
  `t0`.`__u0_cov`,
  `t0`.`__u0_st`,
  `t0`.`__u0_r`,
  `t0`.`__u1_s`,
  `t0`.`__u1_cov`,
  `t0`.`__u1_st`,
  `t0`.`__u1_r`,
  `t0`.`__u2_s`,
  `t0`.`__u2_cov`,
  `t0`.`__u2_st`,
  `t0`.`__u2_r`,
  `t0`.`__u3_s`,
  `t0`.`__u3_cov`,
  `t0`.`__u3_st`,
  `t0`.`__u3_r`,
  `t0`.`__u4_s`,
  `t0`.`__u4_cov`,
  `t0`.`__u4_st`,
  `t0`.`__u4_r`,
  `t0`.`__u5_s`,
  `t0`.`__u5_cov`,
  `t0`.`__u5_st`,
  `t0`.`__u5_r`,
  CAST(ROUND(`t0`.`__u0_s`, 9) AS FLOAT64) AS `__u0_sr`,
  CAST(ROUND(`t0`.`__u1_s`, 9) AS FLOAT64) AS `__u1_sr`,
  CAST(ROUND(`t0`.`__u2_s`, 9) AS FLOAT64) AS `__u2_sr`,
  CAST(ROUND(`t0`.`__u3_s`, 9) AS FLOAT64) AS `__u3_sr`,
  CAST(ROUND(`t0`.`__u4_s`, 9) AS FLOAT64) AS `__u4_sr`,
  CAST(ROUND(`t0`.`__u5_s`, 9) AS FLOAT64) AS `__u5_sr`
FROM `use_case_scores` AS `t0`
),
`use_case_colors` AS (
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
  `t0`.`__m0_0_na`,
  `t0`.`__m1_0_na`,
  `t0`.`__m2_0_na`,
  `t0`.`__m2_1_na`,
  `t0`.`__m2_2_na`,
  `t0`.`__m3_0_na`,
  `t0`.`__m3_1_na`,
  `t0`.`__m3_2_na`,
  `t0`.`__m4_0_na`,
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
  `t0`.`__m0_0_p`,
  `t0`.`__m1_0_p`,
  `t0`.`__m2_0_p`,
  `t0`.`__m2_1_p`,
  `t0`.`__m2_2_p`,
  `t0`.`__m3_0_p`,
  `t0`.`__m3_1_p`,
  `t0`.`__m3_2_p`,
  `t0`.`__m4_0_p`,
  `t0`.`__m5_0_p`,
  `t0`.`__u0_tot`,
  `t0`.`__u0_w`,
  `t0`.`__u0_aw`,
  `t0`.`__u0_n`,
  `t0`.`__u1_tot`,
  `t0`.`__u1_w`,
  `t0`.`__u1_aw`,
  `t0`.`__u1_n`,
  `t0`.`__u2_tot`,
  `t0`.`__u2_w`,
  `t0`.`__u2_aw`,
  `t0`.`__u2_n`,
  `t0`.`__u3_tot`,
  `t0`.`__u3_w`,
  `t0`.`__u3_aw`,
  `t0`.`__u3_n`,
  `t0`.`__u4_tot`,
  `t0`.`__u4_w`,
  `t0`.`__u4_aw`,
  `t0`.`__u4_n`,
  `t0`.`__u5_tot`,
  `t0`.`__u5_w`,
  `t0`.`__u5_aw`,
  `t0`.`__u5_n`,
  `t0`.`__u0_s`,
  `t0`.`__u0_cov`,
  `t0`.`__u0_st`,
  `t0`.`__u0_r`,
  `t0`.`__u1_s`,
  `t0`.`__u1_cov`,
  `t0`.`__u1_st`,
  `t0`.`__u1_r`,
  `t0`.`__u2_s`,
  `t0`.`__u2_cov`,
  `t0`.`__u2_st`,
  `t0`.`__u2_r`,
  `t0`.`__u3_s`,
  `t0`.`__u3_cov`,
  `t0`.`__u3_st`,
  `t0`.`__u3_r`,
  `t0`.`__u4_s`,
  `t0`.`__u4_cov`,
  `t0`.`__u4_st`,
  `t0`.`__u4_r`,
  `t0`.`__u5_s`,
  `t0`.`__u5_cov`,
  `t0`.`__u5_st`,
  `t0`.`__u5_r`,
  `t0`.`__u0_sr`,
  `t0`.`__u1_sr`,
  `t0`.`__u2_sr`,
  `t0`.`__u3_sr`,
  `t0`.`__u4_sr`,
  `t0`.`__u5_sr`,
  CASE
    WHEN `t0`.`__u0_sr` IS NULL
    THEN CAST(NULL AS INT64)
    WHEN `t0`.`__u0_sr` <= CAST(50.0 AS FLOAT64)
    THEN 0
    WHEN `t0`.`__u0_sr` <= CAST(75.0 AS FLOAT64)
    THEN 1
    ELSE 2
  END AS `__u0_c`,
  CASE
    WHEN `t0`.`__u1_sr` IS NULL
    THEN CAST(NULL AS INT64)
    WHEN `t0`.`__u1_sr` <= CAST(50.0 AS FLOAT64)
    THEN 0
    WHEN `t0`.`__u1_sr` <= CAST(75.0 AS FLOAT64)
    THEN 1
    ELSE 2
  END AS `__u1_c`,
  CASE
    WHEN `t0`.`__u2_sr` IS NULL
    THEN CAST(NULL AS INT64)
    WHEN `t0`.`__u2_sr` <= CAST(50.0 AS FLOAT64)
    THEN 0
    WHEN `t0`.`__u2_sr` <= CAST(75.0 AS FLOAT64)
    THEN 1
    ELSE 2
  END AS `__u2_c`,
  CASE
    WHEN `t0`.`__u3_sr` IS NULL
    THEN CAST(NULL AS INT64)
    WHEN `t0`.`__u3_sr` <= CAST(50.0 AS FLOAT64)
    THEN 0
    WHEN `t0`.`__u3_sr` <= CAST(75.0 AS FLOAT64)
    THEN 1
    ELSE 2
  END AS `__u3_c`,
  CASE
    WHEN `t0`.`__u4_sr` IS NULL
    THEN CAST(NULL AS INT64)
    WHEN `t0`.`__u4_sr` <= CAST(50.0 AS FLOAT64)
    THEN 0
    WHEN `t0`.`__u4_sr` <= CAST(75.0 AS FLOAT64)
    THEN 1
    ELSE 2
  END AS `__u4_c`,
  CASE
    WHEN `t0`.`__u5_sr` IS NULL
    THEN CAST(NULL AS INT64)
    WHEN `t0`.`__u5_sr` <= CAST(50.0 AS FLOAT64)
    THEN 0
    WHEN `t0`.`__u5_sr` <= CAST(75.0 AS FLOAT64)
    THEN 1
    ELSE 2
  END AS `__u5_c`
FROM `use_case_rounded` AS `t0`
),
`use_case_adopted` AS (
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
  `t0`.`__m0_0_na`,
  `t0`.`__m1_0_na`,
  `t0`.`__m2_0_na`,
  `t0`.`__m2_1_na`,
  `t0`.`__m2_2_na`,
  `t0`.`__m3_0_na`,
  `t0`.`__m3_1_na`,
  `t0`.`__m3_2_na`,
  `t0`.`__m4_0_na`,
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
  `t0`.`__m0_0_p`,
  `t0`.`__m1_0_p`,
  `t0`.`__m2_0_p`,
  `t0`.`__m2_1_p`,
  `t0`.`__m2_2_p`,
  `t0`.`__m3_0_p`,
  `t0`.`__m3_1_p`,
  `t0`.`__m3_2_p`,
  `t0`.`__m4_0_p`,
  `t0`.`__m5_0_p`,
  `t0`.`__u0_tot`,
  `t0`.`__u0_w`,
  `t0`.`__u0_aw`,
  `t0`.`__u0_n`,
  `t0`.`__u1_tot`,
  `t0`.`__u1_w`,
  `t0`.`__u1_aw`,
  `t0`.`__u1_n`,
  `t0`.`__u2_tot`,
  `t0`.`__u2_w`,
  `t0`.`__u2_aw`,
  `t0`.`__u2_n`,
  `t0`.`__u3_tot`,
  `t0`.`__u3_w`,
  `t0`.`__u3_aw`,
  `t0`.`__u3_n`,
  `t0`.`__u4_tot`,
  `t0`.`__u4_w`,
  `t0`.`__u4_aw`,
  `t0`.`__u4_n`,
  `t0`.`__u5_tot`,
  `t0`.`__u5_w`,
  `t0`.`__u5_aw`,
  `t0`.`__u5_n`,
  `t0`.`__u0_s`,
  `t0`.`__u0_cov`,
  `t0`.`__u0_st`,
  `t0`.`__u0_r`,
  `t0`.`__u1_s`,
  `t0`.`__u1_cov`,
  `t0`.`__u1_st`,
  `t0`.`__u1_r`,
  `t0`.`__u2_s`,
  `t0`.`__u2_cov`,
  `t0`.`__u2_st`,
  `t0`.`__u2_r`,
  `t0`.`__u3_s`,
  `t0`.`__u3_cov`,
  `t0`.`__u3_st`,
  `t0`.`__u3_r`,
  `t0`.`__u4_s`,
  `t0`.`__u4_cov`,
  `t0`.`__u4_st`,
  `t0`.`__u4_r`,
  `t0`.`__u5_s`,
  `t0`.`__u5_cov`,
  `t0`.`__u5_st`,
  `t0`.`__u5_r`,
  `t0`.`__u0_sr`,
  `t0`.`__u1_sr`,
  `t0`.`__u2_sr`,
  `t0`.`__u3_sr`,
  `t0`.`__u4_sr`,
  `t0`.`__u5_sr`,
  `t0`.`__u0_c`,
  `t0`.`__u1_c`,
  `t0`.`__u2_c`,
  `t0`.`__u3_c`,
  `t0`.`__u4_c`,
  `t0`.`__u5_c`,
  CASE
    WHEN `t0`.`__u0_s` IS NOT NULL
    THEN `t0`.`__u0_c` = 2
    ELSE CAST(NULL AS BOOL)
  END AS `__u0_a`,
  CASE
    WHEN `t0`.`__u1_s` IS NOT NULL
    THEN `t0`.`__u1_c` = 2
    ELSE CAST(NULL AS BOOL)
  END AS `__u1_a`,
  CASE
    WHEN `t0`.`__u2_s` IS NOT NULL
    THEN `t0`.`__u2_c` = 2
    ELSE CAST(NULL AS BOOL)
  END AS `__u2_a`,
  CASE
    WHEN `t0`.`__u3_s` IS NOT NULL
    THEN `t0`.`__u3_c` = 2
    ELSE CAST(NULL AS BOOL)
  END AS `__u3_a`,
  CASE
    WHEN `t0`.`__u4_s` IS NOT NULL
    THEN `t0`.`__u4_c` = 2
    ELSE CAST(NULL AS BOOL)
  END AS `__u4_a`,
  CASE
    WHEN `t0`.`__u5_s` IS NOT NULL
    THEN `t0`.`__u5_c` = 2
    ELSE CAST(NULL AS BOOL)
  END AS `__u5_a`
FROM `use_case_colors` AS `t0`
),
`overall_sums` AS (
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
  `t0`.`__m0_0_na`,
  `t0`.`__m1_0_na`,
  `t0`.`__m2_0_na`,
  `t0`.`__m2_1_na`,
  `t0`.`__m2_2_na`,
  `t0`.`__m3_0_na`,
  `t0`.`__m3_1_na`,
  `t0`.`__m3_2_na`,
  `t0`.`__m4_0_na`,
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
  `t0`.`__m0_0_p`,
  `t0`.`__m1_0_p`,
  `t0`.`__m2_0_p`,
  `t0`.`__m2_1_p`,
  `t0`.`__m2_2_p`,
  `t0`.`__m3_0_p`,
  `t0`.`__m3_1_p`,
  `t0`.`__m3_2_p`,
  `t0`.`__m4_0_p`,
  `t0`.`__m5_0_p`,
  `t0`.`__u0_tot`,
  `t0`.`__u0_w`,
  `t0`.`__u0_aw`,
  `t0`.`__u0_n`,
  `t0`.`__u1_tot`,
  `t0`.`__u1_w`,
  `t0`.`__u1_aw`,
  `t0`.`__u1_n`,
  `t0`.`__u2_tot`,
  `t0`.`__u2_w`,
  `t0`.`__u2_aw`,
  `t0`.`__u2_n`,
  `t0`.`__u3_tot`,
  `t0`.`__u3_w`,
  `t0`.`__u3_aw`,
  `t0`.`__u3_n`,
  `t0`.`__u4_tot`,
  `t0`.`__u4_w`,
  `t0`.`__u4_aw`,
  `t0`.`__u4_n`,
  `t0`.`__u5_tot`,
  `t0`.`__u5_w`,
  `t0`.`__u5_aw`,
  `t0`.`__u5_n`,
  `t0`.`__u0_s`,
  `t0`.`__u0_cov`,
  `t0`.`__u0_st`,
  `t0`.`__u0_r`,
  `t0`.`__u1_s`,
  `t0`.`__u1_cov`,
  `t0`.`__u1_st`,
  `t0`.`__u1_r`,
  `t0`.`__u2_s`,
  `t0`.`__u2_cov`,
  `t0`.`__u2_st`,
  `t0`.`__u2_r`,
  `t0`.`__u3_s`,
  `t0`.`__u3_cov`,
  `t0`.`__u3_st`,
  `t0`.`__u3_r`,
  `t0`.`__u4_s`,
  `t0`.`__u4_cov`,
  `t0`.`__u4_st`,
  `t0`.`__u4_r`,
  `t0`.`__u5_s`,
  `t0`.`__u5_cov`,
  `t0`.`__u5_st`,
  `t0`.`__u5_r`,
  `t0`.`__u0_sr`,
  `t0`.`__u1_sr`,
  `t0`.`__u2_sr`,
  `t0`.`__u3_sr`,
  `t0`.`__u4_sr`,
  `t0`.`__u5_sr`,
  `t0`.`__u0_c`,
  `t0`.`__u1_c`,
  `t0`.`__u2_c`,
  `t0`.`__u3_c`,
  `t0`.`__u4_c`,
  `t0`.`__u5_c`,
  `t0`.`__u0_a`,
  `t0`.`__u1_a`,
  `t0`.`__u2_a`,
  `t0`.`__u3_a`,
  `t0`.`__u4_a`,
  `t0`.`__u5_a`,
  CASE
    WHEN `t0`.`__u0_s` IS NOT NULL
    THEN `t0`.`__u0_s` * CAST(15.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END + CASE
    WHEN `t0`.`__u1_s` IS NOT NULL
    THEN `t0`.`__u1_s` * CAST(15.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END + CASE
    WHEN `t0`.`__u2_s` IS NOT NULL
    THEN `t0`.`__u2_s` * CAST(15.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END + CASE
    WHEN `t0`.`__u3_s` IS NOT NULL
    THEN `t0`.`__u3_s` * CAST(15.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END + CASE
    WHEN `t0`.`__u4_s` IS NOT NULL
    THEN `t0`.`__u4_s` * CAST(30.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END + CASE
    WHEN `t0`.`__u5_s` IS NOT NULL
    THEN `t0`.`__u5_s` * CAST(10.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END AS `__o_tot`,
  CASE
    WHEN `t0`.`__u0_s` IS NOT NULL
    THEN CAST(15.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END + CASE
    WHEN `t0`.`__u1_s` IS NOT NULL
    THEN CAST(15.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END + CASE
    WHEN `t0`.`__u2_s` IS NOT NULL
    THEN CAST(15.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END + CASE
    WHEN `t0`.`__u3_s` IS NOT NULL
    THEN CAST(15.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END + CASE
    WHEN `t0`.`__u4_s` IS NOT NULL
    THEN CAST(30.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END + CASE
    WHEN `t0`.`__u5_s` IS NOT NULL
    THEN CAST(10.0 AS FLOAT64)
    ELSE CAST(0.0 AS FLOAT64)
  END AS `__o_w`,
  CAST(CAST(CASE WHEN `t0`.`__u0_c` = 2 THEN 1 ELSE 0 END + CASE WHEN `t0`.`__u1_c` = 2 THEN 1 ELSE 0 END + CASE WHEN `t0`.`__u2_c` = 2 THEN 1 ELSE 0 END + CASE WHEN `t0`.`__u3_c` = 2 THEN 1 ELSE 0 END AS INT64) AS INT64) AS `__o_adopted`,
  CAST(CAST(CASE WHEN `t0`.`__u0_s` IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN `t0`.`__u1_s` IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN `t0`.`__u2_s` IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN `t0`.`__u3_s` IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN `t0`.`__u4_s` IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN `t0`.`__u5_s` IS NOT NULL THEN 1 ELSE 0 END AS INT64) AS INT64) AS `__o_scored`
FROM `use_case_adopted` AS `t0`
),
`overall_score` AS (
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
  `t0`.`__m0_0_na`,
  `t0`.`__m1_0_na`,
  `t0`.`__m2_0_na`,
  `t0`.`__m2_1_na`,
  `t0`.`__m2_2_na`,
  `t0`.`__m3_0_na`,
  `t0`.`__m3_1_na`,
  `t0`.`__m3_2_na`,
  `t0`.`__m4_0_na`,
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
  `t0`.`__m0_0_p`,
  `t0`.`__m1_0_p`,
  `t0`.`__m2_0_p`,
  `t0`.`__m2_1_p`,
  `t0`.`__m2_2_p`,
  `t0`.`__m3_0_p`,
  `t0`.`__m3_1_p`,
  `t0`.`__m3_2_p`,
  `t0`.`__m4_0_p`,
  `t0`.`__m5_0_p`,
  `t0`.`__u0_tot`,
  `t0`.`__u0_w`,
  `t0`.`__u0_aw`,
  `t0`.`__u0_n`,
  `t0`.`__u1_tot`,
  `t0`.`__u1_w`,
  `t0`.`__u1_aw`,
  `t0`.`__u1_n`,
  `t0`.`__u2_tot`,
  `t0`.`__u2_w`,
  `t0`.`__u2_aw`,
  `t0`.`__u2_n`,
  `t0`.`__u3_tot`,
  `t0`.`__u3_w`,
  `t0`.`__u3_aw`,
  `t0`.`__u3_n`,
  `t0`.`__u4_tot`,
  `t0`.`__u4_w`,
  `t0`.`__u4_aw`,
  `t0`.`__u4_n`,
  `t0`.`__u5_tot`,
  `t0`.`__u5_w`,
  `t0`.`__u5_aw`,
  `t0`.`__u5_n`,
  `t0`.`__u0_s`,
  `t0`.`__u0_cov`,
  `t0`.`__u0_st`,
  `t0`.`__u0_r`,
  `t0`.`__u1_s`,
  `t0`.`__u1_cov`,
  `t0`.`__u1_st`,
  `t0`.`__u1_r`,
  `t0`.`__u2_s`,
  `t0`.`__u2_cov`,
  `t0`.`__u2_st`,
  `t0`.`__u2_r`,
  `t0`.`__u3_s`,
  `t0`.`__u3_cov`,
  `t0`.`__u3_st`,
  `t0`.`__u3_r`,
  `t0`.`__u4_s`,
  `t0`.`__u4_cov`,
  `t0`.`__u4_st`,
  `t0`.`__u4_r`,
  `t0`.`__u5_s`,
  `t0`.`__u5_cov`,
  `t0`.`__u5_st`,
  `t0`.`__u5_r`,
  `t0`.`__u0_sr`,
  `t0`.`__u1_sr`,
  `t0`.`__u2_sr`,
  `t0`.`__u3_sr`,
  `t0`.`__u4_sr`,
  `t0`.`__u5_sr`,
  `t0`.`__u0_c`,
  `t0`.`__u1_c`,
  `t0`.`__u2_c`,
  `t0`.`__u3_c`,
  `t0`.`__u4_c`,
  `t0`.`__u5_c`,
  `t0`.`__u0_a`,
  `t0`.`__u1_a`,
  `t0`.`__u2_a`,
  `t0`.`__u3_a`,
  `t0`.`__u4_a`,
  `t0`.`__u5_a`,
  `t0`.`__o_tot`,
  `t0`.`__o_w`,
  `t0`.`__o_adopted`,
  `t0`.`__o_scored`,
  CASE
    WHEN `t0`.`__o_w` > 0
    THEN ieee_divide(`t0`.`__o_tot`, `t0`.`__o_w`)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__o_s`
FROM `overall_sums` AS `t0`
),
`overall_rounded` AS (
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
  `t0`.`__m0_0_na`,
  `t0`.`__m1_0_na`,
  `t0`.`__m2_0_na`,
  `t0`.`__m2_1_na`,
  `t0`.`__m2_2_na`,
  `t0`.`__m3_0_na`,
  `t0`.`__m3_1_na`,
  `t0`.`__m3_2_na`,
  `t0`.`__m4_0_na`,
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
  `t0`.`__m0_0_p`,
  `t0`.`__m1_0_p`,
  `t0`.`__m2_0_p`,
  `t0`.`__m2_1_p`,
  `t0`.`__m2_2_p`,
  `t0`.`__m3_0_p`,
  `t0`.`__m3_1_p`,
  `t0`.`__m3_2_p`,
  `t0`.`__m4_0_p`,
  `t0`.`__m5_0_p`,
  `t0`.`__u0_tot`,
  `t0`.`__u0_w`,
  `t0`.`__u0_aw`,
  `t0`.`__u0_n`,
  `t0`.`__u1_tot`,
  `t0`.`__u1_w`,
  `t0`.`__u1_aw`,
  `t0`.`__u1_n`,
  `t0`.`__u2_tot`,
  `t0`.`__u2_w`,
  `t0`.`__u2_aw`,
  `t0`.`__u2_n`,
  `t0`.`__u3_tot`,
  `t0`.`__u3_w`,
  `t0`.`__u3_aw`,
  `t0`.`__u3_n`,
  `t0`.`__u4_tot`,
  `t0`.`__u4_w`,
  `t0`.`__u4_aw`,
  `t0`.`__u4_n`,
  `t0`.`__u5_tot`,
  `t0`.`__u5_w`,
  `t0`.`__u5_aw`,
  `t0`.`__u5_n`,
  `t0`.`__u0_s`,
  `t0`.`__u0_cov`,
  `t0`.`__u0_st`,
  `t0`.`__u0_r`,
  `t0`.`__u1_s`,
  `t0`.`__u1_cov`,
  `t0`.`__u1_st`,
  `t0`.`__u1_r`,
  `t0`.`__u2_s`,
  `t0`.`__u2_cov`,
  `t0`.`__u2_st`,
  `t0`.`__u2_r`,
  `t0`.`__u3_s`,
  `t0`.`__u3_cov`,
  `t0`.`__u3_st`,
  `t0`.`__u3_r`,
  `t0`.`__u4_s`,
  `t0`.`__u4_cov`,
  `t0`.`__u4_st`,
  `t0`.`__u4_r`,
  `t0`.`__u5_s`,
  `t0`.`__u5_cov`,
  `t0`.`__u5_st`,
  `t0`.`__u5_r`,
  `t0`.`__u0_sr`,
  `t0`.`__u1_sr`,
  `t0`.`__u2_sr`,
  `t0`.`__u3_sr`,
  `t0`.`__u4_sr`,
  `t0`.`__u5_sr`,
  `t0`.`__u0_c`,
  `t0`.`__u1_c`,
  `t0`.`__u2_c`,
  `t0`.`__u3_c`,
  `t0`.`__u4_c`,
  `t0`.`__u5_c`,
  `t0`.`__u0_a`,
  `t0`.`__u1_a`,
  `t0`.`__u2_a`,
  `t0`.`__u3_a`,
  `t0`.`__u4_a`,
  `t0`.`__u5_a`,
  `t0`.`__o_tot`,
  `t0`.`__o_w`,
  `t0`.`__o_adopted`,
  `t0`.`__o_scored`,
  `t0`.`__o_s`,
  CAST(ROUND(`t0`.`__o_s`, 9) AS FLOAT64) AS `__o_sr`
FROM `overall_score` AS `t0`
),
`overall_color` AS (
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
  `t0`.`__m0_0_na`,
  `t0`.`__m1_0_na`,
  `t0`.`__m2_0_na`,
  `t0`.`__m2_1_na`,
  `t0`.`__m2_2_na`,
  `t0`.`__m3_0_na`,
  `t0`.`__m3_1_na`,
  `t0`.`__m3_2_na`,
  `t0`.`__m4_0_na`,
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
  `t0`.`__m0_0_p`,
  `t0`.`__m1_0_p`,
  `t0`.`__m2_0_p`,
  `t0`.`__m2_1_p`,
  `t0`.`__m2_2_p`,
  `t0`.`__m3_0_p`,
  `t0`.`__m3_1_p`,
  `t0`.`__m3_2_p`,
  `t0`.`__m4_0_p`,
  `t0`.`__m5_0_p`,
  `t0`.`__u0_tot`,
  `t0`.`__u0_w`,
  `t0`.`__u0_aw`,
  `t0`.`__u0_n`,
  `t0`.`__u1_tot`,
  `t0`.`__u1_w`,
  `t0`.`__u1_aw`,
  `t0`.`__u1_n`,
  `t0`.`__u2_tot`,
  `t0`.`__u2_w`,
  `t0`.`__u2_aw`,
  `t0`.`__u2_n`,
  `t0`.`__u3_tot`,
  `t0`.`__u3_w`,
  `t0`.`__u3_aw`,
  `t0`.`__u3_n`,
  `t0`.`__u4_tot`,
  `t0`.`__u4_w`,
  `t0`.`__u4_aw`,
  `t0`.`__u4_n`,
  `t0`.`__u5_tot`,
  `t0`.`__u5_w`,
  `t0`.`__u5_aw`,
  `t0`.`__u5_n`,
  `t0`.`__u0_s`,
  `t0`.`__u0_cov`,
  `t0`.`__u0_st`,
  `t0`.`__u0_r`,
  `t0`.`__u1_s`,
  `t0`.`__u1_cov`,
  `t0`.`__u1_st`,
  `t0`.`__u1_r`,
  `t0`.`__u2_s`,
  `t0`.`__u2_cov`,
  `t0`.`__u2_st`,
  `t0`.`__u2_r`,
  `t0`.`__u3_s`,
  `t0`.`__u3_cov`,
  `t0`.`__u3_st`,
  `t0`.`__u3_r`,
  `t0`.`__u4_s`,
  `t0`.`__u4_cov`,
  `t0`.`__u4_st`,
  `t0`.`__u4_r`,
  `t0`.`__u5_s`,
  `t0`.`__u5_cov`,
  `t0`.`__u5_st`,
  `t0`.`__u5_r`,
  `t0`.`__u0_sr`,
  `t0`.`__u1_sr`,
  `t0`.`__u2_sr`,
  `t0`.`__u3_sr`,
  `t0`.`__u4_sr`,
  `t0`.`__u5_sr`,
  `t0`.`__u0_c`,
  `t0`.`__u1_c`,
  `t0`.`__u2_c`,
  `t0`.`__u3_c`,
  `t0`.`__u4_c`,
  `t0`.`__u5_c`,
  `t0`.`__u0_a`,
  `t0`.`__u1_a`,
  `t0`.`__u2_a`,
  `t0`.`__u3_a`,
  `t0`.`__u4_a`,
  `t0`.`__u5_a`,
  `t0`.`__o_tot`,
  `t0`.`__o_w`,
  `t0`.`__o_adopted`,
  `t0`.`__o_scored`,
  `t0`.`__o_s`,
  `t0`.`__o_sr`,
  CASE
    WHEN `t0`.`__o_sr` IS NULL
    THEN CAST(NULL AS INT64)
    WHEN `t0`.`__o_sr` <= CAST(50.0 AS FLOAT64)
    THEN 0
    WHEN `t0`.`__o_sr` <= CAST(75.0 AS FLOAT64)
    THEN 1
    ELSE 2
  END AS `__o_c`
FROM `overall_rounded` AS `t0`
)
SELECT
  'gitlab' AS `rubric`,
  '2025.1' AS `rubric_version`,
  `t0`.`account_id`,
  `t0`.`period`,
  `t0`.`segment`,
  `t0`.`industry`,
  `t0`.`tier`,
  `t0`.`__o_s` AS `score`,
  CASE WHEN `t0`.`__o_s` IS NOT NULL THEN 'scored' ELSE 'no_data' END AS `status`,
  CASE
    WHEN `t0`.`__o_c` = 0
    THEN 'red'
    WHEN `t0`.`__o_c` = 1
    THEN 'yellow'
    WHEN `t0`.`__o_c` = 2
    THEN 'green'
    ELSE CAST(NULL AS STRING)
  END AS `color`,
  `t0`.`__o_adopted` AS `adopted_use_cases`,
  `t0`.`__o_scored` AS `use_cases_scored`
FROM `overall_color` AS `t0`
