"""A small score history for the deck tests: 300 demo accounts x 8 months, with accounts made to
miss data (some metrics, every metric, a whole month) and one whose name holds control characters."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.store import open_store

PERIOD = "2026-10"
COUNTERS = [
    "git_ops_users_l28d", "unique_active_users_l28d", "ci_builds_l28d", "ci_internal_pipelines_l28d",
    "deployment_users_l28d", "deployments_l28d", "successful_deployments_l28d", "failed_deployments_l28d",
    "secure_scanner_users_l28d", "sast_scans_l28d", "dast_scans_l28d", "secret_detection_scans_l28d",
    "dependency_scanning_scans_l28d", "container_scanning_scans_l28d", "coverage_fuzzing_scans_l28d",
    "api_fuzzing_scans_l28d",
]
CONTROL_NAME = "Bell\x07 and\x1b Escape\x0b Co"
HAZARDS = {"script": "A000007", "quotes": "A000013", "rtl": "A000021", "emoji": "A000034", "long": "A000055",
           "commas": "A000089"}


@dataclass(frozen=True)
class DeckStore:
    path: Path
    some_missing: str      # every use case but License has no data in PERIOD
    all_missing: str       # no use case has data in PERIOD: the overall score is "no data"
    month_missing: str     # no row in the period before the last
    control: str           # a name with control characters
    ultimate: str          # an Ultimate account (Security scored) with a full history
    premium: str           # a Premium account (Security not applicable)

    def sql(self, query: str, params: list | None = None) -> list[tuple]:
        """Read the store directly (the tests' independent source of truth)."""
        con = duckdb.connect(str(self.path), read_only=True)
        try:
            return con.execute(query, params or []).fetchall()
        finally:
            con.close()


def _full_history(df: pd.DataFrame, exclude: set[str]) -> list[str]:
    periods = sorted(df["period"].unique())
    counts = df.groupby("account_id")["period"].nunique()
    return [a for a in counts[counts == len(periods)].index if a not in exclude]


@pytest.fixture(scope="session")
def deck_store(tmp_path_factory) -> DeckStore:
    df = generate_usage(accounts=300, months=8, seed=42, end_period=PERIOD).to_pandas()
    full = _full_history(df, set(HAZARDS.values()))
    scorable = df[(df["period"] == PERIOD) & (df["licensed_users"] > 0) & (df["billable_users"] > 0)]["account_id"]
    full = [a for a in full if a in set(scorable)]
    some, none, gap, control = full[0], full[1], full[2], full[3]
    df = df[~((df["account_id"] == gap) & (df["period"] == "2026-09"))].reset_index(drop=True)
    latest = df["period"] == PERIOD
    for column in COUNTERS:
        df[column] = df[column].astype("Float64")
    df["billable_users"] = df["billable_users"].astype("Float64")
    df.loc[latest & (df["account_id"] == some), COUNTERS] = pd.NA
    df.loc[latest & (df["account_id"] == none), COUNTERS + ["billable_users"]] = pd.NA
    df.loc[df["account_id"] == control, "account_name"] = CONTROL_NAME
    tiers = df[latest].set_index("account_id")["tier"]
    rest = full[4:]
    ultimate = next(a for a in rest if "ultimate" in tiers[a].lower())
    premium = next(a for a in rest if "premium" in tiers[a].lower())
    result = adoptscore.score(df, "gitlab")
    path = tmp_path_factory.mktemp("deck-store") / "scores.duckdb"
    open_store(path).save(result)
    return DeckStore(path, some, none, gap, control, ultimate, premium)


@pytest.fixture(scope="session")
def card(deck_store):
    from adoptscore.insights.scorecard import Scorecard

    return Scorecard(deck_store.path)
