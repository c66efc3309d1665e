"""Shared helpers: build usage rows for the gitlab rubric and score them through the public API."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from typing import Any

import pandas as pd
import pytest

import adoptscore
from tests.needs import missing

# compiled rubrics and store replicas go to a folder of this test session, not the user's cache; set
# here, not in a fixture, so the commands the tests start inherit it
os.environ["ADOPTSCORE_CACHE"] = tempfile.mkdtemp(prefix="adoptscore-test-cache-")
atexit.register(shutil.rmtree, os.environ["ADOPTSCORE_CACHE"], True)
# and what the user's state folder would hold (a warehouse store's team database) to another
os.environ["ADOPTSCORE_STATE"] = tempfile.mkdtemp(prefix="adoptscore-test-state-")
atexit.register(shutil.rmtree, os.environ["ADOPTSCORE_STATE"], True)


@pytest.fixture(scope="session", autouse=True)
def no_team_database_left_in_the_working_folder():
    """No test leaves a team database in the folder the tests run from (the repository): a store's
    belongs beside it (in a tmp folder), a warehouse store's in the state folder."""
    before = set(Path.cwd().glob("*.team.sqlite*"))
    yield
    left = sorted(str(p.name) for p in set(Path.cwd().glob("*.team.sqlite*")) - before)
    assert not left, f"tests left team databases in {Path.cwd()}: {left}"

COUNT_COLUMNS = [
    "billable_users", "licensed_users", "git_ops_users_l28d", "unique_active_users_l28d", "ci_builds_l28d",
    "ci_internal_pipelines_l28d", "deployment_users_l28d", "deployments_l28d", "successful_deployments_l28d",
    "failed_deployments_l28d", "secure_scanner_users_l28d", "sast_scans_l28d", "dast_scans_l28d",
    "secret_detection_scans_l28d", "dependency_scanning_scans_l28d", "container_scanning_scans_l28d",
    "coverage_fuzzing_scans_l28d", "api_fuzzing_scans_l28d",
]
SCANS = [c for c in COUNT_COLUMNS if c.endswith("_scans_l28d")]


def usage_row(account: str = "acme", period: str = "2026-10", **values: Any) -> dict[str, Any]:
    """A healthy Ultimate account of 1000 seats, 12 months old, every metric Yellow unless overridden."""
    row: dict[str, Any] = {
        "account_id": account, "period": period, "segment": "Enterprise", "industry": "Retail",
        "tier": "Self-Managed - Ultimate", "account_age_months": 12,
        "billable_users": 1000, "licensed_users": 1000,
        "git_ops_users_l28d": 200,          # 20%  yellow
        "unique_active_users_l28d": 600,    # 60%  yellow
        "ci_builds_l28d": 10_000,           # 10   yellow
        "ci_internal_pipelines_l28d": 1000,
        "deployment_users_l28d": 80,        # 8%   yellow
        "deployments_l28d": 5000,           # 5    yellow
        "successful_deployments_l28d": 500, "failed_deployments_l28d": 500,  # 50% yellow
        "secure_scanner_users_l28d": 100,   # 10%  yellow
        "sast_scans_l28d": 300, "dast_scans_l28d": 0, "secret_detection_scans_l28d": 0,
        "dependency_scanning_scans_l28d": 0, "container_scanning_scans_l28d": 0,
        "coverage_fuzzing_scans_l28d": 0, "api_fuzzing_scans_l28d": 0,   # 0.3 per pipeline yellow
    }
    row["dast_scans_l28d"] = 1  # two scanners in use: yellow
    row["sast_scans_l28d"] = 299
    row.update(values)
    return row


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for column in COUNT_COLUMNS + ["account_age_months"]:
        if column in df:
            df[column] = df[column].astype("Float64")
    return df


def score_rows(rows: list[dict[str, Any]], rubric: Any = "gitlab") -> adoptscore.ScoreResult:
    return adoptscore.score(frame(rows), rubric)


def pick(result: adoptscore.ScoreResult, table: str, account: str = "acme", **keys: str) -> pd.Series:
    df = getattr(result, table)
    mask = df["account_id"] == account
    for key, value in keys.items():
        mask &= df[key] == value
    rows = df[mask]
    assert len(rows) == 1, f"expected one {table} row for {account} {keys}, got {len(rows)}"
    return rows.iloc[0]


@pytest.fixture(scope="session")
def gitlab() -> adoptscore.Rubric:
    return adoptscore.load_rubric("gitlab")


CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def launch_chromium(playwright: Any) -> Any:
    """The system's Chromium (Debian's package) under Playwright; nothing is downloaded.

    A missing browser fails the test unless the browser tests were left out (tests/needs.py).
    """
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS) if executable \
            else playwright.chromium.launch(args=CHROMIUM_FLAGS)
    except Exception as error:  # noqa: BLE001 - whatever the reason, there is no browser to use
        missing("browser", f"no Chromium for Playwright ({str(error).splitlines()[0]})")
