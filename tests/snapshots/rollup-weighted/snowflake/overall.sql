WITH "source" AS (
SELECT
  *
FROM "usage"
),
"prepared" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."instance_id" AS "__inst",
  "t0"."subscription_id" AS "__sub",
  "t0"."segment",
  "t0"."tier",
  CASE
    WHEN (
      "t0"."licensed_users" - "t0"."licensed_users"
    ) = CAST('NaN' AS DOUBLE)
    THEN CAST(NULL AS DOUBLE)
    WHEN "t0"."licensed_users" < 0
    THEN CAST(NULL AS DOUBLE)
    ELSE "t0"."licensed_users"
  END AS "licensed_users",
  CASE
    WHEN (
      "t0"."git_ops_users" - "t0"."git_ops_users"
    ) = CAST('NaN' AS DOUBLE)
    THEN CAST(NULL AS DOUBLE)
    WHEN "t0"."git_ops_users" < 0
    THEN CAST(NULL AS DOUBLE)
    ELSE "t0"."git_ops_users"
  END AS "git_ops_users",
  CASE
    WHEN (
      "t0"."billable_users" - "t0"."billable_users"
    ) = CAST('NaN' AS DOUBLE)
    THEN CAST(NULL AS DOUBLE)
    WHEN "t0"."billable_users" < 0
    THEN CAST(NULL AS DOUBLE)
    ELSE "t0"."billable_users"
  END AS "billable_users",
  CASE
    WHEN (
      "t0"."account_age_months" - "t0"."account_age_months"
    ) = CAST('NaN' AS DOUBLE)
    THEN CAST(NULL AS DOUBLE)
    ELSE "t0"."account_age_months"
  END AS "account_age_months",
  CASE
    WHEN (
      "t0"."ci_builds" - "t0"."ci_builds"
    ) = CAST('NaN' AS DOUBLE)
    THEN CAST(NULL AS DOUBLE)
    WHEN "t0"."ci_builds" < 0
    THEN CAST(NULL AS DOUBLE)
    ELSE "t0"."ci_builds"
  END AS "ci_builds",
  CASE
    WHEN (
      "t0"."scanner_users" - "t0"."scanner_users"
    ) = CAST('NaN' AS DOUBLE)
    THEN CAST(NULL AS DOUBLE)
    WHEN "t0"."scanner_users" < 0
    THEN CAST(NULL AS DOUBLE)
    ELSE "t0"."scanner_users"
  END AS "scanner_users",
  "t0"."instance_type",
  CASE
    WHEN (
      "t0"."arr" - "t0"."arr"
    ) = CAST('NaN' AS DOUBLE)
    THEN CAST(NULL AS DOUBLE)
    ELSE "t0"."arr"
  END AS "arr"
FROM "source" AS "t0"
WHERE
  CASE
    WHEN (
      "t0"."licensed_users" - "t0"."licensed_users"
    ) = CAST('NaN' AS DOUBLE)
    THEN CAST(NULL AS DOUBLE)
    WHEN "t0"."licensed_users" < 0
    THEN CAST(NULL AS DOUBLE)
    ELSE "t0"."licensed_users"
  END > 0
),
"rollup_units" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."__inst",
  "t0"."__sub",
  "t0"."segment",
  "t0"."tier",
  "t0"."licensed_users",
  "t0"."git_ops_users",
  "t0"."billable_users",
  "t0"."account_age_months",
  "t0"."ci_builds",
  "t0"."scanner_users",
  "t0"."instance_type",
  "t0"."arr",
  CASE WHEN "t0"."arr" > 0 THEN "t0"."arr" ELSE CAST(0.0 AS DOUBLE) END AS "__w",
  ROW_NUMBER() OVER (
    PARTITION BY "t0"."account_id", "t0"."__sub", "t0"."period"
    ORDER BY CASE WHEN COALESCE("t0"."instance_type" = 'production', FALSE) THEN 1 ELSE 0 END DESC NULLS LAST, CASE WHEN "t0"."billable_users" IS NOT NULL THEN 1 ELSE 0 END DESC NULLS LAST, COALESCE("t0"."billable_users", 0) DESC NULLS LAST, COALESCE("t0"."__inst", '') ASC
  ) - 1 AS "__rn"
FROM "prepared" AS "t0"
),
"rollup_primary" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."__sub",
  "t0"."segment",
  "t0"."tier",
  "t0"."licensed_users",
  "t0"."git_ops_users",
  "t0"."billable_users",
  "t0"."account_age_months",
  "t0"."ci_builds",
  "t0"."scanner_users",
  "t0"."instance_type",
  "t0"."arr",
  "t0"."__w"
FROM "rollup_units" AS "t0"
WHERE
  "t0"."__rn" = 0
),
"metric_inputs" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."__sub",
  "t0"."segment",
  "t0"."tier",
  "t0"."account_age_months",
  "t0"."__w",
  "t0"."git_ops_users" AS "__m0_0_n",
  "t0"."billable_users" AS "__m0_0_d",
  "t0"."billable_users" AS "__m0_1_n",
  "t0"."licensed_users" AS "__m0_1_d",
  "t0"."ci_builds" AS "__m1_0_n",
  "t0"."billable_users" AS "__m1_0_d",
  CONTAINS(LOWER("t0"."tier"), 'ultimate') AS "__u2_app",
  "t0"."scanner_users" AS "__m2_0_n",
  "t0"."billable_users" AS "__m2_0_d"
FROM "rollup_primary" AS "t0"
),
"metric_values" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."__sub",
  "t0"."segment",
  "t0"."tier",
  "t0"."account_age_months",
  "t0"."__w",
  "t0"."__m0_0_n",
  "t0"."__m0_0_d",
  "t0"."__m0_1_n",
  "t0"."__m0_1_d",
  "t0"."__m1_0_n",
  "t0"."__m1_0_d",
  "t0"."__u2_app",
  "t0"."__m2_0_n",
  "t0"."__m2_0_d",
  CASE
    WHEN (
      "t0"."__m0_0_n" IS NULL
    ) OR (
      "t0"."__m0_0_d" IS NULL
    )
    THEN CAST(NULL AS DOUBLE)
    WHEN "t0"."__m0_0_d" = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE "t0"."__m0_0_n" / "t0"."__m0_0_d"
  END AS "__m0_0_v0",
  CASE
    WHEN (
      "t0"."__m0_1_n" IS NULL
    ) OR (
      "t0"."__m0_1_d" IS NULL
    )
    THEN CAST(NULL AS DOUBLE)
    WHEN "t0"."__m0_1_d" = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE "t0"."__m0_1_n" / "t0"."__m0_1_d"
  END AS "__m0_1_v0",
  CASE
    WHEN (
      "t0"."__m1_0_n" IS NULL
    ) OR (
      "t0"."__m1_0_d" IS NULL
    )
    THEN CAST(NULL AS DOUBLE)
    WHEN "t0"."__m1_0_d" = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE "t0"."__m1_0_n" / "t0"."__m1_0_d"
  END AS "__m1_0_v0",
  CASE
    WHEN (
      "t0"."__m2_0_n" IS NULL
    ) OR (
      "t0"."__m2_0_d" IS NULL
    )
    THEN CAST(NULL AS DOUBLE)
    WHEN "t0"."__m2_0_d" = 0
    THEN CAST(0.0 AS DOUBLE)
    ELSE "t0"."__m2_0_n" / "t0"."__m2_0_d"
  END AS "__m2_0_v0"
FROM "metric_inputs" AS "t0"
),
"rollup_rows" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."__sub",
  "t0"."segment",
  "t0"."tier",
  "t0"."account_age_months",
  "t0"."__w",
  "t0"."__m0_0_n",
  "t0"."__m0_0_d",
  "t0"."__m0_1_n",
  "t0"."__m0_1_d",
  "t0"."__m1_0_n",
  "t0"."__m1_0_d",
  "t0"."__u2_app",
  "t0"."__m2_0_n",
  "t0"."__m2_0_d",
  "t0"."__m0_0_v0" AS "__m0_0_v",
  "t0"."__m0_0_v0" IS NOT NULL AS "__m0_0_ok",
  CASE
    WHEN "t0"."__m0_0_n" IS NULL
    THEN 1
    WHEN "t0"."__m0_0_d" IS NULL
    THEN 2
    WHEN "t0"."__m0_0_d" = 0
    THEN 3
    ELSE 0
  END AS "__m0_0_dc",
  "t0"."__m0_1_v0" AS "__m0_1_v",
  "t0"."__m0_1_v0" IS NOT NULL AS "__m0_1_ok",
  CASE
    WHEN "t0"."__m0_1_n" IS NULL
    THEN 1
    WHEN "t0"."__m0_1_d" IS NULL
    THEN 2
    WHEN "t0"."__m0_1_d" = 0
    THEN 3
    ELSE 0
  END AS "__m0_1_dc",
  CASE
    WHEN "t0"."__m1_0_v0" IS NULL
    THEN CAST(NULL AS DOUBLE)
    ELSE LEAST("t0"."__m1_0_v0", CAST(100.0 AS DOUBLE))
  END AS "__m1_0_v",
  "t0"."__m1_0_v0" IS NOT NULL AS "__m1_0_ok",
  CASE
    WHEN "t0"."__m1_0_n" IS NULL
    THEN 1
    WHEN "t0"."__m1_0_d" IS NULL
    THEN 2
    WHEN "t0"."__m1_0_d" = 0
    THEN 3
    ELSE 0
  END AS "__m1_0_dc",
  "t0"."__m2_0_v0" AS "__m2_0_v",
  (
    "t0"."__m2_0_v0" IS NOT NULL
  ) AND COALESCE("t0"."__u2_app", FALSE) AS "__m2_0_ok",
  CASE
    WHEN "t0"."__m2_0_n" IS NULL
    THEN 1
    WHEN "t0"."__m2_0_d" IS NULL
    THEN 2
    ELSE 0
  END AS "__m2_0_dc",
  ROW_NUMBER() OVER (
    PARTITION BY "t0"."account_id", "t0"."period"
    ORDER BY "t0"."__w" DESC NULLS LAST, COALESCE("t0"."__sub", '') ASC
  ) - 1 AS "__lead"
FROM "metric_values" AS "t0"
),
"rollup_accounts" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  COUNT(*) AS "__units",
  MAX(
    CASE
      WHEN "t0"."__lead" = 0
      THEN "t0"."account_age_months"
      ELSE CAST(NULL AS DOUBLE)
    END
  ) AS "account_age_months",
  MAX(CASE WHEN "t0"."__lead" = 0 THEN "t0"."segment" ELSE CAST(NULL AS VARCHAR) END) AS "segment",
  MAX(CASE WHEN "t0"."__lead" = 0 THEN "t0"."tier" ELSE CAST(NULL AS VARCHAR) END) AS "tier",
  SUM(
    CASE
      WHEN COALESCE("t0"."__u2_app", FALSE)
      THEN CAST(1.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END
  ) AS "__u2_yes",
  SUM(
    CASE
      WHEN "t0"."__u2_app" IS NULL
      THEN CAST(1.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END
  ) AS "__u2_unk",
  SUM(CASE WHEN "t0"."__m0_0_ok" THEN CAST(1.0 AS DOUBLE) ELSE CAST(0.0 AS DOUBLE) END) AS "__m0_0_cnt",
  SUM(
    CASE
      WHEN "t0"."__m0_0_ok" AND (
        "t0"."__w" > 0
      )
      THEN CAST(1.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END
  ) AS "__m0_0_pos",
  SUM(
    CASE
      WHEN "t0"."__m0_0_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__w"
      ELSE CAST(0.0 AS DOUBLE)
    END
  ) AS "__m0_0_sw",
  SUM(
    CASE
      WHEN "t0"."__m0_0_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__w" * "t0"."__m0_0_v"
      ELSE CAST(0.0 AS DOUBLE)
    END
  ) AS "__m0_0_swv",
  SUM(CASE WHEN "t0"."__m0_0_ok" THEN "t0"."__m0_0_v" ELSE CAST(0.0 AS DOUBLE) END) AS "__m0_0_sv",
  MAX(
    CASE
      WHEN "t0"."__m0_0_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__m0_0_v"
      ELSE CAST(NULL AS DOUBLE)
    END
  ) AS "__m0_0_v1p",
  MAX(CASE WHEN "t0"."__m0_0_ok" THEN "t0"."__m0_0_v" ELSE CAST(NULL AS DOUBLE) END) AS "__m0_0_v1a",
  MAX(
    CASE
      WHEN "t0"."__m0_0_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__m0_0_n"
      ELSE CAST(NULL AS DOUBLE)
    END
  ) AS "__m0_0_n1p",
  MAX(CASE WHEN "t0"."__m0_0_ok" THEN "t0"."__m0_0_n" ELSE CAST(NULL AS DOUBLE) END) AS "__m0_0_n1a",
  MAX("t0"."__m0_0_v") AS "__m0_0_vall",
  MAX("t0"."__m0_0_n") AS "__m0_0_nall",
  MAX(
    CASE
      WHEN "t0"."__m0_0_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__m0_0_d"
      ELSE CAST(NULL AS DOUBLE)
    END
  ) AS "__m0_0_d1p",
  MAX(CASE WHEN "t0"."__m0_0_ok" THEN "t0"."__m0_0_d" ELSE CAST(NULL AS DOUBLE) END) AS "__m0_0_d1a",
  MAX("t0"."__m0_0_d") AS "__m0_0_dall",
  MIN(
    CASE WHEN "t0"."__m0_0_dc" > 0 THEN "t0"."__m0_0_dc" ELSE CAST(NULL AS TINYINT) END
  ) AS "__m0_0_dc",
  SUM(CASE WHEN "t0"."__m0_1_ok" THEN CAST(1.0 AS DOUBLE) ELSE CAST(0.0 AS DOUBLE) END) AS "__m0_1_cnt",
  SUM(
    CASE
      WHEN "t0"."__m0_1_ok" AND (
        "t0"."__w" > 0
      )
      THEN CAST(1.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END
  ) AS "__m0_1_pos",
  SUM(
    CASE
      WHEN "t0"."__m0_1_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__w"
      ELSE CAST(0.0 AS DOUBLE)
    END
  ) AS "__m0_1_sw",
  SUM(
    CASE
      WHEN "t0"."__m0_1_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__w" * "t0"."__m0_1_v"
      ELSE CAST(0.0 AS DOUBLE)
    END
  ) AS "__m0_1_swv",
  SUM(CASE WHEN "t0"."__m0_1_ok" THEN "t0"."__m0_1_v" ELSE CAST(0.0 AS DOUBLE) END) AS "__m0_1_sv",
  MAX(
    CASE
      WHEN "t0"."__m0_1_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__m0_1_v"
      ELSE CAST(NULL AS DOUBLE)
    END
  ) AS "__m0_1_v1p",
  MAX(CASE WHEN "t0"."__m0_1_ok" THEN "t0"."__m0_1_v" ELSE CAST(NULL AS DOUBLE) END) AS "__m0_1_v1a",
  MAX(
    CASE
      WHEN "t0"."__m0_1_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__m0_1_n"
      ELSE CAST(NULL AS DOUBLE)
    END
  ) AS "__m0_1_n1p",
  MAX(CASE WHEN "t0"."__m0_1_ok" THEN "t0"."__m0_1_n" ELSE CAST(NULL AS DOUBLE) END) AS "__m0_1_n1a",
  MAX("t0"."__m0_1_v") AS "__m0_1_vall",
  MAX("t0"."__m0_1_n") AS "__m0_1_nall",
  MAX(
    CASE
      WHEN "t0"."__m0_1_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__m0_1_d"
      ELSE CAST(NULL AS DOUBLE)
    END
  ) AS "__m0_1_d1p",
  MAX(CASE WHEN "t0"."__m0_1_ok" THEN "t0"."__m0_1_d" ELSE CAST(NULL AS DOUBLE) END) AS "__m0_1_d1a",
  MAX("t0"."__m0_1_d") AS "__m0_1_dall",
  MIN(
    CASE WHEN "t0"."__m0_1_dc" > 0 THEN "t0"."__m0_1_dc" ELSE CAST(NULL AS TINYINT) END
  ) AS "__m0_1_dc",
  SUM(CASE WHEN "t0"."__m1_0_ok" THEN CAST(1.0 AS DOUBLE) ELSE CAST(0.0 AS DOUBLE) END) AS "__m1_0_cnt",
  SUM(
    CASE
      WHEN "t0"."__m1_0_ok" AND (
        "t0"."__w" > 0
      )
      THEN CAST(1.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END
  ) AS "__m1_0_pos",
  SUM(
    CASE
      WHEN "t0"."__m1_0_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__w"
      ELSE CAST(0.0 AS DOUBLE)
    END
  ) AS "__m1_0_sw",
  SUM(
    CASE
      WHEN "t0"."__m1_0_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__w" * "t0"."__m1_0_v"
      ELSE CAST(0.0 AS DOUBLE)
    END
  ) AS "__m1_0_swv",
  SUM(CASE WHEN "t0"."__m1_0_ok" THEN "t0"."__m1_0_v" ELSE CAST(0.0 AS DOUBLE) END) AS "__m1_0_sv",
  MAX(
    CASE
      WHEN "t0"."__m1_0_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__m1_0_v"
      ELSE CAST(NULL AS DOUBLE)
    END
  ) AS "__m1_0_v1p",
  MAX(CASE WHEN "t0"."__m1_0_ok" THEN "t0"."__m1_0_v" ELSE CAST(NULL AS DOUBLE) END) AS "__m1_0_v1a",
  MAX(
    CASE
      WHEN "t0"."__m1_0_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__m1_0_n"
      ELSE CAST(NULL AS DOUBLE)
    END
  ) AS "__m1_0_n1p",
  MAX(CASE WHEN "t0"."__m1_0_ok" THEN "t0"."__m1_0_n" ELSE CAST(NULL AS DOUBLE) END) AS "__m1_0_n1a",
  MAX("t0"."__m1_0_v") AS "__m1_0_vall",
  MAX("t0"."__m1_0_n") AS "__m1_0_nall",
  MAX(
    CASE
      WHEN "t0"."__m1_0_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__m1_0_d"
      ELSE CAST(NULL AS DOUBLE)
    END
  ) AS "__m1_0_d1p",
  MAX(CASE WHEN "t0"."__m1_0_ok" THEN "t0"."__m1_0_d" ELSE CAST(NULL AS DOUBLE) END) AS "__m1_0_d1a",
  MAX("t0"."__m1_0_d") AS "__m1_0_dall",
  MIN(
    CASE WHEN "t0"."__m1_0_dc" > 0 THEN "t0"."__m1_0_dc" ELSE CAST(NULL AS TINYINT) END
  ) AS "__m1_0_dc",
  SUM(CASE WHEN "t0"."__m2_0_ok" THEN CAST(1.0 AS DOUBLE) ELSE CAST(0.0 AS DOUBLE) END) AS "__m2_0_cnt",
  SUM(
    CASE
      WHEN "t0"."__m2_0_ok" AND (
        "t0"."__w" > 0
      )
      THEN CAST(1.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END
  ) AS "__m2_0_pos",
  SUM(
    CASE
      WHEN "t0"."__m2_0_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__w"
      ELSE CAST(0.0 AS DOUBLE)
    END
  ) AS "__m2_0_sw",
  SUM(
    CASE
      WHEN "t0"."__m2_0_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__w" * "t0"."__m2_0_v"
      ELSE CAST(0.0 AS DOUBLE)
    END
  ) AS "__m2_0_swv",
  SUM(CASE WHEN "t0"."__m2_0_ok" THEN "t0"."__m2_0_v" ELSE CAST(0.0 AS DOUBLE) END) AS "__m2_0_sv",
  MAX(
    CASE
      WHEN "t0"."__m2_0_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__m2_0_v"
      ELSE CAST(NULL AS DOUBLE)
    END
  ) AS "__m2_0_v1p",
  MAX(CASE WHEN "t0"."__m2_0_ok" THEN "t0"."__m2_0_v" ELSE CAST(NULL AS DOUBLE) END) AS "__m2_0_v1a",
  MAX(
    CASE
      WHEN "t0"."__m2_0_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__m2_0_n"
      ELSE CAST(NULL AS DOUBLE)
    END
  ) AS "__m2_0_n1p",
  MAX(CASE WHEN "t0"."__m2_0_ok" THEN "t0"."__m2_0_n" ELSE CAST(NULL AS DOUBLE) END) AS "__m2_0_n1a",
  MAX("t0"."__m2_0_v") AS "__m2_0_vall",
  MAX("t0"."__m2_0_n") AS "__m2_0_nall",
  MAX(
    CASE
      WHEN "t0"."__m2_0_ok" AND (
        "t0"."__w" > 0
      )
      THEN "t0"."__m2_0_d"
      ELSE CAST(NULL AS DOUBLE)
    END
  ) AS "__m2_0_d1p",
  MAX(CASE WHEN "t0"."__m2_0_ok" THEN "t0"."__m2_0_d" ELSE CAST(NULL AS DOUBLE) END) AS "__m2_0_d1a",
  MAX("t0"."__m2_0_d") AS "__m2_0_dall",
  MIN(
    CASE
      WHEN (
        "t0"."__m2_0_dc" > 0
      ) AND COALESCE("t0"."__u2_app", FALSE)
      THEN "t0"."__m2_0_dc"
      ELSE CAST(NULL AS TINYINT)
    END
  ) AS "__m2_0_dc"
FROM "rollup_rows" AS "t0"
GROUP BY
  1,
  2
),
"rollup_values" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."account_age_months",
  "t0"."segment",
  "t0"."tier",
  "t0"."__m0_0_dc",
  "t0"."__m0_1_dc",
  "t0"."__m1_0_dc",
  "t0"."__m2_0_dc",
  CASE
    WHEN "t0"."__u2_yes" > 0
    THEN TRUE
    WHEN "t0"."__u2_unk" > 0
    THEN CAST(NULL AS BOOLEAN)
    ELSE FALSE
  END AS "__u2_app",
  CASE
    WHEN "t0"."__m0_0_sw" > 0
    THEN CASE
      WHEN "t0"."__m0_0_pos" = 1
      THEN "t0"."__m0_0_v1p"
      ELSE "t0"."__m0_0_swv" / "t0"."__m0_0_sw"
    END
    WHEN "t0"."__m0_0_cnt" > 0
    THEN CASE
      WHEN "t0"."__m0_0_cnt" = 1
      THEN "t0"."__m0_0_v1a"
      ELSE "t0"."__m0_0_sv" / "t0"."__m0_0_cnt"
    END
    WHEN "t0"."__units" = 1
    THEN "t0"."__m0_0_vall"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__m0_0_v",
  CASE
    WHEN (
      "t0"."__m0_0_sw" > 0
    ) AND (
      "t0"."__m0_0_pos" = 1
    )
    THEN "t0"."__m0_0_n1p"
    WHEN NOT (
      "t0"."__m0_0_sw" > 0
    ) AND (
      "t0"."__m0_0_cnt" = 1
    )
    THEN "t0"."__m0_0_n1a"
    WHEN NOT (
      "t0"."__m0_0_cnt" > 0
    ) AND (
      "t0"."__units" = 1
    )
    THEN "t0"."__m0_0_nall"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__m0_0_n",
  CASE
    WHEN (
      "t0"."__m0_0_sw" > 0
    ) AND (
      "t0"."__m0_0_pos" = 1
    )
    THEN "t0"."__m0_0_d1p"
    WHEN NOT (
      "t0"."__m0_0_sw" > 0
    ) AND (
      "t0"."__m0_0_cnt" = 1
    )
    THEN "t0"."__m0_0_d1a"
    WHEN NOT (
      "t0"."__m0_0_cnt" > 0
    ) AND (
      "t0"."__units" = 1
    )
    THEN "t0"."__m0_0_dall"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__m0_0_d",
  "t0"."__m0_0_cnt" > 0 AS "__m0_0_has",
  NOT (
    "t0"."__m0_0_sw" > 0
  ) AND (
    "t0"."__m0_0_cnt" >= 2
  ) AS "__m0_0_fb",
  CASE
    WHEN "t0"."__m0_1_sw" > 0
    THEN CASE
      WHEN "t0"."__m0_1_pos" = 1
      THEN "t0"."__m0_1_v1p"
      ELSE "t0"."__m0_1_swv" / "t0"."__m0_1_sw"
    END
    WHEN "t0"."__m0_1_cnt" > 0
    THEN CASE
      WHEN "t0"."__m0_1_cnt" = 1
      THEN "t0"."__m0_1_v1a"
      ELSE "t0"."__m0_1_sv" / "t0"."__m0_1_cnt"
    END
    WHEN "t0"."__units" = 1
    THEN "t0"."__m0_1_vall"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__m0_1_v",
  CASE
    WHEN (
      "t0"."__m0_1_sw" > 0
    ) AND (
      "t0"."__m0_1_pos" = 1
    )
    THEN "t0"."__m0_1_n1p"
    WHEN NOT (
      "t0"."__m0_1_sw" > 0
    ) AND (
      "t0"."__m0_1_cnt" = 1
    )
    THEN "t0"."__m0_1_n1a"
    WHEN NOT (
      "t0"."__m0_1_cnt" > 0
    ) AND (
      "t0"."__units" = 1
    )
    THEN "t0"."__m0_1_nall"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__m0_1_n",
  CASE
    WHEN (
      "t0"."__m0_1_sw" > 0
    ) AND (
      "t0"."__m0_1_pos" = 1
    )
    THEN "t0"."__m0_1_d1p"
    WHEN NOT (
      "t0"."__m0_1_sw" > 0
    ) AND (
      "t0"."__m0_1_cnt" = 1
    )
    THEN "t0"."__m0_1_d1a"
    WHEN NOT (
      "t0"."__m0_1_cnt" > 0
    ) AND (
      "t0"."__units" = 1
    )
    THEN "t0"."__m0_1_dall"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__m0_1_d",
  "t0"."__m0_1_cnt" > 0 AS "__m0_1_has",
  NOT (
    "t0"."__m0_1_sw" > 0
  ) AND (
    "t0"."__m0_1_cnt" >= 2
  ) AS "__m0_1_fb",
  CASE
    WHEN "t0"."__m1_0_sw" > 0
    THEN CASE
      WHEN "t0"."__m1_0_pos" = 1
      THEN "t0"."__m1_0_v1p"
      ELSE "t0"."__m1_0_swv" / "t0"."__m1_0_sw"
    END
    WHEN "t0"."__m1_0_cnt" > 0
    THEN CASE
      WHEN "t0"."__m1_0_cnt" = 1
      THEN "t0"."__m1_0_v1a"
      ELSE "t0"."__m1_0_sv" / "t0"."__m1_0_cnt"
    END
    WHEN "t0"."__units" = 1
    THEN "t0"."__m1_0_vall"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__m1_0_v",
  CASE
    WHEN (
      "t0"."__m1_0_sw" > 0
    ) AND (
      "t0"."__m1_0_pos" = 1
    )
    THEN "t0"."__m1_0_n1p"
    WHEN NOT (
      "t0"."__m1_0_sw" > 0
    ) AND (
      "t0"."__m1_0_cnt" = 1
    )
    THEN "t0"."__m1_0_n1a"
    WHEN NOT (
      "t0"."__m1_0_cnt" > 0
    ) AND (
      "t0"."__units" = 1
    )
    THEN "t0"."__m1_0_nall"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__m1_0_n",
  CASE
    WHEN (
      "t0"."__m1_0_sw" > 0
    ) AND (
      "t0"."__m1_0_pos" = 1
    )
    THEN "t0"."__m1_0_d1p"
    WHEN NOT (
      "t0"."__m1_0_sw" > 0
    ) AND (
      "t0"."__m1_0_cnt" = 1
    )
    THEN "t0"."__m1_0_d1a"
    WHEN NOT (
      "t0"."__m1_0_cnt" > 0
    ) AND (
      "t0"."__units" = 1
    )
    THEN "t0"."__m1_0_dall"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__m1_0_d",
  "t0"."__m1_0_cnt" > 0 AS "__m1_0_has",
  NOT (
    "t0"."__m1_0_sw" > 0
  ) AND (
    "t0"."__m1_0_cnt" >= 2
  ) AS "__m1_0_fb",
  CASE
    WHEN "t0"."__m2_0_sw" > 0
    THEN CASE
      WHEN "t0"."__m2_0_pos" = 1
      THEN "t0"."__m2_0_v1p"
      ELSE "t0"."__m2_0_swv" / "t0"."__m2_0_sw"
    END
    WHEN "t0"."__m2_0_cnt" > 0
    THEN CASE
      WHEN "t0"."__m2_0_cnt" = 1
      THEN "t0"."__m2_0_v1a"
      ELSE "t0"."__m2_0_sv" / "t0"."__m2_0_cnt"
    END
    WHEN "t0"."__units" = 1
    THEN "t0"."__m2_0_vall"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__m2_0_v",
  CASE
    WHEN (
      "t0"."__m2_0_sw" > 0
    ) AND (
      "t0"."__m2_0_pos" = 1
    )
    THEN "t0"."__m2_0_n1p"
    WHEN NOT (
      "t0"."__m2_0_sw" > 0
    ) AND (
      "t0"."__m2_0_cnt" = 1
    )
    THEN "t0"."__m2_0_n1a"
    WHEN NOT (
      "t0"."__m2_0_cnt" > 0
    ) AND (
      "t0"."__units" = 1
    )
    THEN "t0"."__m2_0_nall"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__m2_0_n",
  CASE
    WHEN (
      "t0"."__m2_0_sw" > 0
    ) AND (
      "t0"."__m2_0_pos" = 1
    )
    THEN "t0"."__m2_0_d1p"
    WHEN NOT (
      "t0"."__m2_0_sw" > 0
    ) AND (
      "t0"."__m2_0_cnt" = 1
    )
    THEN "t0"."__m2_0_d1a"
    WHEN NOT (
      "t0"."__m2_0_cnt" > 0
    ) AND (
      "t0"."__units" = 1
    )
    THEN "t0"."__m2_0_dall"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__m2_0_d",
  "t0"."__m2_0_cnt" > 0 AS "__m2_0_has",
  NOT (
    "t0"."__m2_0_sw" > 0
  ) AND (
    "t0"."__m2_0_cnt" >= 2
  ) AS "__m2_0_fb"
FROM "rollup_accounts" AS "t0"
),
"metric_codes" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."account_age_months",
  "t0"."segment",
  "t0"."tier",
  "t0"."__u2_app",
  "t0"."__m0_0_v",
  "t0"."__m0_0_n",
  "t0"."__m0_0_d",
  "t0"."__m0_1_v",
  "t0"."__m0_1_n",
  "t0"."__m0_1_d",
  "t0"."__m1_0_v",
  "t0"."__m1_0_n",
  "t0"."__m1_0_d",
  "t0"."__m2_0_v",
  "t0"."__m2_0_n",
  "t0"."__m2_0_d",
  CASE
    WHEN "t0"."__m0_0_has" AND NOT (
      "t0"."__m0_0_fb"
    )
    THEN 0
    WHEN NOT (
      "t0"."__m0_0_has"
    ) AND (
      "t0"."__m0_0_dc" = 1
    )
    THEN 1
    WHEN NOT (
      "t0"."__m0_0_has"
    ) AND (
      "t0"."__m0_0_dc" = 2
    )
    THEN 2
    WHEN NOT (
      "t0"."__m0_0_has"
    ) AND (
      "t0"."__m0_0_dc" = 3
    )
    THEN 3
    WHEN "t0"."__m0_0_fb"
    THEN 4
    ELSE 0
  END AS "__m0_0_code",
  CASE
    WHEN "t0"."__m0_1_has"
    AND NOT (
      "t0"."__m0_1_fb"
    )
    AND COALESCE("t0"."account_age_months" >= CAST(3.0 AS DOUBLE), FALSE)
    THEN 0
    WHEN "t0"."account_age_months" < CAST(3.0 AS DOUBLE)
    THEN 1
    WHEN (
      "t0"."account_age_months" IS NOT NULL
    )
    AND NOT (
      (
        "t0"."account_age_months" < CAST(3.0 AS DOUBLE)
      )
      OR (
        "t0"."account_age_months" >= CAST(3.0 AS DOUBLE)
      )
    )
    THEN 2
    WHEN "t0"."account_age_months" IS NULL
    THEN 3
    WHEN NOT (
      "t0"."__m0_1_has"
    ) AND (
      "t0"."__m0_1_dc" = 1
    )
    THEN 4
    WHEN NOT (
      "t0"."__m0_1_has"
    ) AND (
      "t0"."__m0_1_dc" = 2
    )
    THEN 5
    WHEN NOT (
      "t0"."__m0_1_has"
    ) AND (
      "t0"."__m0_1_dc" = 3
    )
    THEN 6
    WHEN "t0"."__m0_1_fb"
    THEN 7
    ELSE 0
  END AS "__m0_1_code",
  CASE
    WHEN "t0"."__m1_0_has" AND NOT (
      "t0"."__m1_0_fb"
    )
    THEN 0
    WHEN NOT (
      "t0"."__m1_0_has"
    ) AND (
      "t0"."__m1_0_dc" = 1
    )
    THEN 1
    WHEN NOT (
      "t0"."__m1_0_has"
    ) AND (
      "t0"."__m1_0_dc" = 2
    )
    THEN 2
    WHEN NOT (
      "t0"."__m1_0_has"
    ) AND (
      "t0"."__m1_0_dc" = 3
    )
    THEN 3
    WHEN "t0"."__m1_0_fb"
    THEN 4
    ELSE 0
  END AS "__m1_0_code",
  CASE
    WHEN "t0"."__m2_0_has" AND NOT (
      "t0"."__m2_0_fb"
    )
    THEN 0
    WHEN "t0"."__u2_app" = FALSE
    THEN 1
    WHEN "t0"."__u2_app" IS NULL
    THEN 2
    WHEN NOT (
      "t0"."__m2_0_has"
    ) AND (
      "t0"."__m2_0_dc" = 1
    )
    THEN 3
    WHEN NOT (
      "t0"."__m2_0_has"
    ) AND (
      "t0"."__m2_0_dc" = 2
    )
    THEN 4
    WHEN "t0"."__m2_0_fb"
    THEN 5
    ELSE 0
  END AS "__m2_0_code"
FROM "rollup_values" AS "t0"
),
"metric_reasons" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."account_age_months",
  "t0"."segment",
  "t0"."tier",
  "t0"."__u2_app",
  "t0"."__m0_0_v",
  "t0"."__m0_0_n",
  "t0"."__m0_0_d",
  "t0"."__m0_1_v",
  "t0"."__m0_1_n",
  "t0"."__m0_1_d",
  "t0"."__m1_0_v",
  "t0"."__m1_0_n",
  "t0"."__m1_0_d",
  "t0"."__m2_0_v",
  "t0"."__m2_0_n",
  "t0"."__m2_0_d",
  "t0"."__m0_0_code",
  "t0"."__m0_1_code",
  "t0"."__m1_0_code",
  "t0"."__m2_0_code",
  CASE
    WHEN "t0"."__m0_0_code" = 0
    THEN CAST(NULL AS VARCHAR)
    WHEN "t0"."__m0_0_code" = 1
    THEN 'numerator missing (git_ops_users)'
    WHEN "t0"."__m0_0_code" = 2
    THEN 'denominator missing (billable_users)'
    WHEN "t0"."__m0_0_code" = 3
    THEN 'denominator is zero (billable_users)'
    WHEN "t0"."__m0_0_code" = 4
    THEN 'equal weights: no subscription with data has a positive arr'
    ELSE CAST(NULL AS VARCHAR)
  END AS "__m0_0_r",
  FALSE AS "__m0_0_na",
  CAST(ROUND("t0"."__m0_0_v", 9) AS DOUBLE) AS "__m0_0_vr",
  CASE
    WHEN "t0"."__m0_1_code" = 0
    THEN CAST(NULL AS VARCHAR)
    WHEN "t0"."__m0_1_code" = 1
    THEN 'not applicable: account_age_months < 3'
    WHEN "t0"."__m0_1_code" = 2
    THEN 'not applicable: account_age_months outside every band case'
    WHEN "t0"."__m0_1_code" = 3
    THEN 'account_age_months missing'
    WHEN "t0"."__m0_1_code" = 4
    THEN 'numerator missing (billable_users)'
    WHEN "t0"."__m0_1_code" = 5
    THEN 'denominator missing (licensed_users)'
    WHEN "t0"."__m0_1_code" = 6
    THEN 'denominator is zero (licensed_users)'
    WHEN "t0"."__m0_1_code" = 7
    THEN 'equal weights: no subscription with data has a positive arr'
    ELSE CAST(NULL AS VARCHAR)
  END AS "__m0_1_r",
  CASE WHEN "t0"."__m0_1_code" = 0 THEN FALSE ELSE "t0"."__m0_1_code" IN (1, 2) END AS "__m0_1_na",
  CAST(ROUND("t0"."__m0_1_v", 9) AS DOUBLE) AS "__m0_1_vr",
  CASE
    WHEN "t0"."__m1_0_code" = 0
    THEN CAST(NULL AS VARCHAR)
    WHEN "t0"."__m1_0_code" = 1
    THEN 'numerator missing (ci_builds)'
    WHEN "t0"."__m1_0_code" = 2
    THEN 'denominator missing (billable_users)'
    WHEN "t0"."__m1_0_code" = 3
    THEN 'denominator is zero (billable_users)'
    WHEN "t0"."__m1_0_code" = 4
    THEN 'equal weights: no subscription with data has a positive arr'
    ELSE CAST(NULL AS VARCHAR)
  END AS "__m1_0_r",
  FALSE AS "__m1_0_na",
  CAST(ROUND("t0"."__m1_0_v", 9) AS DOUBLE) AS "__m1_0_vr",
  CASE
    WHEN "t0"."__m2_0_code" = 0
    THEN CAST(NULL AS VARCHAR)
    WHEN "t0"."__m2_0_code" = 1
    THEN 'not applicable: contains(lower(tier), \'ultimate\')'
    WHEN "t0"."__m2_0_code" = 2
    THEN 'applicability unknown: contains(lower(tier), \'ultimate\')'
    WHEN "t0"."__m2_0_code" = 3
    THEN 'numerator missing (scanner_users)'
    WHEN "t0"."__m2_0_code" = 4
    THEN 'denominator missing (billable_users)'
    WHEN "t0"."__m2_0_code" = 5
    THEN 'equal weights: no subscription with data has a positive arr'
    ELSE CAST(NULL AS VARCHAR)
  END AS "__m2_0_r",
  CASE WHEN "t0"."__m2_0_code" = 0 THEN FALSE ELSE "t0"."__m2_0_code" IN (1) END AS "__m2_0_na",
  CAST(ROUND("t0"."__m2_0_v", 9) AS DOUBLE) AS "__m2_0_vr"
FROM "metric_codes" AS "t0"
),
"metric_colors" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."account_age_months",
  "t0"."segment",
  "t0"."tier",
  "t0"."__u2_app",
  "t0"."__m0_0_v",
  "t0"."__m0_0_n",
  "t0"."__m0_0_d",
  "t0"."__m0_1_v",
  "t0"."__m0_1_n",
  "t0"."__m0_1_d",
  "t0"."__m1_0_v",
  "t0"."__m1_0_n",
  "t0"."__m1_0_d",
  "t0"."__m2_0_v",
  "t0"."__m2_0_n",
  "t0"."__m2_0_d",
  "t0"."__m0_0_code",
  "t0"."__m0_1_code",
  "t0"."__m1_0_code",
  "t0"."__m2_0_code",
  "t0"."__m0_0_r",
  "t0"."__m0_0_na",
  "t0"."__m0_1_r",
  "t0"."__m0_1_na",
  "t0"."__m1_0_r",
  "t0"."__m1_0_na",
  "t0"."__m2_0_r",
  "t0"."__m2_0_na",
  CASE
    WHEN (
      "t0"."__m0_0_code" = 0
    ) OR (
      "t0"."__m0_0_code" = 4
    )
    THEN CASE
      WHEN "t0"."__m0_0_vr" IS NULL
      THEN CAST(NULL AS TINYINT)
      WHEN "t0"."__m0_0_vr" <= CAST(0.1 AS DOUBLE)
      THEN 0
      WHEN "t0"."__m0_0_vr" <= CAST(0.33 AS DOUBLE)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS TINYINT)
  END AS "__m0_0_c",
  CASE
    WHEN (
      "t0"."__m0_1_code" = 0
    ) OR (
      "t0"."__m0_1_code" = 7
    )
    THEN CASE
      WHEN "t0"."account_age_months" >= CAST(3.0 AS DOUBLE)
      THEN CASE
        WHEN "t0"."__m0_1_vr" IS NULL
        THEN CAST(NULL AS TINYINT)
        WHEN "t0"."__m0_1_vr" <= CAST(0.5 AS DOUBLE)
        THEN 0
        WHEN "t0"."__m0_1_vr" <= CAST(0.75 AS DOUBLE)
        THEN 1
        ELSE 2
      END
      ELSE CAST(NULL AS TINYINT)
    END
    ELSE CAST(NULL AS TINYINT)
  END AS "__m0_1_c",
  CASE
    WHEN (
      "t0"."__m1_0_code" = 0
    ) OR (
      "t0"."__m1_0_code" = 4
    )
    THEN CASE
      WHEN "t0"."__m1_0_vr" IS NULL
      THEN CAST(NULL AS TINYINT)
      WHEN "t0"."__m1_0_vr" <= CAST(2.0 AS DOUBLE)
      THEN 0
      WHEN "t0"."__m1_0_vr" <= CAST(40.0 AS DOUBLE)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS TINYINT)
  END AS "__m1_0_c",
  CASE
    WHEN (
      "t0"."__m2_0_code" = 0
    ) OR (
      "t0"."__m2_0_code" = 5
    )
    THEN CASE
      WHEN "t0"."__m2_0_vr" IS NULL
      THEN CAST(NULL AS TINYINT)
      WHEN "t0"."__m2_0_vr" <= CAST(0.05 AS DOUBLE)
      THEN 0
      WHEN "t0"."__m2_0_vr" < CAST(0.2 AS DOUBLE)
      THEN 1
      ELSE 2
    END
    ELSE CAST(NULL AS TINYINT)
  END AS "__m2_0_c"
FROM "metric_reasons" AS "t0"
),
"metric_points" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."account_age_months",
  "t0"."segment",
  "t0"."tier",
  "t0"."__u2_app",
  "t0"."__m0_0_v",
  "t0"."__m0_0_n",
  "t0"."__m0_0_d",
  "t0"."__m0_1_v",
  "t0"."__m0_1_n",
  "t0"."__m0_1_d",
  "t0"."__m1_0_v",
  "t0"."__m1_0_n",
  "t0"."__m1_0_d",
  "t0"."__m2_0_v",
  "t0"."__m2_0_n",
  "t0"."__m2_0_d",
  "t0"."__m0_0_code",
  "t0"."__m0_1_code",
  "t0"."__m1_0_code",
  "t0"."__m2_0_code",
  "t0"."__m0_0_r",
  "t0"."__m0_0_na",
  "t0"."__m0_1_r",
  "t0"."__m0_1_na",
  "t0"."__m1_0_r",
  "t0"."__m1_0_na",
  "t0"."__m2_0_r",
  "t0"."__m2_0_na",
  "t0"."__m0_0_c",
  "t0"."__m0_1_c",
  "t0"."__m1_0_c",
  "t0"."__m2_0_c",
  CASE
    WHEN "t0"."__m0_0_c" = 0
    THEN CAST(25.0 AS DOUBLE)
    WHEN "t0"."__m0_0_c" = 1
    THEN CAST(63.0 AS DOUBLE)
    WHEN "t0"."__m0_0_c" = 2
    THEN CAST(88.0 AS DOUBLE)
    ELSE CAST(NULL AS DOUBLE)
  END AS "__m0_0_p",
  CASE
    WHEN "t0"."__m0_1_c" = 0
    THEN CAST(25.0 AS DOUBLE)
    WHEN "t0"."__m0_1_c" = 1
    THEN CAST(63.0 AS DOUBLE)
    WHEN "t0"."__m0_1_c" = 2
    THEN CAST(88.0 AS DOUBLE)
    ELSE CAST(NULL AS DOUBLE)
  END AS "__m0_1_p",
  CASE
    WHEN "t0"."__m1_0_c" = 0
    THEN CAST(25.0 AS DOUBLE)
    WHEN "t0"."__m1_0_c" = 1
    THEN CAST(63.0 AS DOUBLE)
    WHEN "t0"."__m1_0_c" = 2
    THEN CAST(88.0 AS DOUBLE)
    ELSE CAST(NULL AS DOUBLE)
  END AS "__m1_0_p",
  CASE
    WHEN "t0"."__m2_0_c" = 0
    THEN CAST(25.0 AS DOUBLE)
    WHEN "t0"."__m2_0_c" = 1
    THEN CAST(63.0 AS DOUBLE)
    WHEN "t0"."__m2_0_c" = 2
    THEN CAST(88.0 AS DOUBLE)
    ELSE CAST(NULL AS DOUBLE)
  END AS "__m2_0_p"
FROM "metric_colors" AS "t0"
),
"use_case_sums" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."account_age_months",
  "t0"."segment",
  "t0"."tier",
  "t0"."__u2_app",
  "t0"."__m0_0_v",
  "t0"."__m0_0_n",
  "t0"."__m0_0_d",
  "t0"."__m0_1_v",
  "t0"."__m0_1_n",
  "t0"."__m0_1_d",
  "t0"."__m1_0_v",
  "t0"."__m1_0_n",
  "t0"."__m1_0_d",
  "t0"."__m2_0_v",
  "t0"."__m2_0_n",
  "t0"."__m2_0_d",
  "t0"."__m0_0_code",
  "t0"."__m0_1_code",
  "t0"."__m1_0_code",
  "t0"."__m2_0_code",
  "t0"."__m0_0_na",
  "t0"."__m0_1_na",
  "t0"."__m1_0_na",
  "t0"."__m2_0_na",
  "t0"."__m0_0_c",
  "t0"."__m0_1_c",
  "t0"."__m1_0_c",
  "t0"."__m2_0_c",
  "t0"."__m0_0_p",
  "t0"."__m0_1_p",
  "t0"."__m1_0_p",
  "t0"."__m2_0_p",
  CASE
    WHEN "t0"."__m0_0_p" IS NOT NULL
    THEN "t0"."__m0_0_p" * CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END + CASE
    WHEN "t0"."__m0_1_p" IS NOT NULL
    THEN "t0"."__m0_1_p" * CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END AS "__u0_tot",
  CASE
    WHEN "t0"."__m0_0_p" IS NOT NULL
    THEN CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END + CASE
    WHEN "t0"."__m0_1_p" IS NOT NULL
    THEN CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END AS "__u0_w",
  CASE WHEN "t0"."__m0_0_na" THEN CAST(0.0 AS DOUBLE) ELSE CAST(1.0 AS DOUBLE) END + CASE WHEN "t0"."__m0_1_na" THEN CAST(0.0 AS DOUBLE) ELSE CAST(1.0 AS DOUBLE) END AS "__u0_aw",
  CAST(CAST(CASE WHEN "t0"."__m0_0_p" IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN "t0"."__m0_1_p" IS NOT NULL THEN 1 ELSE 0 END AS INT) AS BIGINT) AS "__u0_n",
  CASE
    WHEN "t0"."__m1_0_p" IS NOT NULL
    THEN "t0"."__m1_0_p" * CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END AS "__u1_tot",
  CASE
    WHEN "t0"."__m1_0_p" IS NOT NULL
    THEN CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END AS "__u1_w",
  CASE WHEN "t0"."__m1_0_na" THEN CAST(0.0 AS DOUBLE) ELSE CAST(1.0 AS DOUBLE) END AS "__u1_aw",
  CAST(CASE WHEN "t0"."__m1_0_p" IS NOT NULL THEN 1 ELSE 0 END AS BIGINT) AS "__u1_n",
  CASE
    WHEN "t0"."__m2_0_p" IS NOT NULL
    THEN "t0"."__m2_0_p" * CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END AS "__u2_tot",
  CASE
    WHEN "t0"."__m2_0_p" IS NOT NULL
    THEN CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END AS "__u2_w",
  CASE WHEN "t0"."__m2_0_na" THEN CAST(0.0 AS DOUBLE) ELSE CAST(1.0 AS DOUBLE) END AS "__u2_aw",
  CAST(CASE WHEN "t0"."__m2_0_p" IS NOT NULL THEN 1 ELSE 0 END AS BIGINT) AS "__u2_n"
FROM "metric_points" AS "t0"
),
"use_case_scores" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."account_age_months",
  "t0"."segment",
  "t0"."tier",
  "t0"."__u2_app",
  "t0"."__m0_0_v",
  "t0"."__m0_0_n",
  "t0"."__m0_0_d",
  "t0"."__m0_1_v",
  "t0"."__m0_1_n",
  "t0"."__m0_1_d",
  "t0"."__m1_0_v",
  "t0"."__m1_0_n",
  "t0"."__m1_0_d",
  "t0"."__m2_0_v",
  "t0"."__m2_0_n",
  "t0"."__m2_0_d",
  "t0"."__m0_0_code",
  "t0"."__m0_1_code",
  "t0"."__m1_0_code",
  "t0"."__m2_0_code",
  "t0"."__m0_0_na",
  "t0"."__m0_1_na",
  "t0"."__m1_0_na",
  "t0"."__m2_0_na",
  "t0"."__m0_0_c",
  "t0"."__m0_1_c",
  "t0"."__m1_0_c",
  "t0"."__m2_0_c",
  "t0"."__m0_0_p",
  "t0"."__m0_1_p",
  "t0"."__m1_0_p",
  "t0"."__m2_0_p",
  "t0"."__u0_tot",
  "t0"."__u0_w",
  "t0"."__u0_aw",
  "t0"."__u0_n",
  "t0"."__u1_tot",
  "t0"."__u1_w",
  "t0"."__u1_aw",
  "t0"."__u1_n",
  "t0"."__u2_tot",
  "t0"."__u2_w",
  "t0"."__u2_aw",
  "t0"."__u2_n",
  CASE
    WHEN "t0"."__u0_w" > 0
    THEN "t0"."__u0_tot" / "t0"."__u0_w"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__u0_s",
  CASE
    WHEN "t0"."__u0_aw" > 0
    THEN "t0"."__u0_w" / "t0"."__u0_aw"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__u0_cov",
  CASE WHEN "t0"."__u0_w" > 0 THEN 0 WHEN "t0"."__u0_aw" = 0 THEN 2 ELSE 1 END AS "__u0_st",
  CASE WHEN "t0"."__u0_w" > 0 THEN 0 WHEN "t0"."__u0_aw" = 0 THEN 2 ELSE 1 END AS "__u0_r",
  CASE
    WHEN "t0"."__u1_w" > 0
    THEN "t0"."__u1_tot" / "t0"."__u1_w"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__u1_s",
  CASE
    WHEN "t0"."__u1_aw" > 0
    THEN "t0"."__u1_w" / "t0"."__u1_aw"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__u1_cov",
  CASE WHEN "t0"."__u1_w" > 0 THEN 0 WHEN "t0"."__u1_aw" = 0 THEN 2 ELSE 1 END AS "__u1_st",
  CASE WHEN "t0"."__u1_w" > 0 THEN 0 WHEN "t0"."__u1_aw" = 0 THEN 2 ELSE 1 END AS "__u1_r",
  CASE
    WHEN "t0"."__u2_w" > 0
    THEN "t0"."__u2_tot" / "t0"."__u2_w"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__u2_s",
  CASE
    WHEN "t0"."__u2_aw" > 0
    THEN "t0"."__u2_w" / "t0"."__u2_aw"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__u2_cov",
  CASE WHEN "t0"."__u2_w" > 0 THEN 0 WHEN "t0"."__u2_aw" = 0 THEN 2 ELSE 1 END AS "__u2_st",
  CASE
    WHEN "t0"."__u2_w" > 0
    THEN 0
    WHEN "t0"."__u2_aw" = 0
    THEN CASE WHEN "t0"."__u2_app" = FALSE THEN 4 ELSE 2 END
    ELSE CASE WHEN "t0"."__u2_app" IS NULL THEN 3 ELSE 1 END
  END AS "__u2_r"
FROM "use_case_sums" AS "t0"
),
"use_case_rounded" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."account_age_months",
  "t0"."segment",
  "t0"."tier",
  "t0"."__u2_app",
  "t0"."__m0_0_v",
  "t0"."__m0_0_n",
  "t0"."__m0_0_d",
  "t0"."__m0_1_v",
  "t0"."__m0_1_n",
  "t0"."__m0_1_d",
  "t0"."__m1_0_v",
  "t0"."__m1_0_n",
  "t0"."__m1_0_d",
  "t0"."__m2_0_v",
  "t0"."__m2_0_n",
  "t0"."__m2_0_d",
  "t0"."__m0_0_code",
  "t0"."__m0_1_code",
  "t0"."__m1_0_code",
  "t0"."__m2_0_code",
  "t0"."__m0_0_na",
  "t0"."__m0_1_na",
  "t0"."__m1_0_na",
  "t0"."__m2_0_na",
  "t0"."__m0_0_c",
  "t0"."__m0_1_c",
  "t0"."__m1_0_c",
  "t0"."__m2_0_c",
  "t0"."__m0_0_p",
  "t0"."__m0_1_p",
  "t0"."__m1_0_p",
  "t0"."__m2_0_p",
  "t0"."__u0_tot",
  "t0"."__u0_w",
  "t0"."__u0_aw",
  "t0"."__u0_n",
  "t0"."__u1_tot",
  "t0"."__u1_w",
  "t0"."__u1_aw",
  "t0"."__u1_n",
  "t0"."__u2_tot",
  "t0"."__u2_w",
  "t0"."__u2_aw",
  "t0"."__u2_n",
  "t0"."__u0_s",
  "t0"."__u0_cov",
  "t0"."__u0_st",
  "t0"."__u0_r",
  "t0"."__u1_s",
  "t0"."__u1_cov",
  "t0"."__u1_st",
  "t0"."__u1_r",
  "t0"."__u2_s",
  "t0"."__u2_cov",
  "t0"."__u2_st",
  "t0"."__u2_r",
  CAST(ROUND("t0"."__u0_s", 9) AS DOUBLE) AS "__u0_sr",
  CAST(ROUND("t0"."__u1_s", 9) AS DOUBLE) AS "__u1_sr",
  CAST(ROUND("t0"."__u2_s", 9) AS DOUBLE) AS "__u2_sr"
FROM "use_case_scores" AS "t0"
),
"use_case_colors" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."account_age_months",
  "t0"."segment",
  "t0"."tier",
  "t0"."__u2_app",
  "t0"."__m0_0_v",
  "t0"."__m0_0_n",
  "t0"."__m0_0_d",
  "t0"."__m0_1_v",
  "t0"."__m0_1_n",
  "t0"."__m0_1_d",
  "t0"."__m1_0_v",
  "t0"."__m1_0_n",
  "t0"."__m1_0_d",
  "t0"."__m2_0_v",
  "t0"."__m2_0_n",
  "t0"."__m2_0_d",
  "t0"."__m0_0_code",
  "t0"."__m0_1_code",
  "t0"."__m1_0_code",
  "t0"."__m2_0_code",
  "t0"."__m0_0_na",
  "t0"."__m0_1_na",
  "t0"."__m1_0_na",
  "t0"."__m2_0_na",
  "t0"."__m0_0_c",
  "t0"."__m0_1_c",
  "t0"."__m1_0_c",
  "t0"."__m2_0_c",
  "t0"."__m0_0_p",
  "t0"."__m0_1_p",
  "t0"."__m1_0_p",
  "t0"."__m2_0_p",
  "t0"."__u0_tot",
  "t0"."__u0_w",
  "t0"."__u0_aw",
  "t0"."__u0_n",
  "t0"."__u1_tot",
  "t0"."__u1_w",
  "t0"."__u1_aw",
  "t0"."__u1_n",
  "t0"."__u2_tot",
  "t0"."__u2_w",
  "t0"."__u2_aw",
  "t0"."__u2_n",
  "t0"."__u0_s",
  "t0"."__u0_cov",
  "t0"."__u0_st",
  "t0"."__u0_r",
  "t0"."__u1_s",
  "t0"."__u1_cov",
  "t0"."__u1_st",
  "t0"."__u1_r",
  "t0"."__u2_s",
  "t0"."__u2_cov",
  "t0"."__u2_st",
  "t0"."__u2_r",
  "t0"."__u0_sr",
  "t0"."__u1_sr",
  "t0"."__u2_sr",
  CASE
    WHEN "t0"."__u0_sr" IS NULL
    THEN CAST(NULL AS TINYINT)
    WHEN "t0"."__u0_sr" <= CAST(50.0 AS DOUBLE)
    THEN 0
    WHEN "t0"."__u0_sr" <= CAST(75.0 AS DOUBLE)
    THEN 1
    ELSE 2
  END AS "__u0_c",
  CASE
    WHEN "t0"."__u1_sr" IS NULL
    THEN CAST(NULL AS TINYINT)
    WHEN "t0"."__u1_sr" <= CAST(50.0 AS DOUBLE)
    THEN 0
    WHEN "t0"."__u1_sr" <= CAST(75.0 AS DOUBLE)
    THEN 1
    ELSE 2
  END AS "__u1_c",
  CASE
    WHEN "t0"."__u2_sr" IS NULL
    THEN CAST(NULL AS TINYINT)
    WHEN "t0"."__u2_sr" <= CAST(50.0 AS DOUBLE)
    THEN 0
    WHEN "t0"."__u2_sr" <= CAST(75.0 AS DOUBLE)
    THEN 1
    ELSE 2
  END AS "__u2_c"
FROM "use_case_rounded" AS "t0"
),
"use_case_adopted" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."account_age_months",
  "t0"."segment",
  "t0"."tier",
  "t0"."__u2_app",
  "t0"."__m0_0_v",
  "t0"."__m0_0_n",
  "t0"."__m0_0_d",
  "t0"."__m0_1_v",
  "t0"."__m0_1_n",
  "t0"."__m0_1_d",
  "t0"."__m1_0_v",
  "t0"."__m1_0_n",
  "t0"."__m1_0_d",
  "t0"."__m2_0_v",
  "t0"."__m2_0_n",
  "t0"."__m2_0_d",
  "t0"."__m0_0_code",
  "t0"."__m0_1_code",
  "t0"."__m1_0_code",
  "t0"."__m2_0_code",
  "t0"."__m0_0_na",
  "t0"."__m0_1_na",
  "t0"."__m1_0_na",
  "t0"."__m2_0_na",
  "t0"."__m0_0_c",
  "t0"."__m0_1_c",
  "t0"."__m1_0_c",
  "t0"."__m2_0_c",
  "t0"."__m0_0_p",
  "t0"."__m0_1_p",
  "t0"."__m1_0_p",
  "t0"."__m2_0_p",
  "t0"."__u0_tot",
  "t0"."__u0_w",
  "t0"."__u0_aw",
  "t0"."__u0_n",
  "t0"."__u1_tot",
  "t0"."__u1_w",
  "t0"."__u1_aw",
  "t0"."__u1_n",
  "t0"."__u2_tot",
  "t0"."__u2_w",
  "t0"."__u2_aw",
  "t0"."__u2_n",
  "t0"."__u0_s",
  "t0"."__u0_cov",
  "t0"."__u0_st",
  "t0"."__u0_r",
  "t0"."__u1_s",
  "t0"."__u1_cov",
  "t0"."__u1_st",
  "t0"."__u1_r",
  "t0"."__u2_s",
  "t0"."__u2_cov",
  "t0"."__u2_st",
  "t0"."__u2_r",
  "t0"."__u0_sr",
  "t0"."__u1_sr",
  "t0"."__u2_sr",
  "t0"."__u0_c",
  "t0"."__u1_c",
  "t0"."__u2_c",
  CASE
    WHEN "t0"."__u0_s" IS NOT NULL
    THEN "t0"."__u0_c" = 2
    ELSE CAST(NULL AS BOOLEAN)
  END AS "__u0_a",
  CASE
    WHEN "t0"."__u1_s" IS NOT NULL
    THEN "t0"."__u1_c" = 2
    ELSE CAST(NULL AS BOOLEAN)
  END AS "__u1_a",
  CASE
    WHEN "t0"."__u2_s" IS NOT NULL
    THEN "t0"."__u2_c" = 2
    ELSE CAST(NULL AS BOOLEAN)
  END AS "__u2_a"
FROM "use_case_colors" AS "t0"
),
"overall_sums" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."account_age_months",
  "t0"."segment",
  "t0"."tier",
  "t0"."__u2_app",
  "t0"."__m0_0_v",
  "t0"."__m0_0_n",
  "t0"."__m0_0_d",
  "t0"."__m0_1_v",
  "t0"."__m0_1_n",
  "t0"."__m0_1_d",
  "t0"."__m1_0_v",
  "t0"."__m1_0_n",
  "t0"."__m1_0_d",
  "t0"."__m2_0_v",
  "t0"."__m2_0_n",
  "t0"."__m2_0_d",
  "t0"."__m0_0_code",
  "t0"."__m0_1_code",
  "t0"."__m1_0_code",
  "t0"."__m2_0_code",
  "t0"."__m0_0_na",
  "t0"."__m0_1_na",
  "t0"."__m1_0_na",
  "t0"."__m2_0_na",
  "t0"."__m0_0_c",
  "t0"."__m0_1_c",
  "t0"."__m1_0_c",
  "t0"."__m2_0_c",
  "t0"."__m0_0_p",
  "t0"."__m0_1_p",
  "t0"."__m1_0_p",
  "t0"."__m2_0_p",
  "t0"."__u0_tot",
  "t0"."__u0_w",
  "t0"."__u0_aw",
  "t0"."__u0_n",
  "t0"."__u1_tot",
  "t0"."__u1_w",
  "t0"."__u1_aw",
  "t0"."__u1_n",
  "t0"."__u2_tot",
  "t0"."__u2_w",
  "t0"."__u2_aw",
  "t0"."__u2_n",
  "t0"."__u0_s",
  "t0"."__u0_cov",
  "t0"."__u0_st",
  "t0"."__u0_r",
  "t0"."__u1_s",
  "t0"."__u1_cov",
  "t0"."__u1_st",
  "t0"."__u1_r",
  "t0"."__u2_s",
  "t0"."__u2_cov",
  "t0"."__u2_st",
  "t0"."__u2_r",
  "t0"."__u0_sr",
  "t0"."__u1_sr",
  "t0"."__u2_sr",
  "t0"."__u0_c",
  "t0"."__u1_c",
  "t0"."__u2_c",
  "t0"."__u0_a",
  "t0"."__u1_a",
  "t0"."__u2_a",
  CASE
    WHEN "t0"."__u0_s" IS NOT NULL
    THEN "t0"."__u0_s" * CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END + CASE
    WHEN "t0"."__u1_s" IS NOT NULL
    THEN "t0"."__u1_s" * CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END + CASE
    WHEN "t0"."__u2_s" IS NOT NULL
    THEN "t0"."__u2_s" * CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END AS "__o_tot",
  CASE
    WHEN "t0"."__u0_s" IS NOT NULL
    THEN CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END + CASE
    WHEN "t0"."__u1_s" IS NOT NULL
    THEN CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END + CASE
    WHEN "t0"."__u2_s" IS NOT NULL
    THEN CAST(1.0 AS DOUBLE)
    ELSE CAST(0.0 AS DOUBLE)
  END AS "__o_w",
  CAST(CAST(CASE WHEN "t0"."__u0_c" = 2 THEN 1 ELSE 0 END + CASE WHEN "t0"."__u1_c" = 2 THEN 1 ELSE 0 END + CASE WHEN "t0"."__u2_c" = 2 THEN 1 ELSE 0 END AS INT) AS BIGINT) AS "__o_adopted",
  CAST(CAST(CASE WHEN "t0"."__u0_s" IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN "t0"."__u1_s" IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN "t0"."__u2_s" IS NOT NULL THEN 1 ELSE 0 END AS INT) AS BIGINT) AS "__o_scored"
FROM "use_case_adopted" AS "t0"
),
"overall_score" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."account_age_months",
  "t0"."segment",
  "t0"."tier",
  "t0"."__u2_app",
  "t0"."__m0_0_v",
  "t0"."__m0_0_n",
  "t0"."__m0_0_d",
  "t0"."__m0_1_v",
  "t0"."__m0_1_n",
  "t0"."__m0_1_d",
  "t0"."__m1_0_v",
  "t0"."__m1_0_n",
  "t0"."__m1_0_d",
  "t0"."__m2_0_v",
  "t0"."__m2_0_n",
  "t0"."__m2_0_d",
  "t0"."__m0_0_code",
  "t0"."__m0_1_code",
  "t0"."__m1_0_code",
  "t0"."__m2_0_code",
  "t0"."__m0_0_na",
  "t0"."__m0_1_na",
  "t0"."__m1_0_na",
  "t0"."__m2_0_na",
  "t0"."__m0_0_c",
  "t0"."__m0_1_c",
  "t0"."__m1_0_c",
  "t0"."__m2_0_c",
  "t0"."__m0_0_p",
  "t0"."__m0_1_p",
  "t0"."__m1_0_p",
  "t0"."__m2_0_p",
  "t0"."__u0_tot",
  "t0"."__u0_w",
  "t0"."__u0_aw",
  "t0"."__u0_n",
  "t0"."__u1_tot",
  "t0"."__u1_w",
  "t0"."__u1_aw",
  "t0"."__u1_n",
  "t0"."__u2_tot",
  "t0"."__u2_w",
  "t0"."__u2_aw",
  "t0"."__u2_n",
  "t0"."__u0_s",
  "t0"."__u0_cov",
  "t0"."__u0_st",
  "t0"."__u0_r",
  "t0"."__u1_s",
  "t0"."__u1_cov",
  "t0"."__u1_st",
  "t0"."__u1_r",
  "t0"."__u2_s",
  "t0"."__u2_cov",
  "t0"."__u2_st",
  "t0"."__u2_r",
  "t0"."__u0_sr",
  "t0"."__u1_sr",
  "t0"."__u2_sr",
  "t0"."__u0_c",
  "t0"."__u1_c",
  "t0"."__u2_c",
  "t0"."__u0_a",
  "t0"."__u1_a",
  "t0"."__u2_a",
  "t0"."__o_tot",
  "t0"."__o_w",
  "t0"."__o_adopted",
  "t0"."__o_scored",
  CASE
    WHEN "t0"."__o_w" > 0
    THEN "t0"."__o_tot" / "t0"."__o_w"
    ELSE CAST(NULL AS DOUBLE)
  END AS "__o_s"
FROM "overall_sums" AS "t0"
),
"overall_rounded" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."account_age_months",
  "t0"."segment",
  "t0"."tier",
  "t0"."__u2_app",
  "t0"."__m0_0_v",
  "t0"."__m0_0_n",
  "t0"."__m0_0_d",
  "t0"."__m0_1_v",
  "t0"."__m0_1_n",
  "t0"."__m0_1_d",
  "t0"."__m1_0_v",
  "t0"."__m1_0_n",
  "t0"."__m1_0_d",
  "t0"."__m2_0_v",
  "t0"."__m2_0_n",
  "t0"."__m2_0_d",
  "t0"."__m0_0_code",
  "t0"."__m0_1_code",
  "t0"."__m1_0_code",
  "t0"."__m2_0_code",
  "t0"."__m0_0_na",
  "t0"."__m0_1_na",
  "t0"."__m1_0_na",
  "t0"."__m2_0_na",
  "t0"."__m0_0_c",
  "t0"."__m0_1_c",
  "t0"."__m1_0_c",
  "t0"."__m2_0_c",
  "t0"."__m0_0_p",
  "t0"."__m0_1_p",
  "t0"."__m1_0_p",
  "t0"."__m2_0_p",
  "t0"."__u0_tot",
  "t0"."__u0_w",
  "t0"."__u0_aw",
  "t0"."__u0_n",
  "t0"."__u1_tot",
  "t0"."__u1_w",
  "t0"."__u1_aw",
  "t0"."__u1_n",
  "t0"."__u2_tot",
  "t0"."__u2_w",
  "t0"."__u2_aw",
  "t0"."__u2_n",
  "t0"."__u0_s",
  "t0"."__u0_cov",
  "t0"."__u0_st",
  "t0"."__u0_r",
  "t0"."__u1_s",
  "t0"."__u1_cov",
  "t0"."__u1_st",
  "t0"."__u1_r",
  "t0"."__u2_s",
  "t0"."__u2_cov",
  "t0"."__u2_st",
  "t0"."__u2_r",
  "t0"."__u0_sr",
  "t0"."__u1_sr",
  "t0"."__u2_sr",
  "t0"."__u0_c",
  "t0"."__u1_c",
  "t0"."__u2_c",
  "t0"."__u0_a",
  "t0"."__u1_a",
  "t0"."__u2_a",
  "t0"."__o_tot",
  "t0"."__o_w",
  "t0"."__o_adopted",
  "t0"."__o_scored",
  "t0"."__o_s",
  CAST(ROUND("t0"."__o_s", 9) AS DOUBLE) AS "__o_sr"
FROM "overall_score" AS "t0"
),
"overall_color" AS (
SELECT
  "t0"."account_id",
  "t0"."period",
  "t0"."account_age_months",
  "t0"."segment",
  "t0"."tier",
  "t0"."__u2_app",
  "t0"."__m0_0_v",
  "t0"."__m0_0_n",
  "t0"."__m0_0_d",
  "t0"."__m0_1_v",
  "t0"."__m0_1_n",
  "t0"."__m0_1_d",
  "t0"."__m1_0_v",
  "t0"."__m1_0_n",
  "t0"."__m1_0_d",
  "t0"."__m2_0_v",
  "t0"."__m2_0_n",
  "t0"."__m2_0_d",
  "t0"."__m0_0_code",
  "t0"."__m0_1_code",
  "t0"."__m1_0_code",
  "t0"."__m2_0_code",
  "t0"."__m0_0_na",
  "t0"."__m0_1_na",
  "t0"."__m1_0_na",
  "t0"."__m2_0_na",
  "t0"."__m0_0_c",
  "t0"."__m0_1_c",
  "t0"."__m1_0_c",
  "t0"."__m2_0_c",
  "t0"."__m0_0_p",
  "t0"."__m0_1_p",
  "t0"."__m1_0_p",
  "t0"."__m2_0_p",
  "t0"."__u0_tot",
  "t0"."__u0_w",
  "t0"."__u0_aw",
  "t0"."__u0_n",
  "t0"."__u1_tot",
  "t0"."__u1_w",
  "t0"."__u1_aw",
  "t0"."__u1_n",
  "t0"."__u2_tot",
  "t0"."__u2_w",
  "t0"."__u2_aw",
  "t0"."__u2_n",
  "t0"."__u0_s",
  "t0"."__u0_cov",
  "t0"."__u0_st",
  "t0"."__u0_r",
  "t0"."__u1_s",
  "t0"."__u1_cov",
  "t0"."__u1_st",
  "t0"."__u1_r",
  "t0"."__u2_s",
  "t0"."__u2_cov",
  "t0"."__u2_st",
  "t0"."__u2_r",
  "t0"."__u0_sr",
  "t0"."__u1_sr",
  "t0"."__u2_sr",
  "t0"."__u0_c",
  "t0"."__u1_c",
  "t0"."__u2_c",
  "t0"."__u0_a",
  "t0"."__u1_a",
  "t0"."__u2_a",
  "t0"."__o_tot",
  "t0"."__o_w",
  "t0"."__o_adopted",
  "t0"."__o_scored",
  "t0"."__o_s",
  "t0"."__o_sr",
  CASE
    WHEN "t0"."__o_sr" IS NULL
    THEN CAST(NULL AS TINYINT)
    WHEN "t0"."__o_sr" <= CAST(50.0 AS DOUBLE)
    THEN 0
    WHEN "t0"."__o_sr" <= CAST(75.0 AS DOUBLE)
    THEN 1
    ELSE 2
  END AS "__o_c"
FROM "overall_rounded" AS "t0"
)
SELECT
  'rollup-example' AS "rubric",
  '1' AS "rubric_version",
  "t0"."account_id",
  "t0"."period",
  "t0"."segment",
  "t0"."tier",
  "t0"."__o_s" AS "score",
  CASE WHEN "t0"."__o_s" IS NOT NULL THEN 'scored' ELSE 'no_data' END AS "status",
  CASE
    WHEN "t0"."__o_c" = 0
    THEN 'red'
    WHEN "t0"."__o_c" = 1
    THEN 'yellow'
    WHEN "t0"."__o_c" = 2
    THEN 'green'
    ELSE CAST(NULL AS VARCHAR)
  END AS "color",
  "t0"."__o_adopted" AS "adopted_use_cases",
  "t0"."__o_scored" AS "use_cases_scored"
FROM "overall_color" AS "t0"
