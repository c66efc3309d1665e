"""``adoptscore run`` as a scheduler runs it, on a real store, real files and a real local webhook:
the first run backfills and sends; a second run for the same period changes nothing (no byte of
the store or any export, no request); new data is stored and only new alerts are posted; a failed
delivery is retried by the next run; two runs of one project never overlap."""
from __future__ import annotations

import fcntl
import hashlib
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from adoptscore.demo import generate_usage
from tests.e2e.test_cli_errors import run
from tests.exports.hookserver import Answer, HookServer

PROJECT = """\
source:
  data: usage.parquet
rubric: gitlab
store: history/scores.duckdb
attributes: [owner, arr]
exports:
  gainsight:
    out: exports/gainsight-{{period}}.csv
alerts:
  - out: exports/alerts-{{period}}.json
  - webhook: {url}/hooks/adoption
    headers: {{Authorization: "Bearer ${{ALERT_TOKEN}}"}}
    batch_size: 40
schedule:
  cron: "0 6 3 * *"
"""


@pytest.fixture(scope="module")
def months() -> pd.DataFrame:
    return generate_usage(accounts=150, months=5, seed=11).to_pandas()


@pytest.fixture()
def hook():
    with HookServer() as server:
        yield server


def make_project(folder: Path, usage: pd.DataFrame, url: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    usage.to_parquet(folder / "usage.parquet")
    (folder / "adoptscore.yaml").write_text(PROJECT.format(url=url))
    return folder / "adoptscore.yaml"


def run_project(project: Path, *args: str, token: str = "s3cret-token"):
    import os

    os.environ["ALERT_TOKEN"] = token
    try:
        return run("run", str(project), *args, cwd=project.parent)
    finally:
        os.environ.pop("ALERT_TOKEN", None)


def fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folder`` (the run lock aside): its SHA-256 and modification time."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.endswith(".lock") and ".cache" not in path.parts[-2]:
            found[str(path.relative_to(folder))] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    return found


def stored_runs(store: Path) -> int:
    with duckdb.connect(str(store), read_only=True) as con:
        return con.execute("SELECT count(*) FROM main.runs").fetchone()[0]


def test_a_second_run_for_the_same_period_changes_nothing(tmp_path, months, hook):
    project = make_project(tmp_path / "p", months, hook.url)
    first = run_project(project, "--json", str(tmp_path / "first.json"))
    assert first.returncode == 0, first.stderr
    assert "first run of gitlab" in first.stdout and "changed" in first.stdout
    summary = json.loads((tmp_path / "first.json").read_text())
    periods = sorted(months["period"].astype(str).unique())
    assert summary["periods"] == periods and summary["changed"] is True
    alerts = json.loads((project.parent / f"exports/alerts-{periods[-1]}.json").read_text())
    assert alerts["count"] > 0, "the demo's last month must hold color drops for this test to mean anything"
    # the webhook got every alert once, with the token from the environment
    assert set(hook.tasks()) == {a["idempotency_key"] for a in alerts["alerts"]}
    assert all(r.headers["authorization"] == "Bearer s3cret-token" for r in hook.requests)
    assert "s3cret-token" not in first.stdout + first.stderr
    requests = len(hook.requests)
    before = fingerprint(project.parent)
    runs = stored_runs(project.parent / "history/scores.duckdb")

    second = run_project(project, "--json", str(tmp_path / "second.json"))
    assert second.returncode == 0, second.stderr
    assert "nothing changed" in second.stdout
    assert json.loads((tmp_path / "second.json").read_text())["changed"] is False
    assert len(hook.requests) == requests, "the second run posted again"
    assert fingerprint(project.parent) == before, "the second run changed a file"
    assert stored_runs(project.parent / "history/scores.duckdb") == runs


def test_new_data_is_stored_and_only_new_alerts_are_posted(tmp_path, months, hook):
    periods = sorted(months["period"].astype(str).unique())
    project = make_project(tmp_path / "p", months[months["period"].astype(str) != periods[-1]], hook.url)
    assert run_project(project).returncode == 0
    sent_before = set(hook.tasks())
    # next month's data arrives
    months.to_parquet(project.parent / "usage.parquet")
    done = run_project(project, "--json", str(tmp_path / "s.json"))
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "s.json").read_text())
    assert summary["periods"] == [periods[-1]] and summary["changed"]
    assert (project.parent / f"exports/gainsight-{periods[-1]}.csv").exists()
    alerts = json.loads((project.parent / f"exports/alerts-{periods[-1]}.json").read_text())
    new_keys = {a["idempotency_key"] for a in alerts["alerts"]}
    assert new_keys and not new_keys & sent_before
    assert set(hook.tasks()) == sent_before | new_keys
    with duckdb.connect(str(project.parent / "history/scores.duckdb"), read_only=True) as con:
        stored = [r[0] for r in con.execute("SELECT DISTINCT period FROM gitlab.overall ORDER BY 1").fetchall()]
    assert stored == periods
    # and the month after, run again: nothing
    requests = len(hook.requests)
    again = run_project(project)
    assert again.returncode == 0 and "nothing changed" in again.stdout
    assert len(hook.requests) == requests


def test_the_run_exports_what_export_gainsight_exports(tmp_path, months, hook):
    project = make_project(tmp_path / "p", months, hook.url)
    assert run_project(project).returncode == 0
    latest = sorted(months["period"].astype(str).unique())[-1]
    direct = tmp_path / "direct.csv"
    done = run("export", "gainsight", "--store", str(project.parent / "history/scores.duckdb"), "--out", str(direct), "-q")
    assert done.returncode == 0, done.stderr
    assert (project.parent / f"exports/gainsight-{latest}.csv").read_bytes() == direct.read_bytes()


def test_a_failed_delivery_is_sent_by_the_next_run(tmp_path, months, hook):
    project = make_project(tmp_path / "p", months, hook.url)
    hook.plan.extend([Answer(status=503)] * 20)  # every attempt of the first batch fails
    failed = run_project(project)
    assert failed.returncode == 2, failed.stdout + failed.stderr
    assert "503" in failed.stderr and failed.stderr.count("\n") == 1
    assert not hook.tasks()
    hook.plan.clear()
    done = run_project(project)
    assert done.returncode == 0, done.stderr
    alerts = next((project.parent / "exports").glob("alerts-*.json"))
    assert set(hook.tasks()) == {a["idempotency_key"] for a in json.loads(alerts.read_text())["alerts"]}
    # the store and the files were already complete: only the delivery was outstanding
    assert "already stored, identical" in done.stdout


def test_two_runs_of_one_project_never_overlap(tmp_path, months, hook):
    project = make_project(tmp_path / "p", months, hook.url)
    with open(project.parent / "adoptscore.state.json.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        done = run_project(project)
    assert done.returncode == 2
    assert "another run of this project is in progress" in done.stderr
    assert not (project.parent / "history").exists(), "the refused run wrote something"


def test_service_ping_payloads_as_the_source(tmp_path):
    from adoptscore.demo.service_ping import write_payloads

    folder = tmp_path / "sp"
    write_payloads(folder / "payloads", accounts=12, months=3, seed=4)
    (folder / "adoptscore.yaml").write_text("source:\n  from: service-ping\n  data: [payloads]\n"
                                            "rubric: gitlab-extended\nstore: scores.duckdb\n")
    first = run("run", str(folder), "-q")
    assert first.returncode == 0, first.stderr
    second = run("run", str(folder))
    assert second.returncode == 0 and "nothing changed" in second.stdout, second.stdout + second.stderr
