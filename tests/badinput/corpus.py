"""The bad-input corpus: each case is files to write, a command line and what its message must say.

A case runs in a fresh folder (the current folder too, so a default output would land there) with the
shared good demo data at ``{demo}``. Every case must end the same way: exit 2, exactly one line on
standard error beginning ``error: `` and holding every needle (the file, and the line/column or key
path where there is one), no traceback anywhere, nothing on standard output, and not a byte of the
folder changed: no output, no half-written or temporary file, and earlier outputs (``earlier``)
byte-identical to before.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adoptscore.cli import app
from tests.e2e.test_cli_errors import assert_clean_failure, run

#: What a file of a case holds: text, bytes, or bytes made from the demo folder (a cut Parquet file).
Content = str | bytes | Callable[[Path], bytes]


@dataclass(frozen=True)
class Case:
    """One bad input. ``{tmp}`` in ``argv`` and ``needles`` is the case's folder, ``{demo}`` the good data."""

    id: str
    argv: tuple[str, ...]
    needles: tuple[str, ...]
    files: Mapping[str, Content] = field(default_factory=dict)
    #: earlier outputs, written before the run: they must be byte-identical after it
    earlier: Mapping[str, Content] = field(default_factory=dict)
    #: a known defect another change fixes: the case is a strict xfail with this reason
    xfail: str | None = None


def case(id: str, argv: str | list[str], *needles: str, files: Mapping[str, Content] | None = None,
         earlier: Mapping[str, Content] | None = None, xfail: str | None = None) -> Case:
    """A :class:`Case`; ``argv`` as one string is split on blanks (paths here have none)."""
    args = tuple(argv.split()) if isinstance(argv, str) else tuple(argv)
    return Case(id, args, needles, dict(files or {}), dict(earlier or {}), xfail)


def params(cases: list[Case]) -> list:
    """pytest parameters with readable ids; cases of known defects are strict xfails."""
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else [])
            for c in cases]


def _fill(text: str, tmp: Path, demo: Path) -> str:
    return text.replace("{tmp}", str(tmp)).replace("{demo}", str(demo))


def _bytes(content: Content, demo: Path) -> bytes:
    if callable(content):
        return content(demo)
    return content.encode("utf-8") if isinstance(content, str) else content


def prepare(c: Case, tmp: Path, demo: Path) -> tuple[list[str], list[str]]:
    """Write the case's files into ``tmp``; the filled-in argv and needles."""
    for name, content in {**c.files, **c.earlier}.items():
        path = tmp / name
        if name.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_bytes(content, demo))
    return [_fill(a, tmp, demo) for a in c.argv], [_fill(n, tmp, demo) for n in c.needles]


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under ``folder``, links not followed."""
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        found[key] = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    return found


def assert_unchanged(before: dict[str, bytes | None], after: dict[str, bytes | None]) -> None:
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(k for k in set(before) & set(after) if before[k] != after[k])
    assert not (added or removed or changed), f"written: {added}, removed: {removed}, changed: {changed}"


def assert_needles(message: str, needles: list[str]) -> None:
    """Every needle is in the message; ``re:`` needles are regular expressions (a line:column of
    its own choosing, e.g. where YAML noticed an unclosed quote)."""
    for needle in needles:
        if needle.startswith("re:"):
            assert re.search(needle[3:], message), (needle, message)
        else:
            assert needle in message, (needle, message)


def check_in_process(c: Case, tmp: Path, demo: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the case through the Typer app in this process; assert the clean failure; its message."""
    argv, needles = prepare(c, tmp, demo)
    monkeypatch.chdir(tmp)
    before = snapshot(tmp)
    env = {"COLUMNS": "200", "ADOPTSCORE_DEBUG": None}
    result = CliRunner(env=env).invoke(app, argv)
    # an exception that escaped the command is a crash, whatever the exit code
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{argv}: {type(result.exception).__name__} escaped") from result.exception
    stderr, stdout = result.stderr, result.stdout
    assert result.exit_code == 2, (result.exit_code, stdout, stderr)
    assert "Traceback" not in stdout + stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    message = lines[0]
    assert message.startswith("error: "), message
    assert_needles(message, needles)
    assert not stdout.strip(), f"standard output: {stdout}"
    assert_unchanged(before, snapshot(tmp))
    return message


def assert_no_data(usage: Path, out: Path, account: str = "a2", column: str = "billable_users") -> None:
    """Scoring ``usage`` succeeds, and every metric of ``account`` reading ``column`` is no data, with
    a reason naming it: a bad value is missing, never a number (nor 0, nor Red)."""
    import pandas as pd

    result = CliRunner(env={"ADOPTSCORE_DEBUG": None}).invoke(app, ["score", str(usage), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.stderr
    metrics = pd.read_csv(out / "metrics.csv")
    mine = metrics[(metrics["account_id"] == account) & metrics["reason"].fillna("").str.contains(column)]
    assert len(mine) >= 6, metrics[metrics["account_id"] == account]
    assert set(mine["status"]) == {"no_data"} and mine["color"].isna().all() and mine["points"].isna().all()
    others = metrics[metrics["account_id"] != account]
    assert set(others["status"]) == {"scored"}


def check_subprocess(c: Case, tmp: Path, demo: Path) -> str:
    """The same checks with the installed ``adoptscore`` as a real process."""
    argv, needles = prepare(c, tmp, demo)
    before = snapshot(tmp)
    done = run(*argv, cwd=tmp)
    message = assert_clean_failure(done)
    assert_needles(message, needles)
    assert not done.stdout.strip(), done.stdout
    assert_unchanged(before, snapshot(tmp))
    return message




# -- good inputs the cases spoil ---------------------------------------------------------------------
def _good_csv() -> str:
    from tests.conftest import frame, usage_row

    return frame([usage_row("a1"), usage_row("a2", git_ops_users_l28d=500), usage_row("a3")]).to_csv(index=False)


#: three good gitlab usage rows (header on line 1, accounts a1..a3 on lines 2-4)
GOOD_CSV = _good_csv()
GOOD_HEADER, *GOOD_ROWS = GOOD_CSV.splitlines()
COLUMNS = GOOD_HEADER.split(",")


def csv_with(column: str, value: str, row: int = 1) -> str:
    """GOOD_CSV with one cell replaced: ``row`` 0..2 is file line ``row + 2``."""
    index = COLUMNS.index(column)
    lines = [GOOD_HEADER, *GOOD_ROWS]
    cells = lines[row + 1].split(",")
    cells[index] = value
    lines[row + 1] = ",".join(cells)
    return "\n".join(lines) + "\n"


def gitlab_text() -> str:
    from adoptscore.rubric.loader import bundled_rubrics

    return bundled_rubrics()["gitlab"].read_text(encoding="utf-8")


GITLAB = gitlab_text()


def mutated(old: str, new: str, text: str = GITLAB) -> str:
    """The gitlab rubric with its first ``old`` replaced by ``new``."""
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(text: str, snippet: str) -> int:
    """The line (from 1) of ``text`` holding ``snippet``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if snippet in line)


def lines(header: str, *rows: str) -> str:
    """A small CSV file's text: the header, then the rows."""
    return "\n".join([header, *rows]) + "\n"


def one_file(name: str, argv: str) -> Callable[..., Case]:
    """A maker of cases that write one file ``name`` and run ``argv`` (both can be overridden)."""
    def make(id: str, content: Content, *needles: str, argv: str = argv, name: str = name, **kw) -> Case:
        return case(id, argv, *needles, files={name: content}, **kw)
    return make


def parquet_bytes(table: object) -> bytes:
    """An Arrow table (or a list of records) as the bytes of a Parquet file."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    if isinstance(table, list):
        table = pa.Table.from_pylist(table)
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()
