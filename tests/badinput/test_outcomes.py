"""Bad outcomes files for ``backtest``: refused at the line and column of the outcome at fault."""
from __future__ import annotations

import json

import pytest

from tests.badinput.corpus import case, check_in_process, lines, one_file, params, parquet_bytes

HEADER = "account_id,date,outcome,arr"
GOOD = ["A000001,2026-07-18,renewed,2010058.0", "A000002,2026-08-21,churned,171289.0"]
F = "{tmp}/outcomes.csv"
BACKTEST = "backtest {demo}/usage.parquet --outcomes {tmp}/outcomes.csv --json {tmp}/b.json"


def outcomes(*rows: str) -> str:
    return lines(HEADER, *rows)


out = one_file("outcomes.csv", BACKTEST)


def second(line: str) -> str:
    return outcomes(GOOD[0], line)


RECORDS = [dict(zip(HEADER.split(","), line.split(","))) for line in GOOD]
JSON = "backtest {demo}/usage.parquet --outcomes {tmp}/outcomes.json"

CASES = [
    out("empty file", "", F, "empty"),
    out("header only", outcomes(), F, "no rows"),
    out("blank rows only", outcomes(",,,", ",,,"), F, "no usable rows"),
    out("no date column", outcomes(*GOOD).replace(",date,", ",day,"), f"{F}:1", "date"),
    out("no outcome column", outcomes(*GOOD).replace(",outcome,", ",result,"), f"{F}:1", "outcome"),
    out("blank account id", second(",2026-08-21,churned,1"), f"{F}:3:1", "blank"),
    out("blank date", second("A000002,,churned,1"), f"{F}:3:2", "date is blank"),
    out("february 30th", second("A000002,2026-02-30,churned,1"), f"{F}:3:2", "'2026-02-30'"),
    out("month 13", second("A000002,2026-13,churned,1"), f"{F}:3:2", "'2026-13'"),
    out("date garbage", second("A000002,last spring,churned,1"), f"{F}:3:2", "'last spring'"),
    out("unknown outcome", second("A000002,2026-08-21,cancelled,1"), f"{F}:3:3", "'cancelled'"),
    out("blank outcome", second("A000002,2026-08-21,,1"), f"{F}:3:3", "(blank)"),
    out("arr is text", second("A000002,2026-08-21,churned,lots"), f"{F}:3:4", "'lots'"),
    out("arr negative", second("A000002,2026-08-21,churned,-5"), f"{F}:3:4", "'-5'"),
    out("arr nan", second("A000002,2026-08-21,churned,nan"), f"{F}:3:4", "'nan'"),
    out("arr inf", second("A000002,2026-08-21,churned,inf"), f"{F}:3:4", "'inf'"),
    out("ragged row", second("A000002,2026-08-21,churned,1,2,3"), f"{F}:3"),
    out("binary file", bytes(range(256)) * 16, F),
    out("latin-1 bytes", second("A000002,2026-08-21,churned \xe9,1").encode("latin-1"), F, "UTF-8"),
    out("unsupported suffix", outcomes(*GOOD), "{tmp}/outcomes.xls", ".xls", name="outcomes.xls",
        argv="backtest {demo}/usage.parquet --outcomes {tmp}/outcomes.xls"),
    case("outcomes file missing", BACKTEST, F, "not found"),
    out("json: invalid", '[{"account_id": ', "{tmp}/outcomes.json", name="outcomes.json", argv=JSON),
    out("json: an object of scalars", json.dumps(RECORDS[0]), "{tmp}/outcomes.json", name="outcomes.json",
        argv=JSON),
    out("json: unknown outcome in record 2", json.dumps([RECORDS[0], {**RECORDS[1], "outcome": "gone"}]),
        "{tmp}/outcomes.json", "record 2", "'gone'", name="outcomes.json", argv=JSON),
    out("parquet: not parquet", outcomes(*GOOD), "{tmp}/outcomes.parquet", name="outcomes.parquet",
        argv="backtest {demo}/usage.parquet --outcomes {tmp}/outcomes.parquet"),
    out("parquet: arr as a list", parquet_bytes([{**r, "arr": [1.0, 2.0]} for r in RECORDS]),
        "{tmp}/outcomes.parquet", "arr", name="outcomes.parquet",
        argv="backtest {demo}/usage.parquet --outcomes {tmp}/outcomes.parquet"),
    out("--use-case unknown", outcomes(*GOOD), "no use case 'deploy'", argv=BACKTEST + " --use-case deploy"),
    out("--json is the outcomes file", outcomes(*GOOD), "--json is the outcomes file this command reads",
        argv="backtest {demo}/usage.parquet --outcomes {tmp}/outcomes.csv --json {tmp}/outcomes.csv"),
    out("earlier reports kept", second("A000002,2026-08-21,cancelled,1"), f"{F}:3:3",
        argv=BACKTEST + " --html {tmp}/b.html", earlier={"b.json": "{}\n", "b.html": "<p>earlier</p>\n"}),
]


@pytest.mark.parametrize("c", params(CASES))
def test_bad_outcomes(c, tmp_path, demo, monkeypatch):
    check_in_process(c, tmp_path, demo, monkeypatch)
