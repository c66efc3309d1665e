"""The demo population's hidden truth: each account's latent adoption per use case.

The generator draws usage from latent adoption levels (a standard-normal-ish ``z`` per use case:
below -0.43 the metrics tend to Red, above 0.43 to Green). The lifecycle demos need what a
customer-success team knows without the scores: which accounts are healthy, what the account
owners would say, and what happened at renewal. They are derived from this truth, not from the
scores, so calibrate, validate and backtest are tested against something independent.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from adoptscore.demo.generator import USE_CASES, _Accounts, _check_args, _id_width, _period_list

#: Latent cut points: the generator maps z in (-0.43, 0.43) onto the Yellow band of its metric.
YELLOW_LOW, YELLOW_HIGH = -0.43, 0.43


def latent_adoption(accounts: int = 2000, months: int = 15, seed: int = 42,
                    end_period: str = "2026-10") -> pd.DataFrame:
    """One row per account, period and use case with the latent adoption ``z`` (no month noise).

    Columns: account_id, period, months_back, use_case, z, plus segment, industry, tier, owner,
    arr and trajectory (flat, growing, declining, drop). Use cases are the generator's: scm, ci,
    cd, security, engagement, license. Same arguments as :func:`generate_usage`.
    """
    _check_args(accounts, months)
    acc = _Accounts(0, int(accounts), seed)
    attrs = acc.attribute_arrays(_id_width(int(accounts)))
    periods = _period_list(int(months), end_period)
    frames = []
    for position, period in enumerate(periods):
        k = len(periods) - 1 - position
        in_drop = k <= acc.drop_k
        for u, use_case in enumerate(USE_CASES):
            z = acc.a[u] - acc.slope[u] * k - np.where(in_drop, acc.drop[u], 0.0)
            frames.append(pd.DataFrame({"account_id": attrs["account_id"].to_pylist(), "period": period,
                                        "months_back": k, "use_case": use_case, "z": z,
                                        "active": acc.age_end - k >= 0}))
    truth = pd.concat(frames, ignore_index=True)
    static = pd.DataFrame({
        "account_id": attrs["account_id"].to_pylist(),
        "segment": attrs["segment"].to_pylist(), "industry": attrs["industry"].to_pylist(),
        "tier": attrs["tier"].to_pylist(), "owner": attrs["owner"].to_pylist(),
        "arr": attrs["arr"].to_pylist(),
        "trajectory": np.asarray(["flat", "growing", "declining", "drop"])[acc.trajectory],
        "ultimate": acc.ultimate,
    })
    return truth.merge(static, on="account_id", how="left")


def latent_color(z: np.ndarray | pd.Series) -> np.ndarray:
    """The color the truth says: Red below -0.43, Green above 0.43, Yellow between."""
    z = np.asarray(z, dtype=float)
    return np.where(z > YELLOW_HIGH, "green", np.where(z < YELLOW_LOW, "red", "yellow"))
