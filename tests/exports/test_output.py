"""Written files: spreadsheet formulas in text cells are neutralised, and a failure at any point
leaves no file (nor a temporary one) behind, and an older file untouched."""
from __future__ import annotations

import csv
import io
import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from adoptscore.exports.gainsight import measure_rows
from adoptscore.exports.output import AtomicFiles, write_batches, write_json
from adoptscore.exports.source import StoredScores
from adoptscore.exports.tables import export_tables, plan_outputs
from adoptscore.files import OutputError
from tests.exports.conftest import FORMULA_NAMES, LINE_BREAK_NAME

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _read_csv(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_text_cells_that_a_spreadsheet_would_run_are_quoted_as_text(export_store, tmp_path):
    target = tmp_path / "gainsight.csv"
    with StoredScores(export_store.path) as scores:
        rows = measure_rows(scores)
        write_batches(rows.schema, rows.batches, target, "csv")
    written = _read_csv(target)
    names = {r["account_id"]: r["company_name"] for r in written}
    present = [a for a in FORMULA_NAMES if a in names]
    assert len(present) >= 4
    for account in present:
        assert names[account] == "'" + FORMULA_NAMES[account]
    account, name = LINE_BREAK_NAME
    assert names[account] == name  # quotes, commas and line breaks survive CSV quoting unchanged
    for row in written:
        for column, value in row.items():
            assert not value.startswith(DANGEROUS) or column == "company_name" and value.startswith("'"), (column, value)
    # numbers are written as numbers (no guard, no quotes), missing ones as empty cells
    raw = target.read_text(encoding="utf-8")
    assert ',"Not applicable' in raw or ",,,," in raw
    scored = next(r for r in written if r["status"] == "scored")
    assert scored["score"].isdigit() and float(scored["score_decimal"]) > 0


def _batches(n: int, fail_after: int | None = None):
    schema = pa.schema([("name", pa.string()), ("value", pa.int64())])
    for i in range(n):
        if fail_after is not None and i == fail_after:
            raise RuntimeError("the source failed midway")
        yield pa.RecordBatch.from_pylist([{"name": f"row {i}", "value": i}] * 1000, schema=schema)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_failure_midway_leaves_no_file(tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    schema = pa.schema([("name", pa.string()), ("value", pa.int64())])
    with pytest.raises(RuntimeError, match="midway"):
        write_batches(schema, _batches(5, fail_after=3), target, fmt)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_failure_keeps_the_previous_file_whole(tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    schema = pa.schema([("name", pa.string()), ("value", pa.int64())])
    write_batches(schema, _batches(2), target, fmt)
    before = target.read_bytes()
    with pytest.raises(RuntimeError):
        write_batches(schema, _batches(5, fail_after=1), target, fmt)
    assert target.read_bytes() == before and os.listdir(tmp_path) == [target.name]
    rows = pq.read_table(target).num_rows if fmt == "parquet" else len(_read_csv(target))
    assert rows == 2000
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)  # not left private like a temporary file


def test_several_files_appear_together_or_not_at_all(tmp_path):
    with pytest.raises(RuntimeError), AtomicFiles() as files:
        files.temporary(tmp_path / "a.csv").write_text("a\n")
        files.temporary(tmp_path / "b.csv").write_text("b\n")
        raise RuntimeError("second file failed")
    assert os.listdir(tmp_path) == []
    with AtomicFiles() as files:
        files.temporary(tmp_path / "a.csv").write_text("a\n")
        files.temporary(tmp_path / "b.csv").write_text("b\n")
        assert sorted(p for p in os.listdir(tmp_path) if not p.startswith(".")) == []
    assert sorted(os.listdir(tmp_path)) == ["a.csv", "b.csv"]


def test_a_table_export_that_fails_on_its_second_table_writes_neither(export_store, tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    outputs = plan_outputs(folder, ["overall", "use_cases"], "parquet")
    gone = tmp_path / "gone"
    outputs["use_cases"] = gone / "use_cases.parquet"  # its folder vanished after the checks
    with StoredScores(export_store.path) as scores, pytest.raises(OutputError, match="no such file or directory"):
        export_tables(scores, outputs, "parquet", scores.periods)
    assert os.listdir(folder) == []


def test_csv_on_standard_output_has_its_header_even_without_rows(capsys):
    schema = pa.schema([("name", pa.string()), ("value", pa.int64())])
    write_batches(schema, iter(()), "-", "csv")
    assert capsys.readouterr().out.strip() == '"name","value"'
    write_batches(schema, _batches(2), "-", "csv")
    text = capsys.readouterr().out
    assert text.count('"name","value"') == 1 and len(list(csv.reader(io.StringIO(text)))) == 2001


def test_an_empty_file_still_has_its_header(tmp_path):
    schema = pa.schema([("name", pa.string()), ("value", pa.int64())])
    write_batches(schema, iter(()), tmp_path / "empty.csv", "csv")
    assert (tmp_path / "empty.csv").read_text().strip() == '"name","value"'


def test_json_is_written_atomically(tmp_path):
    target = tmp_path / "alerts.json"
    write_json({"alerts": [{"name": "=cmd"}]}, target)
    assert '"=cmd"' in target.read_text()  # JSON is not a spreadsheet: text stays as it is
    with pytest.raises(ValueError):
        write_json({"score": float("nan")}, target)
    assert '"=cmd"' in target.read_text() and os.listdir(tmp_path) == ["alerts.json"]
