"""The demo's healthy cohort: accounts the customer-success team would name as using the product well.

Chosen from the hidden truth (:mod:`adoptscore.demo.truth`), not from the scores: an account is
healthy when, over the last six months, its latent adoption of every core use case (SCM, CI,
engagement, license) stayed in the upper half of the truth's Yellow zone or above, CD was at least mid-way, and it was neither
declining nor dropping. That is how a CS team picks its reference customers, and it keeps the
healthy-anchored calibration honest: the cohort does not know the thresholds.
"""
from __future__ import annotations

import pandas as pd

from adoptscore.demo.truth import latent_adoption

#: Latent level every core use case must stay above (the truth's Yellow zone is -0.43..0.43).
HEALTHY_Z = 0.2
CORE = ("scm", "ci", "engagement", "license")


def healthy_accounts(accounts: int = 2000, months: int = 15, seed: int = 42, end_period: str = "2026-10",
                     lookback: int = 6) -> pd.DataFrame:
    """Account ids of the healthy cohort, with segment and a one-line reason (sorted by id)."""
    truth = latent_adoption(accounts, months, seed, end_period)
    recent = truth[(truth["months_back"] < min(lookback, months)) & truth["active"]]
    lowest = recent.pivot_table(index="account_id", columns="use_case", values="z", aggfunc="min")
    months_seen = recent.groupby("account_id")["period"].nunique()
    static = truth.drop_duplicates("account_id").set_index("account_id")
    healthy = ((lowest[list(CORE)] > HEALTHY_Z).all(axis=1) & (lowest["cd"] > 0.0)
               & static.loc[lowest.index, "trajectory"].isin(["flat", "growing"])
               & (months_seen.loc[lowest.index] >= min(lookback, months)))
    ids = sorted(lowest.index[healthy])
    return pd.DataFrame({"account_id": ids, "segment": static.loc[ids, "segment"].to_list(),
                         "reason": "strong, steady adoption of SCM, CI, engagement and seats for six months"})
