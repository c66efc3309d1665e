"""Counters that measure nothing, to test metric discovery against.

:func:`with_noise_columns` adds to demo usage a few counters named like product counters of each
use case (so a name does not give them away) whose values are independent of every account's
adoption, size and outcome: a per-account level times month-to-month jitter, from a hash of the
account id, column and period (the same input gives the same values). A metric discovery that
proposes one of them has been fooled by noise.
"""
from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

#: Name -> typical monthly level. The names borrow each use case's words on purpose.
NOISE_COLUMNS: dict[str, float] = {
    "git_lfs_object_reads_l28d": 40.0,
    "ci_cache_restores_l28d": 120.0,
    "deployment_badge_views_l28d": 15.0,
    "secure_report_downloads_l28d": 8.0,
    "active_user_theme_changes_l28d": 5.0,
}


def _unit(keys: pd.Series, salt: str) -> np.ndarray:
    """Uniforms in (0, 1) from a hash of each key and ``salt``."""
    out = np.empty(len(keys))
    for i, key in enumerate(keys.astype(str)):
        digest = hashlib.blake2b(f"{salt}|{key}".encode(), digest_size=8).digest()
        out[i] = (int.from_bytes(digest, "little") + 0.5) / 2.0 ** 64
    return out


def _normal(keys: pd.Series, salt: str) -> np.ndarray:
    u1, u2 = _unit(keys, salt + ".1"), _unit(keys, salt + ".2")
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


def with_noise_columns(usage: pd.DataFrame, *, seed: int = 0, account_column: str = "account_id",
                       period_column: str = "period") -> pd.DataFrame:
    """``usage`` with the :data:`NOISE_COLUMNS` added (integer counters, independent of everything)."""
    out = usage.copy()
    accounts = out[account_column].astype(str)
    rows = accounts + "|" + out[period_column].astype(str)
    for name, level in NOISE_COLUMNS.items():
        account_level = np.log(level) + 0.8 * _normal(accounts, f"{seed}.{name}.account")
        monthly = 0.25 * _normal(rows, f"{seed}.{name}.month")
        out[name] = np.round(np.exp(account_level + monthly)).astype("int64")
    return out
