"""A file that is not a whole score store of a format this adoptscore reads is refused by every
command in one line naming it, and never written to: a CSV name, random bytes, another
application's database, a cut-short or damaged copy, a newer format. Stores from before the
format stamp are read and written as format 1."""
from __future__ import annotations

import hashlib
import os
import random
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.store import StoreError, open_store
from adoptscore.store.layout import FORMAT, HEADER_BYTES
from tests.e2e.test_cli_errors import assert_clean_failure, run
from tests.scorestore import build_store


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def usage(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("usage") / "usage.parquet"
    pq.write_table(generate_usage(accounts=80, months=3, seed=3, end_period="2026-10"), path)
    return path


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("good") / "s.duckdb", accounts=80, months=3)


def copy(good: Path, tmp_path: Path, name: str = "s.duckdb") -> Path:
    path = tmp_path / name
    path.write_bytes(good.read_bytes())
    return path


def assert_refused_everywhere(path: Path, usage: Path, *needles: str) -> None:
    """Scoring into it, exporting from it, making a deck of it: each exit 2 in one line; the file
    is byte-for-byte what it was, and no new file appears beside it."""
    before, beside = digest(path), sorted(os.listdir(path.parent))
    for args in (("score", str(usage), "--store", str(path)),
                 ("export", "gainsight", "--store", str(path), "--out", str(path.parent / "g.csv")),
                 ("deck", "--all", "--store", str(path), "--out", str(path.parent / "decks"))):
        assert_clean_failure(run(*args), str(path.name), *needles)
    assert digest(path) == before
    assert sorted(os.listdir(path.parent)) == beside


def test_a_store_path_not_named_duckdb_is_refused_before_scoring(tmp_path, usage):
    out = tmp_path / "out"
    done = run("score", str(usage), "--store", str(tmp_path / "file.csv"), "--out", str(out))
    assert_clean_failure(done, "file.csv", "a score store is a DuckDB file and its name ends in .duckdb",
                         "--store " + str(tmp_path / "file.duckdb"))
    assert sorted(os.listdir(tmp_path)) == []  # neither the store nor the --out tables


def test_random_bytes_and_text_are_not_a_store(tmp_path, usage):
    noise = tmp_path / "x.duckdb"
    noise.write_bytes(random.Random(1).randbytes(100_000))
    assert_refused_everywhere(noise, usage, "not an adoptscore score store (not a DuckDB database)")
    noise.write_text("account_id,period\nA1,2026-10\n")
    assert_refused_everywhere(noise, usage, "not an adoptscore score store (a text file, not a DuckDB database)")


def test_another_applications_database_is_not_added_to(tmp_path, usage):
    other = tmp_path / "app.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE invoices AS SELECT range AS id FROM range(10)")
    con.close()
    assert_refused_everywhere(other, usage, "not an adoptscore score store (a DuckDB database holding "
                                            "main.invoices, with no score history)")


@pytest.mark.parametrize("keep", [0.3, 0.7, 0.99])
def test_a_cut_short_copy_is_refused(tmp_path, usage, good, keep):
    path = copy(good, tmp_path)
    size = path.stat().st_size
    os.truncate(path, HEADER_BYTES + int((size - HEADER_BYTES) * keep))
    assert_refused_everywhere(path, usage, "not an adoptscore score store (damaged")


def blocks(path: Path) -> dict[str, set[int]]:
    """The blocks each table of the store lives in."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out: dict[str, set[int]] = {}
        for schema, table in con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall():
            used = out.setdefault(f"{schema}.{table}", set())
            for block, more in con.execute("SELECT block_id, additional_block_ids FROM pragma_storage_info(?) "
                                           "WHERE persistent", [f"{schema}.{table}"]).fetchall():
                used.update([block, *(more or [])])
        return out
    finally:
        con.close()


def test_a_damaged_block_a_run_would_not_read_is_still_refused(tmp_path, usage):
    """A second rubric's rows are not read by a run that scores the first: the store is read whole
    before a run adds to it."""
    path = build_store(tmp_path / "s.duckdb", accounts=300, months=6)
    other = adoptscore.load_rubric("gitlab").model_copy(update={"name": "other"})
    open_store(path).save(adoptscore.score(generate_usage(accounts=300, months=6, seed=5, end_period="2026-10"), other))
    used = blocks(path)
    theirs = set().union(*(b for t, b in used.items() if t.startswith("other.")))
    ours = set().union(*(b for t, b in used.items() if not t.startswith("other.")))
    only = sorted(theirs - ours)
    assert only, used
    with open(path, "r+b") as handle:
        handle.seek(HEADER_BYTES + only[0] * 262_144 + 1000)
        handle.write(b"\xff" * 64)
    assert_refused_everywhere(path, usage, "not an adoptscore score store (damaged: Corrupt database file")


def test_a_newer_format_is_refused_with_upgrade(tmp_path, usage, good):
    path = copy(good, tmp_path)
    con = duckdb.connect(str(path))
    con.execute("UPDATE main.store_format SET format = ?", [FORMAT + 1])
    con.close()
    assert_refused_everywhere(path, usage, f"written by a newer adoptscore (format {FORMAT + 1}; this one reads "
                                           f"up to {FORMAT})", "upgrade adoptscore")


def test_a_store_from_before_the_stamp_is_read_and_then_stamped(tmp_path, usage, good):
    path = copy(good, tmp_path)
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE main.store_format")
    con.close()
    assert open_store(path).rubric().name == "gitlab"  # read as format 1
    done = run("score", str(usage), "--store", str(path))
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT format FROM main.store_format").fetchall() == [(FORMAT,)]
    con.close()


def test_an_empty_database_is_a_store_with_nothing_yet(tmp_path, usage):
    path = tmp_path / "s.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(StoreError, match="holds no scores yet"):
        open_store(path).rubric()
    done = run("score", str(usage), "--store", str(path))
    assert done.returncode == 0, done.stderr
    assert open_store(path).rubric().name == "gitlab"


def test_a_folder_is_not_a_store(tmp_path, usage):
    folder = tmp_path / "scores.duckdb"
    folder.mkdir()
    assert_clean_failure(run("score", str(usage), "--store", str(folder)), "is a folder, not a score store file")
    assert_clean_failure(run("export", "gainsight", "--store", str(folder), "--out", str(tmp_path / "g.csv")),
                         "is a folder, not a score store file")
    assert os.listdir(folder) == []
