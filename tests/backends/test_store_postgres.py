"""The score store on a real PostgreSQL server (``--store postgres://...?schema=S``): every
reader gives exactly what it gives from a DuckDB store of the same scores; saves replace periods
in one transaction, are serialised, survive being killed at any moment, skip identical scores;
the local replica follows the warehouse; wrong targets are one line that never shows the password."""
from __future__ import annotations

import random
import subprocess
import sys
import time
import uuid

import psycopg
import pytest

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.store import open_store
from tests.e2e.test_cli_errors import run
from tests.web.serving import served

SAVE = """
import sys, adoptscore
from adoptscore.demo import generate_usage
from adoptscore.store import open_store
usage = generate_usage(accounts=int(sys.argv[2]), months=4, seed=int(sys.argv[3]), end_period="2026-10")
open_store(sys.argv[1]).save(adoptscore.score(usage, "gitlab"))
print("saved", flush=True)
"""


@pytest.fixture(autouse=True)
def replicas(tmp_path, monkeypatch):
    monkeypatch.setenv("ADOPTSCORE_CACHE", str(tmp_path / "cache"))


@pytest.fixture()
def store_url(postgres_url) -> str:
    return f"{postgres_url}?schema=s_{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
def usage():
    return generate_usage(accounts=150, months=4, seed=42, end_period="2026-10")



def pg_counts(url: str, schema: str) -> dict:
    with psycopg.connect(url) as con:
        out = {}
        for table, keys in (("overall", "account_id, period"), ("use_cases", "account_id, period, use_case"),
                            ("metrics", "account_id, period, use_case, metric")):
            out[table] = con.execute(f'SELECT count(*), count(DISTINCT ({keys})) FROM "{schema}"."gitlab__{table}"'
                                     ).fetchone()
        out["score_sum"] = float(con.execute(f'SELECT round(sum(score)::numeric, 6) FROM "{schema}"."gitlab__overall"'
                                             ).fetchone()[0])
        out["runs"] = con.execute(f'SELECT count(*) FROM "{schema}".runs').fetchone()[0]
        return out


def schema_of(url: str) -> str:
    return url.rsplit("schema=", 1)[1]


def test_every_reader_gives_what_it_gives_from_a_duckdb_store(tmp_path, store_url, usage, postgres_url):
    usage.to_pandas().to_parquet(tmp_path / "usage.parquet")
    local = tmp_path / "local.duckdb"
    for store in (store_url, str(local)):
        done = run("score", str(tmp_path / "usage.parquet"), "--store", store, "-q")
        assert done.returncode == 0, done.stderr
    for command, name in ((["export", "gainsight"], "g.csv"), (["export", "alerts"], "a.json"),
                          (["export", "history"], "h.csv"), (["export", "scores"], "tables")):
        for label, store in (("pg", store_url), ("duck", str(local))):
            if name == "tables":
                (tmp_path / f"{label}-{name}").mkdir()
            done = run(*command, "--store", store, "--out", str(tmp_path / f"{label}-{name}"), "-q")
            assert done.returncode == 0, (command, done.stderr)
        pg, duck = tmp_path / f"pg-{name}", tmp_path / f"duck-{name}"
        if pg.is_dir():
            assert sorted(p.name for p in pg.iterdir()) == sorted(p.name for p in duck.iterdir())
            for part in pg.iterdir():
                assert part.read_bytes() == (duck / part.name).read_bytes(), (command, part.name)
        else:
            assert pg.read_bytes() == duck.read_bytes(), command
    # the scorecard web app's API, on a real server
    import httpx

    from adoptscore.web.app import create_app

    answers = []
    for store in (store_url, local):
        # the team database in this test's folder, never the user's state folder or the repository
        with served(create_app(store, None, None, team_database=tmp_path / "team.sqlite")) as base:
            account = httpx.get(f"{base}/api/portfolio").json()["rows"][0]["account_id"]
            answers.append([httpx.get(base + path).json() for path in
                            ("/api/meta", "/api/portfolio?sort=score", f"/api/accounts/{account}", "/api/use-cases/ci",
                             "/api/alerts")])
    assert answers[0] == answers[1]
    # a customer deck
    decks = []
    for label, store in (("pg", store_url), ("duck", str(local))):
        out = tmp_path / f"{label}.pptx"
        done = run("deck", account, "--store", store, "--out", str(out), "-q")
        assert done.returncode == 0, done.stderr
        from pptx import Presentation

        decks.append([[shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
                      for slide in Presentation(str(out)).slides])
    assert decks[0] == decks[1] and len(decks[0]) > 3


def test_re_scoring_replaces_and_identical_scores_are_not_written(store_url, usage):
    store = open_store(store_url)
    first = store.save(adoptscore.score(usage, "gitlab"))
    assert first.periods == ["2026-07", "2026-08", "2026-09", "2026-10"]
    url, schema = store.conninfo, schema_of(store_url)
    before = pg_counts(url, schema)
    again = store.save(adoptscore.score(usage, "gitlab", periods=["2026-10"]))
    assert again.replaced["overall"] == again.rows["overall"] > 0
    after = pg_counts(url, schema)
    assert {k: v for k, v in after.items() if k != "runs"} == {k: v for k, v in before.items() if k != "runs"}
    assert after["runs"] == 2
    same = store.save(adoptscore.score(usage, "gitlab", periods=["2026-09"]), skip_unchanged=True)
    assert same.unchanged and same.periods == ["2026-09"]
    assert pg_counts(url, schema)["runs"] == 2
    # a changed value is a change
    frame = usage.to_pandas()
    frame.loc[frame["period"].astype(str) == "2026-09", "git_ops_users_l28d"] += 7
    changed = store.save(adoptscore.score(frame, "gitlab", periods=["2026-09"]), skip_unchanged=True)
    assert not changed.unchanged and pg_counts(url, schema)["runs"] == 3


def test_the_replica_follows_the_warehouse(store_url, usage, tmp_path):
    store = open_store(store_url)
    store.save(adoptscore.score(usage, "gitlab"))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = run("export", "scores", "--store", store_url, "--out", str(tmp_path / "a"), "--period", "2026-10", "-q")
    assert first.returncode == 0, first.stderr
    from adoptscore.insights.scorecard import Scorecard

    card = Scorecard(store_url)  # what serve holds
    assert not card.changed_on_disk()
    frame = usage.to_pandas()
    frame.loc[frame["period"].astype(str) == "2026-10", "git_ops_users_l28d"] = 0
    open_store(store_url).save(adoptscore.score(frame, "gitlab", periods=["2026-10"]))
    assert card.changed_on_disk(), "serve would not see the new run"
    card.close()
    second = run("export", "scores", "--store", store_url, "--out", str(tmp_path / "b"), "--period", "2026-10", "-q")
    assert second.returncode == 0
    assert (tmp_path / "a/overall.csv").read_bytes() != (tmp_path / "b/overall.csv").read_bytes()
    direct = adoptscore.score(frame, "gitlab", periods=["2026-10"]).overall
    exported = __import__("pandas").read_csv(tmp_path / "b/overall.csv")
    assert sorted(exported["score"].round(9).dropna()) == sorted(direct["score"].round(9).dropna())


def test_killing_a_save_at_any_moment_keeps_the_previous_results(store_url):
    store = open_store(store_url)
    url, schema = store.conninfo, schema_of(store_url)
    subprocess.run([sys.executable, "-c", SAVE, store_url, "200", "1"], check=True, capture_output=True, timeout=300)
    whole = {}
    for seed in (1, 2, 3):
        result = adoptscore.score(generate_usage(accounts=200, months=4, seed=seed, end_period="2026-10"), "gitlab")
        whole[seed] = (len(result.overall), len(result.metrics), round(float(result.overall["score"].sum()), 6))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", SAVE, store_url, "200", "2"], check=True, capture_output=True, timeout=300)
    duration = time.perf_counter() - started
    rng = random.Random(7)
    for attempt in range(12):
        proc = subprocess.Popen([sys.executable, "-c", SAVE, store_url, "200", str(2 + attempt % 2)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.3, duration * 1.1))
        proc.kill()
        proc.wait()
        state = pg_counts(url, schema)
        for table in ("overall", "use_cases", "metrics"):
            n, distinct = state[table]
            assert n == distinct, (attempt, table)
        assert (state["overall"][0], state["metrics"][0], state["score_sum"]) in whole.values(), attempt
    # nothing the killed runs staged is left beside the replica
    open_store(store_url).rubrics()
    folder = open_store(store_url).path.parent
    assert [p.name for p in folder.iterdir() if p.name.startswith(".adoptscore-store-")] == []


def test_two_saves_at_once_are_serialised(store_url):
    url, schema = open_store(store_url).conninfo, schema_of(store_url)
    expected = {round(float(adoptscore.score(generate_usage(accounts=200, months=4, seed=s, end_period="2026-10"),
                                             "gitlab").overall["score"].sum()), 6) for s in (4, 5)}
    rounds = 3
    for attempt in range(rounds):  # the first round also races to create the store's tables
        procs = [subprocess.Popen([sys.executable, "-c", SAVE, store_url, "200", str(seed)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for seed in (4, 5)]
        for proc in procs:
            out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0 and "saved" in out, err
        state = pg_counts(url, schema)
        assert state["runs"] == 2 * (attempt + 1)
        for table in ("overall", "use_cases", "metrics"):
            n, distinct = state[table]
            assert n == distinct, (attempt, table)
        assert state["score_sum"] in expected


def test_wrong_targets_are_one_line_without_the_password(tmp_path, postgres_url, usage):
    usage.to_pandas().to_parquet(tmp_path / "usage.parquet")
    schema = f"other_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute(f'CREATE SCHEMA "{schema}"')
        con.execute(f'CREATE TABLE "{schema}".customers (id int)')
    cases = [
        (f"{postgres_url}?schema={schema}", "holds customers, not a score history"),
        (f"{postgres_url}?schema=bad-name", "is not a plain SQL name"),
        ("postgres://someone:hunter2@127.0.0.1:9/nowhere", "cannot connect to the score store"),
    ]
    for url, needle in cases:
        for args in (["score", str(tmp_path / "usage.parquet"), "--store", url],
                     ["export", "gainsight", "--store", url, "--out", str(tmp_path / "g.csv")]):
            done = run(*args)
            assert done.returncode == 2, (args, done.stdout, done.stderr)
            assert needle in done.stderr and done.stderr.count("\n") == 1, done.stderr
            assert "hunter2" not in done.stdout + done.stderr
    assert not (tmp_path / "g.csv").exists()
    newer = f"newer_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute(f'CREATE SCHEMA "{newer}"')
        con.execute(f'CREATE TABLE "{newer}".rubrics (name text, version text, definition text, stored_at timestamp)')
        con.execute(f'CREATE TABLE "{newer}".store_format (format integer)')
        con.execute(f'INSERT INTO "{newer}".store_format VALUES (99)')
    done = run("score", str(tmp_path / "usage.parquet"), "--store", f"{postgres_url}?schema={newer}")
    assert done.returncode == 2 and "newer adoptscore" in done.stderr


def test_a_project_on_a_postgres_store_runs_twice_changing_nothing(tmp_path, store_url, usage):
    usage.to_pandas().to_parquet(tmp_path / "usage.parquet")
    (tmp_path / "adoptscore.yaml").write_text(f"source:\n  data: usage.parquet\nstore: '{store_url}'\n"
                                              "exports:\n  gainsight:\n    out: g-{period}.csv\n")
    first = run("run", str(tmp_path))
    assert first.returncode == 0, first.stderr
    runs = pg_counts(open_store(store_url).conninfo, schema_of(store_url))["runs"]
    stat = (tmp_path / "g-2026-10.csv").stat().st_mtime_ns
    second = run("run", str(tmp_path))
    assert second.returncode == 0 and "nothing changed" in second.stdout, second.stdout + second.stderr
    assert pg_counts(open_store(store_url).conninfo, schema_of(store_url))["runs"] == runs
    assert (tmp_path / "g-2026-10.csv").stat().st_mtime_ns == stat
