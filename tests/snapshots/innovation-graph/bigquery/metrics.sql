WITH `source` AS (
SELECT
  `t0`.`economy`,
  `t0`.`period`,
  MAX(IF(`t0`.`metric` = 'git_pushes', `t0`.`value`, NULL)) AS `git_pushes`,
  MAX(IF(`t0`.`metric` = 'developers', `t0`.`value`, NULL)) AS `developers`,
  MAX(IF(`t0`.`metric` = 'repositories', `t0`.`value`, NULL)) AS `repositories`,
  MAX(IF(`t0`.`metric` = 'organizations', `t0`.`value`, NULL)) AS `organizations`
FROM `usage` AS `t0`
GROUP BY
  1,
  2
),
`prepared` AS (
SELECT
  `t0`.`economy` AS `account_id`,
  `t0`.`period`,
  CASE
    WHEN IS_NAN(`t0`.`git_pushes` - `t0`.`git_pushes`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`git_pushes` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`git_pushes`
  END AS `git_pushes`,
  CASE
    WHEN IS_NAN(`t0`.`developers` - `t0`.`developers`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`developers` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`developers`
  END AS `developers`,
  CASE
    WHEN IS_NAN(`t0`.`repositories` - `t0`.`repositories`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`repositories` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`repositories`
  END AS `repositories`,
  CASE
    WHEN IS_NAN(`t0`.`organizations` - `t0`.`organizations`)
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`organizations` < 0
    THEN CAST(NULL AS FLOAT64)
    ELSE `t0`.`organizations`
  END AS `organizations`
FROM `source` AS `t0`
WHERE
  `t0`.`economy` <> 'EU'
),
`metric_inputs` AS (
SELECT
  `t0`.`account_id`,
  `t0`.`period`,
  `t0`.`git_pushes` AS `__m0_0_n`,
  `t0`.`developers` AS `__m0_0_d`,
  `t0`.`git_pushes` AS `__m0_1_n`,
  `t0`.`repositories` AS `__m0_1_d`,
  `t0`.`organizations` AS `__m1_0_n`,
  CASE
    WHEN 1000 = 0
    THEN CAST(NULL AS FLOAT64)
    ELSE ieee_divide(`t0`.`developers`, 1000)
  END AS `__m1_0_d`,
  `t0`.`repositories` AS `__m2_0_n`,
  `t0`.`developers` AS `__m2_0_d`
FROM `prepared` AS `t0`
),
`metric_values` AS (
SELECT
  `t0`.`account_id`,
  `t0`.`period`,
  `t0`.`__m0_0_n`,
  `t0`.`__m0_0_d`,
  `t0`.`__m0_1_n`,
  `t0`.`__m0_1_d`,
  `t0`.`__m1_0_n`,
  `t0`.`__m1_0_d`,
  `t0`.`__m2_0_n`,
  `t0`.`__m2_0_d`,
  CASE
    WHEN (
      `t0`.`__m0_0_n` IS NULL
    ) OR (
      `t0`.`__m0_0_d` IS NULL
    )
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`__m0_0_d` = 0
    THEN CAST(NULL AS FLOAT64)
    ELSE ieee_divide(`t0`.`__m0_0_n`, `t0`.`__m0_0_d`)
  END AS `__m0_0_v0`,
  CASE
    WHEN (
      `t0`.`__m0_1_n` IS NULL
    ) OR (
      `t0`.`__m0_1_d` IS NULL
    )
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`__m0_1_d` = 0
    THEN CAST(NULL AS FLOAT64)
    ELSE ieee_divide(`t0`.`__m0_1_n`, `t0`.`__m0_1_d`)
  END AS `__m0_1_v0`,
  CASE
    WHEN (
      `t0`.`__m1_0_n` IS NULL
    ) OR (
      `t0`.`__m1_0_d` IS NULL
    )
    THEN CAST(NULL AS FLOAT64)
    WHEN `t0`.`__m1_0_d` = 0
    THEN CAST(NULL AS FLOAT64)
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
    THEN CAST(NULL AS FLOAT64)
    ELSE ieee_divide(`t0`.`__m2_0_n`, `t0`.`__m2_0_d`)
  END AS `__m2_0_v0`
FROM `metric_inputs` AS `t0`
),
`metric_codes` AS (
SELECT
  `t0`.`account_id`,
  `t0`.`period`,
  `t0`.`__m0_0_n`,
  `t0`.`__m0_0_d`,
  `t0`.`__m0_1_n`,
  `t0`.`__m0_1_d`,
  `t0`.`__m1_0_n`,
  `t0`.`__m1_0_d`,
  `t0`.`__m2_0_n`,
  `t0`.`__m2_0_d`,
  `t0`.`__m0_0_v0`,
  `t0`.`__m0_1_v0`,
  `t0`.`__m1_0_v0`,
  `t0`.`__m2_0_v0`,
  `t0`.`__m0_0_v0` AS `__m0_0_v`,
  CASE
    WHEN `t0`.`__m0_0_v0` IS NOT NULL
    THEN 0
    WHEN `t0`.`__m0_0_n` IS NULL
    THEN 1
    WHEN `t0`.`__m0_0_d` IS NULL
    THEN 2
    WHEN `t0`.`__m0_0_d` = 0
    THEN 3
    ELSE 0
  END AS `__m0_0_code`,
  `t0`.`__m0_1_v0` AS `__m0_1_v`,
  CASE
    WHEN `t0`.`__m0_1_v0` IS NOT NULL
    THEN 0
    WHEN `t0`.`__m0_1_n` IS NULL
    THEN 1
    WHEN `t0`.`__m0_1_d` IS NULL
    THEN 2
    WHEN `t0`.`__m0_1_d` = 0
    THEN 3
    ELSE 0
  END AS `__m0_1_code`,
  `t0`.`__m1_0_v0` AS `__m1_0_v`,
  CASE
    WHEN `t0`.`__m1_0_v0` IS NOT NULL
    THEN 0
    WHEN `t0`.`__m1_0_n` IS NULL
    THEN 1
    WHEN `t0`.`__m1_0_d` IS NULL
    THEN 2
    WHEN `t0`.`__m1_0_d` = 0
    THEN 3
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
    WHEN `t0`.`__m2_0_d` = 0
    THEN 3
    ELSE 0
  END AS `__m2_0_code`
FROM `metric_values` AS `t0`
),
`metric_reasons` AS (
SELECT
  `t0`.`account_id`,
  `t0`.`period`,
  `t0`.`__m0_0_n`,
  `t0`.`__m0_0_d`,
  `t0`.`__m0_1_n`,
  `t0`.`__m0_1_d`,
  `t0`.`__m1_0_n`,
  `t0`.`__m1_0_d`,
  `t0`.`__m2_0_n`,
  `t0`.`__m2_0_d`,
  `t0`.`__m0_0_v`,
  `t0`.`__m0_0_code`,
  `t0`.`__m0_1_v`,
  `t0`.`__m0_1_code`,
  `t0`.`__m1_0_v`,
  `t0`.`__m1_0_code`,
  `t0`.`__m2_0_v`,
  `t0`.`__m2_0_code`,
  CASE
    WHEN `t0`.`__m0_0_code` = 0
    THEN CAST(NULL AS STRING)
    WHEN `t0`.`__m0_0_code` = 1
    THEN 'numerator missing (git_pushes)'
    WHEN `t0`.`__m0_0_code` = 2
    THEN 'denominator missing (developers)'
    WHEN `t0`.`__m0_0_code` = 3
    THEN 'denominator is zero (developers)'
    ELSE CAST(NULL AS STRING)
  END AS `__m0_0_r`,
  FALSE AS `__m0_0_na`,
  CAST(ROUND(`t0`.`__m0_0_v`, 9) AS FLOAT64) AS `__m0_0_vr`,
  CASE
    WHEN `t0`.`__m0_1_code` = 0
    THEN CAST(NULL AS STRING)
    WHEN `t0`.`__m0_1_code` = 1
    THEN 'numerator missing (git_pushes)'
    WHEN `t0`.`__m0_1_code` = 2
    THEN 'denominator missing (repositories)'
    WHEN `t0`.`__m0_1_code` = 3
    THEN 'denominator is zero (repositories)'
    ELSE CAST(NULL AS STRING)
  END AS `__m0_1_r`,
  FALSE AS `__m0_1_na`,
  CAST(ROUND(`t0`.`__m0_1_v`, 9) AS FLOAT64) AS `__m0_1_vr`,
  CASE
    WHEN `t0`.`__m1_0_code` = 0
    THEN CAST(NULL AS STRING)
    WHEN `t0`.`__m1_0_code` = 1
    THEN 'numerator missing (organizations)'
    WHEN `t0`.`__m1_0_code` = 2
    THEN 'denominator missing (developers)'
    WHEN `t0`.`__m1_0_code` = 3
    THEN 'denominator is zero (developers)'
    ELSE CAST(NULL AS STRING)
  END AS `__m1_0_r`,
  FALSE AS `__m1_0_na`,
  CAST(ROUND(`t0`.`__m1_0_v`, 9) AS FLOAT64) AS `__m1_0_vr`,
  CASE
    WHEN `t0`.`__m2_0_code` = 0
    THEN CAST(NULL AS STRING)
    WHEN `t0`.`__m2_0_code` = 1
    THEN 'numerator missing (repositories)'
    WHEN `t0`.`__m2_0_code` = 2
    THEN 'denominator missing (developers)'
    WHEN `t0`.`__m2_0_code` = 3
    THEN 'denominator is zero (developers)'
    ELSE CAST(NULL AS STRING)
  END AS `__m2_0_r`,
  FALSE AS `__m2_0_na`,
  CAST(ROUND(`t0`.`__m2_0_v`, 9) AS FLOAT64) AS `__m2_0_vr`
FROM `metric_codes` AS `t0`
),
`metric_colors` AS (
SELECT
  `t0`.`account_id`,
  `t0`.`period`,
  `t0`.`__m0_0_n`,
  `t0`.`__m0_0_d`,
  `t0`.`__m0_1_n`,
  `t0`.`__m0_1_d`,
  `t0`.`__m1_0_n`,
  `t0`.`__m1_0_d`,
  `t0`.`__m2_0_n`,
  `t0`.`__m2_0_d`,
  `t0`.`__m0_0_v`,
  `t0`.`__m0_0_code`,
  `t0`.`__m0_1_v`,
  `t0`.`__m0_1_code`,
  `t0`.`__m1_0_v`,
  `t0`.`__m1_0_code`,
  `t0`.`__m2_0_v`,
  `t0`.`__m2_0_code`,
  `t0`.`__m0_0_r`,
  `t0`.`__m0_0_na`,
  `t0`.`__m0_1_r`,
  `t0`.`__m0_1_na`,
  `t0`.`__m1_0_r`,
  `t0`.`__m1_0_na`,
  `t0`.`__m2_0_r`,
  `t0`.`__m2_0_na`,
  CASE
    WHEN `t0`.`__m0_0_code` = 0
    THEN CASE
      WHEN `t0`.`__m0_0_vr` IS NULL
      THEN CAST(NULL AS INT64)
      WHEN `t0`.`__m0_0_vr` <= CAST(0.829 AS FLOAT64)
      THEN 0
      WHEN `t0`.`__m0_0_vr` <= CAST(1.67 AS FLOAT64)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS INT64)
  END AS `__m0_0_c`,
  CASE
    WHEN `t0`.`__m0_1_code` = 0
    THEN CASE
      WHEN `t0`.`__m0_1_vr` IS NULL
      THEN CAST(NULL AS INT64)
      WHEN `t0`.`__m0_1_vr` <= CAST(0.474 AS FLOAT64)
      THEN 0
      WHEN `t0`.`__m0_1_vr` <= CAST(0.737 AS FLOAT64)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS INT64)
  END AS `__m0_1_c`,
  CASE
    WHEN `t0`.`__m1_0_code` = 0
    THEN CASE
      WHEN `t0`.`__m1_0_vr` IS NULL
      THEN CAST(NULL AS INT64)
      WHEN `t0`.`__m1_0_vr` <= CAST(47.1 AS FLOAT64)
      THEN 0
      WHEN `t0`.`__m1_0_vr` <= CAST(65.7 AS FLOAT64)
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
      WHEN `t0`.`__m2_0_vr` <= CAST(1.37 AS FLOAT64)
      THEN 0
      WHEN `t0`.`__m2_0_vr` <= CAST(2.36 AS FLOAT64)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS INT64)
  END AS `__m2_0_c`
FROM `metric_reasons` AS `t0`
),
`metric_points` AS (
SELECT
  `t0`.`account_id`,
  `t0`.`period`,
  `t0`.`__m0_0_n`,
  `t0`.`__m0_0_d`,
  `t0`.`__m0_1_n`,
  `t0`.`__m0_1_d`,
  `t0`.`__m1_0_n`,
  `t0`.`__m1_0_d`,
  `t0`.`__m2_0_n`,
  `t0`.`__m2_0_d`,
  `t0`.`__m0_0_v`,
  `t0`.`__m0_0_code`,
  `t0`.`__m0_1_v`,
  `t0`.`__m0_1_code`,
  `t0`.`__m1_0_v`,
  `t0`.`__m1_0_code`,
  `t0`.`__m2_0_v`,
  `t0`.`__m2_0_code`,
  `t0`.`__m0_0_r`,
  `t0`.`__m0_0_na`,
  `t0`.`__m0_1_r`,
  `t0`.`__m0_1_na`,
  `t0`.`__m1_0_r`,
  `t0`.`__m1_0_na`,
  `t0`.`__m2_0_r`,
  `t0`.`__m2_0_na`,
  `t0`.`__m0_0_c`,
  `t0`.`__m0_1_c`,
  `t0`.`__m1_0_c`,
  `t0`.`__m2_0_c`,
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
    WHEN `t0`.`__m0_1_c` = 0
    THEN CAST(25.0 AS FLOAT64)
    WHEN `t0`.`__m0_1_c` = 1
    THEN CAST(63.0 AS FLOAT64)
    WHEN `t0`.`__m0_1_c` = 2
    THEN CAST(88.0 AS FLOAT64)
    ELSE CAST(NULL AS FLOAT64)
  END AS `__m0_1_p`,
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
  END AS `__m2_0_p`
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
    'innovation-graph' AS `rubric`,
    '2025.3' AS `rubric_version`,
    `t2`.`account_id`,
    `t2`.`period`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN 'activity'
      WHEN `t3`.`__i` = 1
      THEN 'activity'
      WHEN `t3`.`__i` = 2
      THEN 'organisation'
      WHEN `t3`.`__i` = 3
      THEN 'footprint'
      ELSE CAST(NULL AS STRING)
    END AS `use_case`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN 'pushes_per_developer'
      WHEN `t3`.`__i` = 1
      THEN 'pushes_per_repository'
      WHEN `t3`.`__i` = 2
      THEN 'organizations_per_1k_developers'
      WHEN `t3`.`__i` = 3
      THEN 'repositories_per_developer'
      ELSE CAST(NULL AS STRING)
    END AS `metric`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__m0_0_n`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__m0_1_n`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__m1_0_n`
      WHEN `t3`.`__i` = 3
      THEN `t2`.`__m2_0_n`
      ELSE CAST(NULL AS FLOAT64)
    END AS `numerator`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__m0_0_d`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__m0_1_d`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__m1_0_d`
      WHEN `t3`.`__i` = 3
      THEN `t2`.`__m2_0_d`
      ELSE CAST(NULL AS FLOAT64)
    END AS `denominator`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__m0_0_v`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__m0_1_v`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__m1_0_v`
      WHEN `t3`.`__i` = 3
      THEN `t2`.`__m2_0_v`
      ELSE CAST(NULL AS FLOAT64)
    END AS `value`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__m0_0_c`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__m0_1_c`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__m1_0_c`
      WHEN `t3`.`__i` = 3
      THEN `t2`.`__m2_0_c`
      ELSE CAST(NULL AS INT64)
    END AS `__c`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__m0_0_na`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__m0_1_na`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__m1_0_na`
      WHEN `t3`.`__i` = 3
      THEN `t2`.`__m2_0_na`
      ELSE CAST(NULL AS BOOL)
    END AS `__na`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__m0_0_p`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__m0_1_p`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__m1_0_p`
      WHEN `t3`.`__i` = 3
      THEN `t2`.`__m2_0_p`
      ELSE CAST(NULL AS FLOAT64)
    END AS `points`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__m0_0_r`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__m0_1_r`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__m1_0_r`
      WHEN `t3`.`__i` = 3
      THEN `t2`.`__m2_0_r`
      ELSE CAST(NULL AS STRING)
    END AS `reason`
  FROM `metric_points` AS `t2`
  CROSS JOIN `metric_index` AS `t3`
) AS `t4`
