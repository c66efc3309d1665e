"""A small scored demo history in a store, shared by the store, insights and web tests."""
from __future__ import annotations

from pathlib import Path

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.store import open_store

ACCOUNTS, MONTHS, END = 300, 8, "2026-10"


def build_store(path: Path, accounts: int = ACCOUNTS, months: int = MONTHS) -> Path:
    usage = generate_usage(accounts=accounts, months=months, seed=42, end_period=END)
    open_store(path).save(adoptscore.score(usage, "gitlab"))
    return path
