"""The read model's columns as files every server process maps read-only, instead of a copy each.

A server with several workers used to read every period's portfolio into each worker's memory
(2.1 GB per worker at 100,000 accounts x 12 months). Here the build writes the portfolio once, as
NumPy arrays (``.npy``) and one Arrow IPC file, beside the read model's DuckDB file; each process
maps them (``np.load(mmap_mode="r")``, ``pa.memory_map``), so the operating system keeps one copy
in its page cache for all of them, reads in only the pages a request touches, and can drop them
again under pressure.

Layout of a folder (``meta.json`` is written last, so a folder without it is incomplete):

- one file per portfolio column over every period's rows, sorted by period then account
  (``_id_key``); a period is a slice. Text columns hold dictionary codes (``labels`` in
  ``meta.json``); a number column with few distinct values holds codes into its sorted values
  (the scores: a few thousand values, 1-2 bytes a row instead of 8, and sorting by code is
  sorting by value); other numbers and flags hold their values (floats: NaN where missing;
  others: a ``.missing.npy`` mask beside them).
- ``accounts.arrow``: per account, in ``_id_key`` order after an empty first row (so a row's
  ``_id_key`` is its account's index): ``account_id``, ``name``, the search text, the name's
  sort rank. Names and ids are stored once per account, not once per account-period.
- ``arr_at_risk.npy``: the portfolio sort key derived from ARR and the overall color.
- ``peer_values.npy``: every scored metric value, sorted within each peer key (see
  :mod:`adoptscore.insights.peers`).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from adoptscore.sqltext import quote

if TYPE_CHECKING:
    from adoptscore.insights.portfolio_frame import PortfolioFrame

META = "meta.json"
ACCOUNTS = "accounts.arrow"
RISK = "arr_at_risk.npy"
# text per account, not per row: read through the row's _id_key
ACCOUNT_TEXT = ("account_id", "name", "_search")
# columns the read model adds to the portfolio for sorting and search: not part of a row
KEY_COLUMNS = ("_name_key", "_id_key", "_search")
# a number column with at most this many distinct values is stored as codes into them
CODED_NUMBERS = 32767
BATCH = 1 << 20


@dataclass(frozen=True)
class Column:
    """One column of a period's portfolio rows, in the form the frame reads it.

    Exactly one of: ``labels`` (``values`` are codes, -1 missing, into text labels), ``numbers``
    (``values`` are codes, -1 missing, into ascending numbers), ``text`` (Arrow values read at
    ``index[row]``, or at the row's position when ``index`` is None), or plain ``values``
    (floats with NaN where missing; others with ``missing`` True where missing).
    """

    values: np.ndarray | None = None
    missing: np.ndarray | None = None
    labels: list | None = None
    numbers: np.ndarray | None = None
    text: pa.Array | None = None
    index: np.ndarray | None = None

    def sliced(self, start: int, stop: int) -> "Column":
        """The rows ``start:stop`` (views, no copy)."""
        def cut(a: np.ndarray | None) -> np.ndarray | None:
            return None if a is None else a[start:stop]

        if self.text is not None and self.index is None:
            return Column(text=self.text.slice(start, stop - start))
        return Column(cut(self.values), cut(self.missing), self.labels, self.numbers, self.text, cut(self.index))

    def missing_at(self, at: np.ndarray) -> np.ndarray | None:
        """Plain values: where the rows at ``at`` are missing (None: none is)."""
        values = self.values[at]
        missing = None if self.missing is None else self.missing[at]
        if values.dtype.kind == "f":
            nan = np.isnan(values)
            missing = nan if missing is None else missing | nan
        return missing

    def pick(self, at: np.ndarray) -> list:
        """The values of the rows at ``at`` as plain Python values, None where missing."""
        if self.labels is not None:
            labels = self.labels
            return [None if code < 0 else labels[code] for code in self.values[at].tolist()]
        if self.text is not None:
            where = at if self.index is None else self.index[at]
            # one Arrow scalar per value is cheaper than a take for the account page's single row
            return [self.text[i].as_py() for i in where.tolist()] if len(where) < 8 else \
                self.text.take(pa.array(where)).to_pylist()
        if self.numbers is not None:
            codes = self.values[at]
            picked = self.numbers[np.maximum(codes, 0)].tolist() if len(self.numbers) else [None] * len(codes)
            for i in np.flatnonzero(codes < 0).tolist():
                picked[i] = None
            return picked
        picked = self.values[at].tolist()
        missing = self.missing_at(at)
        if missing is not None:
            for i in np.flatnonzero(missing).tolist():
                picked[i] = None
        return picked

    def numeric(self) -> np.ndarray:
        """Every row's number as float64, NaN where missing."""
        if self.numbers is not None:
            table = np.append(self.numbers.astype(np.float64), np.nan)  # code -1 reads the NaN at the end
            return table[self.values]
        numbers = self.values.astype(np.float64)
        if self.missing is not None:
            numbers[self.missing] = np.nan
        return numbers

    def order_key(self) -> np.ndarray:
        """A float64 per row that sorts as the values do (NaN where missing): codes of coded numbers."""
        if self.numbers is not None:
            key = self.values.astype(np.float64)
            key[self.values < 0] = np.nan
            return key
        return self.numeric()


def codes_dtype(count: int) -> np.dtype:
    """The smallest signed integer holding codes 0..count-1 and -1."""
    for dtype in (np.int8, np.int16, np.int32):
        if count <= np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype(np.int64)


def _int_dtype(low: int, high: int) -> np.dtype:
    for dtype in (np.int8, np.int16, np.int32):
        info = np.iinfo(dtype)
        if info.min <= low and high <= info.max:
            return np.dtype(dtype)
    return np.dtype(np.int64)


# -- writing --------------------------------------------------------------------------------
def write_portfolio(con: duckdb.DuckDBPyConnection, folder: Path, risk: Any) -> None:
    """Write the read model's ``portfolio`` table (sorted by period, then ``_id_key``) to ``folder``.

    ``risk(arr, color_codes, color_labels)`` derives the ``arr_at_risk`` sort key of a batch of rows.
    """
    folder.mkdir(parents=True, exist_ok=True)
    described = con.execute("DESCRIBE portfolio").fetchall()
    rows = con.execute("SELECT count(*) FROM portfolio").fetchall()[0][0]
    plans, meta_columns = [], []
    for index, (name, kind, *_) in enumerate(described):
        if name in ACCOUNT_TEXT or name == "_name_key":
            continue
        plan = _plan(con, index, name, kind, rows, folder)
        plans.append(plan)
        meta_columns.append(plan.meta)
    risk_out = np.lib.format.open_memmap(folder / RISK, mode="w+", dtype=np.float64, shape=(rows,)) \
        if any(p.name == "arr" and p.meta["kind"] == "plain" for p in plans) else None
    by_name = {p.name: p for p in plans}
    at, periods = 0, {}
    reader = con.sql(f"SELECT {', '.join(quote(p.name) for p in plans)} FROM portfolio").to_arrow_reader(BATCH)
    for batch in reader:
        n = batch.num_rows
        for i, plan in enumerate(plans):
            plan.write(batch.column(i), at, n)
        for counted in pc.value_counts(batch.column(batch.schema.get_field_index("period"))).to_pylist():
            periods[counted["values"]] = periods.get(counted["values"], 0) + counted["counts"]
        if risk_out is not None:
            color = by_name["color"]
            risk_out[at:at + n] = risk(by_name["arr"].out[at:at + n], color.out[at:at + n], color.meta["labels"])
        at += n
    if at != rows:
        raise RuntimeError(f"the portfolio scan returned {at} rows of {rows}")
    for plan in plans:
        plan.close()
    if risk_out is not None:
        risk_out.flush()
    keys = np.load(folder / by_name["_id_key"].file, mmap_mode="r")
    spans, start = {}, 0
    for period in sorted(periods):
        stop = start + periods[period]
        spans[period] = [start, stop]
        # the frames find an account by binary search: each period's rows must be in key order
        if np.any(np.diff(keys[start:stop]) <= 0):
            raise RuntimeError(f"the portfolio rows of {period} are not in account order")
        start = stop
    _write_accounts(con, folder)
    meta = {"rows": rows, "periods": spans, "order": [name for name, *_ in described], "columns": meta_columns,
            "risk": risk_out is not None, "orders": {}}
    meta["orders"] = _write_orders(folder, meta)
    (folder / (META + ".tmp")).write_text(json.dumps(meta))
    os.replace(folder / (META + ".tmp"), folder / META)


def _write_orders(folder: Path, meta: dict) -> dict[str, dict[str, str]]:
    """Every period's rows in the order of every sort key, ascending and descending (positions in
    the period, int32): a portfolio page then reads the first positions instead of sorting a
    million values. Keys: name, account_id, arr_at_risk and every number column."""
    portfolio = MappedPortfolio(folder, meta)
    keys = ["name", "account_id", *(["arr_at_risk"] if meta["risk"] else [])]
    for spec in meta["columns"]:
        column = portfolio.columns[spec["name"]]
        if spec["name"] != "_id_key" and column.labels is None and column.values.dtype.kind in "iuf":
            keys.append(spec["name"])
    files: dict[str, dict[str, str]] = {}
    for number, key in enumerate(keys):
        files[key] = {}
        for way, descending in (("asc", False), ("desc", True)):
            name = f"order-{number:03d}-{way}.npy"
            out = np.lib.format.open_memmap(folder / name, mode="w+", dtype=np.int32, shape=(meta["rows"],))
            for period, (start, stop) in portfolio.periods.items():
                out[start:stop] = portfolio.frame(period).order(key, descending)
            out.flush()
            files[key][way] = name
    return files


class _Plan:
    """How one portfolio column is written: the output arrays and the encoding of each batch."""

    def __init__(self, name: str, meta: dict, out: np.ndarray, missing: np.ndarray | None = None,
                 dictionary: Any = None):
        self.name, self.meta, self.out, self.missing, self.dictionary = name, meta, out, missing, dictionary
        self.file = meta["file"]

    def write(self, column: pa.Array, at: int, n: int) -> None:
        kind = self.meta["kind"]
        if kind == "labels":
            codes = pc.index_in(column, value_set=self.dictionary).fill_null(-1).to_numpy(zero_copy_only=False)
            self.out[at:at + n] = codes
        elif kind == "numbers":
            values = column.fill_null(np.nan).to_numpy(zero_copy_only=False).astype(np.float64)
            codes = np.searchsorted(self.dictionary, values)
            present = ~np.isnan(values)
            codes = np.where(present, codes, -1)
            self.out[at:at + n] = codes
        elif kind == "plain" and self.out.dtype.kind == "f":
            self.out[at:at + n] = column.cast(pa.float64()).fill_null(np.nan).to_numpy(zero_copy_only=False)
        else:
            filler = False if pa.types.is_boolean(column.type) else 0
            self.out[at:at + n] = column.fill_null(filler).to_numpy(zero_copy_only=False)
            if self.missing is not None:
                self.missing[at:at + n] = column.is_null().to_numpy(zero_copy_only=False)

    def close(self) -> None:
        self.out.flush()
        if self.missing is not None:
            self.missing.flush()


def _plan(con: duckdb.DuckDBPyConnection, index: int, name: str, kind: str, rows: int, folder: Path) -> _Plan:
    column = quote(name)
    file = f"{index:03d}.npy"
    meta: dict[str, Any] = {"name": name, "file": file}

    def array(dtype: Any, path: str = file) -> np.ndarray:
        return np.lib.format.open_memmap(folder / path, mode="w+", dtype=dtype, shape=(rows,))

    if kind == "VARCHAR":
        labels = [r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM portfolio WHERE {column} IS NOT NULL "
                                            "ORDER BY 1").fetchall()]
        meta.update(kind="labels", labels=labels)
        return _Plan(name, meta, array(codes_dtype(len(labels))), dictionary=pa.array(labels, pa.string()))
    if kind in ("DOUBLE", "FLOAT", "REAL"):
        distinct = con.execute(f"SELECT DISTINCT {column} FROM portfolio WHERE {column} IS NOT NULL AND NOT isnan({column}) "
                               f"LIMIT {CODED_NUMBERS + 1}").fetchnumpy()[name]
        values = np.sort(np.asarray(distinct, dtype=np.float64))
        # -0.0 and 0.0 are one value to DISTINCT but two to a reader: such a column stays plain
        negative_zero = con.execute(f"SELECT count(*) FROM portfolio WHERE {column} = 0 AND "
                                    f"starts_with(CAST({column} AS VARCHAR), '-')").fetchall()[0][0]
        exact = len(values) <= CODED_NUMBERS and not negative_zero
        if exact:
            np.save(folder / f"{index:03d}.numbers.npy", values)
            meta.update(kind="numbers", numbers=f"{index:03d}.numbers.npy")
            return _Plan(name, meta, array(codes_dtype(len(values))), dictionary=values)
        meta.update(kind="plain")
        return _Plan(name, meta, array(np.float64))
    has_nulls = con.execute(f"SELECT count(*) FILTER (WHERE {column} IS NULL) FROM portfolio").fetchall()[0][0] > 0
    missing = None
    if has_nulls:
        meta["missing"] = f"{index:03d}.missing.npy"
        missing = array(np.bool_, meta["missing"])
    meta.update(kind="plain")
    if kind == "BOOLEAN":
        return _Plan(name, meta, array(np.bool_), missing)
    if kind in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"):
        low, high = con.execute(f"SELECT coalesce(min({column}), 0), coalesce(max({column}), 0) FROM portfolio").fetchall()[0]
        return _Plan(name, meta, array(_int_dtype(int(low), int(high))), missing)
    raise TypeError(f"portfolio column {name!r} has type {kind}, which the mapped read model does not store")


def _write_accounts(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Account ids, names, search texts and name ranks, one row per ``_id_key`` after an empty row 0."""
    table = con.sql("""
        SELECT _id_key, any_value(account_id) AS account_id, any_value(name) AS name,
               any_value(_search) AS _search, any_value(_name_key) AS _name_key
        FROM portfolio GROUP BY _id_key ORDER BY _id_key""").to_arrow_table()
    keys = table["_id_key"].to_numpy()
    if len(keys) and not np.array_equal(keys, np.arange(1, len(keys) + 1)):
        raise RuntimeError("the portfolio's account keys are not 1..n")
    empty = pa.table({"account_id": pa.array([None], pa.string()), "name": pa.array([None], pa.string()),
                      "_search": pa.array([None], pa.string()), "_name_key": pa.array([0], pa.int32())})
    table = pa.concat_tables([empty, table.select(["account_id", "name", "_search", "_name_key"]).cast(empty.schema)])
    with pa.OSFile(str(folder / ACCOUNTS), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table.combine_chunks(), max_chunksize=len(table) or 1)  # one batch: one chunk per column


# -- reading --------------------------------------------------------------------------------
class MappedPortfolio:
    """Every period's portfolio rows, mapped read-only from a folder :func:`write_portfolio` wrote."""

    def __init__(self, folder: Path, meta: dict | None = None):
        self.folder = folder
        meta = meta if meta is not None else json.loads((folder / META).read_text())
        self.periods: dict[str, tuple[int, int]] = {p: (a, b) for p, (a, b) in meta["periods"].items()}
        self.order: list[str] = meta["order"]
        self.rows_total: int = meta["rows"]
        self.columns: dict[str, Column] = {}
        for spec in meta["columns"]:
            values = np.load(folder / spec["file"], mmap_mode="r")
            if spec["kind"] == "labels":
                column = Column(values, labels=spec["labels"])
            elif spec["kind"] == "numbers":
                column = Column(values, numbers=np.load(folder / spec["numbers"]))
            else:
                missing = np.load(folder / spec["missing"], mmap_mode="r") if "missing" in spec else None
                column = Column(values, missing)
            self.columns[spec["name"]] = column
        self.risk = np.load(folder / RISK, mmap_mode="r") if meta["risk"] else None
        accounts = pa.ipc.open_file(pa.memory_map(str(folder / ACCOUNTS), "r")).read_all()
        self.accounts = {name: accounts[name].chunk(0) if accounts[name].num_chunks else pa.array([], accounts[name].type)
                         for name in accounts.column_names}
        self.name_keys = self.accounts["_name_key"].to_numpy(zero_copy_only=False)
        self.orders = {(key, way == "desc"): np.load(folder / name, mmap_mode="r")
                       for key, ways in meta.get("orders", {}).items() for way, name in ways.items()}

    def account_key(self, account_id: str) -> int | None:
        """The ``_id_key`` of ``account_id`` (a binary search of the ids, which are in key order), or None."""
        ids = self.accounts["account_id"]
        low, high = 1, len(ids)
        while low < high:
            middle = (low + high) // 2
            if ids[middle].as_py() < account_id:
                low = middle + 1
            else:
                high = middle
        return low if low < len(ids) and ids[low].as_py() == account_id else None

    def frame(self, period: str) -> PortfolioFrame:
        """``period``'s rows as a frame over the mapped files (views, no copy)."""
        from adoptscore.insights.portfolio_frame import PortfolioFrame

        start, stop = self.periods[period]
        keys = self.columns["_id_key"].values[start:stop]
        risk = None if self.risk is None else self.risk[start:stop]
        orders = {way: order[start:stop] for way, order in self.orders.items()}
        return PortfolioFrame.mapped(period, self._columns(start, stop, keys), keys, self.name_keys,
                                     self.accounts["_search"], risk, orders)

    def rows(self, at: np.ndarray) -> list[dict[str, Any]]:
        """The rows at positions ``at`` of every period's rows (what :meth:`PortfolioFrame.rows` gives)."""
        at = np.asarray(at, dtype=np.int64)
        columns = self._columns(0, self.rows_total, self.columns["_id_key"].values)
        names = list(columns)
        return [dict(zip(names, row)) for row in zip(*[column.pick(at) for column in columns.values()])]

    def account_positions(self, key: int) -> list[int]:
        """Where the account with ``_id_key`` ``key`` has a row, in each period it has one (oldest first)."""
        keys = self.columns["_id_key"].values
        found = []
        for start, stop in self.periods.values():
            at = start + int(np.searchsorted(keys[start:stop], key))
            if at < stop and keys[at] == key:
                found.append(at)
        return found

    def _columns(self, start: int, stop: int, keys: np.ndarray) -> dict[str, Column]:
        columns = {}
        for name in self.order:
            if name in ("account_id", "name"):
                columns[name] = Column(text=self.accounts[name], index=keys)
            elif name in self.columns and name not in KEY_COLUMNS:
                columns[name] = self.columns[name].sliced(start, stop)
        return columns
