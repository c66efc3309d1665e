"""A small score history for the export tests (300 demo accounts x 8 months, tests/scorestore.py),
with account names a spreadsheet would run as formulas, and a CRM id attribute that a few
accounts lack. The tests read the store with their own SQL as the source of truth."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.scorestore import build_store

FORMULA_NAMES = {
    "A000002": '=HYPERLINK("http://example.invalid","click")',
    "A000003": "+1 555 0100 Holdings",
    "A000004": "-Minus Corp",
    "A000005": "@SUM(A1:A9) Ltd",
    "A000006": "\tTabbed Inc",
}
NO_CRM_ID = ("A000008", "A000009")
LINE_BREAK_NAME = ("A000010", "Line\nBreak, \"Quoted\" Inc")


@dataclass(frozen=True)
class ExportStore:
    path: Path

    def df(self, query: str, params: list | None = None) -> pd.DataFrame:
        """Read the store directly: the tests' independent source of truth."""
        con = duckdb.connect(str(self.path), read_only=True)
        try:
            return con.execute(query, params or []).df()
        finally:
            con.close()

    def periods(self) -> list[str]:
        return sorted(self.df("SELECT DISTINCT period FROM gitlab.overall")["period"])


@pytest.fixture(scope="session")
def export_store(tmp_path_factory) -> ExportStore:
    path = build_store(tmp_path_factory.mktemp("exports") / "scores.duckdb")
    con = duckdb.connect(str(path))
    try:
        # names and CRM ids as a CRM would carry them: formula-like, a line break, some missing
        for account, name in [*FORMULA_NAMES.items(), LINE_BREAK_NAME]:
            con.execute("UPDATE gitlab.accounts SET name = ? WHERE account_id = ?", [name, account])
        con.execute("ALTER TABLE gitlab.accounts ADD COLUMN crm_id VARCHAR")
        con.execute("UPDATE gitlab.accounts SET crm_id = '0015' || substr(account_id, 2) "
                    "WHERE account_id NOT IN (SELECT unnest(?))", [list(NO_CRM_ID)])
    finally:
        con.close()
    return ExportStore(path)
