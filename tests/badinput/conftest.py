"""The good data every bad-input case starts from, and the tally of cases per category."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from adoptscore.cli import app
from tests.badinput.corpus import snapshot

#: module -> the category the closing tally names
CATEGORIES = {
    "test_rubrics": "rubrics", "test_usage_csv": "usage CSV", "test_usage_parquet": "usage Parquet",
    "test_usage_json": "usage JSON", "test_labels": "labels", "test_outcomes": "outcomes",
    "test_cohorts": "cohorts", "test_service_ping": "Service Ping payloads", "test_stores": "stores",
    "test_arguments": "CLI arguments", "test_subprocess": "real processes (repeats)",
}
#: bad values that are read as "no data" (NaN, inf), checked apart from the refusals
NO_DATA = "read as no data (not refused)"
_tally: dict[str, Counter] = {}


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Path:
    """A small demo (60 accounts x 6 months): usage, labels, outcomes, cohort, payloads, a store.

    Cases read it and must never change it: checked byte for byte when the session ends."""
    folder = tmp_path_factory.mktemp("badinput") / "demo"
    done = CliRunner().invoke(app, ["demo", "--accounts", "60", "--months", "6", "--out", str(folder)])
    assert done.exit_code == 0, done.output
    table = pq.read_table(folder / "usage.parquet")
    table.to_pandas().to_csv(folder / "usage.csv", index=False)
    before = snapshot(folder)
    yield folder
    assert snapshot(folder) == before, "a case changed the shared demo data"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call" and not (report.when == "setup" and report.skipped):
        return
    module = Path(report.nodeid.split("::")[0]).stem
    if module not in CATEGORIES:
        return
    if not report.nodeid.split("::")[-1].startswith(("test_bad_", "test_real_")):
        _tally.setdefault(NO_DATA, Counter())[report.outcome] += 1
        return
    outcome = "xfail" if hasattr(report, "wasxfail") and report.skipped else report.outcome
    _tally.setdefault(CATEGORIES[module], Counter())[outcome] += 1


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not _tally:
        return
    order = list(CATEGORIES.values())
    counted = {k: v for k, v in _tally.items() if k not in ("real processes (repeats)", NO_DATA)}
    total = sum(sum(c.values()) for c in counted.values())
    parts = [f"{name} {sum(_tally[name].values())}" for name in order if name in counted]
    terminalreporter.section("bad-input corpus")
    terminalreporter.write_line(f"{total} cases: " + ", ".join(parts))
    repeats = _tally.get("real processes (repeats)")
    if repeats:
        terminalreporter.write_line(f"plus {sum(repeats.values())} of them run again as real processes")
    if NO_DATA in _tally:
        terminalreporter.write_line(f"plus {sum(_tally[NO_DATA].values())} non-finite values checked to score as no data")
    for name in [*order, NO_DATA]:
        if name in _tally:
            counts = _tally[name]
            terminalreporter.write_line(f"  {name}: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
