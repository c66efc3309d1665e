"""Helpers for the roll-up tests: the example rubric, unit rows, and scoring through the public API.

Roll-up data has one row per account, instance and period. Until the usage reader's duplicate-row
check keys on ``Rubric.row_keys`` (adoptscore.sources.read.duplicate_error, owned elsewhere), it
would reject such data as duplicate (account, period) rows; :func:`score` then runs the same check
on the row keys instead, and nothing else changes.
"""
from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
import pytest

import adoptscore
from adoptscore.errors import DataError
from adoptscore.rubric import load_rubric
from adoptscore.rubric.models import Rubric
from adoptscore.sources import read

EXAMPLE = Path(__file__).with_name("rollup.yaml")
NUMBERS = ["arr", "account_age_months", "licensed_users", "billable_users", "git_ops_users", "ci_builds", "scanner_users"]
TEXT = ["account_id", "period", "instance_id", "subscription_id", "instance_type", "segment", "tier"]


def example(**changes: Any) -> Rubric:
    """The example roll-up rubric (tests/engine/rollup.yaml), with its rollup block changed:
    ``example(strategy="primary", subscription=None, weight=None)``; ``rollup=None`` drops the block."""
    data = load_rubric(EXAMPLE).model_dump(exclude_none=True)
    if "rollup" in changes and changes["rollup"] is None:
        data.pop("rollup")
    else:
        block = data["rollup"]
        for key, value in changes.items():
            if value is None:
                block.pop(key, None)
            else:
                block[key] = value
    return Rubric.model_validate(data)


def gitlab_rollup(**block: Any) -> Rubric:
    """The bundled gitlab rubric with a rollup block (and the roll-up's columns declared)."""
    data = adoptscore.load_rubric("gitlab").model_dump(exclude_none=True)
    data["input"]["columns"].update({"instance_id": {"type": "text"}, "subscription_id": {"type": "text"},
                                     "instance_type": {"type": "text"}, "arr": {"type": "number"}})
    data["rollup"] = block
    return Rubric.model_validate(data)


GITLAB_WEIGHTED = {"strategy": "weighted", "instance": "instance_id", "subscription": "subscription_id",
                   "primary": {"where": "instance_type == 'production'", "by": "billable_users"}, "weight": "arr"}


def unit(instance: str = "i1", subscription: str = "s1", account: str = "acme", **values: Any) -> dict[str, Any]:
    """One instance row for the example rubric: 100 users, Git ops 20% (yellow), 10 builds per user
    (yellow), scanners 10% (yellow), license 100% (green), Ultimate, 12 months old, ARR 100k."""
    row: dict[str, Any] = {
        "account_id": account, "period": "2026-10", "instance_id": instance, "subscription_id": subscription,
        "instance_type": "production", "segment": "Enterprise", "tier": "Self-Managed - Ultimate",
        "arr": 100_000.0, "account_age_months": 12.0, "licensed_users": 100.0, "billable_users": 100.0,
        "git_ops_users": 20.0, "ci_builds": 1000.0, "scanner_users": 10.0,
    }
    row.update(values)
    return row


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for column in NUMBERS:
        if column in df:
            df[column] = df[column].astype("Float64")
    for column in TEXT:
        if column in df:
            df[column] = df[column].astype("object")
    return df


def _row_keys_duplicate_error(usage: read.Usage, rubric: Rubric) -> DataError | None:
    keys = list(rubric.row_keys)
    dup = usage.table.group_by(keys).agg(n=ibis._.count()).filter(ibis._.n > 1).limit(1).execute()
    if not len(dup):
        return None
    row = dup.iloc[0]
    return DataError(f"{usage.label}: duplicate rows: " + ", ".join(f"{k} {row[k]!s}" for k in keys)
                     + f" appear {row['n']} times")


@contextmanager
def row_keys_duplicates() -> Iterator[None]:
    """Check duplicates on the rubric's row keys (a no-op once the reader does so itself)."""
    if "row_keys" in inspect.getsource(read.duplicate_error):
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(read, "duplicate_error", _row_keys_duplicate_error)
        yield


def score(data: Any, rubric: Rubric, **options: Any) -> adoptscore.ScoreResult:
    """``adoptscore.score`` on roll-up data (one row per account, instance and period)."""
    if isinstance(data, list):
        data = frame(data)
    with row_keys_duplicates():
        return adoptscore.score(data, rubric, **options)


def metric(result: adoptscore.ScoreResult, name: str, account: str = "acme") -> pd.Series:
    rows = result.metrics[(result.metrics["metric"] == name) & (result.metrics["account_id"] == account)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def use_case(result: adoptscore.ScoreResult, name: str, account: str = "acme") -> pd.Series:
    rows = result.use_cases[(result.use_cases["use_case"] == name) & (result.use_cases["account_id"] == account)]
    assert len(rows) == 1, rows
    return rows.iloc[0]
