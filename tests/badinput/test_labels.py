"""Bad labels files for ``validate``: refused at the line and column of the label at fault."""
from __future__ import annotations

import json

import pytest

from tests.badinput.corpus import case, check_in_process, lines, one_file, params, parquet_bytes

HEADER = "account_id,period,use_case,expected_color,note"
GOOD = ["A000002,2026-10,scm,red,", "A000008,2026-10,scm,yellow,a note"]
F = "{tmp}/labels.csv"
VALIDATE = "validate {demo}/usage.parquet --labels {tmp}/labels.csv --json {tmp}/v.json"


def labels(*rows: str, header: str = HEADER) -> str:
    return lines(header, *rows)


lab = one_file("labels.csv", VALIDATE)


RECORDS = [dict(zip(HEADER.split(","), line.split(","))) for line in GOOD]

CASES = [
    lab("empty file", "", F, "empty"),
    lab("header only", labels(), F, "no rows"),
    lab("no expected_color column", labels(*GOOD).replace(",expected_color", ",color"), f"{F}:1",
        "expected_color"),
    lab("no account_id column", labels(*GOOD).replace("account_id,", "acct,", 1), f"{F}:1", "account_id"),
    lab("color not a color", labels(GOOD[0], "A000008,2026-10,scm,amber,"), f"{F}:3:4", "'amber'"),
    lab("use case not in the rubric", labels(GOOD[0], "A000008,2026-10,deploy,red,"), f"{F}:3:3", "'deploy'"),
    lab("blank account id", labels(GOOD[0], ",2026-10,scm,red,"), f"{F}:3:1", "account_id is empty"),
    lab("account not in the data", labels(GOOD[0], "ZZZ999,2026-10,scm,red,"), f"{F}:3:1", "'ZZZ999'"),
    lab("period 2026-13", labels(GOOD[0], "A000008,2026-13,scm,red,"), f"{F}:3:2", "'2026-13'"),
    lab("period garbage", labels(GOOD[0], "A000008,soon,scm,red,"), f"{F}:3:2", "'soon'"),
    lab("period without data", labels(GOOD[0], "A000008,2020-01,scm,red,"), f"{F}:3:2", "2020-01"),
    lab("duplicate label", labels(GOOD[0], GOOD[1], "A000008,2026-10,SCM,green,"), f"{F}:4:3", "line 3"),
    lab("ragged row", labels(GOOD[0], GOOD[1] + ",extra,fields"), f"{F}:3"),
    lab("repeated column", labels(*(g + ",red" for g in GOOD), header=HEADER + ",expected_color"), f"{F}:1:6",
        "'expected_color' appears twice"),
    lab("nul byte", labels(GOOD[0], "A000008,2026-10,scm,red,\0"), f"{F}:3", "NUL"),
    lab("bad color after a note over two lines", labels('A000002,2026-10,scm,red,"two\nlines"',
                                                        "A000008,2026-10,scm,amber,"), f"{F}:4:4", "'amber'"),
    lab("quote never closed", labels(GOOD[0], 'A000008,2026-10,scm,red,"never closed'), F),
    lab("binary file", bytes(range(256)) * 16, F),
    lab("latin-1 bytes", labels(GOOD[0], "A000008,2026-10,scm,red,caf\xe9").encode("latin-1"), F, "UTF-8"),
    lab("utf-16 file", labels(*GOOD).encode("utf-16"), F),
    lab("bom and a bad color", "\ufeff" + labels(GOOD[0], "A000008,2026-10,scm,amber,"), f"{F}:3:4", "'amber'"),
    lab("tsv written with commas", labels(*GOOD), "{tmp}/labels.tsv", "no column", name="labels.tsv",
        argv="validate {demo}/usage.parquet --labels {tmp}/labels.tsv"),
    lab("unsupported suffix", labels(*GOOD), "{tmp}/labels.xlsx", ".xlsx", name="labels.xlsx",
        argv="validate {demo}/usage.parquet --labels {tmp}/labels.xlsx"),
    case("labels file missing", VALIDATE, F, "not found"),
    case("labels is a folder", VALIDATE, F, files={"labels.csv/": ""}),
    lab("json: invalid", "[{", "{tmp}/labels.json", name="labels.json",
        argv="validate {demo}/usage.parquet --labels {tmp}/labels.json"),
    lab("json: a number", "42", "{tmp}/labels.json", name="labels.json",
        argv="validate {demo}/usage.parquet --labels {tmp}/labels.json"),
    lab("json: a list of lists", json.dumps([line.split(",") for line in GOOD]), "{tmp}/labels.json", "no column",
        name="labels.json", argv="validate {demo}/usage.parquet --labels {tmp}/labels.json"),
    lab("json: nested 50,000 deep", "[" * 50_000 + "]" * 50_000, "{tmp}/labels.json", name="labels.json",
        argv="validate {demo}/usage.parquet --labels {tmp}/labels.json"),
    lab("json: bad color in record 2", json.dumps([RECORDS[0], {**RECORDS[1], "expected_color": "blue"}]),
        "{tmp}/labels.json", "record 2", "'blue'", name="labels.json",
        argv="validate {demo}/usage.parquet --labels {tmp}/labels.json"),
    lab("parquet: truncated", parquet_bytes(RECORDS)[:-30], "{tmp}/labels.parquet",
        name="labels.parquet", argv="validate {demo}/usage.parquet --labels {tmp}/labels.parquet"),
    lab("parquet: a list of colors", parquet_bytes(
        [{**r, "expected_color": ["red", "green"]} for r in RECORDS]), "{tmp}/labels.parquet", "expected_color",
        name="labels.parquet", argv="validate {demo}/usage.parquet --labels {tmp}/labels.parquet"),
    lab("--period garbage for labels without one", labels("A000002,,scm,red,"), "--period 'soon'",
        argv=VALIDATE + " --period soon"),
    lab("--min-agreement 80", labels(*GOOD), "--min-agreement 80", "0.8", argv=VALIDATE + " --min-agreement 80"),
    lab("--min-agreement negative", labels(*GOOD), "--min-agreement -0.5", argv=VALIDATE + " --min-agreement -0.5"),
    lab("--min-agreement nan", labels(*GOOD), "--min-agreement", argv=VALIDATE + " --min-agreement nan"),
    lab("--json is the labels file", labels(*GOOD), "--json is the labels file this command reads",
        argv="validate {demo}/usage.parquet --labels {tmp}/labels.csv --json {tmp}/labels.csv"),
    lab("--html under a file", labels(*GOOD), "{tmp}/labels.csv/v.html",
        argv="validate {demo}/usage.parquet --labels {tmp}/labels.csv --html {tmp}/labels.csv/v.html"),
    lab("earlier reports kept", labels(GOOD[0], "A000008,2026-10,scm,amber,"), f"{F}:3:4",
        argv=VALIDATE + " --html {tmp}/v.html", earlier={"v.json": '{"earlier": true}\n', "v.html": "<p>earlier</p>"}),
]


@pytest.mark.parametrize("c", params(CASES))
def test_bad_labels(c, tmp_path, demo, monkeypatch):
    check_in_process(c, tmp_path, demo, monkeypatch)
