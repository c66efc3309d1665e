"""The healthy cohort: accounts known to use the product well, given as a file of ids or a filter."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import ibis
import ibis.expr.types as ir

from adoptscore.engine.expressions import compile_expression
from adoptscore.errors import AdoptscoreError, DataError
from adoptscore.files import register_input
from adoptscore.lifecycle.tables import read_small_table, read_utf8
from adoptscore.rubric.expressions import parse

#: The flag column calibration adds to the usage data (1: the row's account is in the cohort).
FLAG = "__healthy"


@dataclass(frozen=True)
class Cohort:
    """A healthy cohort: ``ids`` read from a file, or a ``filter`` expression over usage columns."""

    label: str
    ids: tuple[str, ...] | None = None
    filter: str | None = None
    #: the file the ids were read from (for messages)
    path: str | None = None

    def flag(self, table: ir.Table, account_column: str) -> ir.IntegerValue:
        """1 where the row belongs to the cohort, else 0 (never null)."""
        if self.ids is not None:
            member = table[account_column].cast("string").isin(list(self.ids))
        else:
            expression = parse(self.filter or "")
            unknown = [c for c in expression.columns if c not in table.columns]
            if unknown:
                close = difflib.get_close_matches(unknown[0], table.columns, n=1)
                hint = f"did you mean {close[0]}?" if close else "use columns of the usage data: " + ", ".join(table.columns)
                raise DataError(f"the cohort filter {self.filter!r} reads column(s) {', '.join(unknown)}, "
                                "which the data does not have", hint=hint)
            member = compile_expression(expression.tree, lambda name: table[name])
            if not member.type().is_boolean():
                raise DataError(f"the cohort filter {self.filter!r} is not a condition",
                                hint="write a comparison, e.g. \"segment == 'Enterprise' and arr > 100000\"")
        return ibis.cases((member.fill_null(False), 1), else_=0).cast("int8")


def read_cohort(path: str | Path) -> Cohort:
    """A cohort file: a column ``account_id`` (CSV, TSV, Parquet, JSON) or one id per line (.txt)."""
    path = Path(path)
    if path.suffix.lower() == ".txt" and path.exists():
        register_input(path, "healthy cohort file")
        text = read_utf8(path, "healthy cohort file")
        if "\0" in text:
            raise DataError("the healthy cohort file holds a NUL byte: it is not a text file", str(path),
                            text.count("\n", 0, text.index("\0")) + 1, hint="list one account id per line")
        ids = [line.strip() for line in text.splitlines()]
        ids = [i for i in ids if i and not i.startswith("#")]
    else:
        small = read_small_table(path, "healthy cohort file", {"account_id": "the id of a healthy account"})
        ids = [i for i in small.frame["account_id"] if i is not None]
    if not ids:
        raise DataError("the healthy cohort file lists no account", str(path),
                        hint="list one account id per row under an account_id header")
    return Cohort(f"{path.name} ({len(set(ids))} accounts)", ids=tuple(dict.fromkeys(ids)), path=str(path))


def filter_cohort(expression: str) -> Cohort:
    """A cohort given as a condition over usage columns, checked now so a typo fails early."""
    try:
        parse(expression)
    except AdoptscoreError as exc:
        raise DataError(f"cannot read the cohort filter {expression!r}: {exc.message}", column=exc.column,
                        hint=exc.hint or "write a condition such as \"segment == 'Enterprise'\"") from None
    return Cohort(f"filter: {expression}", filter=expression)
