"""What happened at renewal: demo outcomes drawn from the hidden truth, for ``adoptscore backtest``.

Each account renews once, in one of the last six months of the demo window. Its outcome
(churned, contracted, renewed, expanded) is drawn with probabilities that follow its *latent*
adoption a few months before the renewal (the mean ``z`` over its use cases, from
:func:`adoptscore.demo.truth.latent_adoption`) and its trajectory: low or falling adoption churns
and contracts more, growing adoption expands more. The scores are never looked at, so a backtest
of the demo measures how well the rubric sees the truth, not how well it agrees with itself.

Draws are counter-based hashes of (seed, account index, stream), as in the usage generator: an
account's outcome does not depend on how many accounts are generated.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from adoptscore.demo.generator import _account_keys, _period_list, _Rand
from adoptscore.demo.truth import latent_adoption

OUTCOMES = ("churned", "contracted", "renewed", "expanded")

#: Renewals fall in the last RENEWAL_WINDOW months of the window.
RENEWAL_WINDOW = 6
#: The latent adoption that drives the outcome is read this many months before the renewal.
LEAD_MONTHS = 3

# Multinomial-logit model, "renewed" is the reference outcome. Intercepts give about 10% churn,
# 12% contraction and 17% expansion over the default population (2000 accounts, seed 42).
_INTERCEPT = {"churned": -2.4, "contracted": -2.0, "expanded": -1.45}
_SLOPE = {"churned": -2.0, "contracted": -1.3, "expanded": 1.0}  # per unit of mean latent z
# Trajectory shifts. They are strong because the latent level *before* the renewal flatters a
# declining account (it was higher then) and understates a growing one; with these shifts the
# declining and dropping accounts still churn more overall, growing ones expand more.
_TRAJECTORY = {
    "flat": {"churned": 0.0, "contracted": 0.0, "expanded": 0.0},
    "growing": {"churned": -0.9, "contracted": -0.7, "expanded": 0.8},
    "declining": {"churned": 1.2, "contracted": 1.0, "expanded": -0.9},
    "drop": {"churned": 1.3, "contracted": 1.0, "expanded": -0.8},
}


def outcome_probabilities(mean_z: np.ndarray, trajectory: np.ndarray) -> np.ndarray:
    """Probabilities of (churned, contracted, renewed, expanded), one row per account."""
    mean_z = np.asarray(mean_z, dtype=float)
    trajectory = np.asarray(trajectory)
    logits = np.zeros((len(mean_z), len(OUTCOMES)))
    for j, outcome in enumerate(OUTCOMES):
        if outcome == "renewed":
            continue
        shift = np.vectorize(lambda t, o=outcome: _TRAJECTORY[t][o], otypes=[float])(trajectory) \
            if len(trajectory) else np.zeros(0)
        logits[:, j] = _INTERCEPT[outcome] + _SLOPE[outcome] * mean_z + shift
    logits -= logits.max(axis=1, keepdims=True)
    weights = np.exp(logits)
    return weights / weights.sum(axis=1, keepdims=True)


def generate_outcomes(accounts: int = 2000, months: int = 15, seed: int = 42,
                      end_period: str = "2026-10") -> pd.DataFrame:
    """One renewal outcome per account, for the demo usage of the same arguments.

    Returns a DataFrame with ``account_id``, ``date`` (ISO ``YYYY-MM-DD``, in the renewal month),
    ``outcome`` (churned, contracted, renewed, expanded) and ``arr``, sorted by account. Accounts
    that do not exist yet in their renewal month get no row. Deterministic in the arguments.
    """
    truth = latent_adoption(accounts, months, seed, end_period)
    periods = _period_list(int(months), end_period)
    columns = ["account_id", "date", "outcome", "arr"]
    if truth.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "arr" else "str") for c in columns})
    n = int(accounts)
    r = _Rand(_account_keys(0, n, seed))
    window = min(RENEWAL_WINDOW, len(periods))
    renewal_k = r.integers("outcome.month", 0, window - 1)  # months back from end_period
    day = r.integers("outcome.day", 1, 28)
    lead_k = np.minimum(renewal_k + LEAD_MONTHS, len(periods) - 1)

    # the security use case only counts where it applies (Ultimate tiers)
    counted = truth[(truth["use_case"] != "security") | truth["ultimate"]]
    mean_z = counted.groupby(["account_id", "months_back"])["z"].mean()
    static = truth.drop_duplicates("account_id").set_index("account_id").loc[:, ["arr", "trajectory"]]
    active = truth.drop_duplicates(["account_id", "months_back"]).set_index(["account_id", "months_back"])["active"]

    ids = static.index.to_numpy()  # account order = generator order (index 0..n-1)
    z = mean_z.reindex(pd.MultiIndex.from_arrays([ids, lead_k])).to_numpy()
    exists = active.reindex(pd.MultiIndex.from_arrays([ids, renewal_k])).to_numpy(dtype=bool)

    probabilities = outcome_probabilities(z, static["trajectory"].to_numpy())
    u = r.uniform("outcome.draw")
    drawn = np.minimum((u[:, None] >= np.cumsum(probabilities, axis=1)).sum(axis=1), len(OUTCOMES) - 1)
    month = np.asarray(periods)[len(periods) - 1 - renewal_k]
    date = np.char.add(np.char.add(month.astype(str), "-"), np.char.zfill(day.astype(str), 2))
    frame = pd.DataFrame({"account_id": ids, "date": date, "outcome": np.asarray(OUTCOMES)[drawn],
                          "arr": static["arr"].to_numpy(dtype=float)})
    return frame[exists].reset_index(drop=True).loc[:, columns]
