"""Score results: three tables, computed lazily on the backend that holds the data."""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from adoptscore.engine.backends import FORMATS, Adapter, adapter_for
from adoptscore.engine.compile import CompiledRubric, Stage
from adoptscore.errors import AdoptscoreError
from adoptscore.files import check_output
from adoptscore.rubric.models import Rubric
from adoptscore.sqltext import literal

TABLES = ("metrics", "use_cases", "overall")
#: account-periods up to which :meth:`ScoreResult.table` cuts the tables from one wide result (~0.7 KB each)
WIDE_IN_MEMORY = 250_000
SORT_KEYS = {"metrics": ["account_id", "period", "use_case", "metric"],
             "use_cases": ["account_id", "period", "use_case"], "overall": ["account_id", "period"]}


@dataclass
class ScoreResult:
    """Per-metric, per-use-case and overall scores of one rubric over one data set.

    The tables are Ibis expressions until asked for: ``result.metrics`` (a pandas DataFrame)
    executes on the backend; :meth:`write` streams them to files without going through Python.
    """

    rubric: Rubric
    compiled: CompiledRubric
    data: ir.Table
    source: str = ""
    source_path: Path | None = None  # the usage file or folder read, when there is one (never written over)
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _wide: pa.Table | None = field(default=None, repr=False)

    @cached_property
    def backend(self) -> Any:
        return self.data._find_backend()

    @cached_property
    def _source_sql(self) -> str:
        return str(self.backend.compile(self.data))

    def sql(self, name: "str | Stage") -> str:
        """The SQL that computes one result table, a named stage, or a query over either
        (a :class:`~adoptscore.engine.compile.Stage`) on the data's backend."""
        return self.compiled.sql(name, self.backend.name, source_sql=self._source_sql, pretty=False)

    @cached_property
    def adapter(self) -> Adapter:
        return adapter_for(self.backend)

    def query(self, name: str, build: Callable[[ir.Table], ir.Table]) -> pa.Table:
        """Run a query over a result table or stage on the backend: ``build`` gets an Ibis table
        with that table's columns and returns an expression (an aggregate, a filter)."""
        return self.to_arrow(Stage(f"query_{name}", build(self.compiled.stage_table(name))))

    def to_arrow(self, name: "str | Stage") -> pa.Table:
        """A result table (``metrics``, ``use_cases``, ``overall``), a stage (``prepared``) or a
        query as Arrow."""
        return self.adapter.to_arrow(self.sql(name))

    def table(self, name: str) -> pd.DataFrame:
        """One result table as a DataFrame, sorted by its keys.

        Up to :data:`WIDE_IN_MEMORY` account-periods (an account's history, a period of a portfolio)
        the plan runs once for all three tables: the first table asked for fetches the wide result,
        and each table is cut from it here (as :meth:`write` does). Beyond, each table is its own
        query, so asking for one table never holds the wide result (~150 columns) in memory.
        """
        if name not in self._cache:
            cut = name in TABLES and self.compiled.layout is not None and self.rows_scored <= WIDE_IN_MEMORY
            arrow = self._cut(name) if cut else self.to_arrow(name)
            frame = arrow.to_pandas()
            self._cache[name] = frame.sort_values(SORT_KEYS[name], kind="stable").reset_index(drop=True)
            if all(t in self._cache for t in TABLES):
                self._wide = None
        return self._cache[name]

    def _cut(self, name: str) -> pa.Table:
        from adoptscore.engine.writer import TableBuilder, plain

        if self._wide is None:
            self._wide = self.to_arrow("wide")
        batches = self._wide.to_batches() or [pa.RecordBatch.from_pylist([], self._wide.schema)]
        cut = getattr(TableBuilder(self.rubric, self.compiled.layout), name)
        return plain(pa.concat_tables([cut(batch) for batch in batches]))

    @property
    def metrics(self) -> pd.DataFrame:
        return self.table("metrics")

    @property
    def use_cases(self) -> pd.DataFrame:
        return self.table("use_cases")

    @property
    def overall(self) -> pd.DataFrame:
        return self.table("overall")

    @cached_property
    def rows_scored(self) -> int:
        """Account-periods in the rubric's scope (the rows that were scored; with a roll-up, each
        account-period counts once however many instances it has)."""
        prepared = self.sql("prepared")
        if self.rubric.rollup is not None:
            prepared = f"SELECT DISTINCT account_id, period FROM ({prepared}) AS instances"
        return int(self.adapter.to_arrow(f"SELECT COUNT(*) AS n FROM ({prepared}) AS scored")["n"][0].as_py())

    def rows(self, name: str, account_id: str, period: str | None = None) -> pa.Table:
        """One account's rows of a result table or stage, filtered on the backend."""
        condition = f"account_id = {literal(account_id)}"
        if period is not None:
            condition += f" AND period = {literal(period)}"
        return self.adapter.to_arrow(f"SELECT * FROM ({self.sql(name)}) AS result WHERE {condition}")

    def write(self, out_dir: str | os.PathLike, fmt: str = "csv",
              on_rows: Callable[[int], None] | None = None) -> dict[str, Path]:
        """Write the three tables as ``out_dir/{metrics,use_cases,overall}.{fmt}``.

        ``on_rows`` is called with the number of account-periods written so far, batch by batch
        (Parquet and CSV), for progress bars.

        Files are written into a temporary folder beside the outputs and moved into place only
        when all three are complete, so a failed or killed run never leaves a half-written file.
        """
        if fmt not in FORMATS:
            raise AdoptscoreError(f"unknown output format {fmt!r}", hint="use one of " + ", ".join(FORMATS))
        out = Path(out_dir)
        inputs = [self.source_path] if self.source_path is not None else []
        for name in TABLES:
            check_output(out / f"{name}.{fmt}", "--out", inputs)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AdoptscoreError(f"cannot create output folder {out}: {exc.strerror}") from None
        staging = Path(tempfile.mkdtemp(prefix=".adoptscore-", dir=out))
        written: dict[str, Path] = {}
        try:
            if fmt in ("parquet", "csv") and self.compiled.layout is not None:
                # one pass: the plan runs once and all three tables are cut from its wide result
                from adoptscore.engine.writer import TableBuilder, write_tables

                written = {name: staging / f"{name}.{fmt}" for name in TABLES}
                reader = self.adapter.batches(self.sql("wide"))
                empty = reader.schema.empty_table().to_batches() or [pa.RecordBatch.from_pylist([], reader.schema)]
                write_tables(reader, TableBuilder(self.rubric, self.compiled.layout), written, fmt, empty[0], on_rows)
            else:
                for name in TABLES:
                    target = staging / f"{name}.{fmt}"
                    self.adapter.write(self.sql(name), target, fmt)
                    written[name] = target
            final = {}
            for name, path in written.items():
                destination = out / path.name
                check_output(destination, "--out", inputs)
                os.replace(path, destination)
                final[name] = destination
            return final
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def summary(self) -> pd.DataFrame:
        """Color counts per use case (and overall) in the latest period."""
        use_cases = self.use_cases
        overall = self.overall
        if use_cases.empty:
            return pd.DataFrame(columns=["use_case", "period", "green", "yellow", "red", "no_data", "not_applicable"])
        latest = use_cases["period"].max()
        rows = []
        frames = [(u.id, use_cases[(use_cases["period"] == latest) & (use_cases["use_case"] == u.id)])
                  for u in self.rubric.use_cases]
        frames.append(("overall", overall[overall["period"] == latest]))
        for name, frame in frames:
            counts = frame["color"].value_counts()
            status = frame["status"].value_counts()
            rows.append({"use_case": name, "period": latest,
                         **{c: int(counts.get(c, 0)) for c in ("green", "yellow", "red")},
                         "no_data": int(status.get("no_data", 0)),
                         "not_applicable": int(status.get("not_applicable", 0))})
        return pd.DataFrame(rows)
