"""What makes a DuckDB file a score store this adoptscore can read, and how one is opened.

A store carries a format stamp (``main.store_format``): the layout version that wrote it. Stores
written before the stamp existed hold the same layout and are read as format 1. Opening a file
checks, before anything reads or writes it, that it is a whole store:

- a DuckDB database (not a CSV named ``.duckdb``, not random bytes, not an empty file): told by
  the file's own header before DuckDB opens it;
- not cut short (its blocks fit in the file: a truncated copy otherwise fails mid-read);
- of a format this adoptscore reads (a newer one is refused with "upgrade", never rewritten);
- holding a score history, or nothing yet (another application's database is not added to);
- whole: every stored rubric has its tables, each with the columns readers read (a table or
  column dropped by hand is refused here, not met as a database error halfway through a read or
  papered over by a save that re-creates it).

A save also reads every block once (:func:`verify`: DuckDB checks each block's checksum as it
reads it), so a damaged store is refused before a run adds to it.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from adoptscore.errors import AdoptscoreError
from adoptscore.sqltext import literal, quote

# the layout this adoptscore writes; a reader refuses a higher one. Bump it (and migrate on save)
# when the tables or their meaning change.
FORMAT = 1
FORMAT_TABLE = "store_format"
# The store is attached under this fixed name: DuckDB names a connected file after its stem, and a
# store called gitlab.duckdb would then clash with the gitlab schema its rubric's tables live in.
ALIAS = "adoptscore_store"
# DuckDB's file starts with three 4 KiB headers, then its fixed-size blocks
HEADER_BYTES = 3 * 4096
RUBRICS_COLUMNS = ("name", "version", "definition", "stored_at")
# the tables of each stored rubric (in its schema) and the columns every reader reads; segment and
# attribute columns vary by rubric and are not listed. Every save writes all of them at once.
RESULT_COLUMNS = {
    "overall": ("rubric", "rubric_version", "account_id", "period", "score", "status", "color",
                "adopted_use_cases", "use_cases_scored"),
    "use_cases": ("rubric", "rubric_version", "account_id", "period", "use_case", "score", "status", "color",
                  "coverage", "metrics_scored", "adopted", "reason"),
    "metrics": ("rubric", "rubric_version", "account_id", "period", "use_case", "metric", "numerator",
                "denominator", "value", "status", "color", "points", "reason"),
    "accounts": ("account_id", "as_of", "name"),
}
MAIN_TABLES = {"rubrics": RUBRICS_COLUMNS, "runs": ("run_id", "rubric", "version", "periods", "rows", "source",
                                                    "finished_at")}
# bytes 8-11 of every DuckDB database file
MAGIC = b"DUCK"
RESTORE = "restore the store from a backup or a complete copy"
UPGRADE = "upgrade adoptscore: pip install -U adoptscore"
NOT_A_STORE_HINT = "give the .duckdb file that adoptscore score --store wrote, or a new file name"


class StoreError(AdoptscoreError):
    """The score store cannot be opened, read or written."""


def not_a_store(path: Path, why: str, hint: str = NOT_A_STORE_HINT) -> StoreError:
    return StoreError(f"not an adoptscore score store ({why})", file=str(path), hint=hint)


def attach(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection whose current (and only) database is the file at ``path``, named :data:`ALIAS`;
    a file that does not exist is created unless ``read_only``. Raises DuckDB's own errors."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute(f"ATTACH {literal(str(path))} AS {ALIAS}" + (" (READ_ONLY)" if read_only else ""))
        con.execute(f"USE {ALIAS}")
        # the in-memory database would be one more catalog name a rubric's schema could clash with
        con.execute("DETACH memory")
    except BaseException:
        con.close()
        raise
    return con


def table(schema: str, name: str) -> str:
    """A store table's fully qualified name: never ambiguous with a catalog (``temp``, ``system``)."""
    return f"{ALIAS}.{quote(schema)}.{quote(name)}"


def tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """Every (schema, table) of the store."""
    return [tuple(r) for r in con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY 1, 2",
        [ALIAS]).fetchall()]


def has_table(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? "
                       "AND table_name = ?", [ALIAS, schema, name]).fetchone()[0] > 0


def check_header(path: Path) -> None:
    """Refuse, before DuckDB opens it, a file that is no DuckDB database at all: DuckDB's own
    messages for one depend on the file's name (a ``.csv`` is taken for a CSV to attach)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEADER_BYTES)
    except OSError as exc:
        raise StoreError(f"cannot read the score store: {(exc.strerror or type(exc).__name__).lower()}",
                         file=str(path), hint="check the file's permissions") from None
    if not head:
        raise not_a_store(path, "an empty file (0 bytes), not a DuckDB database")
    if head[8:12] != MAGIC:
        text = b"\0" not in head and _is_text(head)
        raise not_a_store(path, "a text file, not a DuckDB database" if text else "not a DuckDB database")


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # only a character cut at the end of what was read
    return True


def check(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a file that is not a whole score store of a format this adoptscore reads (an empty
    database is a store with nothing in it yet)."""
    _check_size(con, path)
    found = tables(con)
    if not found:
        return
    if ("main", FORMAT_TABLE) in found:
        _check_format(con, path)
    if ("main", "rubrics") not in found:
        names = [f"{s}.{t}" for s, t in found]
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        raise not_a_store(path, f"a DuckDB database holding {shown}, with no score history")
    columns: dict[tuple[str, str], set[str]] = {}
    for schema, name, column in con.execute(
            "SELECT schema_name, table_name, column_name FROM duckdb_columns() WHERE database_name = ?",
            [ALIAS]).fetchall():
        columns.setdefault((schema, name), set()).add(column)
    missing = [c for c in RUBRICS_COLUMNS if c not in columns[("main", "rubrics")]]
    if missing:
        raise not_a_store(path, "its rubrics table lacks the column" + ("s " if len(missing) > 1 else " ")
                          + ", ".join(missing))
    rubrics = [r[0] for r in con.execute(f"SELECT DISTINCT name FROM {table('main', 'rubrics')} ORDER BY 1").fetchall()]
    if not rubrics:
        return  # nothing stored yet: the first save makes every table
    expected = {("main", name): need for name, need in MAIN_TABLES.items()}
    expected.update({(rubric, name): need for rubric in rubrics for name, need in RESULT_COLUMNS.items()})
    for (schema, name), need in expected.items():
        if (schema, name) not in columns:
            raise not_a_store(path, f"damaged: its table {schema}.{name} is missing", hint=RESTORE)
        lacking = [c for c in need if c not in columns[(schema, name)]]
        if lacking:
            raise not_a_store(path, f"damaged: table {schema}.{name} lacks the column"
                              + ("s " if len(lacking) > 1 else " ") + ", ".join(lacking), hint=RESTORE)


def _check_size(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    # every block in use has its own place in the file (free ones at the end are cut off by
    # DuckDB itself, so the total is no bound): a file shorter than that was cut short
    block_size, blocks = con.execute("SELECT block_size, used_blocks FROM pragma_database_size() "
                                     "WHERE database_name = ?", [ALIAS]).fetchone()
    need = HEADER_BYTES + block_size * blocks if blocks else 0
    size = path.stat().st_size
    if size < need:
        raise not_a_store(path, f"damaged: the file is {size:,} bytes but its blocks need {need:,}; "
                          "it was cut short", hint=RESTORE)


def _check_format(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    value = con.execute(f"SELECT max(format) FROM {table('main', FORMAT_TABLE)}").fetchone()[0]
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise not_a_store(path, f"its format stamp is {value!r}, not a number") from None
    if number > FORMAT:
        raise StoreError(f"written by a newer adoptscore (format {number}; this one reads up to {FORMAT})",
                         file=str(path), hint=UPGRADE)


def stamp(con: duckdb.DuckDBPyConnection) -> None:
    """Record the format in a store being written (inside the save's transaction)."""
    target = table("main", FORMAT_TABLE)
    con.execute(f"CREATE TABLE IF NOT EXISTS {target} (format INTEGER NOT NULL, written_by VARCHAR)")
    if con.execute(f"SELECT count(*) FROM {target}").fetchone()[0] == 0:
        from adoptscore import __version__

        con.execute(f"INSERT INTO {target} VALUES (?, ?)", [FORMAT, f"adoptscore {__version__}"])


def verify(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Read every block of every table once, so a damaged block fails here with a clear error."""
    try:
        for schema, name in tables(con):
            # hashing the whole row makes DuckDB read (and checksum) every column's blocks
            con.execute(f"SELECT count(*), max(hash(_row)) FROM {table(schema, name)} AS _row").fetchall()
    except duckdb.Error as exc:
        raise damage(path, exc) or exc from None


def damage(path: Path, exc: duckdb.Error) -> StoreError | None:
    """The clear error for a DuckDB error that says the file is not a readable store, else None."""
    text = (str(exc).strip().splitlines() or [""])[0]
    lower = text.lower()
    if "not a valid duckdb database" in lower:
        return not_a_store(path, "not a DuckDB database")
    if "storage version" in lower:
        return StoreError(f"written by a newer DuckDB than this adoptscore reads ({_detail(text)})",
                          file=str(path), hint=UPGRADE)
    if "could not read enough bytes" in lower:
        return not_a_store(path, "damaged: the file was cut short", hint=RESTORE)
    if "corrupt" in lower or "checksum" in lower:
        return not_a_store(path, f"damaged: {_detail(text)}", hint="restore the store from a backup")
    return None


def _detail(text: str) -> str:
    # DuckDB's messages start with their kind ("IO Error: ") and name the file, which we already do
    return text.split(": ", 1)[1] if text.startswith(("IO Error", "Error", "Serialization Error")) else text
