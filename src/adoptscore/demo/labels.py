"""The demo's golden accounts: what the account owners (CSMs) would say about their adoption.

Labels come from the population's hidden truth (:mod:`adoptscore.demo.truth`), never from the
scores, so ``adoptscore validate`` on the demo compares the rubric with something independent.
A share of labels is deliberately moved one color away from the truth, with the kind of note an
account owner writes ("team moved to another tool in Q3"): those are the disagreements a
validation should surface. They can be recognised through the truth: a label whose color is not
``latent_color(z)`` at the end period was moved.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from adoptscore.demo.generator import generate_usage
from adoptscore.demo.truth import latent_adoption, latent_color

#: The gitlab rubric's use cases, in its order.
LABEL_USE_CASES = ("scm", "ci", "cd", "security", "license", "engagement")

# Notes of an owner who sees less adoption than the telemetry shows, and more; one list per use case
# plus generic ones, so the notes read like a real CSM's.
_LOWER = {
    "scm": ["CSM: main team moved to another tool in Q3", "CSM: most Git traffic is a mirror job, not people"],
    "ci": ["CSM: builds are one nightly bot; teams still on Jenkins", "CSM: champion left, teams going back to Jenkins"],
    "cd": ["CSM: deployments are test environments only; prod goes through Spinnaker",
           "CSM: deploy volume is a retry loop they are fixing"],
    "security": ["CSM: scanners run but nobody triages findings", "CSM: security team evaluating a competitor"],
    "license": ["CSM: seats assigned to contractors who left; true-down expected at renewal",
                "CSM: half the seats are an acquired company that never onboarded"],
    "engagement": ["CSM: active users are mostly service accounts", "CSM: one team active, the rest logged in once"],
}
_HIGHER = {
    "scm": ["CSM: second business unit migrated this month", "CSM: large self-hosted mirror we do not see in telemetry"],
    "ci": ["CSM: pipelines on a second instance with Service Ping disabled", "CSM: migration to GitLab CI finished last week"],
    "cd": ["CSM: they deploy through a GitLab-triggered Argo setup", "CSM: release freeze this month; normally daily deploys"],
    "security": ["CSM: scans run in a separate compliance group we do not see",
                 "CSM: security rollout signed off, all projects next sprint"],
    "license": ["CSM: seat reclaim done last week; utilisation back up", "CSM: hiring wave onboarding now"],
    "engagement": ["CSM: seasonal dip (holidays); normally very active", "CSM: onboarding sessions just completed"],
}
_AGREE = ["confirmed at the last QBR", "matches the account plan", None, None, None, None]


def generate_labels(accounts: int = 2000, months: int = 15, seed: int = 42, end_period: str = "2026-10",
                    per_use_case: int = 20, disagree: float = 0.15) -> pd.DataFrame:
    """Labels for ~``per_use_case`` demo accounts per gitlab use case, as an account owner would give them.

    Accounts are drawn deterministically from those with a scorable row at ``end_period``
    (licensed users > 0), stratified on the truth's color so red, yellow and green all appear;
    Security is labelled for Ultimate accounts only and License for accounts at least 3 months old
    (the gitlab rubric scores neither otherwise). The expected color is the truth's
    ``latent_color(z)`` at the end period, except ``round(disagree * n)`` labels per use case moved
    one step, with a note. Same population arguments as :func:`adoptscore.demo.generate_usage`.

    Returns a DataFrame with account_id, period, use_case, expected_color, note.
    """
    if per_use_case < 0:
        raise ValueError("per_use_case must be >= 0")
    if not 0 <= disagree <= 1:
        raise ValueError("disagree must be a share between 0 and 1")
    truth = latent_adoption(accounts, months, seed, end_period)
    end = truth[(truth["months_back"] == 0) & truth["active"]]
    usage = generate_usage(accounts=accounts, months=months, seed=seed, end_period=end_period).to_pandas()
    usage = usage[usage["period"] == end_period]
    # an owner labels customers that are in the data: rows the rubric scores (licensed users > 0)
    usable = usage[(usage["licensed_users"].fillna(0) > 0) & (usage["billable_users"].fillna(0) > 0)]
    ultimate = set(usable.loc[usable["tier"].str.lower().str.contains("ultimate", na=False), "account_id"])
    mature = set(usable.loc[usable["account_age_months"].fillna(-1) >= 3, "account_id"])
    usable_ids = set(usable["account_id"])

    frames = []
    for u, use_case in enumerate(LABEL_USE_CASES):
        pool = end[(end["use_case"] == use_case) & end["account_id"].isin(usable_ids)]
        if use_case == "security":
            pool = pool[pool["account_id"].isin(ultimate)]
        if use_case == "license":
            pool = pool[pool["account_id"].isin(mature)]
        pool = pool.sort_values("account_id")
        rng = np.random.default_rng([int(seed), 7103, u])
        chosen = _stratified(pool, per_use_case, rng)
        frames.append(_label(chosen, use_case, end_period, disagree, rng))
    columns = ["account_id", "period", "use_case", "expected_color", "note"]
    if not frames:  # pragma: no cover - LABEL_USE_CASES is not empty
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def _stratified(pool: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` rows of ``pool``, as evenly spread over the truth's three colors as the pool allows."""
    colors = latent_color(pool["z"].to_numpy())
    groups = {c: pool[colors == c].iloc[rng.permutation(int((colors == c).sum()))] for c in ("red", "yellow", "green")}
    quota = {c: 0 for c in groups}
    left = min(n, len(pool))
    while left:
        # hand out one slot at a time to the color with the fewest so far that still has accounts
        open_ = [c for c in groups if quota[c] < len(groups[c])]
        pick = min(open_, key=lambda c: (quota[c], ("red", "yellow", "green").index(c)))
        quota[pick] += 1
        left -= 1
    chosen = pd.concat([groups[c].iloc[: quota[c]] for c in groups])
    return chosen.sort_values("account_id")


def _label(chosen: pd.DataFrame, use_case: str, period: str, disagree: float,
           rng: np.random.Generator) -> pd.DataFrame:
    z = chosen["z"].to_numpy()
    truth = latent_color(z)
    expected = truth.copy()
    notes: list[str | None] = [_AGREE[i] for i in rng.integers(0, len(_AGREE), len(chosen))]
    moved = rng.choice(len(chosen), size=round(disagree * len(chosen)), replace=False) if len(chosen) else []
    for i in moved:
        color = truth[i]
        # one step: red and green can only go to yellow; a yellow goes to the edge it is nearer to
        new = "yellow" if color != "yellow" else ("green" if z[i] >= 0 else "red")
        better = {"red": 0, "yellow": 1, "green": 2}[new] > {"red": 0, "yellow": 1, "green": 2}[color]
        options = _HIGHER[use_case] if better else _LOWER[use_case]
        expected[i] = new
        notes[i] = options[int(rng.integers(0, len(options)))]
    return pd.DataFrame({"account_id": chosen["account_id"].to_numpy(), "period": period, "use_case": use_case,
                         "expected_color": expected, "note": notes})
