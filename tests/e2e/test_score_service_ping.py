"""``adoptscore score --from service-ping``: payloads scored in one step, as a GitLab admin would run it."""
from __future__ import annotations

import pandas as pd
import pytest

from tests.e2e.test_cli_errors import run
from tests.ingest.helpers import payload, write


@pytest.fixture(scope="module")
def payloads(tmp_path_factory):
    root = tmp_path_factory.mktemp("pings")
    write(root / "folder", "a.json", payload(uuid="a"))
    write(root / "folder", "b.json", payload(uuid="b", recorded_at="2026-09-25T08:00:00Z"))
    write(root / "folder", "broken.json", '{"uuid": "d", "counts": {')
    write(root, "c.json", payload(uuid="c"))
    return root


def test_scores_payload_files_and_folders_in_one_step(payloads, tmp_path):
    done = run("score", "--from", "service-ping", str(payloads / "folder"), str(payloads / "c.json"),
               "--out", str(tmp_path / "scores"))
    assert done.returncode == 0, done.stderr
    assert "skipped" in done.stderr and "broken.json" in done.stderr  # the broken payload is named, the rest scored
    overall = pd.read_csv(tmp_path / "scores" / "overall.csv", dtype={"account_id": str})
    assert sorted(zip(overall["account_id"], overall["period"])) == [("a", "2026-10"), ("b", "2026-09"), ("c", "2026-10")]
    metrics = pd.read_csv(tmp_path / "scores" / "metrics.csv", dtype={"account_id": str}).set_index(["account_id", "metric"])
    # the hand-built payload: 80 git-operation users of 200 billable = 40% > 33%: Green (reference, section 2)
    assert metrics.loc[("a", "git_ops_utilization"), "value"] == pytest.approx(0.4)
    assert metrics.loc[("a", "git_ops_utilization"), "color"] == "green"


def test_same_scores_as_ingest_then_score(payloads, tmp_path):
    usage = tmp_path / "usage.parquet"
    assert run("ingest", "service-ping", str(payloads), "--out", str(usage), "-q").returncode == 0
    assert run("score", str(usage), "--out", str(tmp_path / "two-steps"), "-f", "parquet", "-q").returncode == 0
    done = run("score", "--from", "service-ping", str(payloads), "--out", str(tmp_path / "one-step"), "-f", "parquet", "-q")
    assert done.returncode == 0, done.stderr
    for table in ("metrics", "use_cases", "overall"):
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "one-step" / f"{table}.parquet"),
                                      pd.read_parquet(tmp_path / "two-steps" / f"{table}.parquet"))


def test_stores_history_from_payloads(payloads, tmp_path):
    store = tmp_path / "scores.duckdb"
    done = run("score", "--from", "service-ping", str(payloads), "--store", str(store), "-q")
    assert done.returncode == 0, done.stderr
    import duckdb

    with duckdb.connect(str(store), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM gitlab.overall").fetchone()[0] == 3


@pytest.mark.parametrize("args, needle", [
    (["a.csv", "b.csv"], "score reads one usage source, got 2"),
    (["--from", "service-ping", "PINGS", "--table", "t"], "--table applies to usage tables"),
    (["--from", "service-ping", "PINGS", "--long"], "--long applies to usage tables"),
    (["x.parquet", "--mapping", "m.yaml"], "--mapping applies to Service Ping payloads"),
    (["--from", "service-ping", "missing-folder"], "missing-folder: no such file or folder"),
])
def test_misused_options_are_one_line_errors(payloads, tmp_path, args, needle):
    args = [str(payloads) if a == "PINGS" else a for a in args]
    done = run("score", *args, "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 2 and needle in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
