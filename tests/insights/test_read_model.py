"""The cached read model: built once per store state, reopened read-only, never stale, never trusted
when damaged or incomplete, built in memory where the store's folder cannot be written, and built
once for several processes opening it at the same time."""
from __future__ import annotations

import gc
import json
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.insights import read_model
from adoptscore.insights.portfolio import PortfolioQuery, portfolio
from adoptscore.insights.scorecard import Scorecard
from adoptscore.store import open_store
from tests.scorestore import build_store


@pytest.fixture
def store(tmp_path_factory, tmp_path):
    source = tmp_path_factory.getbasetemp() / "read-model-store.duckdb"
    if not source.exists():
        build_store(source, accounts=60, months=3)
    path = tmp_path / "scores.duckdb"
    shutil.copy(source, path)
    return path


def builds(monkeypatch) -> list[int]:
    """Count read-model builds by watching the one function every build calls."""
    calls: list[int] = []
    original = Scorecard._build

    def counted(self, con, folder):
        calls.append(1)
        return original(self, con, folder)

    monkeypatch.setattr(Scorecard, "_build", counted)
    return calls


def test_second_open_reads_the_cached_file(store, monkeypatch):
    calls = builds(monkeypatch)
    first = Scorecard(store)
    files = list(read_model.cache_folder(store).glob("*.duckdb"))
    assert len(calls) == 1 and len(files) == 1
    second = Scorecard(store)
    assert len(calls) == 1  # not rebuilt
    page = PortfolioQuery(page_size=500)
    assert portfolio(first, page).rows == portfolio(second, page).rows
    with pytest.raises(Exception, match="read-only"):
        second.con.execute("CREATE TABLE x (a INT)")  # opened read-only: the cache is never changed by a reader


def test_a_new_save_gets_a_new_read_model_and_the_old_file_goes(store, monkeypatch):
    calls = builds(monkeypatch)
    Scorecard(store)
    old = {p.name for p in read_model.cache_folder(store).glob("*.duckdb")}
    # re-score the latest period with one account's usage changed
    usage = generate_usage(accounts=60, months=3, seed=42, end_period="2026-10").to_pandas()
    latest = usage[usage["period"] == "2026-10"].copy()
    account = latest["account_id"].iloc[0]
    latest.loc[latest["account_id"] == account, "git_ops_users_l28d"] = 0
    open_store(store).save(adoptscore.score(latest, "gitlab"))
    card = Scorecard(store)
    assert len(calls) == 2
    new = {p.name for p in read_model.cache_folder(store).glob("*.duckdb")}
    assert len(new) == 1 and new != old
    stored = card.rows("SELECT value FROM metrics WHERE account_id = ? AND period = '2026-10' "
                       "AND metric = 'git_ops_utilization'", [account])
    assert stored == [{"value": 0.0}]


def test_a_damaged_cache_file_is_rebuilt(store, monkeypatch):
    calls = builds(monkeypatch)
    Scorecard(store)
    (cached,) = read_model.cache_folder(store).glob("*.duckdb")
    cached.write_bytes(b"not a database")
    card = Scorecard(store)
    assert len(calls) == 2 and card.periods == ["2026-08", "2026-09", "2026-10"]


def test_unwritable_cache_folder_builds_in_memory(store, monkeypatch):
    calls = builds(monkeypatch)
    # a file where the folder would go: mkdir fails as it does in a read-only folder (even for root)
    read_model.cache_folder(store).write_text("in the way")
    card = Scorecard(store)
    assert len(calls) == 1 and read_model.cache_folder(store).read_text() == "in the way"
    assert card.latest == "2026-10"


def test_in_memory_and_cached_read_models_agree(store):
    cached, memory = Scorecard(store), Scorecard(store, cache=False)
    for table in ("portfolio", "alerts", "use_case_reports", "peer_keys"):
        a = pd.DataFrame(cached.rows(f"SELECT * FROM {table} ORDER BY ALL"))
        b = pd.DataFrame(memory.rows(f"SELECT * FROM {table} ORDER BY ALL"))
        pd.testing.assert_frame_equal(a, b)
    files = sorted(p.relative_to(cached._model.folder) for p in cached._model.folder.rglob("*.npy"))
    assert files and files == sorted(p.relative_to(memory._model.folder) for p in memory._model.folder.rglob("*.npy"))
    for name in files:
        assert np.array_equal(np.load(cached._model.folder / name), np.load(memory._model.folder / name), equal_nan=True)


def test_an_incomplete_columns_folder_is_rebuilt(store, monkeypatch):
    calls = builds(monkeypatch)
    first = Scorecard(store)
    (first._model.folder / "meta.json").unlink()  # a build killed after the database file moved in
    second = Scorecard(store)
    assert len(calls) == 2 and second.built
    assert portfolio(second, PortfolioQuery(page_size=500)).rows == portfolio(first, PortfolioQuery(page_size=500)).rows


def test_the_in_memory_read_model_columns_go_with_the_scorecard(store):
    card = Scorecard(store, cache=False)
    folder = card._model.folder
    assert (folder / "meta.json").exists()
    del card
    gc.collect()
    assert not folder.exists()


OPEN = """
import json, sys
from adoptscore.insights.scorecard import Scorecard
card = Scorecard(sys.argv[1])
print(json.dumps({"built": card.built, "folder": str(card._model.folder), "periods": card.periods}))
"""


def test_processes_opening_at_once_share_one_build(store):
    # what serve --workers does: each worker opens the scorecard as it starts
    processes = [subprocess.Popen([sys.executable, "-c", OPEN, str(store)], stdout=subprocess.PIPE, text=True)
                 for _ in range(3)]
    answers = [json.loads(p.communicate(timeout=300)[0]) for p in processes]
    assert all(p.returncode == 0 for p in processes)
    assert sorted(a["built"] for a in answers) == [False, False, True]
    assert len({a["folder"] for a in answers}) == 1 and len({tuple(a["periods"]) for a in answers}) == 1
    assert len(list(read_model.cache_folder(store).glob("*.duckdb"))) == 1
    assert len(list(read_model.cache_folder(store).glob("*.columns"))) == 1
