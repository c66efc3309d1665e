"""One period's portfolio held in memory (NumPy and Arrow columns), for the requests that page through it.

A portfolio page filters, counts, sorts and slices every account of a period. As one SQL query per
request that cost 40-60 ms at 100,000 accounts, most of it in reading a few rows back out of
compressed columns after the sort. Here the rows are read once per period: filters are numpy masks
over dictionary codes, a page's first rows are found by partition (no full sort), and the page takes
its rows by position. The rows are the read model's; the one value derived here is the sort key
``arr_at_risk`` (see :meth:`PortfolioFrame.arr_at_risk`), a weighting of two of their columns.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# a spreadsheet runs a cell that starts with one of these as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# columns the read model adds to the portfolio for sorting and search: not part of a row
KEY_COLUMNS = ("_name_key", "_id_key", "_search")
# the share of an account's ARR at risk by its overall color: all of it at Red, half at Yellow
ARR_AT_RISK_SHARE = {"red": 1.0, "yellow": 0.5, "green": 0.0}


@dataclass(frozen=True)
class Selection:
    """What a query selects: how many rows, the first of them in sort order (positions into the
    frame), and the color counts and adoption distribution of all of them."""

    total: int
    positions: np.ndarray
    color_counts: dict[str, int]
    adoption: dict[str, int]


class PortfolioFrame:
    """The portfolio rows of one period, sorted by account id: numbers and flags as NumPy arrays,
    low-cardinality text as dictionary codes, names and ids as Arrow text.

    ``table`` is the read model's ``portfolio`` table for the period in ``_id_key`` order;
    ``coded`` names the text columns that filters compare (they are dictionary-encoded once).
    """

    def __init__(self, period: str, table: pa.Table, coded: Iterable[str]):
        self.period = period
        coded = [c for c in coded if c in table.column_names]
        for name in coded:
            index = table.schema.get_field_index(name)
            table = table.set_column(index, name, pc.dictionary_encode(table[name].combine_chunks()))
        self._id_keys = table["_id_key"].to_numpy()
        self._name_keys = table["_name_key"].to_numpy()
        self._search = table["_search"].combine_chunks()
        self.table = table.drop_columns(list(KEY_COLUMNS)).combine_chunks()
        # filter codes: the dictionary index of each row's value, -1 where it is missing
        self._codes = {name: _codes(self.table[name]) for name in coded}
        self._values = {name: self.table[name].chunk(0).dictionary.to_pylist() if self.table[name].num_chunks
                        else [] for name in coded}
        self._columns = {name: self._extract(name) for name in self.table.column_names}
        # numbers and flags live in NumPy from here on: the Arrow table keeps the text only
        self.table = self.table.drop_columns([name for name, (values, _, labels) in self._columns.items()
                                              if values is not None and labels is None])
        adopted = self._numbers("adopted_use_cases")
        self._adoption = np.where(np.isnan(adopted), -1, np.minimum(adopted, 3)).astype(np.int8)
        self._dropped = self._columns["dropped"][0].astype(bool)  # missing was filled with False
        self._guarded: dict[str, pa.Array] = {}
        self._risk: np.ndarray | None = None

    @classmethod
    def read(cls, cursor: Any, period: str, coded: Iterable[str]) -> "PortfolioFrame":
        """Read ``period``'s rows from the read model's ``portfolio`` table through ``cursor``."""
        table = cursor.sql("SELECT * FROM portfolio WHERE period = ? ORDER BY _id_key", params=[period]).to_arrow_table()
        return cls(period, table, coded)

    def __len__(self) -> int:
        return self.table.num_rows

    # -- selecting ----------------------------------------------------------------------------
    def mask(self, equals: dict[str, Sequence[str | None]], dropped: bool = False,
             search: str | None = None) -> np.ndarray | None:
        """Rows whose column values are among ``equals[column]`` (None: missing), that dropped a
        color when ``dropped``, and whose lower-cased name or id contains ``search``; None: all."""
        mask = None
        for column, values in equals.items():
            codes, dictionary = self._codes[column], self._values[column]
            # a lookup table indexed by code + 1 (0: missing) is one gather, quicker than np.isin
            wanted = np.zeros(len(dictionary) + 1, dtype=bool)
            wanted[[dictionary.index(v) + 1 for v in values if v is not None and v in dictionary]] = True
            wanted[0] = None in values
            mask = _and(mask, wanted[codes + 1])
        if dropped:
            mask = _and(mask, self._dropped)
        if search:
            found = pc.match_substring(self._search, search).fill_null(False)
            mask = _and(mask, found.to_numpy(zero_copy_only=False))
        return mask

    def select(self, mask: np.ndarray | None, key: str, descending: bool, first: int | None = None) -> Selection:
        """The rows in ``mask`` sorted by ``key`` (missing values last, then account id): the
        ``first`` of them, or all; with the color counts and adoption of all of them."""
        selected = np.arange(len(self)) if mask is None else np.flatnonzero(mask)
        values = self.sort_values(key)[selected]
        positions = selected[_smallest(-values if descending else values, first)]
        colors = self._codes["color"] if mask is None else self._codes["color"][mask]
        dictionary = self._values["color"]
        counted = np.bincount(colors + 1, minlength=len(dictionary) + 1)
        color_counts = {c: int(counted[dictionary.index(c) + 1]) if c in dictionary else 0
                        for c in ("green", "yellow", "red")}
        color_counts["no_data"] = int(counted[0])
        adoption = self._adoption if mask is None else self._adoption[mask]
        buckets = np.bincount(adoption + 1, minlength=5)
        return Selection(len(selected), positions, color_counts,
                         {"0": int(buckets[1]), "1": int(buckets[2]), "2": int(buckets[3]), "3+": int(buckets[4])})

    def sort_values(self, key: str) -> np.ndarray:
        """``key`` of every row as float64, NaN where missing (names and ids by their rank)."""
        if key == "name":
            return self._name_keys.astype(np.float64)
        if key == "account_id":
            return self._id_keys.astype(np.float64)
        if key == "arr_at_risk":
            return self.arr_at_risk()
        return self._numbers(key)

    @property
    def has_arr(self) -> bool:
        """Whether the rows carry a numeric ``arr`` column (so :meth:`arr_at_risk` is defined)."""
        values = self._columns.get("arr")
        return values is not None and values[0] is not None and values[2] is None

    def arr_at_risk(self) -> np.ndarray:
        """Every row's ARR weighted by how far its overall color is from Green, NaN where missing.

        ``arr_at_risk = arr`` when the overall color is Red, ``arr / 2`` when Yellow, ``0`` when
        Green; missing (sorted last either way) when the account has no overall color (no data)
        or no ARR. Deliberately coarse: it ranks where revenue sits in the weaker colors, it is
        not a churn probability.
        """
        if not self.has_arr:
            raise KeyError("arr_at_risk needs a numeric arr column")
        found = self._risk
        if found is None:
            # a lookup by color code + 1 (0: no color); a color outside the three is missing too
            share = np.full(len(self._values["color"]) + 1, np.nan)
            for index, color in enumerate(self._values["color"]):
                share[index + 1] = ARR_AT_RISK_SHARE.get(color, np.nan)
            found = self._numbers("arr") * share[self._codes["color"] + 1]
            found.flags.writeable = False  # shared by every request of the period
            self._risk = found
        return found

    def rows(self, positions: np.ndarray | Sequence[int]) -> list[dict[str, Any]]:
        """The rows at ``positions``, as dicts of plain Python values (None where missing or NaN)."""
        at = np.asarray(positions, dtype=np.int64)
        columns = []
        for name, (values, missing, labels) in self._columns.items():
            if labels is not None:
                columns.append([labels[code] for code in values[at].tolist()])
            elif values is not None:
                picked = values[at].tolist()
                if missing is not None:
                    for index in np.flatnonzero(missing[at]).tolist():
                        picked[index] = None
                columns.append(picked)
            else:
                text = self.table[name]
                # one Arrow scalar per value is cheaper than a take for the account page's single row
                columns.append([text[i].as_py() for i in at.tolist()] if len(at) < 8 else text.take(pa.array(at)).to_pylist())
        names = list(self._columns)
        return [dict(zip(names, row)) for row in zip(*columns)]

    def position(self, id_key: int) -> int | None:
        """The position of the account with read-model key ``id_key``, or None when it has no row."""
        at = int(np.searchsorted(self._id_keys, id_key))
        return at if at < len(self._id_keys) and self._id_keys[at] == id_key else None

    # -- CSV ----------------------------------------------------------------------------------
    def csv_table(self, positions: np.ndarray, columns: list[str]) -> pa.Table:
        """``columns`` of the rows at ``positions``, with a leading period column, text cells
        guarded against spreadsheet formulas (see :func:`guard`)."""
        at = np.asarray(positions, dtype=np.int64)
        arrays = [pa.array(np.full(len(at), self.period, dtype=object), type=pa.string())]
        for name in columns:
            values, missing, labels = self._columns[name]
            if labels is not None:
                # the guard runs once over the few distinct values, not over every row; plain text
                # writes quicker than a dictionary
                codes = values[at]
                column = self._guarded_values(name).take(pa.array(codes, mask=codes < 0))
            elif values is not None:
                column = pa.array(values[at], mask=None if missing is None else missing[at])
            else:
                column = guard(self.table[name].take(pa.array(at)).combine_chunks())
            arrays.append(column)
        return pa.Table.from_arrays(arrays, names=["period", *columns])

    def _guarded_values(self, column: str) -> pa.Array:
        found = self._guarded.get(column)
        if found is None:
            found = self._guarded[column] = guard(self.table[column].chunk(0).dictionary)
        return found

    def _extract(self, name: str) -> tuple[np.ndarray | None, np.ndarray | None, list | None]:
        """How :meth:`rows` reads a column: (values, missing, labels). Text with few values reads
        labels by code (-1, missing, picks the None after them), numbers and flags read NumPy
        values and a missing mask; other text is left to Arrow. Arrow's own per-row conversion
        makes a scalar object per value and cost several milliseconds a page."""
        if name in self._codes:
            return self._codes[name], None, [*self._values[name], None]
        array = self.table[name].combine_chunks()
        kind = array.type
        if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind):
            values = array.fill_null(False if pa.types.is_boolean(kind) else 0).to_numpy(zero_copy_only=False)
            missing = array.is_null().to_numpy(zero_copy_only=False)
            if pa.types.is_floating(kind):
                missing |= np.isnan(values)  # NaN reads back as missing: rows are JSON-ready as they are
            return values, missing if missing.any() else None, None
        return None, None, None

    def _numbers(self, column: str) -> np.ndarray:
        values, missing, _ = self._columns[column]
        numbers = values.astype(np.float64)
        if missing is not None:
            numbers[missing] = np.nan
        return numbers


def _smallest(values: np.ndarray, count: int | None) -> np.ndarray:
    """Indices of the ``count`` smallest ``values`` (all when None) in order: NaN last, ties by index.

    A page needs its first rows, not a sort of every row: a partition finds the cut in linear time
    and only the rows before it are sorted.
    """
    if count is None or count >= len(values) // 2:
        # a stable sort breaks ties by index; NaN sorts last
        return np.argsort(values, kind="stable")[:count]
    if count <= 0:
        return np.zeros(0, dtype=np.intp)
    cut = np.partition(values, count - 1)[count - 1]
    if np.isnan(cut):
        present = np.flatnonzero(~np.isnan(values))
        chosen = np.concatenate([present, np.flatnonzero(np.isnan(values))[:count - len(present)]])
    else:
        below = np.flatnonzero(values < cut)
        chosen = np.concatenate([below, np.flatnonzero(values == cut)[:count - len(below)]])
    # both parts are in index order and every tie at the cut sorts after the rows below it, so a
    # stable sort of the chosen values orders them by value, then index
    return chosen[np.argsort(values[chosen], kind="stable")]


def guard(values: pa.Array) -> pa.Array:
    """Text that a spreadsheet shows as text: a value starting like a formula gets a leading quote."""
    text = values.type  # string or large_string: every operand in the same width
    first = pc.utf8_slice_codeunits(values, 0, 1)
    risky = pc.is_in(first, value_set=pa.array(FORMULA_STARTS, text))
    quoted = pc.binary_join_element_wise(pa.scalar("'", text), values, pa.scalar("", text))
    return pc.if_else(risky, quoted, values)


def _codes(column: pa.ChunkedArray) -> np.ndarray:
    if column.num_chunks == 0:
        return np.zeros(0, dtype=np.int32)
    return column.chunk(0).indices.fill_null(-1).to_numpy().astype(np.int32)


def _and(mask: np.ndarray | None, other: np.ndarray) -> np.ndarray:
    return other if mask is None else mask & other
