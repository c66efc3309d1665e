"""Bad usage data in Parquet: cut short, not Parquet, wrong column types, NaN."""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.badinput.corpus import assert_no_data, case, check_in_process, params, parquet_bytes

SCORE = "score {tmp}/usage.parquet --out {tmp}/out"
F = "{tmp}/usage.parquet"


def good(demo: Path) -> pa.Table:
    return pq.read_table(demo / "usage.parquet")


parquet = parquet_bytes


def changed(column: str, make) -> object:
    """The demo usage with ``column`` replaced by ``make(table)`` (an array)."""
    def build(demo: Path) -> bytes:
        table = good(demo)
        return parquet(table.set_column(table.column_names.index(column), column, make(table)))
    return build


def dropped(column: str) -> object:
    return lambda demo: parquet(good(demo).drop_columns([column]))


def cut(fraction: float) -> object:
    def build(demo: Path) -> bytes:
        data = (demo / "usage.parquet").read_bytes()
        return data[:int(len(data) * fraction)]
    return build


def text_values(table: pa.Table, bad: str = "lots") -> pa.Array:
    values = [str(v) for v in table.column("billable_users").to_pylist()]
    values[5] = bad
    return pa.array(values)


def one_value(table: pa.Table, column: str, value: str) -> pa.Array:
    values = table.column(column).to_pylist()
    values[5] = value
    return pa.array(values, pa.string())


def with_float(table: pa.Table, value: float, row: int = 5) -> pa.Array:
    values = table.column("billable_users").cast(pa.float64()).to_pylist()
    values[row] = value
    return pa.array(values, pa.float64())


def pq_case(id: str, content, *needles: str, argv: str = SCORE, xfail: str | None = None, **files) -> object:
    return case(id, argv, *needles, files={"usage.parquet": content, **files}, xfail=xfail)


def folder_of(*parts) -> dict:
    return {f"data/part-{i}.parquet": p for i, p in enumerate(parts)}


CASES = [
    pq_case("truncated to half", cut(0.5), F),
    pq_case("truncated footer", cut(0.99), F),
    pq_case("only the magic bytes", b"PAR1", F),
    pq_case("empty file", b"", F, "empty"),
    pq_case("not parquet: csv text", "account_id,period\na1,2026-10\n", F),
    pq_case("not parquet: random bytes", bytes(range(256)) * 64, F),
    pq_case("magic at both ends, garbage between", b"PAR1" + bytes(range(256)) * 8 + b"PAR1", F),
    pq_case("text in billable_users", changed("billable_users", text_values), F, "billable_users", "'lots'"),
    pq_case("a list in billable_users", changed("billable_users", lambda t: pa.array([[1]] * t.num_rows)), F,
            "billable_users"),
    pq_case("a struct in account_id", changed("account_id", lambda t: pa.array([{"id": "a"}] * t.num_rows)), F,
            "account_id"),
    pq_case("timestamps in a count", changed("ci_builds_l28d", lambda t: pa.array(
        [0] * t.num_rows, pa.timestamp("s"))), F, "ci_builds_l28d"),
    pq_case("missing input column", dropped("ci_builds_l28d"), F, "missing input column 'ci_builds_l28d'"),
    pq_case("missing account_id", dropped("account_id"), F, "account_id"),
    pq_case("no rows", lambda demo: parquet(good(demo).slice(0, 0)), F, "no rows"),
    pq_case("duplicate rows", lambda demo: parquet(pa.concat_tables([good(demo), good(demo).slice(0, 1)])), F,
            "duplicate rows"),
    pq_case("period 2026-13", changed("period", lambda t: one_value(t, "period", "2026-13")), F, "2026-13"),
    pq_case("an empty account id", changed("account_id", lambda t: one_value(t, "account_id", "")), F, "account_id"),
    case("folder: one part cut short", "score {tmp}/data --out {tmp}/out", "{tmp}/data",
         files=folder_of(lambda demo: (demo / "usage.parquet").read_bytes(), cut(0.5))),
    case("folder: parts of different columns", "score {tmp}/data --out {tmp}/out", "{tmp}/data",
         files=folder_of(lambda demo: (demo / "usage.parquet").read_bytes(), dropped("ci_builds_l28d"))),
    case("folder: a part of text counts", "score {tmp}/data --out {tmp}/out", "{tmp}/data",
         files=folder_of(lambda demo: (demo / "usage.parquet").read_bytes(),
                         changed("billable_users", text_values))),
    pq_case("validate: truncated", cut(0.5), F, argv="validate {tmp}/usage.parquet --labels {demo}/labels.csv"),
    pq_case("calibrate: text counts", changed("billable_users", text_values), F, "billable_users",
            argv="calibrate {tmp}/usage.parquet --write {tmp}/new.yaml"),
    case("earlier scores kept", SCORE + " --format parquet", F, files={"usage.parquet": cut(0.5)},
         earlier={"out/metrics.parquet": b"earlier", "out/use_cases.parquet": b"earlier",
                  "out/overall.parquet": b"earlier"}),
]


@pytest.mark.parametrize("c", params(CASES))
def test_bad_usage_parquet(c, tmp_path, demo, monkeypatch):
    check_in_process(c, tmp_path, demo, monkeypatch)


# a float NaN or infinity is "no data" with a reason (issue 14, defect 2), never a number that bands Green;
# pyarrow leaves NaN out of the file's min/max statistics, which DuckDB trusted (engine/backends.py)
@pytest.mark.parametrize("value, others", [
    pytest.param(float("nan"), [1000, 1000], id="nan among equal values"),
    pytest.param(float("nan"), [1000, 800], id="nan among different values"),
    pytest.param(float("inf"), [1000, 1000], id="inf"),
    pytest.param(float("-inf"), [1000, 1000], id="-inf"),
])
def test_nonfinite_parquet_value_is_no_data(value, others, tmp_path):
    from tests.conftest import frame, usage_row

    rows = [usage_row("a1", billable_users=others[0]), usage_row("a2"), usage_row("a3", billable_users=others[1])]
    table = pa.Table.from_pandas(frame(rows), preserve_index=False)
    path = tmp_path / "usage.parquet"
    path.write_bytes(parquet(table.set_column(table.column_names.index("billable_users"), "billable_users",
                                              with_float(table, value, row=1))))
    assert_no_data(path, tmp_path / "out")
