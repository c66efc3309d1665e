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
    WHEN ISNAN(`t0`.`git_pushes` - `t0`.`git_pushes`)
    THEN CAST(NULL AS DOUBLE)
    WHEN `t0`.`git_pushes` < 0
    THEN CAST(NULL AS DOUBLE)
    ELSE `t0`.`git_pushes`
  END AS `git_pushes`,
  CASE
    WHEN ISNAN(`t0`.`developers` - `t0`.`developers`)
    THEN CAST(NULL AS DOUBLE)
    WHEN `t0`.`developers` < 0
    THEN CAST(NULL AS DOUBLE)
    ELSE `t0`.`developers`
  END AS `developers`,
  CASE
    WHEN ISNAN(`t0`.`repositories` - `t0`.`repositories`)
    THEN CAST(NULL AS DOUBLE)
    WHEN `t0`.`repositories` < 0
    THEN CAST(NULL AS DOUBLE)
    ELSE `t0`.`repositories`
  END AS `repositories`,
  CASE
    WHEN ISNAN(`t0`.`organizations` - `t0`.`organizations`)
    THEN CAST(NULL AS DOUBLE)
    WHEN `t0`.`organizations` < 0
    THEN CAST(NULL AS DOUBLE)
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
  CASE WHEN 1000 = 0 THEN CAST(NULL AS DOUBLE) ELSE `t0`.`developers` / 1000 END AS `__m1_0_d`,
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
    WHEN `t0`.`__m0_0_n` IS NULL
    OR ISNAN(`t0`.`__m0_0_n`)
    OR (
      `t0`.`__m0_0_d` IS NULL OR ISNAN(`t0`.`__m0_0_d`)
    )
    THEN CAST(NULL AS DOUBLE)
    WHEN `t0`.`__m0_0_d` = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE `t0`.`__m0_0_n` / `t0`.`__m0_0_d`
  END AS `__m0_0_v0`,
  CASE
    WHEN `t0`.`__m0_1_n` IS NULL
    OR ISNAN(`t0`.`__m0_1_n`)
    OR (
      `t0`.`__m0_1_d` IS NULL OR ISNAN(`t0`.`__m0_1_d`)
    )
    THEN CAST(NULL AS DOUBLE)
    WHEN `t0`.`__m0_1_d` = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE `t0`.`__m0_1_n` / `t0`.`__m0_1_d`
  END AS `__m0_1_v0`,
  CASE
    WHEN `t0`.`__m1_0_n` IS NULL
    OR ISNAN(`t0`.`__m1_0_n`)
    OR (
      `t0`.`__m1_0_d` IS NULL OR ISNAN(`t0`.`__m1_0_d`)
    )
    THEN CAST(NULL AS DOUBLE)
    WHEN `t0`.`__m1_0_d` = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE `t0`.`__m1_0_n` / `t0`.`__m1_0_d`
  END AS `__m1_0_v0`,
  CASE
    WHEN `t0`.`__m2_0_n` IS NULL
    OR ISNAN(`t0`.`__m2_0_n`)
    OR (
      `t0`.`__m2_0_d` IS NULL OR ISNAN(`t0`.`__m2_0_d`)
    )
    THEN CAST(NULL AS DOUBLE)
    WHEN `t0`.`__m2_0_d` = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE `t0`.`__m2_0_n` / `t0`.`__m2_0_d`
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
    WHEN `t0`.`__m0_0_v0` IS NOT NULL AND NOT ISNAN(`t0`.`__m0_0_v0`)
    THEN 0
    WHEN `t0`.`__m0_0_n` IS NULL OR ISNAN(`t0`.`__m0_0_n`)
    THEN 1
    WHEN `t0`.`__m0_0_d` IS NULL OR ISNAN(`t0`.`__m0_0_d`)
    THEN 2
    WHEN `t0`.`__m0_0_d` = 0
    THEN 3
    ELSE 0
  END AS `__m0_0_code`,
  `t0`.`__m0_1_v0` AS `__m0_1_v`,
  CASE
    WHEN `t0`.`__m0_1_v0` IS NOT NULL AND NOT ISNAN(`t0`.`__m0_1_v0`)
    THEN 0
    WHEN `t0`.`__m0_1_n` IS NULL OR ISNAN(`t0`.`__m0_1_n`)
    THEN 1
    WHEN `t0`.`__m0_1_d` IS NULL OR ISNAN(`t0`.`__m0_1_d`)
    THEN 2
    WHEN `t0`.`__m0_1_d` = 0
    THEN 3
    ELSE 0
  END AS `__m0_1_code`,
  `t0`.`__m1_0_v0` AS `__m1_0_v`,
  CASE
    WHEN `t0`.`__m1_0_v0` IS NOT NULL AND NOT ISNAN(`t0`.`__m1_0_v0`)
    THEN 0
    WHEN `t0`.`__m1_0_n` IS NULL OR ISNAN(`t0`.`__m1_0_n`)
    THEN 1
    WHEN `t0`.`__m1_0_d` IS NULL OR ISNAN(`t0`.`__m1_0_d`)
    THEN 2
    WHEN `t0`.`__m1_0_d` = 0
    THEN 3
    ELSE 0
  END AS `__m1_0_code`,
  `t0`.`__m2_0_v0` AS `__m2_0_v`,
  CASE
    WHEN `t0`.`__m2_0_v0` IS NOT NULL AND NOT ISNAN(`t0`.`__m2_0_v0`)
    THEN 0
    WHEN `t0`.`__m2_0_n` IS NULL OR ISNAN(`t0`.`__m2_0_n`)
    THEN 1
    WHEN `t0`.`__m2_0_d` IS NULL OR ISNAN(`t0`.`__m2_0_d`)
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
  CAST(ROUND(`t0`.`__m0_0_v`, 9) AS DOUBLE) AS `__m0_0_vr`,
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
  CAST(ROUND(`t0`.`__m0_1_v`, 9) AS DOUBLE) AS `__m0_1_vr`,
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
  CAST(ROUND(`t0`.`__m1_0_v`, 9) AS DOUBLE) AS `__m1_0_vr`,
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
  CAST(ROUND(`t0`.`__m2_0_v`, 9) AS DOUBLE) AS `__m2_0_vr`
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
      WHEN `t0`.`__m0_0_vr` IS NULL OR ISNAN(`t0`.`__m0_0_vr`)
      THEN CAST(NULL AS TINYINT)
      WHEN `t0`.`__m0_0_vr` <= CAST(0.829 AS DOUBLE)
      THEN 0
      WHEN `t0`.`__m0_0_vr` <= CAST(1.67 AS DOUBLE)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS TINYINT)
  END AS `__m0_0_c`,
  CASE
    WHEN `t0`.`__m0_1_code` = 0
    THEN CASE
      WHEN `t0`.`__m0_1_vr` IS NULL OR ISNAN(`t0`.`__m0_1_vr`)
      THEN CAST(NULL AS TINYINT)
      WHEN `t0`.`__m0_1_vr` <= CAST(0.474 AS DOUBLE)
      THEN 0
      WHEN `t0`.`__m0_1_vr` <= CAST(0.737 AS DOUBLE)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS TINYINT)
  END AS `__m0_1_c`,
  CASE
    WHEN `t0`.`__m1_0_code` = 0
    THEN CASE
      WHEN `t0`.`__m1_0_vr` IS NULL OR ISNAN(`t0`.`__m1_0_vr`)
      THEN CAST(NULL AS TINYINT)
      WHEN `t0`.`__m1_0_vr` <= CAST(47.1 AS DOUBLE)
      THEN 0
      WHEN `t0`.`__m1_0_vr` <= CAST(65.7 AS DOUBLE)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS TINYINT)
  END AS `__m1_0_c`,
  CASE
    WHEN `t0`.`__m2_0_code` = 0
    THEN CASE
      WHEN `t0`.`__m2_0_vr` IS NULL OR ISNAN(`t0`.`__m2_0_vr`)
      THEN CAST(NULL AS TINYINT)
      WHEN `t0`.`__m2_0_vr` <= CAST(1.37 AS DOUBLE)
      THEN 0
      WHEN `t0`.`__m2_0_vr` <= CAST(2.36 AS DOUBLE)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS TINYINT)
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
    THEN CAST(25.0 AS DOUBLE)
    WHEN `t0`.`__m0_0_c` = 1
    THEN CAST(63.0 AS DOUBLE)
    WHEN `t0`.`__m0_0_c` = 2
    THEN CAST(88.0 AS DOUBLE)
    ELSE CAST(NULL AS DOUBLE)
  END AS `__m0_0_p`,
  CASE
    WHEN `t0`.`__m0_1_c` = 0
    THEN CAST(25.0 AS DOUBLE)
    WHEN `t0`.`__m0_1_c` = 1
    THEN CAST(63.0 AS DOUBLE)
    WHEN `t0`.`__m0_1_c` = 2
    THEN CAST(88.0 AS DOUBLE)
    ELSE CAST(NULL AS DOUBLE)
  END AS `__m0_1_p`,
  CASE
    WHEN `t0`.`__m1_0_c` = 0
    THEN CAST(25.0 AS DOUBLE)
    WHEN `t0`.`__m1_0_c` = 1
    THEN CAST(63.0 AS DOUBLE)
    WHEN `t0`.`__m1_0_c` = 2
    THEN CAST(88.0 AS DOUBLE)
    ELSE CAST(NULL AS DOUBLE)
  END AS `__m1_0_p`,
  CASE
    WHEN `t0`.`__m2_0_c` = 0
    THEN CAST(25.0 AS DOUBLE)
    WHEN `t0`.`__m2_0_c` = 1
    THEN CAST(63.0 AS DOUBLE)
    WHEN `t0`.`__m2_0_c` = 2
    THEN CAST(88.0 AS DOUBLE)
    ELSE CAST(NULL AS DOUBLE)
  END AS `__m2_0_p`
FROM `metric_colors` AS `t0`
),
`use_case_sums` AS (
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
  `t0`.`__m0_0_na`,
  `t0`.`__m0_1_na`,
  `t0`.`__m1_0_na`,
  `t0`.`__m2_0_na`,
  `t0`.`__m0_0_c`,
  `t0`.`__m0_1_c`,
  `t0`.`__m1_0_c`,
  `t0`.`__m2_0_c`,
  `t0`.`__m0_0_p`,
  `t0`.`__m0_1_p`,
  `t0`.`__m1_0_p`,
  `t0`.`__m2_0_p`,
  CASE
    WHEN `t0`.`__m0_0_p` IS NOT NULL AND NOT ISNAN(`t0`.`__m0_0_p`)
    THEN `t0`.`__m0_0_p` * CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END + CASE
    WHEN `t0`.`__m0_1_p` IS NOT NULL AND NOT ISNAN(`t0`.`__m0_1_p`)
    THEN `t0`.`__m0_1_p` * CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END AS `__u0_tot`,
  CASE
    WHEN `t0`.`__m0_0_p` IS NOT NULL AND NOT ISNAN(`t0`.`__m0_0_p`)
    THEN CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END + CASE
    WHEN `t0`.`__m0_1_p` IS NOT NULL AND NOT ISNAN(`t0`.`__m0_1_p`)
    THEN CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END AS `__u0_w`,
  CASE WHEN `t0`.`__m0_0_na` THEN CAST(0.0 AS DOUBLE) ELSE CAST(1.0 AS DOUBLE) END + CASE WHEN `t0`.`__m0_1_na` THEN CAST(0.0 AS DOUBLE) ELSE CAST(1.0 AS DOUBLE) END AS `__u0_aw`,
  CAST(CAST(CASE
    WHEN `t0`.`__m0_0_p` IS NOT NULL AND NOT ISNAN(`t0`.`__m0_0_p`)
    THEN 1
    ELSE 0
  END + CASE
    WHEN `t0`.`__m0_1_p` IS NOT NULL AND NOT ISNAN(`t0`.`__m0_1_p`)
    THEN 1
    ELSE 0
  END AS INT) AS BIGINT) AS `__u0_n`,
  CASE
    WHEN `t0`.`__m1_0_p` IS NOT NULL AND NOT ISNAN(`t0`.`__m1_0_p`)
    THEN `t0`.`__m1_0_p` * CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END AS `__u1_tot`,
  CASE
    WHEN `t0`.`__m1_0_p` IS NOT NULL AND NOT ISNAN(`t0`.`__m1_0_p`)
    THEN CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END AS `__u1_w`,
  CASE WHEN `t0`.`__m1_0_na` THEN CAST(0.0 AS DOUBLE) ELSE CAST(1.0 AS DOUBLE) END AS `__u1_aw`,
  CAST(CASE
    WHEN `t0`.`__m1_0_p` IS NOT NULL AND NOT ISNAN(`t0`.`__m1_0_p`)
    THEN 1
    ELSE 0
  END AS BIGINT) AS `__u1_n`,
  CASE
    WHEN `t0`.`__m2_0_p` IS NOT NULL AND NOT ISNAN(`t0`.`__m2_0_p`)
    THEN `t0`.`__m2_0_p` * CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END AS `__u2_tot`,
  CASE
    WHEN `t0`.`__m2_0_p` IS NOT NULL AND NOT ISNAN(`t0`.`__m2_0_p`)
    THEN CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END AS `__u2_w`,
  CASE WHEN `t0`.`__m2_0_na` THEN CAST(0.0 AS DOUBLE) ELSE CAST(1.0 AS DOUBLE) END AS `__u2_aw`,
  CAST(CASE
    WHEN `t0`.`__m2_0_p` IS NOT NULL AND NOT ISNAN(`t0`.`__m2_0_p`)
    THEN 1
    ELSE 0
  END AS BIGINT) AS `__u2_n`
FROM `metric_points` AS `t0`
),
`use_case_scores` AS (
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
  `t0`.`__m0_0_na`,
  `t0`.`__m0_1_na`,
  `t0`.`__m1_0_na`,
  `t0`.`__m2_0_na`,
  `t0`.`__m0_0_c`,
  `t0`.`__m0_1_c`,
  `t0`.`__m1_0_c`,
  `t0`.`__m2_0_c`,
  `t0`.`__m0_0_p`,
  `t0`.`__m0_1_p`,
  `t0`.`__m1_0_p`,
  `t0`.`__m2_0_p`,
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
  CASE
    WHEN `t0`.`__u0_w` > 0
    THEN `t0`.`__u0_tot` / `t0`.`__u0_w`
    ELSE CAST(NULL AS DOUBLE)
  END AS `__u0_s`,
  CASE
    WHEN `t0`.`__u0_aw` > 0
    THEN `t0`.`__u0_w` / `t0`.`__u0_aw`
    ELSE CAST(NULL AS DOUBLE)
  END AS `__u0_cov`,
  CASE WHEN `t0`.`__u0_w` > 0 THEN 0 WHEN `t0`.`__u0_aw` = 0 THEN 2 ELSE 1 END AS `__u0_st`,
  CASE WHEN `t0`.`__u0_w` > 0 THEN 0 WHEN `t0`.`__u0_aw` = 0 THEN 2 ELSE 1 END AS `__u0_r`,
  CASE
    WHEN `t0`.`__u1_w` > 0
    THEN `t0`.`__u1_tot` / `t0`.`__u1_w`
    ELSE CAST(NULL AS DOUBLE)
  END AS `__u1_s`,
  CASE
    WHEN `t0`.`__u1_aw` > 0
    THEN `t0`.`__u1_w` / `t0`.`__u1_aw`
    ELSE CAST(NULL AS DOUBLE)
  END AS `__u1_cov`,
  CASE WHEN `t0`.`__u1_w` > 0 THEN 0 WHEN `t0`.`__u1_aw` = 0 THEN 2 ELSE 1 END AS `__u1_st`,
  CASE WHEN `t0`.`__u1_w` > 0 THEN 0 WHEN `t0`.`__u1_aw` = 0 THEN 2 ELSE 1 END AS `__u1_r`,
  CASE
    WHEN `t0`.`__u2_w` > 0
    THEN `t0`.`__u2_tot` / `t0`.`__u2_w`
    ELSE CAST(NULL AS DOUBLE)
  END AS `__u2_s`,
  CASE
    WHEN `t0`.`__u2_aw` > 0
    THEN `t0`.`__u2_w` / `t0`.`__u2_aw`
    ELSE CAST(NULL AS DOUBLE)
  END AS `__u2_cov`,
  CASE WHEN `t0`.`__u2_w` > 0 THEN 0 WHEN `t0`.`__u2_aw` = 0 THEN 2 ELSE 1 END AS `__u2_st`,
  CASE WHEN `t0`.`__u2_w` > 0 THEN 0 WHEN `t0`.`__u2_aw` = 0 THEN 2 ELSE 1 END AS `__u2_r`
FROM `use_case_sums` AS `t0`
),
`use_case_rounded` AS (
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
  `t0`.`__m0_0_na`,
  `t0`.`__m0_1_na`,
  `t0`.`__m1_0_na`,
  `t0`.`__m2_0_na`,
  `t0`.`__m0_0_c`,
  `t0`.`__m0_1_c`,
  `t0`.`__m1_0_c`,
  `t0`.`__m2_0_c`,
  `t0`.`__m0_0_p`,
  `t0`.`__m0_1_p`,
  `t0`.`__m1_0_p`,
  `t0`.`__m2_0_p`,
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
  CAST(ROUND(`t0`.`__u0_s`, 9) AS DOUBLE) AS `__u0_sr`,
  CAST(ROUND(`t0`.`__u1_s`, 9) AS DOUBLE) AS `__u1_sr`,
  CAST(ROUND(`t0`.`__u2_s`, 9) AS DOUBLE) AS `__u2_sr`
FROM `use_case_scores` AS `t0`
),
`use_case_colors` AS (
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
  `t0`.`__m0_0_na`,
  `t0`.`__m0_1_na`,
  `t0`.`__m1_0_na`,
  `t0`.`__m2_0_na`,
  `t0`.`__m0_0_c`,
  `t0`.`__m0_1_c`,
  `t0`.`__m1_0_c`,
  `t0`.`__m2_0_c`,
  `t0`.`__m0_0_p`,
  `t0`.`__m0_1_p`,
  `t0`.`__m1_0_p`,
  `t0`.`__m2_0_p`,
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
  `t0`.`__u0_sr`,
  `t0`.`__u1_sr`,
  `t0`.`__u2_sr`,
  CASE
    WHEN `t0`.`__u0_sr` IS NULL OR ISNAN(`t0`.`__u0_sr`)
    THEN CAST(NULL AS TINYINT)
    WHEN `t0`.`__u0_sr` <= CAST(50.0 AS DOUBLE)
    THEN 0
    WHEN `t0`.`__u0_sr` <= CAST(75.0 AS DOUBLE)
    THEN 1
    ELSE 2
  END AS `__u0_c`,
  CASE
    WHEN `t0`.`__u1_sr` IS NULL OR ISNAN(`t0`.`__u1_sr`)
    THEN CAST(NULL AS TINYINT)
    WHEN `t0`.`__u1_sr` <= CAST(50.0 AS DOUBLE)
    THEN 0
    WHEN `t0`.`__u1_sr` <= CAST(75.0 AS DOUBLE)
    THEN 1
    ELSE 2
  END AS `__u1_c`,
  CASE
    WHEN `t0`.`__u2_sr` IS NULL OR ISNAN(`t0`.`__u2_sr`)
    THEN CAST(NULL AS TINYINT)
    WHEN `t0`.`__u2_sr` <= CAST(50.0 AS DOUBLE)
    THEN 0
    WHEN `t0`.`__u2_sr` <= CAST(75.0 AS DOUBLE)
    THEN 1
    ELSE 2
  END AS `__u2_c`
FROM `use_case_rounded` AS `t0`
),
`use_case_adopted` AS (
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
  `t0`.`__m0_0_na`,
  `t0`.`__m0_1_na`,
  `t0`.`__m1_0_na`,
  `t0`.`__m2_0_na`,
  `t0`.`__m0_0_c`,
  `t0`.`__m0_1_c`,
  `t0`.`__m1_0_c`,
  `t0`.`__m2_0_c`,
  `t0`.`__m0_0_p`,
  `t0`.`__m0_1_p`,
  `t0`.`__m1_0_p`,
  `t0`.`__m2_0_p`,
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
  `t0`.`__u0_sr`,
  `t0`.`__u1_sr`,
  `t0`.`__u2_sr`,
  `t0`.`__u0_c`,
  `t0`.`__u1_c`,
  `t0`.`__u2_c`,
  CASE
    WHEN `t0`.`__u0_s` IS NOT NULL AND NOT ISNAN(`t0`.`__u0_s`)
    THEN `t0`.`__u0_c` = 2
    ELSE CAST(NULL AS BOOLEAN)
  END AS `__u0_a`,
  CASE
    WHEN `t0`.`__u1_s` IS NOT NULL AND NOT ISNAN(`t0`.`__u1_s`)
    THEN `t0`.`__u1_c` = 2
    ELSE CAST(NULL AS BOOLEAN)
  END AS `__u1_a`,
  CASE
    WHEN `t0`.`__u2_s` IS NOT NULL AND NOT ISNAN(`t0`.`__u2_s`)
    THEN `t0`.`__u2_c` = 2
    ELSE CAST(NULL AS BOOLEAN)
  END AS `__u2_a`
FROM `use_case_colors` AS `t0`
),
`use_case_index` AS (
SELECT
  CAST(0 AS SMALLINT) AS `__i`
UNION ALL
SELECT
  CAST(1 AS SMALLINT) AS `__i`
UNION ALL
SELECT
  CAST(2 AS SMALLINT) AS `__i`
)
SELECT
  `t4`.`rubric`,
  `t4`.`rubric_version`,
  `t4`.`account_id`,
  `t4`.`period`,
  `t4`.`use_case`,
  `t4`.`score`,
  CASE
    WHEN `t4`.`__st` = 0
    THEN 'scored'
    WHEN `t4`.`__st` = 1
    THEN 'no_data'
    WHEN `t4`.`__st` = 2
    THEN 'not_applicable'
    ELSE CAST(NULL AS STRING)
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
  `t4`.`coverage`,
  `t4`.`metrics_scored`,
  `t4`.`adopted`,
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
      THEN 'organisation'
      WHEN `t3`.`__i` = 2
      THEN 'footprint'
      ELSE CAST(NULL AS STRING)
    END AS `use_case`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__u0_s`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__u1_s`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__u2_s`
      ELSE CAST(NULL AS DOUBLE)
    END AS `score`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__u0_st`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__u1_st`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__u2_st`
      ELSE CAST(NULL AS TINYINT)
    END AS `__st`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__u0_c`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__u1_c`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__u2_c`
      ELSE CAST(NULL AS TINYINT)
    END AS `__c`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__u0_cov`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__u1_cov`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__u2_cov`
      ELSE CAST(NULL AS DOUBLE)
    END AS `coverage`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__u0_n`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__u1_n`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__u2_n`
      ELSE CAST(NULL AS BIGINT)
    END AS `metrics_scored`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN `t2`.`__u0_a`
      WHEN `t3`.`__i` = 1
      THEN `t2`.`__u1_a`
      WHEN `t3`.`__i` = 2
      THEN `t2`.`__u2_a`
      ELSE CAST(NULL AS BOOLEAN)
    END AS `adopted`,
    CASE
      WHEN `t3`.`__i` = 0
      THEN CASE
        WHEN `t2`.`__u0_r` = 1
        THEN 'no metric has data'
        WHEN `t2`.`__u0_r` = 2
        THEN 'no metric applies'
        ELSE CAST(NULL AS STRING)
      END
      WHEN `t3`.`__i` = 1
      THEN CASE
        WHEN `t2`.`__u1_r` = 1
        THEN 'no metric has data'
        WHEN `t2`.`__u1_r` = 2
        THEN 'no metric applies'
        ELSE CAST(NULL AS STRING)
      END
      WHEN `t3`.`__i` = 2
      THEN CASE
        WHEN `t2`.`__u2_r` = 1
        THEN 'no metric has data'
        WHEN `t2`.`__u2_r` = 2
        THEN 'no metric applies'
        ELSE CAST(NULL AS STRING)
      END
      ELSE CAST(NULL AS STRING)
    END AS `reason`
  FROM `use_case_adopted` AS `t2`
  CROSS JOIN `use_case_index` AS `t3`
) AS `t4`
