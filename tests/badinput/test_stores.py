"""Bad score stores: every command that reads one (deck, the exports, score --store, and the usage
readers given a store) refuses it in one line naming the store file, and leaves it byte for byte
as it was (the case's folder is compared before and after)."""
from __future__ import annotations

import functools
import random
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.badinput.corpus import case, check_in_process, params

S = "{tmp}/s.duckdb"
READERS = {
    "gainsight": f"export gainsight --store {S} --out {{tmp}}/g.csv",
    "history": f"export history --store {S} --out {{tmp}}/h.csv",
    "alerts": f"export alerts --store {S} --out {{tmp}}/a.csv",
    "scores": f"export scores --store {S} --out {{tmp}}/o.csv -t overall",
    "deck": f"deck A000002 --store {S} --out {{tmp}}/d.pptx",
    "score --store": f"score {{demo}}/usage.parquet --store {S} --out {{tmp}}/out",
}
RESTORE = "restore the store from a backup"


@functools.lru_cache(maxsize=None)
def _spoiled(demo: Path, sql: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.duckdb"
        shutil.copyfile(demo / "scores.duckdb", path)
        import duckdb

        con = duckdb.connect(str(path))
        try:
            for statement in sql.split(";"):
                con.execute(statement)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        return path.read_bytes()


def spoiled(sql: str):
    """The demo's store with ``sql`` run on it (statements split on ';')."""
    return lambda demo: _spoiled(demo, sql)


def cut(keep: int | float):
    """The demo's store cut to ``keep`` bytes (a float: that share of the file)."""
    def make(demo: Path) -> bytes:
        data = (demo / "scores.duckdb").read_bytes()
        return data[:int(len(data) * keep) if isinstance(keep, float) else keep]
    return make


def good(demo: Path) -> bytes:
    return (demo / "scores.duckdb").read_bytes()


def other_database(demo: Path) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        import duckdb

        path = Path(folder) / "app.duckdb"
        con = duckdb.connect(str(path))
        con.execute("CREATE TABLE customers (id INTEGER, name VARCHAR)")
        con.execute("INSERT INTO customers VALUES (1, 'Acme')")
        con.close()
        return path.read_bytes()


def empty_database(demo: Path) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        import duckdb

        path = Path(folder) / "new.duckdb"
        duckdb.connect(str(path)).close()
        return path.read_bytes()


def store(id: str, command: str, content, *needles: str, extra: str = "", **kw):
    """``command`` (a key of READERS) on a store file holding ``content``; the message names it."""
    return case(f"{command}: {id}", READERS[command] + extra, S, *needles, files={"s.duckdb": content}, **kw)


CSV = "account_id,period,score\nA000002,2026-10,55\n"
NEWER = spoiled("UPDATE store_format SET format = 99")

CASES = [
    # not a DuckDB database at all
    store("a CSV named .duckdb", "gainsight", CSV, "a text file, not a DuckDB database"),
    store("a CSV named .duckdb", "deck", CSV, "a text file, not a DuckDB database"),
    store("a CSV named .duckdb", "score --store", CSV, "a text file, not a DuckDB database"),
    case("history: a .csv file as the store", READERS["history"].replace(S, "{tmp}/s.csv"), "{tmp}/s.csv",
         "a text file, not a DuckDB database", files={"s.csv": CSV}),
    case("score --store: a .csv file as the store", READERS["score --store"].replace(S, "{tmp}/s.csv"),
         "{tmp}/s.csv", "ends in .duckdb", files={"s.csv": CSV}),
    store("zero bytes", "alerts", b"", "an empty file (0 bytes)"),
    store("zero bytes", "score --store", b"", "an empty file (0 bytes)"),
    store("only blank lines", "scores", "\n\n  \n", "a text file, not a DuckDB database"),
    store("random bytes", "history", random.Random(7).randbytes(300_000), "not a DuckDB database"),
    store("random bytes", "score --store", random.Random(7).randbytes(300_000), "not a DuckDB database"),
    store("a UTF-16 text", "deck", CSV.encode("utf-16"), "not a DuckDB database"),
    # a DuckDB database, but cut short or not a store
    store("cut to 20,000 bytes", "gainsight", cut(20_000), "cut short", RESTORE),
    store("cut in half", "deck", cut(0.5), "cut short", RESTORE),
    store("cut in half", "score --store", cut(0.5), "cut short", RESTORE),
    store("cut to the header", "alerts", cut(4096), "not an adoptscore score store"),
    store("another application's database", "scores", other_database, "main.customers", "no score history"),
    store("another application's database", "score --store", other_database, "main.customers"),
    store("a newer store format", "history", NEWER, "newer adoptscore", "format 99", "upgrade"),
    store("a newer store format", "score --store", NEWER, "newer adoptscore", "upgrade"),
    store("a format stamp that is not a number", "gainsight",
          spoiled("ALTER TABLE store_format ALTER format TYPE VARCHAR; UPDATE store_format SET format = 'two'"),
          "format stamp is 'two'"),
    # a store missing a table or a column (dropped by hand): refused, never re-made by a save
    store("no overall table", "gainsight", spoiled("DROP TABLE gitlab.overall"), "gitlab.overall is missing", RESTORE),
    store("no overall table", "score --store", spoiled("DROP TABLE gitlab.overall"), "gitlab.overall is missing"),
    store("no metrics table", "deck", spoiled("DROP TABLE gitlab.metrics"), "gitlab.metrics is missing"),
    store("no accounts table", "alerts", spoiled("DROP TABLE gitlab.accounts"), "gitlab.accounts is missing"),
    store("no runs table", "history", spoiled("DROP TABLE runs"), "main.runs is missing"),
    store("no color column", "deck", spoiled("ALTER TABLE gitlab.use_cases DROP COLUMN color"),
          "gitlab.use_cases lacks the column color"),
    store("no color column", "score --store", spoiled("ALTER TABLE gitlab.use_cases DROP COLUMN color"),
          "gitlab.use_cases lacks the column color"),
    store("no score column", "scores", spoiled("ALTER TABLE gitlab.overall DROP COLUMN score"),
          "gitlab.overall lacks the column score"),
    store("rubrics without definitions", "gainsight", spoiled("ALTER TABLE rubrics DROP COLUMN definition"),
          "rubrics table lacks the column definition"),
    store("a stored definition that is not JSON", "alerts", spoiled("UPDATE rubrics SET definition = '{not json'"),
          "stored definition of gitlab 2025.1 cannot be read", RESTORE),
    store("a stored definition that is not a rubric", "deck", spoiled("""UPDATE rubrics SET definition = '{"name": 3}'"""),
          "stored definition of gitlab 2025.1 cannot be read"),
    # nothing to read
    store("an empty database (no runs yet)", "gainsight", empty_database, "holds no scores yet"),
    store("an empty database (no runs yet)", "deck", empty_database, "holds no scores yet"),
    store("every score deleted", "history", spoiled("DELETE FROM runs; DELETE FROM rubrics"), "holds no scores yet"),
    store("a rubric with no rows", "scores", spoiled("DELETE FROM gitlab.overall"), "no scores for gitlab 2025.1"),
    store("unknown --rubric", "gainsight", good, "no scores for rubric 'nosuch'", "stored rubrics: gitlab",
          extra=" -r nosuch"),
    store("unknown --rubric", "deck", good, "no scores for rubric 'nosuch'", extra=" --rubric nosuch"),
    store("unknown --version", "alerts", good, "no scores for gitlab version 9.9", "stored versions: 2025.1",
          extra=" --version 9.9"),
    store("unknown --version", "scores", good, "version 2025.10", extra=" --version 2025.10"),
    store("unknown --version", "history", good, "version latest", extra=" --version latest"),
    # not a file
    case("gainsight: the store is a folder", READERS["gainsight"], S, "is a folder, not a score store file",
         files={"s.duckdb/": ""}),
    case("score --store: the store is a folder", READERS["score --store"], S, "is a folder", files={"s.duckdb/": ""}),
    case("deck: no store at the path", READERS["deck"], S, "score store not found"),
    case("alerts: no store at the path", READERS["alerts"], S, "score store not found"),
    case("scores: no store at the path", READERS["scores"], S, "score store not found"),
    case("gainsight: the default store is missing", "export gainsight --out {tmp}/g.csv", "scores.duckdb",
         "score store not found"),
    case("score --store: under a file", READERS["score --store"].replace(S, "{tmp}/usage.csv/s.duckdb"),
         "{tmp}/usage.csv", "is not a folder", files={"usage.csv": CSV}),
    # a store where no file can be written (root writes anywhere on a disk; sysfs and procfs refuse everyone)
    case("score --store: in /sys", "score {demo}/usage.parquet --store /sys/adoptscore-s.duckdb",
         "/sys/adoptscore-s.duckdb", "cannot write the score store"),
    case("score --store: in /proc", "score {demo}/usage.parquet --store /proc/adoptscore/s.duckdb",
         "/proc/adoptscore/s.duckdb", "cannot write the score store"),
    # the store is an input, or an output is the store
    case("score --store: the usage data's own DuckDB file", f"score {S} --table gitlab.overall --store {S}", S,
         "usage data this command reads", files={"s.duckdb": good}),
    case("gainsight: --out is the store", f"export gainsight --store {S} --out {S}", S,
         "--out is the score store this command reads", files={"s.duckdb": good}),
    case("alerts: --out is the store", f"export alerts --store {S} --out {S}", S, "score store this command reads",
         files={"s.duckdb": good}),
    case("deck: --out is the store", f"deck A000002 --store {S} --out {S}", S, "--out is the score store this command reads",
         files={"s.duckdb": good}),
    # the usage readers given a store: it holds scores, not usage
    case("explain: a store as the usage data", f"explain {S} --account A000002", S, "needs a table name",
         files={"s.duckdb": good}),
    case("diff: a store as the usage data", f"diff {S} --old gitlab-2022 --new gitlab", S, "needs a table name",
         files={"s.duckdb": good}),
    case("backtest: a store as the usage data", f"backtest {S} --outcomes {{demo}}/outcomes.csv", S,
         "needs a table name", files={"s.duckdb": good}),
    case("explain: a cut store as the usage data", f"explain {S} --account A000002 --table t", S,
         files={"s.duckdb": cut(20_000)}),
]


@pytest.mark.parametrize("c", params(CASES))
def test_bad_store(c, tmp_path, demo, monkeypatch):
    check_in_process(c, tmp_path, demo, monkeypatch)
