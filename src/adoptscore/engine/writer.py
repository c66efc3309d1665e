"""Writing all three result tables in one pass over the wide result.

The backend computes the plan once and streams the wide result (one row per account and period,
with every metric's and use case's columns, categories as small integer codes) as Arrow batches.
Each batch is reshaped here into the long ``metrics`` and ``use_cases`` tables and the ``overall``
table, with dictionary-encoded text columns, and appended to the three files. Computing the plan
three times (once per table) would read the data and score every metric three times.
"""
from __future__ import annotations

from pathlib import Path
import threading
from concurrent.futures import ThreadPoolExecutor
from queue import Full, Queue
from typing import Callable, Iterable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from adoptscore.engine.compile import COLOR_CODE, STATUS, WideLayout
from adoptscore.rubric.models import Rubric

COLORS = pa.array(list(COLOR_CODE), pa.string())
STATUSES = pa.array(list(STATUS), pa.string())
TEXT = pa.string()


def _dictionary(indices: pa.Array, dictionary: pa.Array) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(indices.cast(pa.int32()), dictionary)


def _constant(index: int, length: int, dictionary: pa.Array) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(np.full(length, index, dtype=np.int32)), dictionary)


def plain(table: pa.Table) -> pa.Table:
    """``table`` with its dictionary-encoded text columns as plain text, as a query returns them."""
    columns = [pc.cast(c, c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in table.columns]
    return pa.table(columns, names=table.column_names)


class TableBuilder:
    """Turns wide batches into the three result tables (Arrow), following docs/scoring-semantics.md."""

    def __init__(self, rubric: Rubric, layout: WideLayout):
        self.rubric, self.layout = rubric, layout
        self.rubric_name = pa.array([rubric.name], TEXT)
        self.rubric_version = pa.array([str(rubric.version)], TEXT)
        self.use_case_ids = pa.array([u.use_case for u in layout.use_cases], TEXT)
        self.metric_ids = pa.array(sorted({m.metric for m in layout.metrics}), TEXT)
        metric_index = {m: i for i, m in enumerate(self.metric_ids.to_pylist())}
        use_case_index = {u.use_case: i for i, u in enumerate(layout.use_cases)}
        # (use case index, metric index) of each metric, in layout order
        self.metric_positions = [(use_case_index[m.use_case], metric_index[m.metric]) for m in layout.metrics]
        # every metric reason in one dictionary; each metric's codes are offset into it
        texts: list[str] = []
        self.reason_offsets = []
        for metric in layout.metrics:
            self.reason_offsets.append(len(texts))
            texts.extend(metric.reasons)
        self.metric_reasons = pa.array(texts or [""], TEXT)
        use_case_texts: list[str] = []
        self.use_case_reason_maps = []
        for use_case in layout.use_cases:
            mapping = []
            for text in use_case.reasons:
                if text is None:
                    mapping.append(None)
                else:
                    if text not in use_case_texts:
                        use_case_texts.append(text)
                    mapping.append(use_case_texts.index(text))
            self.use_case_reason_maps.append(pa.array(mapping, pa.int32()))
        self.use_case_reasons = pa.array(use_case_texts, TEXT)

    def _labels(self, n: int) -> list[pa.Array]:
        return [_constant(0, n, self.rubric_name), _constant(0, n, self.rubric_version)]

    def overall(self, batch: pa.RecordBatch) -> pa.Table:
        n = batch.num_rows
        score = batch.column("__o_s")
        status = pc.if_else(pc.is_null(score), 1, 0)
        arrays = [*self._labels(n), batch.column("account_id"), batch.column("period"),
                  *[batch.column(s).cast(TEXT) for s in self.layout.segments],
                  score, _dictionary(status, STATUSES), _dictionary(batch.column("__o_c"), COLORS),
                  batch.column("__o_adopted").cast(pa.int64()), batch.column("__o_scored").cast(pa.int64())]
        names = ["rubric", "rubric_version", "account_id", "period", *self.layout.segments, "score", "status",
                 "color", "adopted_use_cases", "use_cases_scored"]
        return pa.Table.from_arrays(arrays, names=names)

    def use_cases(self, batch: pa.RecordBatch) -> pa.Table:
        n = batch.num_rows
        parts = []
        for index, use_case in enumerate(self.layout.use_cases):
            k = use_case.key
            reason = pc.take(self.use_case_reason_maps[index], batch.column(f"{k}_r").cast(pa.int32()))
            parts.append(pa.Table.from_arrays(
                [*self._labels(n), batch.column("account_id"), batch.column("period"),
                 _constant(index, n, self.use_case_ids), batch.column(f"{k}_s"),
                 _dictionary(batch.column(f"{k}_st"), STATUSES), _dictionary(batch.column(f"{k}_c"), COLORS),
                 batch.column(f"{k}_cov"), batch.column(f"{k}_n").cast(pa.int64()), batch.column(f"{k}_a"),
                 _dictionary(reason, self.use_case_reasons)],
                names=["rubric", "rubric_version", "account_id", "period", "use_case", "score", "status", "color",
                       "coverage", "metrics_scored", "adopted", "reason"]))
        return pa.concat_tables(parts)

    def metrics(self, batch: pa.RecordBatch) -> pa.Table:
        n = batch.num_rows
        parts = []
        for index, metric in enumerate(self.layout.metrics):
            k = metric.key
            color = batch.column(f"{k}_c")
            status = pc.if_else(pc.is_valid(color), 0, pc.if_else(batch.column(f"{k}_na"), 2, 1))
            code = batch.column(f"{k}_code").cast(pa.int32())
            reason = pc.if_else(pc.equal(code, 0), pa.scalar(None, pa.int32()),
                                pc.add(code, self.reason_offsets[index] - 1))
            use_case_index, metric_index = self.metric_positions[index]
            parts.append(pa.Table.from_arrays(
                [*self._labels(n), batch.column("account_id"), batch.column("period"),
                 _constant(use_case_index, n, self.use_case_ids), _constant(metric_index, n, self.metric_ids),
                 batch.column(f"{k}_n"), batch.column(f"{k}_d"), batch.column(f"{k}_v"),
                 _dictionary(status, STATUSES), _dictionary(color, COLORS), batch.column(f"{k}_p"),
                 _dictionary(reason, self.metric_reasons)],
                names=["rubric", "rubric_version", "account_id", "period", "use_case", "metric", "numerator",
                       "denominator", "value", "status", "color", "points", "reason"]))
        return pa.concat_tables(parts)


class _Sink:
    """Appends tables to one file; the schema is fixed by the first table."""

    def __init__(self, path: Path, fmt: str):
        self.path, self.fmt, self.writer = path, fmt, None

    def write(self, table: pa.Table) -> None:
        if self.fmt == "csv":
            table = plain(table)
        if self.writer is None:
            if self.fmt == "parquet":
                # store_schema=False: readers see plain text columns (dictionary-encoded on disk)
                self.writer = pq.ParquetWriter(self.path, table.schema, compression="zstd", store_schema=False)
            else:
                self.writer = pacsv.CSVWriter(self.path, table.schema)
        self.writer.write_table(table)

    def close(self, empty: pa.Table) -> None:
        if self.writer is None:
            self.write(empty)
        self.writer.close()


def prefetch(batches: Iterable[pa.RecordBatch], depth: int = 2) -> Iterator[pa.RecordBatch]:
    """Iterate ``batches`` from a background thread, ``depth`` batches ahead.

    The backend computes the next batch while this thread reshapes and writes the current one;
    both release the GIL, so the two overlap on separate cores.
    """
    queue: Queue = Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def produce() -> None:
        try:
            for batch in batches:
                while not stop.is_set():
                    try:
                        queue.put(batch, timeout=0.1)
                        break
                    except Full:
                        continue
                if stop.is_set():
                    return
            queue.put(done)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            queue.put(exc)

    worker = threading.Thread(target=produce, name="adoptscore-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item = queue.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join(timeout=5)


def write_tables(batches: Iterable[pa.RecordBatch], builder: TableBuilder, paths: dict[str, Path], fmt: str,
                 empty: pa.RecordBatch, on_rows: Callable[[int], None] | None = None) -> None:
    """Write ``metrics``, ``use_cases`` and ``overall`` to ``paths`` from wide ``batches``;
    ``on_rows`` is told how many account-periods each batch held (for progress bars)."""
    sinks = {name: _Sink(path, fmt) for name, path in paths.items()}

    def cut_and_write(name: str, batch: pa.RecordBatch) -> None:
        sinks[name].write(getattr(builder, name)(batch))

    # Arrow releases the GIL while it reshapes, encodes and compresses, so the three files are
    # written side by side (each file's batches stay in order: one task per file per batch).
    pool = ThreadPoolExecutor(max_workers=len(sinks), thread_name_prefix="adoptscore-write")
    try:
        for batch in prefetch(batches):
            if batch.num_rows == 0:
                continue
            for future in [pool.submit(cut_and_write, name, batch) for name in sinks]:
                future.result()
            if on_rows is not None:
                on_rows(batch.num_rows)
        for name, sink in sinks.items():
            sink.close(getattr(builder, name)(empty))
    finally:
        pool.shutdown(wait=True)
        for sink in sinks.values():
            if sink.writer is not None:
                try:
                    sink.writer.close()
                except Exception:  # noqa: BLE001 - already closed
                    pass
