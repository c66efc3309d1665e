"""Demo usage with several subscriptions and instances per account (for the account roll-up).

Each demo account is split, the same way in every period, into one to three subscriptions (ARR
shared between them; a later subscription may be on the other tier, have no ARR or an unknown
one; for a few accounts no subscription's ARR is known), each with a production instance,
sometimes a second, smaller production instance, and sometimes a staging instance with a few
users (or, now and then, more users than production: a load-test copy). Counts are shared
between a subscription's instances; failure codes (negative counts) and missing counts stay what
they were on every instance. The account-level generator (:func:`generate_usage`) is unchanged.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from adoptscore.demo.generator import COUNT_COLUMNS, generate_usage

INSTANCE_COLUMNS = ("subscription_id", "instance_id", "instance_type")


def instance_layout(account_ids: list[str], seed: int = 42) -> pd.DataFrame:
    """Subscriptions and instances of each account: one row per instance with its subscription's share
    of the account (``sub_share``), its share of the subscription's usage (``share``), whether its
    subscription is on the other tier (``other_tier``) and its subscription's ARR factor
    (``arr_factor``: the share, 0, or NaN for an unknown ARR)."""
    rng = np.random.default_rng([int(seed), 0x1A57])
    rows = []
    for account in account_ids:
        subs = int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15]))
        shares = rng.dirichlet(np.full(subs, 2.0))
        arr_unknown = rng.random() < 0.04
        for s in range(subs):
            sub = f"{account}-S{s + 1}"
            other_tier = bool(s > 0 and rng.random() < 0.5)
            arr_factor = float(shares[s])
            if s > 0:
                draw = rng.random()
                arr_factor = 0.0 if draw < 0.08 else (np.nan if draw < 0.12 else arr_factor)
            if arr_unknown:
                arr_factor = np.nan
            instances = [("production", 1.0)]
            if rng.random() < 0.15:
                split = float(rng.uniform(0.1, 0.4))
                instances = [("production", 1.0 - split), ("production", split)]
            if rng.random() < 0.4:
                # usually a few users; sometimes a load-test copy with more users than production
                instances.append(("staging", 1.5 if rng.random() < 0.15 else 0.03))
            for i, (kind, share) in enumerate(instances):
                rows.append({"account_id": account, "subscription_id": sub, "instance_id": f"{sub}-I{i + 1}",
                             "instance_type": kind, "sub_share": float(shares[s]), "share": share,
                             "other_tier": other_tier, "arr_factor": arr_factor})
    return pd.DataFrame(rows)


def _other_tier(tier: pd.Series) -> pd.Series:
    ultimate = tier.str.contains("Ultimate")
    return tier.where(~ultimate, tier.str.replace("Ultimate", "Premium")).where(
        ultimate, tier.str.replace("Premium", "Ultimate"))


def generate_instance_usage(accounts: int = 300, months: int = 8, seed: int = 42,
                            end_period: str = "2026-10") -> pa.Table:
    """Demo usage with one row per account, subscription, instance and period.

    The columns of :func:`generate_usage` plus ``subscription_id``, ``instance_id`` and
    ``instance_type`` (``production`` or ``staging``); ``arr`` is the subscription's ARR (null when
    unknown) and ``tier`` the subscription's tier. Deterministic for given arguments.
    """
    usage = generate_usage(accounts=accounts, months=months, seed=seed, end_period=end_period).to_pandas()
    layout = instance_layout(sorted(usage["account_id"].unique()), seed)
    rows = usage.merge(layout, on="account_id", how="inner", validate="many_to_many")
    factor = rows["sub_share"] * rows["share"]
    counted = [c for c in COUNT_COLUMNS if c in rows.columns]
    for column in counted:
        values = rows[column].astype("Float64")
        scaled = (values * factor).round()
        # failure codes (negative) and missing values are per instance what they were per account
        rows[column] = values.where(values < 0, scaled).astype("Int64")
    rows["arr"] = (rows["arr"] * rows["arr_factor"]).round()
    rows["tier"] = rows["tier"].where(~rows["other_tier"], _other_tier(rows["tier"]))
    columns = ["account_id", "account_name", "period", *INSTANCE_COLUMNS,
               *[c for c in usage.columns if c not in ("account_id", "account_name", "period")]]
    rows = rows[columns].sort_values(["account_id", "period", "instance_id"], kind="stable").reset_index(drop=True)
    return pa.Table.from_pandas(rows, preserve_index=False)
