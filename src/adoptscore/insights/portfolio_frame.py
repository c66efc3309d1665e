"""One period's portfolio as NumPy and Arrow columns, for the requests that page through it.

A portfolio page filters, counts, sorts and slices every account of a period. As one SQL query per
request that cost 40-60 ms at 100,000 accounts, most of it in reading a few rows back out of
compressed columns after the sort. Here the rows are columns: filters are numpy masks over
dictionary codes, a page's first rows are found by partition (no full sort), and the page takes its
rows by position. In a server the columns are mapped read-only from the read model's files
(:mod:`adoptscore.insights.mapped`), one copy for every worker process. The rows are the read
model's; the one value derived from them is the sort key ``arr_at_risk`` (see
:meth:`PortfolioFrame.arr_at_risk`), a weighting of two of their columns.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from adoptscore.insights.mapped import KEY_COLUMNS, Column

# a spreadsheet runs a cell that starts with one of these as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
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
    A server's frames come from :meth:`mapped` instead: the same columns, mapped read-only from
    the read model's files and shared by every worker process.
    """

    def __init__(self, period: str, table: pa.Table, coded: Iterable[str]):
        coded = [c for c in coded if c in table.column_names]
        columns: dict[str, Column] = {}
        text = []
        for name in table.column_names:
            if name in KEY_COLUMNS:
                continue
            array = table[name].combine_chunks()
            kind = array.type
            if name in coded:
                encoded = pc.dictionary_encode(array)
                columns[name] = Column(encoded.indices.fill_null(-1).to_numpy().astype(np.int32),
                                       labels=encoded.dictionary.to_pylist())
                text.append(name)
            elif pa.types.is_floating(kind):
                columns[name] = Column(array.cast(pa.float64()).fill_null(np.nan).to_numpy(zero_copy_only=False))
            elif pa.types.is_integer(kind) or pa.types.is_boolean(kind):
                values = array.fill_null(False if pa.types.is_boolean(kind) else 0).to_numpy(zero_copy_only=False)
                missing = array.is_null().to_numpy(zero_copy_only=False)
                columns[name] = Column(values, missing if missing.any() else None)
            else:
                columns[name] = Column(text=array)
                text.append(name)
        self._setup(period, columns, table["_id_key"].to_numpy(), table["_name_key"].to_numpy(),
                    Column(text=table["_search"].combine_chunks()), None)
        self.table = table.select(text)

    @classmethod
    def mapped(cls, period: str, columns: dict[str, Column], id_keys: np.ndarray, name_keys: np.ndarray,
               search: pa.Array, risk: np.ndarray | None,
               orders: dict[tuple[str, bool], np.ndarray] | None = None) -> "PortfolioFrame":
        """A frame over mapped columns (:class:`adoptscore.insights.mapped.MappedPortfolio`):
        ``name_keys`` and ``search`` are per account, read at each row's ``_id_key``; ``orders``
        holds every row's position sorted by (sort key, descending), as :meth:`select` sorts."""
        frame = cls.__new__(cls)
        frame._setup(period, columns, id_keys, None, Column(text=search, index=id_keys), risk)
        frame._account_name_keys = name_keys
        frame._orders = orders or {}
        return frame

    def order(self, key: str, descending: bool) -> np.ndarray:
        """Every row's position in :meth:`select`'s order by ``key`` (what :meth:`mapped` takes)."""
        values = self.sort_values(key)
        return _smallest(-values if descending else values, None)

    def _setup(self, period: str, columns: dict[str, Column], id_keys: np.ndarray, name_keys: np.ndarray | None,
               search: Column, risk: np.ndarray | None) -> None:
        self.period = period
        self._columns = columns
        self._id_keys = id_keys
        self._name_keys = name_keys
        self._search = search
        self._guarded: dict[str, pa.Array] = {}
        self._risk = risk
        self._orders: dict[tuple[str, bool], np.ndarray] = {}
        self._everything: tuple[dict[str, int], dict[str, int]] | None = None
        self._dropped = columns["dropped"].values.astype(bool, copy=False)  # missing was filled with False

    @property
    def table(self) -> pa.Table:
        """The text columns of every row (for inspection; pages read :meth:`rows`)."""
        found = getattr(self, "_table", None)
        if found is None:
            every = np.arange(len(self))
            names = [n for n, c in self._columns.items() if c.labels is not None or c.text is not None]
            found = pa.table({n: pa.array(self._columns[n].pick(every), pa.string()) for n in names})
        return found

    @table.setter
    def table(self, value: pa.Table) -> None:
        self._table = value

    def __len__(self) -> int:
        return len(self._id_keys)

    # -- selecting ----------------------------------------------------------------------------
    def mask(self, equals: dict[str, Sequence[str | None]], dropped: bool = False,
             search: str | None = None) -> np.ndarray | None:
        """Rows whose column values are among ``equals[column]`` (None: missing), that dropped a
        color when ``dropped``, and whose lower-cased name or id contains ``search``; None: all."""
        mask = None
        for column, values in equals.items():
            found = self._columns[column]
            dictionary = found.labels
            # a lookup table indexed by code + 1 (0: missing) is one gather, quicker than np.isin
            wanted = np.zeros(len(dictionary) + 1, dtype=bool)
            wanted[[dictionary.index(v) + 1 for v in values if v is not None and v in dictionary]] = True
            wanted[0] = None in values
            # codes are -1..n-1 in the narrowest integer holding n: code + 1 never overflows
            mask = _and(mask, wanted[found.values + 1])
        if dropped:
            mask = _and(mask, self._dropped)
        if search:
            found = pc.match_substring(self._search.text, search).fill_null(False).to_numpy(zero_copy_only=False)
            mask = _and(mask, found if self._search.index is None else found[self._search.index])
        return mask

    def select(self, mask: np.ndarray | None, key: str, descending: bool, first: int | None = None) -> Selection:
        """The rows in ``mask`` sorted by ``key`` (missing values last, then account id): the
        ``first`` of them, or all; with the color counts and adoption of all of them."""
        order = self._orders.get((key, descending))
        if order is not None:
            total, positions = _first_in_order(order, mask, first)
        else:
            selected = np.arange(len(self)) if mask is None else np.flatnonzero(mask)
            values = self.sort_values(key)[selected]
            total, positions = len(selected), selected[_smallest(-values if descending else values, first)]
        if mask is None:
            # every row: the same counts for every request of the period
            if self._everything is None:
                self._everything = self._counts(None)
            colors, adoption = self._everything
            return Selection(total, positions, dict(colors), dict(adoption))
        return Selection(total, positions, *self._counts(mask))

    def _counts(self, mask: np.ndarray | None) -> tuple[dict[str, int], dict[str, int]]:
        """The color counts and adoption distribution of the rows in ``mask`` (None: all)."""
        color = self._columns["color"]
        colors = color.values if mask is None else color.values[mask]
        dictionary = color.labels
        counted = np.bincount(colors + 1, minlength=len(dictionary) + 1)
        color_counts = {c: int(counted[dictionary.index(c) + 1]) if c in dictionary else 0
                        for c in ("green", "yellow", "red")}
        color_counts["no_data"] = int(counted[0])
        adoption = self._adoption(mask)
        buckets = np.bincount(adoption + 1, minlength=5)
        return color_counts, {"0": int(buckets[1]), "1": int(buckets[2]), "2": int(buckets[3]), "3+": int(buckets[4])}

    def _adoption(self, mask: np.ndarray | None) -> np.ndarray:
        """Use cases adopted per selected row: 0, 1, 2 or 3 (3 or more), -1 where missing."""
        adopted = self._columns["adopted_use_cases"]
        values = adopted.values if mask is None else adopted.values[mask]
        missing = adopted.missing if mask is None or adopted.missing is None else adopted.missing[mask]
        out = np.minimum(values, 3).astype(np.int8)
        if missing is not None:
            out[missing] = -1
        return out

    def sort_values(self, key: str) -> np.ndarray:
        """``key`` of every row as float64 that sorts as the values do, NaN where missing (names
        and ids by their rank; few-valued numbers by their code)."""
        if key == "name":
            keys = self._name_keys if self._name_keys is not None else self._account_name_keys[self._id_keys]
            return keys.astype(np.float64)
        if key == "account_id":
            return self._id_keys.astype(np.float64)
        if key == "arr_at_risk":
            return np.asarray(self.arr_at_risk(), dtype=np.float64)
        return self._columns[key].order_key()

    @property
    def has_arr(self) -> bool:
        """Whether the rows carry a numeric ``arr`` column (so :meth:`arr_at_risk` is defined)."""
        found = self._columns.get("arr")
        return found is not None and found.values is not None and found.labels is None

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
            color = self._columns["color"]
            found = arr_at_risk(self._columns["arr"].numeric(), color.values, color.labels)
            found.flags.writeable = False  # shared by every request of the period
            self._risk = found
        return found

    def rows(self, positions: np.ndarray | Sequence[int]) -> list[dict[str, Any]]:
        """The rows at ``positions``, as dicts of plain Python values (None where missing or NaN)."""
        at = np.asarray(positions, dtype=np.int64)
        names = list(self._columns)
        return [dict(zip(names, row)) for row in zip(*[column.pick(at) for column in self._columns.values()])]

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
            column = self._columns[name]
            if column.labels is not None:
                # the guard runs once over the few distinct values, not over every row; plain text
                # writes quicker than a dictionary
                codes = column.values[at].astype(np.int32)
                arrays.append(self._guarded_values(name).take(pa.array(codes, mask=codes < 0)))
            elif column.text is not None:
                where = at if column.index is None else column.index[at]
                arrays.append(guard(column.text.take(pa.array(where))))
            elif column.numbers is not None:
                codes = column.values[at]
                arrays.append(pa.array(column.numbers[np.maximum(codes, 0)] if len(column.numbers) else
                                       np.zeros(len(codes)), mask=codes < 0))
            else:
                arrays.append(pa.array(column.values[at], mask=column.missing_at(at)))
        return pa.Table.from_arrays(arrays, names=["period", *columns])

    def _guarded_values(self, column: str) -> pa.Array:
        found = self._guarded.get(column)
        if found is None:
            found = self._guarded[column] = guard(pa.array(self._columns[column].labels, pa.string()))
        return found


def arr_at_risk(arr: np.ndarray, color_codes: np.ndarray, color_labels: Sequence[str]) -> np.ndarray:
    """ARR weighted by the overall color's share at risk (:data:`ARR_AT_RISK_SHARE`), NaN where the
    ARR or the color is missing; ``color_codes`` index ``color_labels`` (-1: no color)."""
    # a lookup by color code + 1 (0: no color); a color outside the three is missing too
    share = np.full(len(color_labels) + 1, np.nan)
    for index, color in enumerate(color_labels):
        share[index + 1] = ARR_AT_RISK_SHARE.get(color, np.nan)
    return np.asarray(arr, dtype=np.float64) * share[np.asarray(color_codes, dtype=np.int32) + 1]


def _first_in_order(order: np.ndarray, mask: np.ndarray | None, count: int | None) -> tuple[int, np.ndarray]:
    """(how many rows ``mask`` selects, the first ``count`` of them in ``order``, or all): a prefix
    of the order read in blocks until it holds ``count`` selected rows, so a page of a broad
    selection reads a few thousand positions, not a million."""
    if mask is None:
        return len(order), np.asarray(order[:count], dtype=np.int64)
    total = int(np.count_nonzero(mask))
    if count is None or count >= total:
        return total, np.asarray(order[mask[order]], dtype=np.int64)
    found, start, block = [], 0, max(4096, 4 * count)
    while count > 0 and start < len(order):
        part = order[start:start + block]
        chosen = part[mask[part]][:count]
        found.append(chosen)
        count -= len(chosen)
        start += block
        block *= 2
    return total, np.concatenate(found).astype(np.int64) if found else np.zeros(0, dtype=np.int64)


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


def _and(mask: np.ndarray | None, other: np.ndarray) -> np.ndarray:
    return other if mask is None else mask & other
