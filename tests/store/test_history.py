"""The score store: periods replaced atomically, a changed rubric refused, concurrent and killed
runs never lose or duplicate a row."""
from __future__ import annotations

import random
import subprocess
import sys
import time

import duckdb
import pytest

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.store import StoreError, open_store

SAVE = """
import sys, adoptscore
from adoptscore.demo import generate_usage
from adoptscore.store import open_store
usage = generate_usage(accounts=int(sys.argv[2]), months=4, seed=int(sys.argv[3]), end_period="2026-10")
open_store(sys.argv[1]).save(adoptscore.score(usage, "gitlab"))
print("saved", flush=True)
"""


def counts(path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for table, keys in (("overall", "account_id, period"), ("use_cases", "account_id, period, use_case"),
                            ("metrics", "account_id, period, use_case, metric")):
            n, distinct = con.execute(f"SELECT count(*), count(DISTINCT ({keys})) FROM gitlab.{table}").fetchone()
            out[table] = (n, distinct)
        out["score_sum"] = con.execute("SELECT round(sum(score), 6) FROM gitlab.overall").fetchone()[0]
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def usage():
    return generate_usage(accounts=200, months=4, seed=42, end_period="2026-10")


def test_a_period_scored_again_replaces_the_stored_one(tmp_path, usage):
    store = open_store(tmp_path / "s.duckdb")
    first = store.save(adoptscore.score(usage, "gitlab"))
    assert first.periods == ["2026-07", "2026-08", "2026-09", "2026-10"]
    before = counts(store.path)
    again = store.save(adoptscore.score(usage, "gitlab", periods=["2026-10"]))
    assert again.periods == ["2026-10"]
    assert again.replaced["overall"] == again.rows["overall"] > 0
    after = counts(store.path)
    assert after == before
    for table in ("overall", "use_cases", "metrics"):
        n, distinct = after[table]
        assert n == distinct


def test_a_changed_rubric_under_the_same_version_is_refused(tmp_path, usage):
    store = open_store(tmp_path / "s.duckdb")
    store.save(adoptscore.score(usage, "gitlab", periods=["2026-10"]))
    rubric = adoptscore.load_rubric("gitlab").model_copy(update={"title": "changed"})
    with pytest.raises(StoreError, match="bump the rubric's version"):
        store.save(adoptscore.score(usage, rubric, periods=["2026-10"]))
    assert store.rubric().title == adoptscore.load_rubric("gitlab").title


def test_accounts_keep_their_latest_attributes_and_a_missing_column_is_named(tmp_path, usage):
    store = open_store(tmp_path / "s.duckdb")
    store.save(adoptscore.score(usage, "gitlab"))
    con = duckdb.connect(str(store.path), read_only=True)
    rows = con.execute("SELECT account_id, as_of, name, owner FROM gitlab.accounts ORDER BY account_id").fetchall()
    con.close()
    frame = usage.to_pandas()
    latest = frame.sort_values("period").groupby("account_id").tail(1).set_index("account_id")
    assert len(rows) == len(latest)
    for account_id, as_of, name, owner in rows:
        assert (as_of, name, owner) == (latest.loc[account_id, "period"], latest.loc[account_id, "account_name"],
                                        latest.loc[account_id, "owner"])
    with pytest.raises(StoreError, match="'nope' is not in the data"):
        store.save(adoptscore.score(usage, "gitlab"), attributes=["nope"])


def test_two_runs_at_once_neither_corrupt_nor_duplicate(tmp_path):
    path = tmp_path / "s.duckdb"
    runs = [subprocess.Popen([sys.executable, "-c", SAVE, str(path), "150", str(seed)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for seed in (1, 2)]
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    result = counts(path)
    # whichever run committed last holds every period, whole: its row count and score sum, no duplicates
    expected = []
    for seed in (1, 2):
        overall = adoptscore.score(generate_usage(accounts=150, months=4, seed=seed, end_period="2026-10"), "gitlab").overall
        expected.append((len(overall), round(float(overall["score"].sum()), 6)))
    assert (result["overall"][0], result["score_sum"]) in expected
    for table in ("overall", "use_cases", "metrics"):
        assert result[table][0] == result[table][1]


def test_killing_a_run_at_any_moment_keeps_the_previous_results(tmp_path):
    path = tmp_path / "s.duckdb"
    subprocess.run([sys.executable, "-c", SAVE, str(path), "300", "1"], check=True, capture_output=True, timeout=300)
    whole = {}
    for seed in (1, 2, 3):
        result = adoptscore.score(generate_usage(accounts=300, months=4, seed=seed, end_period="2026-10"), "gitlab")
        whole[seed] = (len(result.overall), len(result.metrics), round(float(result.overall["score"].sum()), 6))
    rng = random.Random(20)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", SAVE, str(tmp_path / "probe.duckdb"), "300", "2"], check=True,
                   capture_output=True, timeout=300)
    duration = time.perf_counter() - started
    outcomes = []
    for attempt in range(20):
        run = subprocess.Popen([sys.executable, "-c", SAVE, str(path), "300", str(2 + attempt % 2)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.3, duration * 1.1))
        run.kill()
        run.wait()
        state = counts(path)  # opens: the file is never left unreadable
        for table in ("overall", "use_cases", "metrics"):
            n, distinct = state[table]
            assert n == distinct, (attempt, table)
        # every state seen is one whole save (the first, or a re-scoring that committed), never a mix
        assert (state["overall"][0], state["metrics"][0], state["score_sum"]) in whole.values(), attempt
        outcomes.append(state["score_sum"])
    assert len(outcomes) == 20
    # what killed runs staged is removed by the next open of the store, whatever it does next
    open_store(path).rubrics()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".adoptscore-store-")) == []


def test_a_store_named_like_its_rubric_scores_and_reads(tmp_path, usage):
    """gitlab.duckdb holds a schema named gitlab: DuckDB's catalog and schema names must not collide."""
    path = tmp_path / "gitlab.duckdb"
    store = open_store(path)
    store.save(adoptscore.score(usage, "gitlab"))
    store.save(adoptscore.score(usage, "gitlab"))
    assert open_store(path).rubric().name == "gitlab"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gitlab.duckdb"]


def test_the_newest_version_by_version_order_is_read_and_named(tmp_path, usage):
    path = tmp_path / "s.duckdb"
    base = adoptscore.load_rubric("gitlab")
    for version in ("2025.10", "2025.9"):  # 2025.9 stored last, 2025.10 is the newer one
        rubric = base.model_copy(update={"version": version})
        open_store(path).save(adoptscore.score(usage, rubric))
    store = open_store(path)
    assert store.rubric().version == "2025.10"
    assert store.note and "2025.10" in store.note and "2 stored versions" in store.note
    assert store.rubric(version="2025.9").version == "2025.9" and store.note is None


def test_saving_identical_scores_with_skip_unchanged_writes_nothing(tmp_path, usage):
    store = open_store(tmp_path / "s.duckdb")
    store.save(adoptscore.score(usage, "gitlab"), attributes=["owner", "arr"])
    stat = store.path.stat()
    same = store.save(adoptscore.score(usage, "gitlab", periods=["2026-09"]), attributes=["owner", "arr"],
                      skip_unchanged=True)
    assert same.unchanged and same.periods == ["2026-09"]
    assert (store.path.stat().st_size, store.path.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    # one metric value differs in one account-period: that is a change, and it is stored
    frame = usage.to_pandas()
    row = frame.index[(frame["period"].astype(str) == "2026-09")][0]
    frame.loc[row, "git_ops_users_l28d"] = frame.loc[row, "git_ops_users_l28d"] + 1
    changed = store.save(adoptscore.score(frame, "gitlab", periods=["2026-09"]), attributes=["owner", "arr"],
                         skip_unchanged=True)
    assert not changed.unchanged and changed.replaced["overall"] == changed.rows["overall"]
    # a changed account attribute alone is a change too
    frame.loc[frame["period"].astype(str) == "2026-10", "owner"] = "someone else"
    moved = store.save(adoptscore.score(frame, "gitlab", periods=["2026-10"]), attributes=["owner", "arr"],
                       skip_unchanged=True)
    assert not moved.unchanged
    with duckdb.connect(str(store.path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM main.runs").fetchone()[0] == 3
        assert con.execute("SELECT DISTINCT owner FROM gitlab.accounts WHERE as_of = '2026-10'").fetchall() == \
            [("someone else",)]
